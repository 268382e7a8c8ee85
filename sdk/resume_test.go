//go:build !(js && wasm)

package sdk_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/sdk"
	"github.com/ccaip/headless-go/sdk/native"
	"github.com/ccaip/headless-go/server"
)

// TestReloadResumesFromCursor closes a client (a page unload) while the
// agent keeps writing, then restores the chat in a new client on the same
// store: together they deliver every message exactly once, in order.
func TestReloadResumesFromCursor(t *testing.T) {
	t.Parallel()
	p := newPlatform(t, server.Config{})
	store := sdk.NewMemoryStore()
	ctx := ctxT(t)
	c1, rec1 := newClient(t, p, "reload", withStore(store))
	chat, err := c1.CreateChat(ctx, 123, api.ChatRequest{})
	if err != nil {
		t.Fatal(err)
	}
	rec1.waitEvent(t, sdk.EventChatConnected, 1)
	agentSay(t, p, chat.ID, 1, "first")
	for i := range 20 {
		agentSay(t, p, chat.ID, 1, fmt.Sprintf("before %d", i))
	}
	rec1.waitMessage(t, "before 19")
	c1.Close()
	key := sdk.ChatKey(server.DemoCompanyID, server.DemoTenant, "reload")
	if v, ok, _ := store.Get(key); !ok || v == "" {
		t.Fatalf("no stored chat under %s", key)
	}
	// More than one realtime frame's worth: the restored client gets them
	// in "messages" batches of at most 100.
	for i := range 150 {
		agentSay(t, p, chat.ID, 1, fmt.Sprintf("while away %d", i))
	}

	c2, rec2 := newClient(t, p, "reload", withStore(store))
	got, err := c2.LoadOngoingChat(ctx)
	if err != nil || got == nil || got.ID != chat.ID {
		t.Fatalf("LoadOngoingChat = %v, %v; want chat %d", got, err, chat.ID)
	}
	rec2.waitEvent(t, sdk.EventChatOngoing, 1)
	rec2.waitEvent(t, sdk.EventChatRestored, 1)
	rec2.waitMessage(t, "while away 149")
	agentSay(t, p, chat.ID, 1, "after")
	rec2.waitMessage(t, "after")

	all := append(rec1.messages(), rec2.messages()...)
	last, err := c2.Transcript(ctx)
	if err != nil {
		t.Fatal(err)
	}
	checkInOrder(t, all, last[len(last)-1].Index)
	if rec2.messages()[0].Index != rec1.messages()[len(rec1.messages())-1].Index+1 {
		t.Fatalf("second client started at %d, first ended at %d", rec2.messages()[0].Index, rec1.messages()[len(rec1.messages())-1].Index)
	}
	if c2.UnreadCount() != len(rec2.messages()) {
		t.Fatalf("UnreadCount %d, want %d (every restored message is from the agent)", c2.UnreadCount(), len(rec2.messages()))
	}
	c2.MarkRead(0)
	if n := c2.UnreadCount(); n != 0 {
		t.Fatalf("UnreadCount after MarkRead = %d", n)
	}
}

// TestCreateChatAfterReloadTakesUpTheOngoingChat: an app that calls
// createChat again after a reload, without loadOngoingChat, continues the
// end user's ongoing chat instead of failing with the platform's 409; in
// the same page a second createChat still fails with chat_already_active.
func TestCreateChatAfterReloadTakesUpTheOngoingChat(t *testing.T) {
	t.Parallel()
	p := newPlatform(t, server.Config{})
	store := sdk.NewMemoryStore()
	ctx := ctxT(t)
	c1, _, chat := chatWithAgent(t, p, "recreate", store, "before reload")
	c1.Close()

	c2, rec2 := newClient(t, p, "recreate", withStore(store))
	got, err := c2.CreateChat(ctx, 123, api.ChatRequest{})
	if err != nil || got == nil || got.ID != chat.ID {
		t.Fatalf("CreateChat after reload = %+v, %v; want the ongoing chat %d", got, err, chat.ID)
	}
	rec2.waitEvent(t, sdk.EventChatOngoing, 1)
	agentSay(t, p, chat.ID, 1, "after reload")
	rec2.waitMessage(t, "after reload")
	for _, m := range rec2.messages() {
		if m.Content == "before reload" {
			t.Errorf("message %d delivered again after the reload", m.Index)
		}
	}
	if _, err := c2.CreateChat(ctx, 123, api.ChatRequest{}); !errors.Is(err, sdk.ErrChatAlreadyActive) {
		t.Fatalf("second CreateChat in the same client: %v, want ErrChatAlreadyActive", err)
	}
}

