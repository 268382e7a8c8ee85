package enduserapi

import (
	"errors"
	"net/http"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server/chat"
	"github.com/ccaip/headless-go/server/httpapi"
)

// An end user's message passes the same three steps whether it comes alone
// (POST RouteMessages) or in a batch (POST RouteMessageBatch): checkSend
// before the transaction, addEndUserMessage inside it, sentEndUserMessage
// after the commit.

// checkSend normalises req (type, button payload) and checks what needs no
// chat: the client_id, the type and its limits, the form.
func (s *API) checkSend(req *api.SendMessageRequest) error {
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
	return nil
}

// addEndUserMessage stores req on c in t, or finds the message an earlier
// request with the same client_id stored (created false).
func addEndUserMessage(t *chat.Txn, c *chatRow, u *endUser, req *api.SendMessageRequest) (msg api.Message, created bool, err error) {
	prev, err := t.PriorSend(c, req.ClientID)
	if err != nil || prev != nil {
		if prev != nil {
			msg = *prev
		}
		return msg, false, err
	}
	msg, err = t.AddMessage(c, api.Message{
		UserType: api.UserEndUser, UserID: u.ID, UserName: u.Name, Type: req.Type, Content: req.Content,
		ClientID: req.ClientID, Metadata: req.Metadata, QuickReplies: req.QuickReplies, Structured: req.Structured,
		Event: notiEvent(*req),
	})
	if err != nil {
		return msg, false, err
	}
	if req.FormID != 0 {
		if err := t.Noti(c, api.NotiFormCompleted, "Form submitted"); err != nil {
			return msg, false, err
		}
	}
	return msg, true, nil
}

// sentEndUserMessage tells the company's backend of a new message and lets
// the virtual agent answer it.
func (s *API) sentEndUserMessage(c *chatRow, u *endUser, msg api.Message) {
	s.Chat.MessageReceived(c.ID, u.ID, msg)
	if c.Status == api.StatusVAAssigned && msg.Type != api.MsgNoti {
		s.Chat.VAReply(c.ID, msg)
	}
}

// handleSendMessages stores a batch of messages in their order in one
// transaction; each message's result is what POST RouteMessages would have
// answered for it, so one rejected message does not stop the others. The
// batch counts against the end user's rate as its messages would alone:
// the route's adapter took one token, the handler takes the rest or none
// (a refused batch costs one request's token).
func (s *API) handleSendMessages(w http.ResponseWriter, r *http.Request, u *endUser) error {
	id, err := httpapi.PathID(r, "id")
	if err != nil {
		return err
	}
	var req api.SendMessagesRequest
	if err := httpapi.ReadJSON(w, r, &req, false); err != nil {
		return err
	}
	n := len(req.Messages)
	if n == 0 || n > api.MaxBatchMessages {
		return api.Errorf(api.CodeInvalidArgument, "a batch carries 1 to %d messages, not %d", api.MaxBatchMessages, n)
	}
	if err := s.TakeN(w, r, httpapi.RateEndUser, u.ID, n-1); err != nil {
		return err
	}
	checked := make([]error, n)
	for i := range req.Messages {
		checked[i] = s.checkSend(&req.Messages[i])
	}
	var c *chatRow
	results := make([]api.SendMessageResult, n)
	created := make([]bool, n)
	err = s.Chat.Write(r.Context(), func(t *chat.Txn) error {
		var err error
		if c, err = s.ownChat(t.Ctx, t.Tx, u, id); err != nil {
			return err
		}
		for i := range req.Messages {
			results[i], created[i] = api.SendMessageResult{}, false
			err := checked[i]
			if err == nil {
				var msg api.Message
				msg, created[i], err = addEndUserMessage(t, c, u, &req.Messages[i])
				if err == nil {
					results[i].Message = &msg
					continue
				}
			}
			var ae *api.Error
			if !errors.As(err, &ae) {
				return err // the store failed: the whole batch fails, to be retried
			}
			body := ae.Body().Error
			results[i].Error, results[i].Status = &body, ae.Status
			if ae.Status == 0 {
				results[i].Status = api.StatusFor(ae.Code)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for i, res := range results {
		if created[i] {
			s.sentEndUserMessage(c, u, *res.Message)
		}
	}
	httpapi.WriteJSON(w, http.StatusOK, api.SendMessagesResponse{Results: results})
	return nil
}
