package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// The database is opened twice: a read pool of several connections that
// never writes (query_only), and one writer connection that every write
// transaction uses under DB.wmu. In WAL mode readers see the last
// committed state and never wait for the writer, so a read (a session
// lookup, a chat load) is never queued behind a write transaction.
//
// Both sides keep every SQL text prepared once per connection: parsing
// and planning a statement cost more than running most of ours.

// readConns is the size of the read pool. SQLite in pure Go is CPU bound,
// so a few connections per core are enough.
const readConns = 4

// dsn is the SQLite data source of the database file in dir.
func dsn(dir string, readOnly bool) string {
	q := url.Values{}
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "foreign_keys(1)")
	// synchronous=NORMAL with WAL: a commit is durable against a crash of
	// this process (the WAL is written before the commit returns); a
	// power loss or OS crash may lose the last transactions, never
	// corrupt the database. Checkpoints still fsync.
	q.Add("_pragma", "synchronous(NORMAL)")
	// Checkpoints (copying the WAL back into the database, with fsyncs)
	// run on a background connection (checkpointer), not on whichever
	// commit crosses the threshold, where they stalled every request
	// queued behind the write lock. The automatic one stays as a
	// backstop at ~40 MB of WAL should the background one fall behind.
	q.Add("_pragma", "wal_autocheckpoint(10000)")
	if readOnly {
		q.Add("_pragma", "query_only(1)")
	}
	return "file:" + filepath.Join(dir, "platform.db") + "?" + q.Encode()
}

// ReadDB is the read pool: a *sql.DB whose Query methods run statements
// prepared once and reused. Reads never wait for the writer.
type ReadDB struct {
	*sql.DB
	stmts sync.Map // SQL text → *sql.Stmt
}

// stmt returns the prepared statement of query, preparing it on first use.
func (d *ReadDB) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := d.stmts.Load(query); ok {
		return st.(*sql.Stmt), nil
	}
	st, err := d.DB.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if prev, loaded := d.stmts.LoadOrStore(query, st); loaded {
		st.Close()
		return prev.(*sql.Stmt), nil
	}
	return st, nil
}

// QueryRowContext is sql.DB's, with a cached statement.
func (d *ReadDB) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	st, err := d.stmt(ctx, query)
	if err != nil {
		return d.DB.QueryRowContext(ctx, query, args...) // reports the same error
	}
	return st.QueryRowContext(ctx, args...)
}

// QueryContext is sql.DB's, with a cached statement.
func (d *ReadDB) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := d.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// Close closes the cached statements and the pool.
func (d *ReadDB) Close() error {
	d.stmts.Range(func(k, v any) bool {
		v.(*sql.Stmt).Close()
		d.stmts.Delete(k)
		return true
	})
	return d.DB.Close()
}

// writeConn is the single writer connection. Its statements are bound to
// the connection and prepared once; transactions are plain BEGIN
// IMMEDIATE / COMMIT on it. It is used only under DB.wmu, which is
// what makes its unsynchronised statement map safe.
type writeConn struct {
	db    *sql.DB
	conn  *sql.Conn
	stmts map[string]*writeStmt
	// chats caches the chat rows read in the current transaction
	// (LoadChat on a Txn): a batch of messages into one chat reads its
	// row once. Any statement that may change a chat row or its end
	// user's, and every BEGIN and ROLLBACK, empties it (writeStmt.
	// dropsChats); NextIndex keeps its own row up to date.
	chats map[int64]cachedChat
}

// writeStmt is a prepared statement of the writer and what it does to
// the chat cache.
type writeStmt struct {
	*sql.Stmt
	dropsChats bool
}

// cachedChat is a chat row as the current transaction last read it.
type cachedChat struct {
	company string
	chat    Chat
}

// dropsChats reports whether query may change what the chat cache holds:
// anything but a SELECT that names chats or end_users, and every
// transaction boundary but a savepoint's start and release (a rollback
// to a savepoint undoes writes the cache may have seen). Too many
// answers of yes cost a re-read; a wrong no would serve a stale row.
func dropsChats(query string) bool {
	q := strings.TrimSpace(query)
	switch {
	case strings.HasPrefix(q, "SAVEPOINT "), strings.HasPrefix(q, "RELEASE "):
		return false
	case strings.HasPrefix(q, "BEGIN"), strings.HasPrefix(q, "ROLLBACK"), strings.HasPrefix(q, "COMMIT"):
		return true
	case strings.HasPrefix(q, "SELECT "):
		return false
	}
	return strings.Contains(q, "chats") || strings.Contains(q, "end_users")
}

