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
	if len(req.ClientID) > chat.MaxClientIDLen {
		return api.Errorf(api.CodeInvalidArgument, "client_id is longer than %d bytes", chat.MaxClientIDLen)
	}
	if req.Type == "" {
		req.Type = api.MsgText
	}
	if req.Type == api.MsgText && req.Content == "" && req.Payload != "" {
		req.Content = req.Payload // a button or quick reply answer shows its payload
	}
	if req.Type == api.MsgNoti && req.Event != api.NotiFormCompleted {
		return api.Errorf(api.CodeInvalidArgument, "an end user can send only the %s notification, not %q", api.NotiFormCompleted, req.Event)
	}
	if err := chat.ValidateContent(req.Type, req.Content, req.Structured); err != nil {
		return err
	}
	if req.FormID < 0 {
		return api.Errorf(api.CodeInvalidArgument, "form_id %d is not a form", req.FormID)
	}
	if s.faults.Load().RejectSends {
		return errRejectedSend()
	}
	var msg api.Message
	var c *chatRow
	created := false
	err = s.Chat.Write(r.Context(), func(t *chat.Txn) error {
		var err error
		if c, err = s.ownChat(t.Ctx, t.Tx, u, id); err != nil {
			return err
		}
		prev, err := t.PriorSend(c, req.ClientID)
		if err != nil || prev != nil {
			if prev != nil {
				msg = *prev
			}
			return err
		}
		msg, err = t.AddMessage(c, api.Message{
			UserType: api.UserEndUser, UserID: u.ID, UserName: u.Name, Type: req.Type, Content: req.Content,
			ClientID: req.ClientID, Metadata: req.Metadata, QuickReplies: req.QuickReplies, Structured: req.Structured,
			Event: notiEvent(req),
		})
		if err != nil {
			return err
		}
		if req.FormID != 0 {
			if err := t.Noti(c, api.NotiFormCompleted, "Form submitted"); err != nil {
				return err
			}
		}
		created = true
		return nil
	})
	if err != nil {
		return err
	}
	if created {
		s.Chat.MessageReceived(c.ID, u.ID, msg)
		if c.Status == api.StatusVAAssigned && msg.Type != api.MsgNoti {
			s.Chat.VAReply(c.ID, msg)
		}
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
