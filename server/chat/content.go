package chat

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server/webhook"
)

// MaxClientIDLen bounds a message's client_id (its idempotency key), in
// bytes.
const MaxClientIDLen = 128

// MaxIdentifierLength bounds an end user's identifier, in bytes.
const MaxIdentifierLength = 255

// CheckIdentifier checks an end user's identifier (the JWT's, or the REST
// API's end_user.identifier): present, at most MaxIdentifierLength bytes,
// valid UTF-8 without control characters (a NUL in a key is a classic way
// to make two systems disagree about who is who).
func CheckIdentifier(id string) *api.Error {
	switch {
	case id == "":
		return api.Errorf(api.CodeInvalidArgument, "identifier is required")
	case len(id) > MaxIdentifierLength:
		return api.Errorf(api.CodeInvalidArgument, "identifier is over %d bytes", MaxIdentifierLength)
	case !utf8.ValidString(id) || strings.ContainsFunc(id, unicode.IsControl):
		return api.Errorf(api.CodeInvalidArgument, "identifier has control characters or is not UTF-8")
	}
	return nil
}

// ValidateContent checks a message's type and length limits.
func ValidateContent(typ, content string, structured api.Raw) error {
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

// messageReceived is the data of a message_received webhook.
type messageReceived struct {
	ChatID    int64       `json:"chat_id"`
	EndUserID int64       `json:"end_user_id"`
	Message   api.Message `json:"message"`
}

// MessageReceived queues the message_received webhook of an end user's
// new message m in chat chatID.
func (s *Domain) MessageReceived(chatID, endUserID int64, m api.Message) {
	s.webhookSend(webhook.EventMessageReceived, messageReceived{ChatID: chatID, EndUserID: endUserID, Message: m})
}

// PriorSend is what a send to c with idempotency key clientID finds: the
// message an earlier send with that key stored (nil: none, or no key), or
// else a conflict when c is no longer ongoing and takes no new message.
func (t *Txn) PriorSend(c *Row, clientID string) (*api.Message, error) {
	if clientID != "" {
		prev, err := t.s.MessageByClientID(t.Ctx, t.Tx, c.ID, clientID)
		if err != nil || prev != nil {
			return prev, err
		}
	}
	if !api.IsOngoing(c.Status) {
		return nil, api.Errorf(api.CodeConflict, "chat %d is %s; no more messages can be sent", c.ID, c.Status)
	}
	return nil, nil
}
