package server

import (
	"context"
	"fmt"

	"github.com/ccaip/headless-go/api"
)

// txn is one write transaction. Events it collects are published, in
// order, only after it commits, while the write lock is still held, so
// realtime subscribers see each chat's messages in $index order.
type txn struct {
	ctx    context.Context
	tx     *writeConn // inside BEGIN IMMEDIATE … COMMIT
	s      *Server
	events []api.Event
	after  []func()
	// committed runs right after commit, under the write lock, before
	// write returns: cache invalidation (sessions.go).
	committed []func()
}

// write runs fn in a write transaction.
func (s *Server) write(ctx context.Context, fn func(t *txn) error) error {
	if s.closed.Load() {
		return api.Errorf(api.CodeUnavailable, "the platform is shutting down")
	}
	s.wmu.Lock()
	if err := s.w.begin(ctx); err != nil {
		s.wmu.Unlock()
		return fmt.Errorf("begin: %w", err)
	}
	t := &txn{ctx: ctx, tx: s.w, s: s}
	if err := fn(t); err != nil {
		s.w.rollback(ctx)
		s.wmu.Unlock()
		return err
	}
	if err := s.w.commit(ctx); err != nil {
		s.wmu.Unlock()
		return fmt.Errorf("commit: %w", err)
	}
	for _, f := range t.committed {
		f()
	}
	for _, e := range t.events {
		s.hub.publish(e)
	}
	s.wmu.Unlock()
	for _, f := range t.after {
		f()
	}
	return nil
}

// emit queues an event for publication after commit.
func (t *txn) emit(e api.Event) { t.events = append(t.events, e) }

// then runs f after commit, outside the write lock.
func (t *txn) then(f func()) { t.after = append(t.after, f) }
