package server

import (
	"net/http"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server/chat"
	"github.com/ccaip/headless-go/server/httpapi"
)

func (s *Server) handleCreateChat(w http.ResponseWriter, r *http.Request, u *endUser) error {
	var req api.ChatRequest
	if err := httpapi.ReadJSON(w, r, &req, false); err != nil {
		return err
	}
	if req.MenuID <= 0 {
		return api.Errorf(api.CodeInvalidArgument, "menu_id is required")
	}
	var c *chatRow
	err := s.write(r.Context(), func(t *txn) error {
		var err error
		c, err = t.CreateChat(chat.NewChat{EndUserID: u.ID, MenuID: req.MenuID, Lang: req.Lang, Email: req.Email, CustomData: req.CustomData})
		return err
	})
	if err != nil {
		return err
	}
	return s.WriteChat(w, r, c)
}

func (s *Server) handleGetChat(w http.ResponseWriter, r *http.Request, u *endUser) error {
	c, err := s.pathChat(r, u)
	if err != nil {
		return err
	}
	return s.WriteChat(w, r, c)
}

// chatAction runs fn on the caller's own chat in a write transaction and
// answers the chat afterwards.
func (s *Server) chatAction(fn func(t *txn, c *chatRow) error) func(w http.ResponseWriter, r *http.Request, u *endUser) error {
	return func(w http.ResponseWriter, r *http.Request, u *endUser) error {
		id, err := httpapi.PathID(r, "id")
		if err != nil {
			return err
		}
		var c *chatRow
		err = s.write(r.Context(), func(t *txn) error {
			if c, err = s.ownChat(t.ctx, t.tx, u, id); err != nil {
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

func (s *Server) handleFinishChat(w http.ResponseWriter, r *http.Request, u *endUser) error {
	return s.chatAction(func(t *txn, c *chatRow) error { return t.Finish(c, "the end user") })(w, r, u)
}

func (s *Server) handleDestroyChat(w http.ResponseWriter, r *http.Request, u *endUser) error {
	return s.chatAction(func(t *txn, c *chatRow) error { return t.Destroy(c) })(w, r, u)
}

func (s *Server) handleResumeChat(w http.ResponseWriter, r *http.Request, u *endUser) error {
	return s.chatAction(func(t *txn, c *chatRow) error { return t.Resume(c, u.ID) })(w, r, u)
}

func (s *Server) handleEscalate(w http.ResponseWriter, r *http.Request, u *endUser) error {
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
	err = s.write(r.Context(), func(t *txn) error {
		c, err := s.ownChat(t.ctx, t.tx, u, id)
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
