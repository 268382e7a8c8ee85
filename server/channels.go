package server

import (
	"crypto/hmac"
	"crypto/sha256"
	"time"

	"github.com/ccaip/headless-go/server/media"
)

// newUploader signs and receives the REST API's presigned photo and video
// uploads into ms. The policy key is derived from the company secret so
// that upload URLs handed out before a restart stay valid after it.
func newUploader(ms *media.Store, secret string, now func() time.Time) *media.Uploader {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("presigned media uploads"))
	return &media.Uploader{Store: ms, Secret: mac.Sum(nil), Now: now}
}

// startChannels starts the background work of the channels beside chat:
// the call simulator and the PDF transcripts that were still pending when
// the server last stopped.
func (s *Server) startChannels() error {
	s.Chat.Go(s.Chat.RunCalls)
	return s.endUser.ResumeTranscripts()
}
