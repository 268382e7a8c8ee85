package chat

import (
	"context"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server/store"
)

// Txn is one write transaction of the store (store.Txn, with its group
// commit) seen from the domain: its context, the store's transaction and
// the Domain whose rules the write applies.
type Txn struct {
	Ctx context.Context
	Tx  *store.Txn
	s   *Domain
}

// Write runs fn in a write transaction of the store, and returns once that
// transaction has committed (or fn's work was rolled back); see
// store.DB.Write. After Stop it answers unavailable.
func (s *Domain) Write(ctx context.Context, fn func(t *Txn) error) error {
	if s.closed.Load() {
		return api.Errorf(api.CodeUnavailable, "the platform is shutting down")
	}
	return s.store.Write(ctx, func(st *store.Txn) error {
		return fn(&Txn{Ctx: st.Context(), Tx: st, s: s})
	})
}

// Emit queues an event for publication after commit.
func (t *Txn) Emit(e api.Event) { t.Tx.Emit(e) }

// Then runs f after commit, outside the write lock.
func (t *Txn) Then(f func()) { t.Tx.Then(f) }
