// Package store is the platform's SQLite storage: the schema and its
// migrations, the read pool, the one writer connection and its group
// commit (Write). It knows nothing of HTTP; the chat domain above it
// decides what is written, and the events a write emits are handed to
// Options.Publish after its commit.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"

	"github.com/ccaip/headless-go/api"
)

// Querier is what reads need: the read pool (ReadDB) and a write
// transaction (Txn) both are one.
type Querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// Options configures Open.
type Options struct {
	// Publish receives the events of each committed write, in the order
	// the writes ran, under the write lock (so in $index order per chat);
	// it must not block. nil: events are dropped.
	Publish func(api.Event)
	// Logger logs background trouble (checkpoints, panicking writes);
	// nil: discard.
	Logger *slog.Logger
}

// DB is an open platform database.
type DB struct {
	db   *ReadDB    // reads: a pool that never waits for the writer
	w    *writeConn // the writer connection; used only under wmu
	ckpt *sql.DB    // background WAL checkpoints
	log  *slog.Logger

	publish func(api.Event)

	// wmu serialises write transactions with the publication of their
	// events, so subscribers see messages in $index order.
	wmu sync.Mutex
	// qmu guards queue, the writes waiting for a batch (txn.go).
	qmu   sync.Mutex
	queue []*writeReq

	cancel context.CancelFunc
	wg     sync.WaitGroup
	closed atomic.Bool
}

// Open opens (creating if needed) the database in dir, applies pending
// migrations and starts the background checkpointer.
func Open(dir string, opt Options) (*DB, error) {
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if opt.Publish == nil {
		opt.Publish = func(api.Event) {}
	}
	ctx, cancel := context.WithCancel(context.Background())
	r, w, ckpt, err := openDB(ctx, dir)
	if err != nil {
		cancel()
		return nil, fmt.Errorf("store: %w", err)
	}
	d := &DB{db: r, w: w, ckpt: ckpt, log: opt.Logger, publish: opt.Publish, cancel: cancel}
	d.wg.Add(1)
	go func() {
		defer d.wg.Done()
		d.checkpointer(ctx)
	}()
	return d, nil
}

// Reader is the read pool.
func (d *DB) Reader() *ReadDB { return d.db }

// Close stops the checkpointer and closes the database once the write in
// flight, if any, has finished. Later writes answer unavailable.
func (d *DB) Close() error {
	if !d.closed.CompareAndSwap(false, true) {
		return nil
	}
	d.cancel()
	d.wg.Wait()
	// Take the write lock so that a write in flight finishes first.
	d.wmu.Lock()
	defer d.wmu.Unlock()
	return errors.Join(d.ckpt.Close(), d.db.Close(), d.w.close())
}

// ErrNoRows is what a read of one row answers when there is none
// (sql.ErrNoRows), so that callers need not import database/sql.
var ErrNoRows = sql.ErrNoRows
