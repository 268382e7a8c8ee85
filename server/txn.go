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

// maxWriteBatch bounds how many writes share one transaction (group commit).
const maxWriteBatch = 64

// writeReq is one write waiting for its batch.
type writeReq struct {
	ctx  context.Context
	fn   func(t *txn) error
	t    *txn
	err  error
	done bool // under wmu
}

// write runs fn in a write transaction, and returns once that transaction
// has committed (or fn's work was rolled back). Concurrent writes share
// transactions: whoever takes the write lock commits every write queued
// by then, each in a savepoint of its own, so one failing write rolls back
// only itself while the batch pays for one commit (group commit). Events
// are published in the order the writes ran, after the commit.
func (s *Server) write(ctx context.Context, fn func(t *txn) error) error {
	if s.closed.Load() {
		return api.Errorf(api.CodeUnavailable, "the platform is shutting down")
	}
	r := &writeReq{ctx: ctx, fn: fn}
	s.qmu.Lock()
	s.queue = append(s.queue, r)
	s.qmu.Unlock()
	for {
		s.wmu.Lock()
		if !r.done {
			s.runBatch()
		}
		done := r.done
		s.wmu.Unlock()
		if done {
			break
		}
	}
	if r.err != nil {
		return r.err
	}
	for _, f := range r.t.after {
		f()
	}
	return nil
}

// runBatch commits the queued writes, at most maxWriteBatch, under wmu.
func (s *Server) runBatch() {
	s.qmu.Lock()
	n := min(len(s.queue), maxWriteBatch)
	batch := s.queue[:n:n]
	s.queue = append([]*writeReq(nil), s.queue[n:]...)
	s.qmu.Unlock()

	defer func() {
		for _, r := range batch {
			r.done = true
		}
	}()
	// A write that started is finished even if its caller goes away:
	// cancelling a statement would interrupt the whole transaction, and
	// with it the other writes of the batch.
	bg := context.WithoutCancel(s.ctx)
	if err := s.w.begin(bg); err != nil {
		for _, r := range batch {
			r.err = fmt.Errorf("begin: %w", err)
		}
		return
	}
	ok := 0
	for _, r := range batch {
		if err := r.ctx.Err(); err != nil {
			r.err = err
			continue
		}
		r.t = &txn{ctx: context.WithoutCancel(r.ctx), tx: s.w, s: s}
		if len(batch) == 1 {
			if r.err = s.runWrite(r); r.err != nil {
				s.w.rollback(bg)
				return
			}
			ok++
			continue
		}
		if _, err := s.w.ExecContext(bg, "SAVEPOINT w"); err != nil {
			s.abortBatch(bg, batch, err)
			return
		}
		if r.err = s.runWrite(r); r.err != nil {
			if _, err := s.w.ExecContext(bg, "ROLLBACK TO w"); err != nil {
				s.abortBatch(bg, batch, err)
				return
			}
		}
		if _, err := s.w.ExecContext(bg, "RELEASE w"); err != nil {
			s.abortBatch(bg, batch, err)
			return
		}
		if r.err == nil {
			ok++
		}
	}
	if ok == 0 {
		s.w.rollback(bg)
		return
	}
	if err := s.w.commit(bg); err != nil {
		for _, r := range batch {
			if r.err == nil {
				r.err = fmt.Errorf("commit: %w", err)
			}
		}
		return
	}
	for _, r := range batch {
		if r.err != nil {
			continue
		}
		for _, f := range r.t.committed {
			f()
		}
		for _, e := range r.t.events {
			s.hub.publish(e)
		}
	}
}

// runWrite runs r's function, turning a panic into its error: the batch,
// the write lock and the other writers must not go down with it.
func (s *Server) runWrite(r *writeReq) (err error) {
	defer func() {
		if p := recover(); p != nil {
			s.log.Error("write panicked", "panic", p)
			err = api.Errorf(api.CodeInternal, "internal error")
		}
	}()
	return r.fn(r.t)
}

// abortBatch rolls the whole batch back after a savepoint statement
// failed: what SQLite kept of the transaction is unknown.
func (s *Server) abortBatch(ctx context.Context, batch []*writeReq, err error) {
	s.w.rollback(ctx)
	for _, r := range batch {
		if r.err == nil {
			r.err = fmt.Errorf("write batch: %w", err)
		}
	}
}

// emit queues an event for publication after commit.
func (t *txn) emit(e api.Event) { t.events = append(t.events, e) }

// then runs f after commit, outside the write lock.
func (t *txn) then(f func()) { t.after = append(t.after, f) }
