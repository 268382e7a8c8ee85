package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/ccaip/headless-go/api"
)

// Txn is one write transaction. Events it collects are published, in
// order, only after it commits, while the write lock is still held, so
// realtime subscribers see each chat's messages in $index order.
type Txn struct {
	ctx    context.Context
	tx     *writeConn // inside BEGIN IMMEDIATE … COMMIT
	events []api.Event
	after  []func()
	// committed runs right after commit, under the write lock, before
	// Write returns: cache invalidation.
	committed []func()
}

// maxWriteBatch bounds how many writes share one transaction (group commit).
const maxWriteBatch = 64

// writeReq is one write waiting for its batch.
type writeReq struct {
	ctx  context.Context
	fn   func(t *Txn) error
	t    *Txn
	err  error
	done bool // under wmu
}

// Write runs fn in a write transaction, and returns once that transaction
// has committed (or fn's work was rolled back). Concurrent writes share
// transactions: whoever takes the write lock commits every write queued
// by then, each in a savepoint of its own, so one failing write rolls back
// only itself while the batch pays for one commit (group commit). Events
// are published in the order the writes ran, after the commit.
func (s *DB) Write(ctx context.Context, fn func(t *Txn) error) error {
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
func (s *DB) runBatch() {
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
	bg := context.Background()
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
		r.t = &Txn{ctx: context.WithoutCancel(r.ctx), tx: s.w}
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
			s.publish(e)
		}
	}
}

// runWrite runs r's function, turning a panic into its error: the batch,
// the write lock and the other writers must not go down with it.
func (s *DB) runWrite(r *writeReq) (err error) {
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
func (s *DB) abortBatch(ctx context.Context, batch []*writeReq, err error) {
	s.w.rollback(ctx)
	for _, r := range batch {
		if r.err == nil {
			r.err = fmt.Errorf("write batch: %w", err)
		}
	}
}

// Context is the context of the write: its caller's values, never its
// cancellation (a write that started is finished).
func (t *Txn) Context() context.Context { return t.ctx }

// Emit queues an event for publication after commit.
func (t *Txn) Emit(e api.Event) { t.events = append(t.events, e) }

// Then runs f after commit, outside the write lock.
func (t *Txn) Then(f func()) { t.after = append(t.after, f) }

// OnCommit runs f right after commit, under the write lock, before Write
// returns and before any other write: cache invalidation.
func (t *Txn) OnCommit(f func()) { t.committed = append(t.committed, f) }

// ExecContext runs a statement in the transaction.
func (t *Txn) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return t.tx.ExecContext(ctx, query, args...)
}

// QueryRowContext runs a query in the transaction.
func (t *Txn) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return t.tx.QueryRowContext(ctx, query, args...)
}

// QueryContext runs a query in the transaction.
func (t *Txn) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return t.tx.QueryContext(ctx, query, args...)
}
