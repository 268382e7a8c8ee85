package server

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/ccaip/headless-go/api"
)

// messageReceived is the data of a message_received webhook.
type messageReceived struct {
	ChatID    int64       `json:"chat_id"`
	EndUserID int64       `json:"end_user_id"`
	Message   api.Message `json:"message"`
}

// Paging bounds of message lists.
const (
	defaultPageSize = 100
	maxPageSize     = 500
	maxClientIDLen  = 128
)

// validateContent checks a message's type and length limits.
func validateContent(typ, content string, structured api.Raw) error {
	switch typ {
	case api.MsgText, api.MsgMarkdown:
		if strings.TrimSpace(content) == "" {
			return api.Errorf(api.CodeInvalidArgument, "message content is empty")
		}
		if n := utf8.RuneCountInString(content); n > api.MaxTextLength {
			return api.Errorf(api.CodeTooLarge, "text is %d characters, over the %d limit", n, api.MaxTextLength)
		}
	case api.MsgNoti:
		// End users notify one thing: a form they filled outside the chat
		// (apps written for the vendor SDK send it with chat.sendMessage).
		if n := utf8.RuneCountInString(content); n > api.MaxTextLength {
			return api.Errorf(api.CodeTooLarge, "text is %d characters, over the %d limit", n, api.MaxTextLength)
		}
	case api.MsgStructured:
		if structured.IsZero() {
			return api.Errorf(api.CodeInvalidArgument, "structured message has no structured content")
		}
		if n := utf8.RuneCount(structured) + utf8.RuneCountInString(content); n > api.MaxStructuredLength {
			return api.Errorf(api.CodeTooLarge, "structured content is %d characters, over the %d limit", n, api.MaxStructuredLength)
		}
	default:
		return api.Errorf(api.CodeInvalidArgument, "message type %q cannot be sent here", typ)
	}
	return nil
}

func (s *Server) handleSendMessage(w http.ResponseWriter, r *http.Request, u *endUser) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var req api.SendMessageRequest
	if err := readJSON(w, r, &req, false); err != nil {
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
	err = s.write(r.Context(), func(t *txn) error {
		var err error
		if c, err = s.ownChat(t.ctx, t.tx, u, id); err != nil {
			return err
		}
		msg, created, err = s.addEndUserMessage(t, c, u, &req)
		return err
	})
	if err != nil {
		return err
	}
	if created {
		s.sentEndUserMessage(c, u, msg)
	}
	writeJSON(w, http.StatusOK, msg)
	return nil
}

func (s *Server) handleListMessages(w http.ResponseWriter, r *http.Request, u *endUser) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	after, err := queryInt(r, "after", 0)
	if err != nil {
		return err
	}
	before, err := queryInt(r, "before", 0)
	if err != nil {
		return err
	}
	limit, err := queryInt(r, "limit", defaultPageSize)
	if err != nil {
		return err
	}
	if limit == 0 || limit > maxPageSize {
		return api.Errorf(api.CodeInvalidArgument, "limit must be between 1 and %d", maxPageSize)
	}
	c, err := s.ownChat(r.Context(), s.db, u, id)
	if err != nil {
		return err
	}
	ms, err := s.chat.Messages(r.Context(), s.db, c.ID, after, before, int(limit))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, api.MessagePage{Messages: ms, LastIndex: c.LastIndex})
	return nil
}

// notiEvent is the event of an end user's noti message, "" for the others.
func notiEvent(req api.SendMessageRequest) string {
	if req.Type == api.MsgNoti {
		return req.Event
	}
	return ""
}