// TestOnDrained: the drained hook runs after every round of deliveries,
// so a listener that buffers (the wasm build batches its events to
// JavaScript) never keeps an event past the end of a round.
func TestOnDrained(t *testing.T) {
	t.Parallel()
	p := newPlatform(t, server.Config{})
	store := sdk.NewMemoryStore()
	ctx := ctxT(t)
	c1, rec1 := newClient(t, p, "drained", withStore(store))
	chat, err := c1.CreateChat(ctx, 123, api.ChatRequest{})
	if err != nil {
		t.Fatal(err)
	}
	rec1.waitEvent(t, sdk.EventChatConnected, 1)
	c1.Close()
	for i := range 120 {
		agentSay(t, p, chat.ID, 1, fmt.Sprintf("queued %d", i))
	}

	c2, rec2 := newClient(t, p, "drained", withStore(store))
	var mu sync.Mutex
	buffered, flushed, rounds := 0, 0, 0
	base := c2.ListenerCount()
	c2.On(sdk.EventChatMessage, func(any) {
		mu.Lock()
		buffered++
		mu.Unlock()
	})
	off := c2.OnDrained(func() {
		mu.Lock()
		if buffered > 0 {
			flushed += buffered
			buffered = 0
			rounds++
		}
		mu.Unlock()
	})
	if n := c2.ListenerCount(); n != base+2 {
		t.Fatalf("ListenerCount = %d with a listener and a drained hook, want %d", n, base+2)
	}
	if _, err := c2.LoadOngoingChat(ctx); err != nil {
		t.Fatal(err)
	}
	rec2.waitMessage(t, "queued 119")
	want := len(rec2.messages())
	deadline := time.Now().Add(5 * time.Second)
	for {
		mu.Lock()
		b, f, r := buffered, flushed, rounds
		mu.Unlock()
		if b == 0 && f >= want {
			if r > f {
				t.Fatalf("%d rounds for %d messages", r, f)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after the last message: %d buffered, %d flushed of %d", b, f, want)
		}
		time.Sleep(10 * time.Millisecond)
	}
	off()
	if n := c2.ListenerCount(); n != base+1 {
		t.Fatalf("ListenerCount = %d after removing the hook, want %d", n, base+1)
	}
	c2.OnDrained(func() {})
	c2.Close()
	if n := c2.ListenerCount(); n != 0 {
		t.Fatalf("ListenerCount = %d after Close", n)
	}
}

func TestLoadOngoingChatWhenOver(t *testing.T) {
	t.Parallel()
	p := newPlatform(t, server.Config{})
	ctx := ctxT(t)
	legacy := sdk.StoreKey(server.DemoCompanyID, server.DemoTenant, sdk.KeyChat)

	t.Run("nothing stored", func(t *testing.T) {
		c, _ := newClient(t, p, "over-none")
		chat, err := c.LoadOngoingChat(ctx)
		if chat != nil || err != nil || c.RestoreReason() != sdk.RestoreNone {
			t.Fatalf("got %v, %v, reason %q", chat, err, c.RestoreReason())
		}
	})
	t.Run("finished", func(t *testing.T) {
		store := sdk.NewMemoryStore()
		c1, rec := newClient(t, p, "over-finished", withStore(store))
		if _, err := c1.CreateChat(ctx, 123, api.ChatRequest{}); err != nil {
			t.Fatal(err)
		}
		if err := c1.FinishChat(ctx); err != nil {
			t.Fatal(err)
		}
		rec.waitEvent(t, sdk.EventChatEnded, 1)
		c1.Close()
		c2, rec2 := newClient(t, p, "over-finished", withStore(store))
		chat, err := c2.LoadOngoingChat(ctx)
		if chat != nil || err != nil || c2.RestoreReason() != sdk.RestoreFinished {
			t.Fatalf("got %v, %v, reason %q; want nil, nil, finished", chat, err, c2.RestoreReason())
		}
		if _, ok, _ := store.Get(sdk.ChatKey(server.DemoCompanyID, server.DemoTenant, "over-finished")); ok {
			t.Fatal("stored chat not cleared")
		}
		rec2.waitEvent(t, sdk.EventChatRestoreFailed, 1)
	})
	// An older client's record under the shared key is taken over, and
	// removed when the platform does not know the chat.
	t.Run("not found", func(t *testing.T) {
		store := sdk.NewMemoryStore()
		store.Set(legacy, `{"chat_id":999999,"cursor":3}`)
		c, _ := newClient(t, p, "over-unknown", withStore(store))
		chat, err := c.LoadOngoingChat(ctx)
		if chat != nil || err != nil || c.RestoreReason() != sdk.RestoreNotFound {
			t.Fatalf("got %v, %v, reason %q; want not_found", chat, err, c.RestoreReason())
		}
		if _, ok, _ := store.Get(legacy); ok {
			t.Fatal("stored chat not cleared")
		}
	})
	// Two people on one browser: each has a record of their own; the
	// second finds none, and the first's chat is still restored after.
	t.Run("another user's chat", func(t *testing.T) {
		store := sdk.NewMemoryStore()
		c1, _ := newClient(t, p, "owner", withStore(store))
		mine, err := c1.CreateChat(ctx, 123, api.ChatRequest{})
		if err != nil {
			t.Fatal(err)
		}
		c1.Close()
		c2, _ := newClient(t, p, "intruder", withStore(store))
		chat, err := c2.LoadOngoingChat(ctx)
		if chat != nil || err != nil || c2.RestoreReason() != sdk.RestoreNone {
			t.Fatalf("intruder restored %v, %v, reason %q; want nothing", chat, err, c2.RestoreReason())
		}
		c2.Close()
		c3, _ := newClient(t, p, "owner", withStore(store))
		chat, err = c3.LoadOngoingChat(ctx)
		if err != nil || chat == nil || chat.ID != mine.ID {
			t.Fatalf("the owner after the intruder restored %v, %v; want chat %d", chat, err, mine.ID)
		}
	})
	// A legacy record of this user's ongoing chat moves to the user's key.
	t.Run("legacy record", func(t *testing.T) {
		store := sdk.NewMemoryStore()
		c1, _ := newClient(t, p, "upgrader", withStore(store))
		mine, err := c1.CreateChat(ctx, 123, api.ChatRequest{})
		if err != nil {
			t.Fatal(err)
		}
		c1.Close()
		own := sdk.ChatKey(server.DemoCompanyID, server.DemoTenant, "upgrader")
		v, _, _ := store.Get(own)
		store.Delete(own)
		store.Set(legacy, v)
		c2, _ := newClient(t, p, "upgrader", withStore(store))
		chat, err := c2.LoadOngoingChat(ctx)
		if err != nil || chat == nil || chat.ID != mine.ID {
			t.Fatalf("restored %v, %v; want chat %d", chat, err, mine.ID)
		}
		if _, ok, _ := store.Get(legacy); ok {
			t.Fatal("the legacy record is still there")
		}
		if _, ok, _ := store.Get(own); !ok {
			t.Fatal("the record did not move to the user's key")
		}
	})
}

// TestOutboxOffline queues messages while the platform is down, reloads
// the page with them still queued, and checks that they go out once each,
// in order, when it is back.
func TestOutboxOffline(t *testing.T) {
	t.Parallel()
	p := newPlatform(t, server.Config{})
	store := sdk.NewMemoryStore()
	ctx := ctxT(t)
	c1, _, _ := chatWithAgent(t, p, "offline", store, "agent here")

	p.stop()
	for i := range 5 {
		if err := c1.SendTextMessage(ctx, fmt.Sprintf("offline %d", i)); err != nil {
			t.Fatalf("send while offline: %v (want queued)", err)
		}
	}
	if n := len(c1.Outbox()); n != 5 {
		t.Fatalf("outbox holds %d, want 5", n)
	}
	ob := c1.Outbox()
	if ob[0].Err == nil || !ob[0].Err.Retryable {
		t.Fatalf("head of the outbox %+v: want a retryable error", ob[0])
	}
	c1.Close() // reload while offline
	okey := sdk.StoreKey(server.DemoCompanyID, server.DemoTenant, sdk.KeyOutbox)
	if v, ok, _ := store.Get(okey); !ok || v == "" {
		t.Fatal("outbox not persisted")
	}

	p.start(p.addr)
	c2, rec2 := newClient(t, p, "offline", withStore(store))
	if _, err := c2.LoadOngoingChat(ctx); err != nil {
		t.Fatal(err)
	}
	rec2.waitMessage(t, "offline 4")
	rec2.waitFor(t, 10*time.Second, "outbox drained", func() bool { return len(c2.Outbox()) == 0 })
	// The drained queue is written behind the sends (SaveDelay later).
	rec2.waitFor(t, 2*time.Second, "the stored outbox removed after draining", func() bool {
		_, ok, _ := store.Get(okey)
		return !ok
	})
	ms, err := c2.Transcript(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var sent []string
	for _, m := range ms {
		if m.UserType == api.UserEndUser {
			sent = append(sent, m.Content)
		}
	}
	want := []string{"offline 0", "offline 1", "offline 2", "offline 3", "offline 4"}
	if fmt.Sprint(sent) != fmt.Sprint(want) {
		t.Fatalf("platform has %q, want %q once each in order", sent, want)
	}
}

// failingDialer injects a WebSocket that never connects.
type failingDialer struct{ n atomic.Int32 }

func (d *failingDialer) Dial(context.Context, string) (sdk.Conn, error) {
	d.n.Add(1)
	return nil, &api.Error{Code: api.CodeUnavailable, Message: "websocket blocked", Retryable: true}
}

func TestPollingFallback(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		dialer sdk.Dialer
	}{
		{"no dialer", nil},
		{"websocket blocked", &failingDialer{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := newPlatform(t, server.Config{})
			c, rec := newClient(t, p, "poller", withDialer(tt.dialer), func(c *sdk.Config) { c.PollTimeout = 2 * time.Second })
			ctx := ctxT(t)
			chat, err := c.CreateChat(ctx, 123, api.ChatRequest{})
			if err != nil {
				t.Fatal(err)
			}
			rec.waitFor(t, 10*time.Second, "polling state", func() bool { return rec.has(sdk.EventConnectionState, sdk.ConnPolling) })
			for i := range 30 {
				agentSay(t, p, chat.ID, 1, fmt.Sprintf("polled %d", i))
			}
			if err := c.SendTextMessage(ctx, "mine"); err != nil {
				t.Fatal(err)
			}
			rec.waitMessage(t, "mine")
			ms, _ := c.Transcript(ctx)
			rec.waitFor(t, 10*time.Second, "all messages", func() bool { return len(rec.messages()) >= len(ms) })
			checkInOrder(t, rec.messages(), ms[len(ms)-1].Index)
			if d, ok := tt.dialer.(*failingDialer); ok && d.n.Load() == 0 {
				t.Fatal("the WebSocket was never tried")
			}
		})
	}
}

// lossyDialer injects lost frames: it swallows every 7th of the first 50
// message frames without closing the connection, so only a gap fill can
// recover them. (A lost last frame shows only with the next message; over
// TCP frames are lost only with their connection, and the reconnect
// resumes from the cursor.)
type lossyDialer struct{ native.WSDialer }

func (d *lossyDialer) Dial(ctx context.Context, url string) (sdk.Conn, error) {
	c, err := d.WSDialer.Dial(ctx, url)
	if err != nil {
		return nil, err
	}
	return &lossyConn{Conn: c}, nil
}

type lossyConn struct {
	sdk.Conn
	mu sync.Mutex
	n  int
}

func (c *lossyConn) Read(ctx context.Context) ([]byte, error) {
	for {
		b, err := c.Conn.Read(ctx)
		if err != nil {
			return nil, err
		}
		c.mu.Lock()
		isMsg := len(b) > 20 && string(b[:20]) == `{"type":"message","c`
		if isMsg {
			c.n++
		}
		drop := isMsg && c.n%7 == 0 && c.n < 50
		c.mu.Unlock()
		if !drop {
			return b, nil
		}
	}
}

func TestGapFilledFromPlatform(t *testing.T) {
	t.Parallel()
	p := newPlatform(t, server.Config{})
	c, rec := newClient(t, p, "gaps", withDialer(&lossyDialer{}))
	ctx := ctxT(t)
	chat, err := c.CreateChat(ctx, 123, api.ChatRequest{})
	if err != nil {
		t.Fatal(err)
	}
	rec.waitEvent(t, sdk.EventChatConnected, 1)
	for i := range 60 {
		agentSay(t, p, chat.ID, 1, fmt.Sprintf("gap %d", i))
	}
	rec.waitMessage(t, "gap 59")
	ms, _ := c.Transcript(ctx)
	rec.waitFor(t, 10*time.Second, "all messages", func() bool { return len(rec.messages()) >= len(ms) })
	checkInOrder(t, rec.messages(), ms[len(ms)-1].Index)
	if c.Counters().GapFills == 0 {
		t.Fatalf("counters %+v: the lost frames came back without a gap fill?", c.Counters())
	}
}

// TestSessionExpiry moves the platform's clock past the session's life:
// the next call fails with session_expired, and the client authenticates
// again by itself and succeeds.
func TestSessionExpiry(t *testing.T) {
	t.Parallel()
	var skew atomic.Int64
	p := newPlatform(t, server.Config{Now: func() time.Time { return time.Now().Add(time.Duration(skew.Load())) }, SessionTTL: time.Minute})
	c, rec := newClient(t, p, "expiry")
	ctx := ctxT(t)
	if _, err := c.GetCompany(ctx); err != nil {
		t.Fatal(err)
	}
	skew.Store(int64(2 * time.Minute))
	if _, err := c.GetCompany(ctx); err != nil {
		t.Fatalf("GetCompany after expiry: %v", err)
	}
	if n := rec.count(sdk.EventAuthenticated); n < 2 {
		rec.waitEvent(t, sdk.EventAuthenticated, 2)
	}
}

func TestSoftFailures(t *testing.T) {
	t.Parallel()
	p := newPlatform(t, server.Config{})
	c, _ := newClient(t, p, "soft")
	ctx := ctxT(t)
	ms, err := c.FetchMessages(ctx)
	if ms == nil || len(ms) != 0 || !errors.Is(err, sdk.ErrNoActiveChat) {
		t.Fatalf("FetchMessages without chat = %v, %v; want [] and no_active_chat", ms, err)
	}
	if id, err := c.SendFileMessage(ctx, "a.txt", "text/plain", []byte("x")); id != -1 || err == nil {
		t.Fatalf("SendFileMessage without chat = %d, %v; want -1 and an error", id, err)
	}
	if f, err := c.GetMessageAttachment(ctx, &api.Message{Type: api.MsgText}); f != nil || err != nil {
		t.Fatalf("GetMessageAttachment of a text = %v, %v; want nil, nil", f, err)
	}
	var ae *api.Error
	if err := c.SendTextMessage(ctx, "x"); !errors.As(err, &ae) || ae.Code != api.CodeNoActiveChat {
		t.Fatalf("SendTextMessage without chat: %v", err)
	}
	if _, err := c.CreateChat(ctx, 123, api.ChatRequest{}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		err  error
		code string
	}{
		{"empty text", c.SendTextMessage(ctx, "   "), api.CodeInvalidArgument},
		{"text over 8000", c.SendTextMessage(ctx, string(make([]rune, 8001))), api.CodeTooLarge},
		{"bad metadata", func() error {
			_, err := c.SendMessage(ctx, sdk.OutgoingMessage{Text: "x", Metadata: api.Raw(`"str"`)})
			return err
		}(), api.CodeInvalidArgument},
		{"bad rating", c.SendChatRate(ctx, api.RateRequest{Rating: 9}), api.CodeInvalidArgument},
		{"bad post-session status", c.UpdatePostSession(ctx, "nope"), api.CodeInvalidArgument},
		{"bad query range", func() error { _, err := c.QueryMessages(ctx, 5, 2, 0); return err }(), api.CodeInvalidArgument},
	}
	for _, tt := range tests {
		if !errors.As(tt.err, &ae) || ae.Code != tt.code {
			t.Errorf("%s: %v, want %s", tt.name, tt.err, tt.code)
		}
	}
}
