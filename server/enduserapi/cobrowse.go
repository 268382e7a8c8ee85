package enduserapi

import (
	"net/http"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server/chat"
	"github.com/ccaip/headless-go/server/httpapi"
)

// handleCobrowseCode is createCobrowseCode: a pending session with a
// 6-digit code the end user reads out to an agent, valid ten minutes.
func (s *API) handleCobrowseCode(w http.ResponseWriter, r *http.Request, u *endUser) error {
	var req api.CobrowseCodeRequest
	if err := httpapi.ReadJSON(w, r, &req, true); err != nil {
		return err
	}
	var c *chat.Cobrowse
	err := s.Chat.Write(r.Context(), func(t *chat.Txn) error {
		var err error
		c, err = t.CobrowseCode(u.ID, req)
		return err
	})
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, api.CobrowseCodeResponse{Code: c.Code, ExpiresAt: chat.FmtTime(c.CodeExpiresAt)})
	return nil
}

// handleStartCobrowse is startCobrowse: the end user's newest pending
// session whose code is still live becomes active; without one, a new
// session starts active with a fresh code.
func (s *API) handleStartCobrowse(w http.ResponseWriter, r *http.Request, u *endUser) error {
	var req api.StartCobrowseRequest
	if err := httpapi.ReadJSON(w, r, &req, true); err != nil {
		return err
	}
	var c *chat.Cobrowse
	err := s.Chat.Write(r.Context(), func(t *chat.Txn) error {
		var err error
		c, err = t.StartCobrowse(u.ID, req)
		return err
	})
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, chat.APICobrowse(c))
	return nil
}
