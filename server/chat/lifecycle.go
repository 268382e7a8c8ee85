package chat

import (
	"context"
	"time"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server/store"
)

// Lifecycle holds a company's chat time limits. The zero value means the
// documented defaults: dismissal after 10 minutes of end-user silence and a
// hard cap of 2 hours on a chat's life.
type Lifecycle struct {
	// DismissAfterSeconds is how long an ongoing chat may go without an
	// end-user message before it is dismissed; 0 means 600, negative never.
	DismissAfterSeconds int `json:"dismiss_after_seconds"`
	// TimeoutAfterSeconds caps a chat's life from its creation; past it an
	// ongoing or dismissed chat times out for good. 0 means 7200, negative
	// never.
	TimeoutAfterSeconds int `json:"timeout_after_seconds"`
}

// Defaults of the lifecycle timers.
const (
	defaultDismissAfter  = 10 * time.Minute
	defaultChatTimeout   = 2 * time.Hour
	defaultSweepInterval = 5 * time.Second
	// sweepBatch bounds the chats one sweep moves, so a backlog never
	// holds the write lock for long; the next sweep takes the rest.
	sweepBatch = 200
)

// limit resolves one timer: the Config override wins, then the company's
// seconds, then def. Zero or negative in the result means "never".
func limit(override time.Duration, seconds int, def time.Duration) time.Duration {
	switch {
	case override != 0:
		return override
	case seconds != 0:
		return time.Duration(seconds) * time.Second
	}
	return def
}

// dismissAfter is the end-user idle time before dismissal (<= 0: never).
func (s *Domain) dismissAfter() time.Duration {
	return limit(s.cfg.DismissAfter, s.company.Lifecycle.DismissAfterSeconds, defaultDismissAfter)
}

// chatTimeout is the hard cap on a chat's life (<= 0: none).
func (s *Domain) chatTimeout() time.Duration {
	return limit(s.cfg.ChatTimeout, s.company.Lifecycle.TimeoutAfterSeconds, defaultChatTimeout)
}

// timeoutAt is when c times out, in Unix milliseconds, or 0 when it never
// does (no cap, or already final).
func (s *Domain) timeoutAt(c *Row) int64 {
	d := s.chatTimeout()
	if d <= 0 || !(api.IsOngoing(c.Status) || api.IsResumable(c.Status)) {
		return 0
	}
	return c.CreatedAt + d.Milliseconds()
}

// runLifecycle sweeps on a real-time ticker. Each sweep compares stored
// times against Config.Now, so tests move a fake clock and simply wait for
// the next sweep (a short Config.SweepInterval) rather than reaching into
// the server.
func (s *Domain) runLifecycle() {
	every := s.cfg.SweepInterval
	if every <= 0 {
		every = defaultSweepInterval
	}
	s.Go(func(ctx context.Context) {
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			if err := s.sweep(ctx); err != nil && ctx.Err() == nil {
				s.log.Error("lifecycle sweep", "err", err)
			}
		}
	})
}

// sweep times out chats past their cap, then dismisses ongoing chats whose
// end user has been silent too long.
func (s *Domain) sweep(ctx context.Context) error {
	now := s.now().UnixMilli()
	if d := s.chatTimeout(); d > 0 {
		ids, err := store.ChatsCreatedBefore(ctx, s.db, s.company.ID, now-d.Milliseconds(), sweepBatch)
		if err != nil {
			return err
		}
		for _, id := range ids {
			if err := s.Write(ctx, func(t *Txn) error { return t.timeoutChat(id) }); err != nil {
				return err
			}
		}
	}
	if d := s.dismissAfter(); d > 0 {
		ids, err := store.ChatsIdleSince(ctx, s.db, s.company.ID, now-d.Milliseconds(), sweepBatch)
		if err != nil {
			return err
		}
		for _, id := range ids {
			if err := s.Write(ctx, func(t *Txn) error { return t.dismissChat(id, now-d.Milliseconds()) }); err != nil {
				return err
			}
		}
	}
	return nil
}

// timeoutChat ends chat id for good because it ran past its cap. It
// re-checks inside the transaction, since the chat may have moved on since
// the sweep's query.
func (t *Txn) timeoutChat(id int64) error {
	c, err := t.s.LoadChat(t.Ctx, t.Tx, id)
	if err != nil {
		return err
	}
	at := t.s.timeoutAt(c)
	if at == 0 || at > t.s.now().UnixMilli() {
		return nil
	}
	agent := c.AgentID
	c.AgentID = 0
	if err := t.SetStatus(c, api.StatusTimeout); err != nil {
		return err
	}
	if agent != 0 {
		t.Emit(api.Event{Type: api.EventMemberLeft, ChatID: c.ID, Identity: t.s.AgentIdentity(agent)})
	}
	if err := t.Noti(c, api.NotiChatTimeout, "The chat reached its time limit"); err != nil {
		return err
	}
	return t.ChatEvent(c)
}

// dismissChat dismisses chat id when its end user has been silent since
// before idleBefore (Unix ms): va_dismissed from the virtual agent,
// dismissed from the queue or a human. resumeChat brings it back.
func (t *Txn) dismissChat(id, idleBefore int64) error {
	c, err := t.s.LoadChat(t.Ctx, t.Tx, id)
	if err != nil {
		return err
	}
	last, err := t.Tx.LastEndUserActivity(id)
	if err != nil {
		return err
	}
	if !api.IsOngoing(c.Status) || last > idleBefore {
		return nil
	}
	next := api.StatusDismissed
	if c.Status == api.StatusVAAssigned {
		next = api.StatusVADismissed
	}
	agent := c.AgentID
	c.AgentID = 0
	if err := t.SetStatus(c, next); err != nil {
		return err
	}
	if agent != 0 {
		t.Emit(api.Event{Type: api.EventMemberLeft, ChatID: c.ID, Identity: t.s.AgentIdentity(agent)})
	}
	if err := t.Noti(c, api.NotiChatDismissed, "The chat was dismissed after a period of inactivity"); err != nil {
		return err
	}
	return t.ChatEvent(c)
}

// TouchEndUser records end-user activity on c now, which restarts its
// dismissal timer.
func (t *Txn) TouchEndUser(c *Row) error {
	return t.Tx.TouchEndUser(c.ID, t.s.now().UnixMilli())
}
