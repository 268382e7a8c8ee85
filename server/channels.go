package server

import (
	"crypto/hmac"
	"crypto/sha256"
	"fmt"
	"path/filepath"

	"github.com/ccaip/headless-go/server/media"
)

// startChannels opens the media store and starts the background work of
// the channels beside chat: the call simulator and the PDF transcripts
// that were still pending when the server last stopped.
func (s *Server) startChannels() error {
	st, err := media.NewStore(filepath.Join(s.cfg.DataDir, "media"))
	if err != nil {
		return fmt.Errorf("media: %w", err)
	}
	s.Media = st
	// The policy key is derived from the company secret so that upload URLs
	// handed out before a restart stay valid after it.
	mac := hmac.New(sha256.New, []byte(s.Company.Secret))
	mac.Write([]byte("presigned media uploads"))
	s.uploader = &media.Uploader{Store: st, Secret: mac.Sum(nil), Now: s.now}
	s.goBackground(s.Chat.RunCalls)
	return s.resumeTranscripts()
}
