package sdk

import (
	"context"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ccaip/headless-go/api"
)

// pageSize is how many messages one request asks for.
const pageSize = 200

// messages pages through a chat's messages with index in (after, before)
// (before 0: no upper bound), at most limit of them (0: all).
func (c *Client) messages(ctx context.Context, chatID, after, before int64, limit int) ([]api.Message, error) {
	out := []api.Message{}
	for {
		n := pageSize
		if limit > 0 && limit-len(out) < n {
			n = limit - len(out)
		}
		q := c.query("after", strconv.FormatInt(after, 10), "limit", strconv.Itoa(n))
		if before > 0 {
			q = c.query("after", strconv.FormatInt(after, 10), "before", strconv.FormatInt(before, 10), "limit", strconv.Itoa(n))
		}
		var p api.MessagePage
		if err := c.get(ctx, route(api.RouteMessages, "id", chatID), q, p.UnmarshalEasyJSON); err != nil {
			return out, err
		}
		for _, m := range p.Messages {
			if m.Index <= after || (before > 0 && m.Index >= before) {
				continue
			}
			vendorFields(&m)
			out = append(out, m)
			after = m.Index
		}
		if len(p.Messages) == 0 || after >= p.LastIndex || (limit > 0 && len(out) >= limit) || (before > 0 && after >= before-1) {
			return out, nil
		}
	}
}

// FetchMessages returns every message of the current chat in $index order.
// As documented it never fails outright: on error it returns an empty
// slice, and the error as well for Go callers.
func (c *Client) FetchMessages(ctx context.Context) ([]api.Message, error) {
	id, err := c.currentID()
	if err != nil {
		return []api.Message{}, err
	}
	ms, err := c.messages(ctx, id, 0, 0, 0)
	if err != nil {
		return []api.Message{}, err
	}
	return ms, nil
}

// Transcript returns every message of the current chat (the peer SDK's
// getTranscript); unlike FetchMessages it reports failure plainly.
func (c *Client) Transcript(ctx context.Context) ([]api.Message, error) {
	id, err := c.currentID()
	if err != nil {
		return nil, err
	}
	return c.messages(ctx, id, 0, 0, 0)
}

// QueryMessages returns the current chat's messages with sequenceMin <=
// $index <= sequenceMax (0: unbounded), at most maxQuantity of them (0:
// all), oldest first.
func (c *Client) QueryMessages(ctx context.Context, sequenceMin, sequenceMax int64, maxQuantity int) ([]api.Message, error) {
	if sequenceMin < 0 || sequenceMax < 0 || maxQuantity < 0 || (sequenceMax > 0 && sequenceMax < sequenceMin) {
		return nil, invalid("bad message range [%d, %d] max %d", sequenceMin, sequenceMax, maxQuantity)
	}
	id, err := c.currentID()
	if err != nil {
		return nil, err
	}
	before := int64(0)
	if sequenceMax > 0 {
		before = sequenceMax + 1
	}
	return c.messages(ctx, id, max(sequenceMin-1, 0), before, maxQuantity)
}

// OutgoingMessage is a message with the peer SDK's extras: metadata (any
// JSON object or array) and quick replies, or structured content.
type OutgoingMessage struct {
	Text         string
	Metadata     api.Raw
	QuickReplies []api.MessageButton
	// Structured, when set, is sent as a structured message (limit 15,000).
	Structured api.Raw
	// Noti, when set, sends a notification instead, with Text as its
	// optional content: the end user's one is formCompleted (a form filled
	// outside the chat; the vendor SDK's apps send it with
	// chat.sendMessage).
	Noti string
}

// ongoingID returns the current chat's id when it can take messages.
func (c *Client) ongoingID() (int64, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.closed:
		return 0, ErrDestroyed
	case c.chat == nil:
		return 0, ErrNoActiveChat
	case isFinal(c.chat.Status):
		return 0, &api.Error{Code: api.CodeNoActiveChat, Message: "the chat is " + c.chat.Status}
	}
	return c.chat.ID, nil
}

