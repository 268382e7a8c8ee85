package sdk

import (
	"bytes"
	"context"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/api/jlexer"
	"github.com/ccaip/headless-go/api/jwriter"
)

// Reasons LoadOngoingChat gives (RestoreReason) when it resolves nil.
const (
	RestoreNone     = "none"      // nothing was stored
	RestoreExpired  = "expired"   // the chat timed out or was dismissed for inactivity
	RestoreFinished = "finished"  // the chat was finished, deflected or destroyed
	RestoreNotFound = "not_found" // the platform does not know the chat (or not for this user)
)

// record is what the store keeps under KeyChat.
type record struct {
	ChatID int64
	Cursor int64
	Read   int64
}

func (r record) marshal() string {
	var w jwriter.Writer
	w.RawString(`{"chat_id":`)
	w.Int64(r.ChatID)
	w.RawString(`,"cursor":`)
	w.Int64(r.Cursor)
	w.RawString(`,"read":`)
	w.Int64(r.Read)
	w.RawByte('}')
	b, _ := w.BuildBytes()
	return string(b)
}

func (r *record) unmarshal(s string) error {
	l := jlexer.Lexer{Data: []byte(s)}
	l.Delim('{')
	for !l.IsDelim('}') {
		key := l.UnsafeString()
		l.WantColon()
		switch key {
		case "chat_id":
			r.ChatID = l.Int64()
		case "cursor":
			r.Cursor = l.Int64()
		case "read":
			r.Read = l.Int64()
		default:
			l.SkipRecursive()
		}
		l.WantComma()
	}
	l.Delim('}')
	return l.Error()
}

func (c *Client) key(name string) string { return StoreKey(c.cfg.CompanyID, c.cfg.Tenant, name) }

// chatKey is where the signed-in end user's chat record lives (ChatKey);
// before the first sign-in, the key of the older, shared record.
func (c *Client) chatKey() string {
	if id, _ := c.ident.Load().(string); id != "" {
		return ChatKey(c.cfg.CompanyID, c.cfg.Tenant, id)
	}
	return c.key(KeyChat)
}

func (c *Client) loadRecord() (record, bool) {
	return c.readRecord(c.chatKey())
}

func (c *Client) readRecord(key string) (record, bool) {
	s, ok, err := c.cfg.Store.Get(key)
	if err != nil || !ok {
		return record{}, false
	}
	var r record
	if r.unmarshal(s) != nil || r.ChatID == 0 {
		return record{}, false
	}
	return r, true
}

// takeLegacyRecord returns and removes a record an older client kept
// under the shared key: whoever restores first takes it over (the
// platform answers 404 for another user's chat, which clears it).
func (c *Client) takeLegacyRecord() (record, bool) {
	key := c.key(KeyChat)
	if key == c.chatKey() {
		return record{}, false
	}
	r, ok := c.readRecord(key)
	if ok {
		_ = c.cfg.Store.Delete(key)
	}
	return r, ok
}

// saveRecordLocked persists the current chat and cursor; c.mu is held.
func (c *Client) saveRecordLocked() {
	c.dirty = false
	if c.chat == nil {
		return
	}
	r := record{ChatID: c.chat.ID, Cursor: c.seq.cursor(), Read: c.read}
	if err := c.cfg.Store.Set(c.chatKey(), r.marshal()); err != nil {
		c.cfg.Logger.Logf("sdk: store chat: %v", err)
	}
}

func (c *Client) clearRecord() {
	if err := c.cfg.Store.Delete(c.chatKey()); err != nil {
		c.cfg.Logger.Logf("sdk: clear chat: %v", err)
	}
}

func isFinal(status string) bool {
	switch status {
	case api.StatusTimeout, api.StatusFinished, api.StatusDestroyed, api.StatusDeflected:
		return true
	}
	return false
}

// CurrentChat returns a copy of the current chat, nil when there is none.
func (c *Client) CurrentChat() *api.Chat {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.chat == nil {
		return nil
	}
	cp := *c.chat
	return &cp
}

// RestoreReason says why the last LoadOngoingChat resolved nil.
func (c *Client) RestoreReason() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.reason
}

// currentID returns the current chat's id or ErrNoActiveChat.
func (c *Client) currentID() (int64, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return 0, ErrDestroyed
	}
	if c.chat == nil {
		return 0, ErrNoActiveChat
	}
	return c.chat.ID, nil
}

