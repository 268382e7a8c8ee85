package server_test

import (
	"context"
	"testing"
	"time"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server"
)

// clockPlatform is a platform on a fake clock that sweeps every few
// milliseconds of real time, so moving the clock is all a test does to
// trigger dismissal and timeout.
func clockPlatform(t *testing.T, mods ...func(*server.Config)) (*platform, *fakeClock) {
	t.Helper()
	// The clock starts now (end-user JWTs are signed with the real time)
	// at a whole millisecond, as the platform stores times.
	clock := &fakeClock{t: time.Now().UTC().Truncate(time.Millisecond)}
	p := newPlatform(t, append([]func(*server.Config){func(c *server.Config) {
		c.Now = clock.Now
		c.SessionTTL = 1000 * time.Hour
		c.SweepInterval = 5 * time.Millisecond
	}}, mods...)...)
	return p, clock
}

// waitStatus polls until the chat has status want.
func (u *user) waitStatus(chatID int64, want string) api.Chat {
	u.p.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		c := u.chat(chatID)
		if c.Status == want {
			return c
		}
		if time.Now().After(deadline) {
			u.p.t.Fatalf("chat %d is %s, want %s", chatID, c.Status, want)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// settle lets a few sweeps run, for checks that something did NOT happen.
func settle() { time.Sleep(60 * time.Millisecond) }

// waitChatEvent reads the realtime stream until a chat event with status.
func waitChatEvent(t *testing.T, ctx context.Context, s *stream, status string) {
	t.Helper()
	for {
		e, err := s.next(ctx)
		if err != nil {
			t.Fatalf("waiting for a %s chat event: %v", status, err)
		}
		if e.Type == api.EventChat && e.Chat != nil && e.Chat.Status == status {
			return
		}
	}
}

func TestDismissalAfterIdleAndResume(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name          string
		menu          int64
		assign        bool
		dismissed     string
		resumed       string
		memberLeftFor string
	}{
		{"with the virtual agent", 123, false, api.StatusVADismissed, api.StatusVAAssigned, ""},
		{"in the queue", 124, false, api.StatusDismissed, api.StatusQueued, ""},
		{"with a human", 124, true, api.StatusDismissed, api.StatusQueued, api.UserAgent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, clock := clockPlatform(t)
			u := p.login("idle")
			c := u.createChat(tt.menu)
			if tt.assign {
				p.agentSays(c.ID, 1, "Hello")
				u.waitStatus(c.ID, api.StatusAssigned)
			}
			ctx := ctxT(t, 10*time.Second)
			s, _, err := u.dial(ctx, c.ID, 0, "")
			if err != nil {
				t.Fatal(err)
			}
			clock.Advance(8 * time.Minute)
			u.send(c.ID, "still-here", "still here")
			clock.Advance(8 * time.Minute) // 16 minutes since creation, 8 since the message
			settle()
			if got := u.chat(c.ID).Status; !api.IsOngoing(got) {
				t.Fatalf("dismissed %s after 8 idle minutes; the end user's message must restart the timer", got)
			}
			clock.Advance(3 * time.Minute)
			got := u.waitStatus(c.ID, tt.dismissed)
			if got.Agent != nil {
				t.Errorf("dismissed chat still has agent %+v", got.Agent)
			}
			waitChatEvent(t, ctx, s, tt.dismissed)
			u.waitMessages(c.ID, "chatDismissed noti", hasNoti(api.NotiChatDismissed))
			u.do("POST", path(api.RouteMessages, c.ID), api.SendMessageRequest{Content: "hello?"}).wantError(t, api.CodeConflict)

			res := u.do("POST", path(api.RouteChatResume, c.ID), nil)
			res.wantOK(t)
			var rc api.Chat
			res.decode(t, &rc)
			if rc.Status != tt.resumed {
				t.Fatalf("resumed to %s, want %s", rc.Status, tt.resumed)
			}
			u.waitMessages(c.ID, "chatResumed noti", hasNoti(api.NotiChatResumed))
			// Resuming restarts the idle timer.
			clock.Advance(9 * time.Minute)
			settle()
			if got := u.chat(c.ID).Status; got != tt.resumed {
				t.Fatalf("resumed chat became %s within the idle limit", got)
			}
			clock.Advance(2 * time.Minute)
			u.waitStatus(c.ID, tt.dismissed)
		})
	}
}

func TestChatTimeout(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		dismiss bool
	}{
		{"ongoing", false},
		{"dismissed first", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, clock := clockPlatform(t, func(c *server.Config) { c.ChatTimeout = time.Hour })
			u := p.login("slow")
			c := u.createChat(124)
			want := clock.Now().Add(time.Hour)
			if at, err := time.Parse(time.RFC3339, c.TimeoutAt); err != nil || !at.Equal(want) {
				t.Fatalf("timeout_at %q, want %v", c.TimeoutAt, want)
			}
			ctx := ctxT(t, 10*time.Second)
			s, _, err := u.dial(ctx, c.ID, 0, "")
			if err != nil {
				t.Fatal(err)
			}
			if tt.dismiss {
				clock.Advance(15 * time.Minute)
				u.waitStatus(c.ID, api.StatusDismissed)
			}
			// Keep talking so that only the cap can end it.
			for clock.Now().Before(want.Add(-5 * time.Minute)) {
				clock.Advance(5 * time.Minute)
				if !tt.dismiss {
					u.send(c.ID, "", "ping")
				}
			}
			settle()
			if got := u.chat(c.ID).Status; got == api.StatusTimeout {
				t.Fatal("timed out before its cap")
			}
			clock.Advance(6 * time.Minute)
			got := u.waitStatus(c.ID, api.StatusTimeout)
			if got.FinishedAt == "" || got.TimeoutAt != "" {
				t.Errorf("timed-out chat: finished_at %q timeout_at %q", got.FinishedAt, got.TimeoutAt)
			}
			waitChatEvent(t, ctx, s, api.StatusTimeout)
			u.waitMessages(c.ID, "chatTimeout noti", hasNoti(api.NotiChatTimeout))
			u.do("POST", path(api.RouteChatResume, c.ID), nil).wantError(t, api.CodeConflict)
			u.do("POST", path(api.RouteMessages, c.ID), api.SendMessageRequest{Content: "late"}).wantError(t, api.CodeConflict)
			// The end user may start over.
			if nc := u.createChat(124); nc.ID == c.ID || nc.Status != api.StatusQueued {
				t.Fatalf("new chat after timeout: %+v", nc)
			}
		})
	}
}

func TestLifecycleLimitsFromCompany(t *testing.T) {
	t.Parallel()
	co := server.DefaultCompany()
	co.Lifecycle = server.Lifecycle{DismissAfterSeconds: 60, TimeoutAfterSeconds: -1}
	p, clock := clockPlatform(t, func(c *server.Config) { c.Company = co })
	u := p.login("quick")
	c := u.createChat(124)
	if c.TimeoutAt != "" {
		t.Errorf("timeout_at %q without a cap", c.TimeoutAt)
	}
	clock.Advance(30 * time.Second)
	settle()
	if got := u.chat(c.ID).Status; got != api.StatusQueued {
		t.Fatalf("dismissed after 30s of a 60s limit: %s", got)
	}
	clock.Advance(31 * time.Second)
	u.waitStatus(c.ID, api.StatusDismissed)
	clock.Advance(100 * time.Hour)
	settle()
	if got := u.chat(c.ID).Status; got != api.StatusDismissed {
		t.Fatalf("a chat without a cap became %s", got)
	}
}