// SendMessage queues a message and returns its outbox entry once the
// platform accepted it or, while the platform cannot be reached, once it is
// queued (persisted, to be retried; message.status reports its fate). A
// rejected message returns the platform's error.
func (c *Client) SendMessage(ctx context.Context, m OutgoingMessage) (*Outgoing, error) {
	req := api.SendMessageRequest{Type: api.MsgText, Content: m.Text, Metadata: m.Metadata, QuickReplies: m.QuickReplies}
	switch {
	case m.Noti != "":
		req.Type, req.Event = api.MsgNoti, m.Noti
		if n := utf8.RuneCountInString(m.Text); n > api.MaxTextLength {
			return nil, &api.Error{Code: api.CodeTooLarge, Message: "notification text is over 8000 characters"}
		}
	case len(m.Structured) > 0:
		if m.Structured.IsZero() {
			return nil, invalid("structured content is null")
		}
		if utf8.RuneCount(m.Structured) > api.MaxStructuredLength {
			return nil, &api.Error{Code: api.CodeTooLarge, Message: "structured content is over 15000 characters", Status: 0}
		}
		req.Type, req.Structured = api.MsgStructured, m.Structured
	default:
		if strings.TrimSpace(m.Text) == "" {
			return nil, invalid("no message text provided")
		}
		if n := utf8.RuneCountInString(m.Text); n > api.MaxTextLength {
			return nil, &api.Error{Code: api.CodeTooLarge, Message: "message text is " + strconv.Itoa(n) + " characters, over the limit of 8000"}
		}
	}
	if !m.Metadata.IsZero() {
		if b := m.Metadata[0]; b != '{' && b != '[' {
			return nil, invalid("metadata must be a JSON object or array")
		}
	}
	id, err := c.ongoingID()
	if err != nil {
		return nil, err
	}
	e := &outEntry{}
	e.ClientID, e.ChatID, e.Kind = newClientID(), id, KindText
	req.ClientID = e.ClientID
	e.req = req
	c.out.add(e)
	if err := c.out.wait(ctx, e); err != nil {
		return nil, err
	}
	c.out.mu.Lock()
	snap := e.Outgoing
	c.out.mu.Unlock()
	return &snap, nil
}

// SendTextMessage sends text (at most 8,000 characters) on the current
// chat; see SendMessage for when it returns.
func (c *Client) SendTextMessage(ctx context.Context, text string) error {
	_, err := c.SendMessage(ctx, OutgoingMessage{Text: text})
	return err
}

// SendFileMessage sends a file and returns its message id once the
// platform has it. On failure it returns -1, as documented, and the error.
// While the platform cannot be reached the file stays queued and the call
// waits, until ctx ends (the file still goes out later).
func (c *Client) SendFileMessage(ctx context.Context, name, contentType string, data []byte) (int64, error) {
	return c.SendFile(ctx, name, contentType, data, "")
}

// SendFile is SendFileMessage with a caption (the peer SDK's uploadFile).
func (c *Client) SendFile(ctx context.Context, name, contentType string, data []byte, caption string) (int64, error) {
	if name == "" || len(data) == 0 {
		return -1, invalid("a file needs a name and content")
	}
	id, err := c.ongoingID()
	if err != nil {
		return -1, err
	}
	e := &outEntry{fileName: name, contentType: contentType, data: data, caption: caption, waitSent: true}
	e.ClientID, e.ChatID, e.Kind = newClientID(), id, KindFile
	c.out.add(e)
	if err := c.out.wait(ctx, e); err != nil {
		return -1, err
	}
	c.out.mu.Lock()
	defer c.out.mu.Unlock()
	if e.Message == nil {
		return -1, &api.Error{Code: api.CodeInternal, Message: "file sent without a message"}
	}
	return e.Message.Index, nil
}

// SendPreviewMessage sends what the end user is typing (message preview);
// it goes through the outbox in order with the messages.
func (c *Client) SendPreviewMessage(ctx context.Context, content string) error {
	if utf8.RuneCountInString(content) > api.MaxTextLength {
		return &api.Error{Code: api.CodeTooLarge, Message: "preview is over 8000 characters"}
	}
	id, err := c.ongoingID()
	if err != nil {
		return err
	}
	e := &outEntry{preview: content}
	e.ClientID, e.ChatID, e.Kind = newClientID(), id, KindPreview
	c.out.add(e)
	return c.out.wait(ctx, e)
}

// SendTyping tells the agents the end user started (true) or stopped
// typing (the peer SDK's sendTyping).
func (c *Client) SendTyping(ctx context.Context, typing bool) error {
	id, err := c.ongoingID()
	if err != nil {
		return err
	}
	return c.post(ctx, route(api.RouteTyping, "id", id), (&api.TypingRequest{Typing: typing}).MarshalEasyJSON, nil)
}

// UnreadCount is the number of delivered messages from others (agents,
// virtual agents, system) after the last MarkRead.
func (c *Client) UnreadCount() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.chat == nil {
		return 0
	}
	return len(c.unread)
}

// MarkRead records that the end user has seen every message up to index
// (0: up to the newest delivered); the mark is kept in the store.
func (c *Client) MarkRead(index int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.chat == nil {
		return
	}
	if index <= 0 || index > c.seq.cursor() {
		index = c.seq.cursor()
	}
	if index > c.read {
		c.read = index
		keep := c.unread[:0]
		for _, i := range c.unread {
			if i > index {
				keep = append(keep, i)
			}
		}
		c.unread = keep
		c.saveRecordLocked()
	}
}
