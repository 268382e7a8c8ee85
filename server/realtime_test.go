package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server"
)

func (u *user) ticket(chatID int64) api.RealtimeTicket {
	u.p.t.Helper()
	res := u.do("POST", path(api.RouteRealtimeTicket, chatID), nil)
	res.wantOK(u.p.t)
	var tk api.RealtimeTicket
	res.decode(u.p.t, &tk)
	return tk
}

// stream is one realtime connection in a test.
type stream struct {
	t    *testing.T
	conn *websocket.Conn
}

func (u *user) dial(ctx context.Context, chatID, after int64, origin string) (*stream, *http.Response, error) {
	return u.dialQuery(ctx, chatID, after, origin, "")
}

// dialQuery is dial with more query parameters ("&batch=1").
func (u *user) dialQuery(ctx context.Context, chatID, after int64, origin, query string) (*stream, *http.Response, error) {
	tk := u.ticket(chatID)
	if !strings.HasPrefix(tk.URL, "ws://") || !strings.Contains(tk.URL, "ticket=") {
		u.p.t.Fatalf("ticket url %q", tk.URL)
	}
	h := http.Header{}
	if origin != "" {
		h.Set("Origin", origin)
	}
	conn, res, err := websocket.Dial(ctx, fmt.Sprintf("%s&after=%d%s", tk.URL, after, query), &websocket.DialOptions{HTTPHeader: h})
	if err != nil {
		return nil, res, err
	}
	conn.SetReadLimit(1 << 20)
	u.p.t.Cleanup(func() { conn.CloseNow() })
	return &stream{t: u.p.t, conn: conn}, res, nil
}

func (s *stream) next(ctx context.Context) (api.Event, error) {
	_, b, err := s.conn.Read(ctx)
	if err != nil {
		return api.Event{}, err
	}
	var e api.Event
	if err := json.Unmarshal(b, &e); err != nil {
		s.t.Fatalf("frame %s: %v", b, err)
	}
	return e, nil
}

// nextMessage skips non-message frames.
func (s *stream) nextMessage(ctx context.Context) (api.Message, error) {
	for {
		e, err := s.next(ctx)
		if err != nil {
			return api.Message{}, err
		}
		if e.Type == api.EventMessage {
			return *e.Message, nil
		}
	}
}

func TestRealtimeHelloBacklogLive(t *testing.T) {
	t.Parallel()
	p := newPlatform(t)
	u := p.login("alice")
	c := u.createChat(124)
	u.send(c.ID, "a", "one")
	u.send(c.ID, "b", "two")
	ctx := ctxT(t, 10*time.Second)
	s, _, err := u.dial(ctx, c.ID, 1, "")
	if err != nil {
		t.Fatal(err)
	}
	hello, err := s.next(ctx)
	if err != nil || hello.Type != api.EventHello || hello.Chat == nil || hello.Chat.ID != c.ID {
		t.Fatalf("hello: %+v %v", hello, err)
	}
	m, err := s.nextMessage(ctx)
	if err != nil || m.Index != 2 || m.Content != "two" {
		t.Fatalf("backlog: %+v %v", m, err)
	}
	u.send(c.ID, "c", "three")
	m, err = s.nextMessage(ctx)
	if err != nil || m.Index != 3 || m.UserType != api.UserEndUser {
		t.Fatalf("echo: %+v %v", m, err)
	}
	// An agent joining shows as noti messages, member.joined and chat events.
	p.agentSays(c.ID, 1, "hello from Alice")
	seen := map[string]bool{}
	for !seen[api.EventMemberJoined] || !seen[api.EventChat] || !seen["agent message"] {
		e, err := s.next(ctx)
		if err != nil {
			t.Fatalf("live events: %v (seen %v)", err, seen)
		}
		seen[e.Type] = true
		if e.Type == api.EventChat && e.Chat.Status != api.StatusAssigned {
			t.Errorf("chat event status %s", e.Chat.Status)
		}
		if e.Type == api.EventMessage && e.Message.UserType == api.UserAgent {
			seen["agent message"] = true
		}
	}
}

func TestRealtimeTicketAndOrigin(t *testing.T) {
	t.Parallel()
	p := newPlatform(t)
	u := p.login("alice")
	c := u.createChat(124)
	ctx := ctxT(t, 10*time.Second)

	tk := u.ticket(c.ID)
	conn, _, err := websocket.Dial(ctx, tk.URL, nil)
	if err != nil {
		t.Fatalf("first use: %v", err)
	}
	conn.CloseNow()
	_, res, err := websocket.Dial(ctx, tk.URL, nil)
	if err == nil || res == nil || res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("second use of a ticket: %v %v", err, res)
	}
	_, res, err = websocket.Dial(ctx, strings.Replace(tk.URL, tk.Ticket, "forged", 1), nil)
	if err == nil || res == nil || res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("forged ticket: %v", err)
	}
	for _, tc := range []struct {
		origin string
		ok     bool
	}{
		{"http://localhost:5173", true},
		{"http://127.0.0.1:8080", true},
		{p.ts.URL, true}, // the bridge's own origin
		{"https://evil.example", false},
		{"http://localhost.evil.example:80", false},
		{"null", false},
	} {
		_, res, err := u.dial(ctx, c.ID, 0, tc.origin)
		if tc.ok && err != nil {
			t.Errorf("origin %s refused: %v", tc.origin, err)
		}
		if !tc.ok && (err == nil || res == nil || res.StatusCode != http.StatusForbidden) {
			t.Errorf("origin %s allowed", tc.origin)
		}
	}
}

