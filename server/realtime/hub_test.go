package realtime_test

import (
	"context"
	"testing"
	"time"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server/realtime"
)

// A subscriber gets its chat's events in order and no other chat's; one
// that lags a full buffer behind is cut off rather than losing events
// silently; CloseAll cuts off everyone, later subscribers too.
func TestHubDeliversInOrderAndCutsOffLaggards(t *testing.T) {
	t.Parallel()
	h := realtime.NewHub()
	var tapped int
	h.SetTap(func(api.Event) { tapped++ })
	a, b := h.Subscribe(1), h.Subscribe(2)
	defer h.Unsubscribe(a)
	defer h.Unsubscribe(b)
	for i := range 3 {
		h.Publish(api.Event{Type: api.EventMessage, ChatID: 1, Message: &api.Message{Index: int64(i + 1)}})
	}
	for i := range 3 {
		if e := <-a.Events(); e.Message.Index != int64(i+1) {
			t.Fatalf("event %d has index %d", i, e.Message.Index)
		}
	}
	if len(b.Events()) != 0 {
		t.Fatal("chat 2's subscriber got chat 1's events")
	}
	if tapped != 3 {
		t.Fatalf("tap saw %d events, want 3", tapped)
	}
	for range 10_000 {
		h.Publish(api.Event{Type: api.EventTypingStart, ChatID: 2})
	}
	select {
	case <-b.Gone():
	default:
		t.Fatal("a subscriber 10,000 events behind was not cut off")
	}
	h.CloseAll()
	select {
	case <-a.Gone():
	default:
		t.Fatal("CloseAll left a subscriber connected")
	}
	select {
	case <-h.Subscribe(3).Gone():
	default:
		t.Fatal("a subscriber after CloseAll was not cut off")
	}
}

// A ticket works once, and only before it expires.
func TestTicketsWorkOnceBeforeExpiry(t *testing.T) {
	t.Parallel()
	ts := realtime.NewTickets()
	now := time.Unix(1000, 0)
	tok := ts.Issue(realtime.Ticket{ChatID: 7, EndUserID: 9, Expires: now.Add(time.Minute)}, now)
	got, err := ts.Use(tok, now)
	if err != nil || got.ChatID != 7 || got.EndUserID != 9 {
		t.Fatalf("Use = %+v, %v", got, err)
	}
	if _, err := ts.Use(tok, now); err == nil {
		t.Fatal("a used ticket worked again")
	}
	old := ts.Issue(realtime.Ticket{ChatID: 7, Expires: now.Add(time.Minute)}, now)
	if _, err := ts.Use(old, now.Add(2*time.Minute)); err == nil {
		t.Fatal("an expired ticket worked")
	}
	if _, err := ts.Use("", now); err == nil {
		t.Fatal("an empty ticket worked")
	}
}

// Poll answers the backlog at once, else waits for the first live event.
func TestPollAnswersBacklogOrFirstEvent(t *testing.T) {
	t.Parallel()
	h := realtime.NewHub()
	sb := h.Subscribe(5)
	defer h.Unsubscribe(sb)
	backlog := func(ms ...api.Message) realtime.Backlog {
		return func(context.Context, int64) ([]api.Message, error) { return ms, nil }
	}
	resp, ok, err := realtime.Poll(t.Context(), nil, sb, 0, time.Minute, backlog(api.Message{Index: 1}, api.Message{Index: 2}))
	if err != nil || !ok || len(resp.Events) != 2 || resp.LastIndex != 2 {
		t.Fatalf("backlog poll = %+v, %v, %v", resp, ok, err)
	}
	go h.Publish(api.Event{Type: api.EventMessage, ChatID: 5, Message: &api.Message{Index: 3}})
	resp, ok, err = realtime.Poll(t.Context(), nil, sb, 2, time.Minute, backlog())
	if err != nil || !ok || len(resp.Events) != 1 || resp.LastIndex != 3 {
		t.Fatalf("live poll = %+v, %v, %v", resp, ok, err)
	}
}
