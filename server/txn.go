package server

import (
	"context"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server/store"
)

// txn is one write transaction of the store (store.Txn, with its group
// commit) seen from the platform: its context and the Server whose rules
// the write applies.
type txn struct {
	ctx context.Context
	tx  *store.Txn
	s   *Server
}

// write runs fn in a write transaction of the store, and returns once that
// transaction has committed (or fn's work was rolled back); see
// store.DB.Write.
func (s *Server) write(ctx context.Context, fn func(t *txn) error) error {
	if s.closed.Load() {
		return api.Errorf(api.CodeUnavailable, "the platform is shutting down")
	}
	return s.store.Write(ctx, func(st *store.Txn) error {
		return fn(&txn{ctx: st.Context(), tx: st, s: s})
	})
}

// emit queues an event for publication after commit.
func (t *txn) emit(e api.Event) { t.tx.Emit(e) }

// then runs f after commit, outside the write lock.
func (t *txn) then(f func()) { t.tx.Then(f) }