func TestRealtimeTicketExpires(t *testing.T) {
	t.Parallel()
	clock := &fakeClock{t: time.Now()}
	p := newPlatform(t, func(c *server.Config) { c.Now = clock.Now })
	u := p.login("alice")
	c := u.createChat(124)
	tk := u.ticket(c.ID)
	clock.Advance(2 * time.Minute)
	_, res, err := websocket.Dial(ctxT(t, 5*time.Second), tk.URL, nil)
	if err == nil || res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("expired ticket: %v", err)
	}
}

// TestRealtimeResumeNoGapNoDuplicate drops the connection repeatedly while
// messages flow and checks that resuming from the last index yields every
// message exactly once, in order.
func TestRealtimeResumeNoGapNoDuplicate(t *testing.T) {
	t.Parallel()
	p := newPlatform(t)
	u := p.login("alice")
	c := u.createChat(124)
	const total = 40
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 1; i <= total; i++ {
			res := u.do("POST", path(api.RouteMessages, c.ID), api.SendMessageRequest{ClientID: fmt.Sprint(i), Content: fmt.Sprint("m", i)})
			if res.status != http.StatusOK {
				t.Errorf("send %d: %d %s", i, res.status, res.body)
				return
			}
		}
	}()
	p.srv.SetFaults(server.Faults{DropAfter: 7})
	ctx := ctxT(t, 20*time.Second)
	var got []int64
	last := int64(0)
	reconnects := 0
	for last < total {
		s, _, err := u.dial(ctx, c.ID, last, "")
		if err != nil {
			t.Fatalf("dial: %v", err)
		}
		reconnects++
		for {
			m, err := s.nextMessage(ctx)
			if err != nil {
				break
			}
			got = append(got, m.Index)
			if m.Index != last+1 {
				t.Fatalf("after %d got %d (all: %v)", last, m.Index, got)
			}
			last = m.Index
			if last == total {
				break
			}
		}
		if ctx.Err() != nil {
			t.Fatalf("timed out at %d", last)
		}
	}
	<-done
	if len(got) != total || reconnects < 2 {
		t.Fatalf("%d messages over %d connections", len(got), reconnects)
	}
}

func TestRealtimeFaults(t *testing.T) {
	t.Parallel()
	p := newPlatform(t)
	u := p.login("alice")
	c := u.createChat(124)
	for i := 1; i <= 4; i++ {
		u.send(c.ID, fmt.Sprint(i), fmt.Sprint(i))
	}
	ctx := ctxT(t, 10*time.Second)
	read := func(n int) []int64 {
		s, _, err := u.dial(ctx, c.ID, 0, "")
		if err != nil {
			t.Fatal(err)
		}
		var idx []int64
		for len(idx) < n {
			m, err := s.nextMessage(ctx)
			if err != nil {
				t.Fatalf("read: %v after %v", err, idx)
			}
			idx = append(idx, m.Index)
		}
		return idx
	}
	p.srv.SetFaults(server.Faults{Duplicate: true})
	if got := fmt.Sprint(read(8)); got != "[1 1 2 2 3 3 4 4]" {
		t.Errorf("duplicate: %s", got)
	}
	p.srv.SetFaults(server.Faults{Reorder: true})
	if got := fmt.Sprint(read(4)); got != "[2 1 4 3]" {
		t.Errorf("reorder: %s", got)
	}
	p.srv.SetFaults(server.Faults{Delay: 50 * time.Millisecond})
	start := time.Now()
	read(4)
	if time.Since(start) < 200*time.Millisecond {
		t.Errorf("delay not applied: %v", time.Since(start))
	}
}

// TestSendAndOfflineFaults: RejectSends refuses the end user's messages as
// invalid (not retryable) until cleared; Offline refuses the realtime
// endpoints as unavailable (retryable).
func TestSendAndOfflineFaults(t *testing.T) {
	t.Parallel()
	p := newPlatform(t)
	u := p.login("alice")
	c := u.createChat(124)
	p.srv.SetFaults(server.Faults{RejectSends: true})
	u.do("POST", path(api.RouteMessages, c.ID), api.SendMessageRequest{ClientID: "r1", Type: api.MsgText, Content: "refused"}).wantError(t, api.CodeInvalidArgument)
	p.srv.SetFaults(server.Faults{})
	if m := u.send(c.ID, "r1", "accepted"); m.Content != "accepted" {
		t.Errorf("after clearing the fault the send made %+v", m)
	}

	p.srv.SetFaults(server.Faults{Offline: true})
	u.do("GET", path(api.RoutePoll, c.ID)+"?timeout=1", nil).wantError(t, api.CodeUnavailable)
	ctx := ctxT(t, 5*time.Second)
	if _, res, err := u.dial(ctx, c.ID, 0, ""); err == nil || res == nil || res.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("dial while offline: %v (response %v), want 503", err, res)
	}
	p.srv.SetFaults(server.Faults{})
	if _, _, err := u.dial(ctx, c.ID, 0, ""); err != nil {
		t.Errorf("dial after the fault: %v", err)
	}
}

