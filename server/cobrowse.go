package server

import (
	"net/http"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server/chat"
)

// handleCobrowseCode is createCobrowseCode: a pending session with a
// 6-digit code the end user reads out to an agent, valid ten minutes.
func (s *Server) handleCobrowseCode(w http.ResponseWriter, r *http.Request, u *endUser) error {
	var req api.CobrowseCodeRequest
	if err := readJSON(w, r, &req, true); err != nil {
		return err
	}
	var c *chat.Cobrowse
	err := s.write(r.Context(), func(t *txn) error {
		var err error
		c, err = t.CobrowseCode(u.ID, req)
		return err
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, api.CobrowseCodeResponse{Code: c.Code, ExpiresAt: fmtTime(c.CodeExpiresAt)})
	return nil
}

// handleStartCobrowse is startCobrowse: the end user's newest pending
// session whose code is still live becomes active; without one, a new
// session starts active with a fresh code.
func (s *Server) handleStartCobrowse(w http.ResponseWriter, r *http.Request, u *endUser) error {
	var req api.StartCobrowseRequest
	if err := readJSON(w, r, &req, true); err != nil {
		return err
	}
	var c *chat.Cobrowse
	err := s.write(r.Context(), func(t *txn) error {
		var err error
		c, err = t.StartCobrowse(u.ID, req)
		return err
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, chat.APICobrowse(c))
	return nil
}

// restGetCobrowse shows a session to the company's backend.
func (s *Server) restGetCobrowse(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	c, err := s.chat.LoadCobrowse(r.Context(), s.db, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, chat.APICobrowse(c))
	return nil
}

// restEndCobrowse is the agent ending a session; ending an ended one is
// idempotent.
func (s *Server) restEndCobrowse(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var c *chat.Cobrowse
	err = s.write(r.Context(), func(t *txn) error {
		c, err = t.EndCobrowse(id)
		return err
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, chat.APICobrowse(c))
	return nil
}
