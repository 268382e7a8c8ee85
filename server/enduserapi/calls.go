package enduserapi

import (
	"context"
	"net/http"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server/chat"
	"github.com/ccaip/headless-go/server/httpapi"
)

// callRow is a call as stored.
type callRow = chat.Call

// ownCall loads a call of end user u; another user's call is not_found.
func (s *API) ownCall(ctx context.Context, q querier, u *endUser, id int64) (*callRow, error) {
	return s.Chat.OwnCall(ctx, q, u.ID, id)
}

func (s *API) handleCreateCall(w http.ResponseWriter, r *http.Request, u *endUser) error {
	var req api.CallRequest
	if err := httpapi.ReadJSON(w, r, &req, false); err != nil {
		return err
	}
	c, err := s.Chat.CreateCall(r.Context(), u.ID, req)
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, s.Chat.APICall(c))
	return nil
}

func (s *API) handleGetCall(w http.ResponseWriter, r *http.Request, u *endUser) error {
	id, err := httpapi.PathID(r, "id")
	if err != nil {
		return err
	}
	c, err := s.ownCall(r.Context(), s.DB, u, id)
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, s.Chat.APICall(c))
	return nil
}

func (s *API) handleCancelCall(w http.ResponseWriter, r *http.Request, u *endUser) error {
	id, err := httpapi.PathID(r, "id")
	if err != nil {
		return err
	}
	var c *callRow
	err = s.Chat.Write(r.Context(), func(t *chat.Txn) error {
		if c, err = s.ownCall(t.Ctx, t.Tx, u, id); err != nil {
			return err
		}
		return t.CancelCall(c)
	})
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, s.Chat.APICall(c))
	return nil
}