// TestRealtimeBatches: a connection opened with batch=1 gets its backlog
// in "messages" frames of at most 100, complete and in order; without
// batch=1, or with message faults on, every message has its own frame.
func TestRealtimeBatches(t *testing.T) {
	t.Parallel()
	// 250 sends as fast as the test can: over the end user's rate.
	p := newPlatform(t, func(c *server.Config) { c.Rates.EndUser = -1 })
	u := p.login("alice")
	c := u.createChat(124)
	const total = 250
	for i := 1; i <= total; i++ {
		u.send(c.ID, fmt.Sprint(i), fmt.Sprint("m", i))
	}
	ctx := ctxT(t, 20*time.Second)
	// read returns the first n message indexes of a new connection, the
	// frames that carried them and how many of those were batches.
	read := func(query string, n int) (s *stream, idx []int64, frames, batches int) {
		s, _, err := u.dialQuery(ctx, c.ID, 0, "", query)
		if err != nil {
			t.Fatal(err)
		}
		for len(idx) < n {
			e, err := s.next(ctx)
			if err != nil {
				t.Fatalf("read %q: %v after %d", query, err, len(idx))
			}
			switch e.Type {
			case api.EventMessage:
				idx = append(idx, e.Message.Index)
				frames++
			case api.EventMessages:
				if len(e.Messages) < 2 || len(e.Messages) > 100 || e.ChatID != c.ID {
					t.Errorf("batch of %d messages for chat %d", len(e.Messages), e.ChatID)
				}
				for _, m := range e.Messages {
					idx = append(idx, m.Index)
				}
				frames++
				batches++
			}
		}
		return s, idx, frames, batches
	}
	inOrder := func(name string, idx []int64) {
		t.Helper()
		for i, x := range idx {
			if x != int64(i+1) {
				t.Fatalf("%s: message %d has index %d", name, i, x)
			}
		}
	}

	s, idx, frames, batches := read("&batch=1", total)
	inOrder("batched", idx)
	if frames != 3 || batches != 3 {
		t.Errorf("batched backlog of %d in %d frames (%d batches), want 3", total, frames, batches)
	}
	// Live messages still arrive on the batching connection.
	u.send(c.ID, "live", "live")
	if m, err := s.nextMessage(ctx); err != nil || m.Index != total+1 {
		t.Fatalf("live after batches: %+v %v", m, err)
	}

	_, idx, frames, batches = read("", total)
	inOrder("unbatched", idx)
	if frames != total || batches != 0 {
		t.Errorf("unbatched: %d frames, %d batches", frames, batches)
	}

	p.srv.SetFaults(server.Faults{Duplicate: true})
	_, idx, frames, batches = read("&batch=1", 6)
	if got := fmt.Sprint(idx); got != "[1 1 2 2 3 3]" || batches != 0 {
		t.Errorf("batched with duplicate fault: %s in %d frames, %d batches", got, frames, batches)
	}
}

func TestLongPoll(t *testing.T) {
	t.Parallel()
	p := newPlatform(t)
	u := p.login("alice")
	c := u.createChat(124)
	u.send(c.ID, "a", "one")
	poll := func(after int64, timeout int) (api.PollResponse, time.Duration) {
		start := time.Now()
		res := u.do("GET", fmt.Sprintf("%s?after=%d&timeout=%d", path(api.RoutePoll, c.ID), after, timeout), nil)
		res.wantOK(t)
		var pr api.PollResponse
		res.decode(t, &pr)
		return pr, time.Since(start)
	}
	pr, took := poll(0, 10)
	if len(pr.Events) != 1 || pr.Events[0].Message.Index != 1 || pr.LastIndex != 1 || took > 2*time.Second {
		t.Fatalf("immediate: %+v in %v", pr, took)
	}
	pr, took = poll(1, 1)
	if len(pr.Events) != 0 || pr.LastIndex != 1 || took < 900*time.Millisecond {
		t.Fatalf("timeout: %+v in %v", pr, took)
	}
	// The poll wakes as soon as the message is published, which can be
	// before the send's own answer is back: wait for it, or the test's
	// cleanup closes that connection under it (EOF on a busy machine).
	sent := make(chan struct{})
	go func() {
		defer close(sent)
		time.Sleep(200 * time.Millisecond)
		u.send(c.ID, "b", "two")
	}()
	pr, took = poll(1, 10)
	<-sent
	if len(pr.Events) == 0 || pr.LastIndex != 2 || took > 5*time.Second {
		t.Fatalf("wake up: %+v in %v", pr, took)
	}
	u.do("GET", path(api.RoutePoll, c.ID)+"?after=x", nil).wantError(t, api.CodeBadRequest)
}
