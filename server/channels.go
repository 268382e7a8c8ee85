package server

import (
	"crypto/hmac"
	"crypto/sha256"
	"fmt"
	"net/http"
	"path/filepath"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server/media"
)

// uploadPath is where presigned photo and video uploads are POSTed. It is
// outside both API prefixes because the signed policy, not a session or
// Basic credentials, authorises the request.
const uploadPath = "/media/upload"

// startChannels opens the media store and starts the background work of
// the channels beside chat: the call simulator and the PDF transcripts
// that were still pending when the server last stopped.
func (s *Server) startChannels() error {
	st, err := media.NewStore(filepath.Join(s.cfg.DataDir, "media"))
	if err != nil {
		return fmt.Errorf("media: %w", err)
	}
	s.media = st
	// The policy key is derived from the company secret so that upload URLs
	// handed out before a restart stay valid after it.
	mac := hmac.New(sha256.New, []byte(s.company.Secret))
	mac.Write([]byte("presigned media uploads"))
	s.uploader = &media.Uploader{Store: st, Secret: mac.Sum(nil), Now: s.now}
	s.goBackground(s.runCalls)
	return s.resumeTranscripts()
}

// channelRoutes registers calls, emails, cobrowse, files, media,
// transcripts, takeover and the REST media and data routes.
func (s *Server) channelRoutes(mux *http.ServeMux) {
	mux.HandleFunc("POST "+api.RouteCalls, s.user(s.handleCreateCall))
	mux.HandleFunc("GET "+api.RouteCall, s.user(s.handleGetCall))
	mux.HandleFunc("POST "+api.RouteCallCancel, s.user(s.handleCancelCall))
	mux.HandleFunc("POST "+api.RouteEmails, s.user(s.handleCreateEmail))
	mux.HandleFunc("POST "+api.RouteCobrowseCodes, s.user(s.handleCobrowseCode))
	mux.HandleFunc("POST "+api.RouteCobrowseSessions, s.user(s.handleStartCobrowse))
	mux.HandleFunc("POST "+api.RouteFiles, s.user(s.handleSendFile))
	mux.HandleFunc("GET "+api.RouteMedia, s.handle(s.handleMedia))
	mux.HandleFunc("POST "+api.RouteTranscriptEmail, s.user(s.handleTranscriptEmail))
	mux.HandleFunc("POST "+api.RouteTranscriptPDF, s.user(s.handleTranscriptPDF))
	mux.HandleFunc("GET "+api.RouteTranscript, s.user(s.handleTranscript))
	mux.HandleFunc("POST "+api.RouteTakeover, s.user(s.handleTakeover))

	mux.HandleFunc("GET "+RESTPrefix+"/calls", s.rest(s.restListCalls))
	mux.HandleFunc("GET "+RESTPrefix+"/calls/{id}", s.rest(s.restGetCall))
	mux.HandleFunc("GET "+RESTPrefix+"/cobrowse/{id}", s.rest(s.restGetCobrowse))
	mux.HandleFunc("POST "+RESTPrefix+"/cobrowse/{id}/end", s.rest(s.restEndCobrowse))
	mux.HandleFunc("POST "+RESTPrefix+"/chats/{id}/photos/upload", s.rest(s.restPresign(media.KindPhoto)))
	mux.HandleFunc("POST "+RESTPrefix+"/chats/{id}/videos/upload", s.rest(s.restPresign(media.KindVideo)))
	mux.HandleFunc("POST "+RESTPrefix+"/chats/{id}/photos", s.rest(s.restAttachPhotos))
	mux.HandleFunc("POST "+RESTPrefix+"/chats/{id}/videos", s.rest(s.restAttachVideo))
	mux.HandleFunc("GET "+RESTPrefix+"/chats/{id}/photos", s.rest(s.restListMedia(api.MsgPhoto)))
	mux.HandleFunc("GET "+RESTPrefix+"/chats/{id}/videos", s.rest(s.restListMedia(api.MsgVideo)))
	mux.HandleFunc("POST "+RESTPrefix+"/chats/{id}/custom_data", s.rest(s.restCustomData))
	mux.HandleFunc("POST "+RESTPrefix+"/chats/{id}/end-user", s.rest(s.restUpdateEndUser))
	mux.Handle("POST "+uploadPath, s.uploader)
}
