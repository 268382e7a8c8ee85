package enduserapi

import (
	"net/http"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server/chat"
	"github.com/ccaip/headless-go/server/httpapi"
)

func (s *API) handleCreateChat(w http.ResponseWriter, r *http.Request, u *endUser) error {
	var req api.ChatRequest
	if err := httpapi.ReadJSON(w, r, &req, false); err != nil {
		return err
	}
	if req.MenuID <= 0 {
		return api.Errorf(api.CodeInvalidArgument, "menu_id is required")
	}
	var c *chatRow
	err := s.Chat.Write(r.Context(), func(t *chat.Txn) error {
		var err error
		c, err = t.CreateChat(chat.NewChat{EndUserID: u.ID, MenuID: req.MenuID, Lang: req.Lang, Email: req.Email, CustomData: req.CustomData})
		return err
	})
	if err != nil {
		return err
	}
	return s.WriteChat(w, r, c)
}

func (s *API) handleGetChat(w http.ResponseWriter, r *http.Request, u *endUser) error {
	c, err := s.pathChat(r, u)
	if err != nil {
		return err
	}
	return s.WriteChat(w, r, c)
}

// chatAction runs fn on the caller's own chat in a write transaction and
// answers the chat afterwards.
func (s *API) chatAction(fn func(t *chat.Txn, c *chatRow) error) func(w http.ResponseWriter, r *http.Request, u *endUser) error {
	return func(w http.ResponseWriter, r *http.Request, u *endUser) error {
		id, err := httpapi.PathID(r, "id")
		if err != nil {
			return err
		}
		var c *chatRow
		err = s.Chat.Write(r.Context(), func(t *chat.Txn) error {
			if c, err = s.ownChat(t.Ctx, t.Tx, u, id); err != nil {
				return err
			}
			return fn(t, c)
		})
		if err != nil {
			return err
		}
		return s.WriteChat(w, r, c)
	}
}

func (s *API) handleFinishChat(w http.ResponseWriter, r *http.Request, u *endUser) error {
	return s.chatAction(func(t *chat.Txn, c *chatRow) error { return t.Finish(c, "the end user") })(w, r, u)
}

func (s *API) handleDestroyChat(w http.ResponseWriter, r *http.Request, u *endUser) error {
	return s.chatAction(func(t *chat.Txn, c *chatRow) error { return t.Destroy(c) })(w, r, u)
}

func (s *API) handleResumeChat(w http.ResponseWriter, r *http.Request, u *endUser) error {
	return s.chatAction(func(t *chat.Txn, c *chatRow) error { return t.Resume(c, u.ID) })(w, r, u)
}

func (s *API) handleEscalate(w http.ResponseWriter, r *http.Request, u *endUser) error {
	id, err := httpapi.PathID(r, "id")
	if err != nil {
		return err
	}
	var req api.EscalateRequest
	if err := httpapi.ReadJSON(w, r, &req, true); err != nil {
		return err
	}
	if req.Reason == "" {
		req.Reason = "by_end_user_ask"
	}
	var esc api.Escalation
	err = s.Chat.Write(r.Context(), func(t *chat.Txn) error {
		c, err := s.ownChat(t.Ctx, t.Tx, u, id)
		if err != nil {
			return err
		}
		esc, err = t.Escalate(c, req.Reason, req.ForceEscalate)
		return err
	})
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, esc)
	return nil
}
