//go:build !(js && wasm)

package sdk_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/sdk"
	"github.com/ccaip/headless-go/server"
)

func TestChatLifecycle(t *testing.T) {
	t.Parallel()
	p := newPlatform(t, server.Config{})
	c, rec := newClient(t, p, "alice-lifecycle")
	ctx := ctxT(t)

	rec.waitEvent(t, sdk.EventReady, 1)
	if names := rec.names(); names[0] != sdk.EventAuthenticated || names[1] != sdk.EventReady {
		t.Fatalf("first events %v, want authenticated then ready", names[:2])
	}
	if s, ok := c.Session(); !ok || s.EndUser.Identifier != "alice-lifecycle" || s.SessionToken != "" {
		t.Fatalf("session %+v %v: want alice's, without the token", s, ok)
	}

	chat, err := c.CreateChat(ctx, 123, api.ChatRequest{})
	if err != nil {
		t.Fatalf("CreateChat: %v", err)
	}
	if _, err := c.CreateChat(ctx, 123, api.ChatRequest{}); !errors.Is(err, sdk.ErrChatAlreadyActive) {
		t.Fatalf("second CreateChat: %v, want chat_already_active", err)
	}
	rec.waitEvent(t, sdk.EventChatConnected, 1)
	greet := rec.waitMessage(t, "")
	if greet.UserType != api.UserVirtualAgent && greet.UserType != api.UserSystem {
		t.Fatalf("first message from %q, want the virtual agent's greeting", greet.UserType)
	}

	if err := c.SendTextMessage(ctx, "hello there"); err != nil {
		t.Fatalf("SendTextMessage: %v", err)
	}
	echo := rec.waitMessage(t, "hello there")
	if echo.UserType != api.UserEndUser || echo.ClientID == "" {
		t.Fatalf("echo %+v: want the end user's own message with its client id", echo)
	}
	// The echo can come over the realtime link before the POST that sent
	// the message returns, so "sent" may follow it.
	rec.waitFor(t, 10*time.Second, "message.status queued, sending, sent", func() bool {
		return rec.count(sdk.EventMessageStatus) >= 3
	})

	// Escalate by asking for a human; the agent answers through the REST API.
	if err := c.SendTextMessage(ctx, "I want a human agent"); err != nil {
		t.Fatal(err)
	}
	agentSay(t, p, chat.ID, 1, "Alice here, how can I help?")
	rec.waitMessage(t, "Alice here")
	rec.waitFor(t, 10*time.Second, "agent on the chat", func() bool {
		cur := c.CurrentChat()
		return cur != nil && cur.Agent != nil && cur.Agent.ID == 1
	})
	if rec.count(sdk.EventMemberJoined) == 0 {
		t.Errorf("no chat.memberJoined for the agent")
	}
	if ags := c.Agents(); !slices.ContainsFunc(ags, func(a sdk.AgentInfo) bool { return a.ID == 1 && !a.Virtual }) {
		t.Errorf("Agents() = %+v, want Alice", ags)
	}

	ms, err := c.FetchMessages(ctx)
	if err != nil {
		t.Fatalf("FetchMessages: %v", err)
	}
	rec.waitFor(t, 10*time.Second, "every message delivered", func() bool { return len(rec.messages()) >= len(ms) })
	checkInOrder(t, rec.messages(), int64(len(rec.messages())))

	if err := c.FinishChat(ctx); err != nil {
		t.Fatalf("FinishChat: %v", err)
	}
	rec.waitEvent(t, sdk.EventChatEnded, 1)
	if got := c.CurrentChat().Status; got != api.StatusFinished {
		t.Fatalf("status %q after FinishChat", got)
	}
	if err := c.SendTextMessage(ctx, "too late"); err == nil {
		t.Fatal("SendTextMessage on a finished chat succeeded")
	}
	if rec.count(sdk.EventChatEnded) != 1 {
		t.Fatalf("chat.ended emitted %d times, want once", rec.count(sdk.EventChatEnded))
	}

	// Listeners see state already updated: the status at chat.ended is final.
	for _, e := range rec.all() {
		if e.name == sdk.EventChatEnded && e.payload.(*api.Chat).Status != api.StatusFinished {
			t.Fatalf("chat.ended payload status %q", e.payload.(*api.Chat).Status)
		}
	}

	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if n := c.ListenerCount(); n != 0 {
		t.Fatalf("%d listeners after Close", n)
	}
	if _, err := c.GetCompany(ctx); !errors.Is(err, sdk.ErrDestroyed) {
		t.Fatalf("GetCompany after Close: %v, want destroyed", err)
	}
}

// TestCloseFromListener: the documented destroy() called inside a listener
// returns, releases the client and leaves no listener.
func TestCloseFromListener(t *testing.T) {
	t.Parallel()
	p := newPlatform(t, server.Config{})
	c, rec := newClient(t, p, "alice-close-in-listener")
	closed := make(chan error, 1)
	c.Once(sdk.EventConnectionState, func(any) { closed <- c.Close() })
	if _, err := c.CreateChat(ctxT(t), 123, api.ChatRequest{}); err != nil {
		t.Fatalf("CreateChat: %v", err)
	}
	select {
	case err := <-closed:
		if err != nil {
			t.Fatalf("Close in a listener: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("Close in a listener did not return")
	}
	rec.waitFor(t, 10*time.Second, "no listener left", func() bool { return c.ListenerCount() == 0 })
	if _, err := c.GetCompany(ctxT(t)); !errors.Is(err, sdk.ErrDestroyed) {
		t.Fatalf("GetCompany after Close: %v, want destroyed", err)
	}
}