// switchChat makes chat the current chat with delivery resuming after
// cursor, emits events, and (re)starts the realtime link unless the chat
// is over.
func (c *Client) switchChat(chat *api.Chat, cursor, read int64, events ...string) {
	c.mu.Lock()
	old := c.rt
	c.rt = nil
	cp := *chat
	c.chat = &cp
	c.seq.reset(cursor)
	c.read = read
	c.unread = nil
	c.members = map[int64]*AgentInfo{}
	c.cobrow = map[int64]string{}
	c.noteAgentsLocked()
	c.saveRecordLocked()
	for _, e := range events {
		ev := cp
		c.events.emit(e, &ev)
	}
	if !isFinal(chat.Status) && !c.closed {
		c.rt = c.startRunnerLocked(chat.ID)
	}
	c.mu.Unlock()
	if old != nil {
		old.stop()
	}
	c.out.kick()
}

// applyChatLocked merges a newer state of the current chat: chat.updated
// when anything but last_index changed, then the status event of a status
// change. It reports whether the chat is now over. c.mu is held.
func (c *Client) applyChatLocked(next *api.Chat) (final bool) {
	if c.chat == nil || c.chat.ID != next.ID {
		return false
	}
	prev := c.chat
	cp := *next
	if cp.LastIndex < prev.LastIndex {
		cp.LastIndex = prev.LastIndex
	}
	c.chat = &cp
	c.noteAgentsLocked()
	a, b := *prev, cp
	a.LastIndex, b.LastIndex = 0, 0
	if !bytes.Equal(encode(a.MarshalEasyJSON), encode(b.MarshalEasyJSON)) {
		ev := cp
		c.events.emit(EventChatUpdated, &ev)
	}
	if prev.Status != cp.Status {
		ev := cp
		switch cp.Status {
		case api.StatusDismissed, api.StatusVADismissed:
			c.events.emit(EventChatDismissed, &ev)
		case api.StatusTimeout:
			c.events.emit(EventChatTimeout, &ev)
		case api.StatusFinished, api.StatusDeflected:
			c.events.emit(EventChatEnded, &ev)
		case api.StatusDestroyed:
			c.events.emit(EventChatDestroyed, &ev)
		}
	}
	return isFinal(cp.Status)
}

// applyChat applies a chat state obtained by a method call and stops the
// realtime link when the chat is over.
func (c *Client) applyChat(next *api.Chat) {
	c.mu.Lock()
	final := c.applyChatLocked(next)
	var rt *runner
	if final {
		rt, c.rt = c.rt, nil
	}
	c.mu.Unlock()
	if rt != nil {
		rt.stop()
	}
}

// CreateChat creates a chat on a menu and makes it the current chat; its
// realtime link starts at once. A menuID of 0 takes data.MenuID (the older
// call form). It fails with ErrChatAlreadyActive while this client's chat
// is ongoing. A client that has no chat yet but finds the end user's chat
// in the store still ongoing (a page reloaded mid-chat whose app calls
// createChat without loadOngoingChat) takes that chat up as
// LoadOngoingChat does and returns it: the platform keeps one ongoing
// chat per end user, and continuing it loses nothing.
func (c *Client) CreateChat(ctx context.Context, menuID int64, data api.ChatRequest) (*api.Chat, error) {
	if menuID != 0 {
		data.MenuID = menuID
	}
	if data.MenuID <= 0 {
		return nil, invalid("menu id is required")
	}
	c.mu.Lock()
	busy := c.chat != nil && api.IsOngoing(c.chat.Status)
	fresh := c.chat == nil
	c.mu.Unlock()
	if busy {
		return nil, ErrChatAlreadyActive
	}
	if fresh {
		if _, err := c.ensureSession(ctx); err != nil {
			return nil, err
		}
		if _, stored := c.loadRecord(); stored {
			chat, err := c.LoadOngoingChat(ctx)
			if err != nil {
				return nil, err
			}
			if chat != nil {
				return chat, nil
			}
		}
	}
	data.Lang = c.lang(data.Lang)
	var chat api.Chat
	if err := c.post(ctx, api.RouteChats, data.MarshalEasyJSON, chat.UnmarshalEasyJSON); err != nil {
		return nil, err
	}
	c.switchChat(&chat, 0, 0, EventChatUpdated)
	return &chat, nil
}

// LoadChat returns a chat; when it is the current chat its state is updated.
func (c *Client) LoadChat(ctx context.Context, chatID int64) (*api.Chat, error) {
	if chatID <= 0 {
		return nil, invalid("chat id must be positive")
	}
	var chat api.Chat
	if err := c.get(ctx, route(api.RouteChat, "id", chatID), "", chat.UnmarshalEasyJSON); err != nil {
		return nil, err
	}
	c.applyChat(&chat)
	return &chat, nil
}