func (w *writeConn) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	st := w.stmts[query]
	if st == nil {
		p, err := w.conn.PrepareContext(ctx, query)
		if err != nil {
			clear(w.chats) // it may have been a write
			return nil, err
		}
		st = &writeStmt{Stmt: p, dropsChats: dropsChats(query)}
		w.stmts[query] = st
	}
	if st.dropsChats {
		clear(w.chats)
	}
	return st.Stmt, nil
}

// ExecContext runs a statement in the current transaction.
func (w *writeConn) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	st, err := w.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

// QueryRowContext runs a query in the current transaction.
func (w *writeConn) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	st, err := w.stmt(ctx, query)
	if err != nil {
		return w.conn.QueryRowContext(ctx, query, args...) // reports the same error
	}
	return st.QueryRowContext(ctx, args...)
}

// QueryContext runs a query in the current transaction.
func (w *writeConn) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := w.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// begin starts a write transaction; IMMEDIATE takes SQLite's write lock
// now rather than at the first write.
func (w *writeConn) begin(ctx context.Context) error {
	_, err := w.ExecContext(ctx, "BEGIN IMMEDIATE")
	return err
}

// commit ends the transaction; it runs even if the request was cancelled
// meanwhile, since the transaction's work is done.
func (w *writeConn) commit(ctx context.Context) error {
	if _, err := w.ExecContext(context.WithoutCancel(ctx), "COMMIT"); err != nil {
		w.rollback(ctx)
		return err
	}
	return nil
}

// rollback abandons the transaction. SQLite may already have rolled it
// back itself (some errors do); that "no transaction is active" error is
// harmless.
func (w *writeConn) rollback(ctx context.Context) {
	w.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
}

func (w *writeConn) close() error {
	for _, st := range w.stmts {
		st.Close()
	}
	w.chats = nil
	w.stmts = nil
	return errors.Join(w.conn.Close(), w.db.Close())
}

// checkpointEvery spaces the background checkpoints.
const checkpointEvery = 500 * time.Millisecond

// checkpointer copies committed WAL frames into the database file from its
// own connection. A PASSIVE checkpoint takes neither the write lock nor
// blocks readers, so the writer keeps committing meanwhile.
func (d *DB) checkpointer(ctx context.Context) {
	t := time.NewTicker(checkpointEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		var busy, logPages, done int
		if err := d.ckpt.QueryRowContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &logPages, &done); err != nil && ctx.Err() == nil {
			d.log.Warn("wal checkpoint", "err", err)
		}
	}
}

// openDB opens (creating if needed) the SQLite database in dir, in WAL
// mode, applies pending migrations, and returns the read pool, the writer
// connection and the checkpointer's pool.
func openDB(ctx context.Context, dir string) (*ReadDB, *writeConn, *sql.DB, error) {
	wdb, err := sql.Open("sqlite", dsn(dir, false))
	if err != nil {
		return nil, nil, nil, fmt.Errorf("open database: %w", err)
	}
	// One connection serialises writers: SQLite allows one anyway, and
	// this avoids SQLITE_BUSY between our own goroutines.
	wdb.SetMaxOpenConns(1)
	if err := migrate(ctx, wdb); err != nil {
		wdb.Close()
		return nil, nil, nil, err
	}
	conn, err := wdb.Conn(ctx)
	if err != nil {
		wdb.Close()
		return nil, nil, nil, fmt.Errorf("open database: %w", err)
	}
	w := &writeConn{db: wdb, conn: conn, stmts: map[string]*writeStmt{}, chats: map[int64]cachedChat{}}
	rdb, err := sql.Open("sqlite", dsn(dir, true))
	if err != nil {
		w.close()
		return nil, nil, nil, fmt.Errorf("open database: %w", err)
	}
	rdb.SetMaxOpenConns(readConns)
	rdb.SetMaxIdleConns(readConns)
	r := &ReadDB{DB: rdb}
	if err := r.PingContext(ctx); err != nil {
		r.Close()
		w.close()
		return nil, nil, nil, fmt.Errorf("open database: %w", err)
	}
	ckpt, err := sql.Open("sqlite", dsn(dir, false))
	if err != nil {
		r.Close()
		w.close()
		return nil, nil, nil, fmt.Errorf("open database: %w", err)
	}
	ckpt.SetMaxOpenConns(1)
	return r, w, ckpt, nil
}
