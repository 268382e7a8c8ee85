package restapi

import (
	"net/http"

	"github.com/ccaip/headless-go/server/chat"
	"github.com/ccaip/headless-go/server/httpapi"
)

// The REST API's view of the channels beside chat: calls and cobrowse
// sessions.

func (s *API) restListCalls(w http.ResponseWriter, r *http.Request) error {
	out, err := s.Chat.RESTCalls(r.Context(), 100)
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, out)
	return nil
}

func (s *API) restGetCall(w http.ResponseWriter, r *http.Request) error {
	id, err := httpapi.PathID(r, "id")
	if err != nil {
		return err
	}
	c, err := s.Chat.LoadCall(r.Context(), s.DB, id)
	if err != nil {
		return err
	}
	rc, err := s.Chat.RESTCall(c)
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, rc)
	return nil
}

// restGetCobrowse shows a session to the company's backend.
func (s *API) restGetCobrowse(w http.ResponseWriter, r *http.Request) error {
	id, err := httpapi.PathID(r, "id")
	if err != nil {
		return err
	}
	c, err := s.Chat.LoadCobrowse(r.Context(), s.DB, id)
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, chat.APICobrowse(c))
	return nil
}

// restEndCobrowse is the agent ending a session; ending an ended one is
// idempotent.
func (s *API) restEndCobrowse(w http.ResponseWriter, r *http.Request) error {
	id, err := httpapi.PathID(r, "id")
	if err != nil {
		return err
	}
	var c *chat.Cobrowse
	err = s.Chat.Write(r.Context(), func(t *chat.Txn) error {
		c, err = t.EndCobrowse(id)
		return err
	})
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, chat.APICobrowse(c))
	return nil
}
