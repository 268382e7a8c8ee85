package enduserapi

import (
	"net/http"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server/chat"
	"github.com/ccaip/headless-go/server/httpapi"
)

func (s *API) handleSendMessage(w http.ResponseWriter, r *http.Request, u *endUser) error {
	id, err := httpapi.PathID(r, "id")
	if err != nil {
		return err
	}
	var req api.SendMessageRequest
	if err := httpapi.ReadJSON(w, r, &req, false); err != nil {
		return err
	}
	if req.ClientID == "" {
		req.ClientID = r.Header.Get(api.HeaderIdempotencyKey)
	}
	if err := s.checkSend(&req); err != nil {
		return err
	}
	var msg api.Message
	var c *chatRow
	created := false
	err = s.Chat.Write(r.Context(), func(t *chat.Txn) error {
		var err error
		if c, err = s.ownChat(t.Ctx, t.Tx, u, id); err != nil {
			return err
		}
		msg, created, err = addEndUserMessage(t, c, u, &req)
		return err
	})
	if err != nil {
		return err
	}
	if created {
		s.sentEndUserMessage(c, u, msg)
	}
	httpapi.WriteJSON(w, http.StatusOK, msg)
	return nil
}

func (s *API) handleListMessages(w http.ResponseWriter, r *http.Request, u *endUser) error {
	id, err := httpapi.PathID(r, "id")
	if err != nil {
		return err
	}
	after, err := httpapi.QueryInt(r, "after", 0)
	if err != nil {
		return err
	}
	before, err := httpapi.QueryInt(r, "before", 0)
	if err != nil {
		return err
	}
	limit, err := httpapi.QueryInt(r, "limit", httpapi.DefaultPageSize)
	if err != nil {
		return err
	}
	if limit == 0 || limit > httpapi.MaxPageSize {
		return api.Errorf(api.CodeInvalidArgument, "limit must be between 1 and %d", httpapi.MaxPageSize)
	}
	c, err := s.ownChat(r.Context(), s.DB, u, id)
	if err != nil {
		return err
	}
	ms, err := s.Chat.Messages(r.Context(), s.DB, c.ID, after, before, int(limit))
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, api.MessagePage{Messages: ms, LastIndex: c.LastIndex})
	return nil
}

// notiEvent is the event of an end user's noti message, "" for the others.
func notiEvent(req api.SendMessageRequest) string {
	if req.Type == api.MsgNoti {
		return req.Event
	}
	return ""
}