// LoadOngoingChat restores the chat kept in the store: it becomes the
// current chat, chat.ongoing and chat.restored are emitted and messages
// after the stored cursor are delivered. When the stored chat is over or
// unknown it clears the store, emits chat.restoreFailed and returns nil,
// nil; RestoreReason says why. Transient failures return the error and keep
// the store.
func (c *Client) LoadOngoingChat(ctx context.Context) (*api.Chat, error) {
	// The record is the signed-in end user's: sign in first.
	if _, err := c.ensureSession(ctx); err != nil {
		return nil, err
	}
	rec, ok := c.loadRecord()
	if !ok {
		rec, ok = c.takeLegacyRecord()
	}
	if !ok {
		c.setReason(RestoreNone)
		return nil, nil
	}
	c.mu.Lock()
	if c.chat != nil && c.chat.ID == rec.ChatID && api.IsOngoing(c.chat.Status) {
		cp := *c.chat
		c.reason = ""
		c.mu.Unlock()
		return &cp, nil
	}
	c.mu.Unlock()
	var chat api.Chat
	err := c.get(ctx, route(api.RouteChat, "id", rec.ChatID), "", chat.UnmarshalEasyJSON)
	reason := ""
	switch {
	case err != nil:
		ae := asAPIError(err, false)
		if ae.Code != api.CodeNotFound && ae.Code != api.CodeForbidden {
			return nil, err
		}
		reason = RestoreNotFound
	case chat.Status == api.StatusTimeout || api.IsResumable(chat.Status):
		reason = RestoreExpired
	case !api.IsOngoing(chat.Status):
		reason = RestoreFinished
	}
	if reason != "" {
		c.clearRecord()
		c.setReason(reason)
		c.events.emit(EventChatRestoreFailed, reason)
		return nil, nil
	}
	c.setReason("")
	c.switchChat(&chat, rec.Cursor, rec.Read, EventChatOngoing, EventChatRestored)
	return &chat, nil
}

func (c *Client) setReason(r string) {
	c.mu.Lock()
	c.reason = r
	c.mu.Unlock()
}

// ResumeChat brings a dismissed chat back and makes it the current chat.
func (c *Client) ResumeChat(ctx context.Context, chatID int64) (*api.Chat, error) {
	if chatID <= 0 {
		return nil, invalid("chat id must be positive")
	}
	var chat api.Chat
	if err := c.post(ctx, route(api.RouteChatResume, "id", chatID), nil, chat.UnmarshalEasyJSON); err != nil {
		return nil, err
	}
	var cursor, read int64
	c.mu.Lock()
	same := c.chat != nil && c.chat.ID == chatID
	if same {
		cursor, read = c.seq.cursor(), c.read
	}
	c.mu.Unlock()
	if !same {
		if rec, ok := c.loadRecord(); ok && rec.ChatID == chatID {
			cursor, read = rec.Cursor, rec.Read
		}
	}
	c.switchChat(&chat, cursor, read, EventChatUpdated)
	return &chat, nil
}

// FinishChat ends the current chat (status finished).
func (c *Client) FinishChat(ctx context.Context) error {
	id, err := c.currentID()
	if err != nil {
		return err
	}
	var chat api.Chat
	if err := c.post(ctx, route(api.RouteChatFinish, "id", id), nil, chat.UnmarshalEasyJSON); err != nil {
		return err
	}
	c.applyChat(&chat)
	return nil
}

// DestroyChat stops the current chat for good: chat.destroyed is emitted,
// the stored chat and its queued messages are dropped and there is no
// current chat any more.
func (c *Client) DestroyChat(ctx context.Context) error {
	id, err := c.currentID()
	if err != nil {
		return err
	}
	var chat api.Chat
	if err := c.post(ctx, route(api.RouteChatDestroy, "id", id), nil, chat.UnmarshalEasyJSON); err != nil {
		return err
	}
	chat.Status = api.StatusDestroyed
	c.applyChat(&chat)
	c.mu.Lock()
	var rt *runner
	if c.chat != nil && c.chat.ID == id {
		c.chat = nil
		rt, c.rt = c.rt, nil
	}
	c.mu.Unlock()
	if rt != nil {
		rt.stop()
	}
	c.clearRecord()
	c.out.dropChat(id)
	return nil
}
