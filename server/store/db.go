package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
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
// what makes its unsynchronised maps safe.
//
// Two things make a batch of messages into one chat cheap, both kept
// exact by classifying every statement before it runs (writeStmt):
//   - chats caches the chat rows read in the current transaction
//     (LoadChat on a Txn), so the batch reads a chat's row once. Any
//     statement that may change a chat row or its end user's, and every
//     BEGIN and ROLLBACK, empties it; NextIndex keeps its own row current.
//   - pend holds NextIndex's changes to a chat row after the first one of
//     the transaction: the later messages take their $index in memory and
//     the row is written once, before the next statement that names
//     chats at all and before COMMIT. A savepoint keeps a copy (a rollback
//     to it restores what was pending then).
type writeConn struct {
	db    *sql.DB
	conn  *sql.Conn
	stmts map[string]*writeStmt
	chats map[int64]cachedChat
	pend  map[int64]pendingIndex
	saved []map[int64]pendingIndex // one per open savepoint
	flush *sql.Stmt
}

// writeStmt is a prepared statement of the writer and what it means to
// the caches.
type writeStmt struct {
	*sql.Stmt
	kind stmtKind
}

type stmtKind uint8

const (
	stmtOther       stmtKind = iota // touches neither chats nor end_users
	stmtReadsChats                  // a SELECT naming chats: pending rows first
	stmtWritesChats                 // may change a chat or end user row
	stmtBegin
	stmtCommit
	stmtRollback   // ROLLBACK (the whole transaction)
	stmtRollbackTo // ROLLBACK TO a savepoint
	stmtSavepoint
	stmtRelease
)

// boundaries are the transaction statements, longest prefix first.
var boundaries = []struct {
	prefix string
	kind   stmtKind
}{
	{"SAVEPOINT ", stmtSavepoint},
	{"RELEASE ", stmtRelease},
	{"ROLLBACK TO ", stmtRollbackTo},
	{"ROLLBACK", stmtRollback},
	{"BEGIN", stmtBegin},
	{"COMMIT", stmtCommit},
}

// classify tells what query is to the caches. Too many answers of
// "writes chats" cost a re-read; a wrong "other" would serve a stale row.
func classify(query string) stmtKind {
	q := strings.TrimSpace(query)
	for _, b := range boundaries {
		if strings.HasPrefix(q, b.prefix) {
			return b.kind
		}
	}
	names := strings.Contains(q, "chats")
	switch {
	case strings.HasPrefix(q, "SELECT ") && names:
		return stmtReadsChats
	case strings.HasPrefix(q, "SELECT "):
		return stmtOther
	case names || strings.Contains(q, "end_users"):
		return stmtWritesChats
	}
	return stmtOther
}

// cachedChat is a chat row as the current transaction last read it.
type cachedChat struct {
	company string
	chat    Chat
}

// pendingIndex is a chat row's NextIndex changes not yet written: the
// row holds last_index = written; the messages took up to last.
type pendingIndex struct {
	written, last int64
	activity      int64 // last_activity_at and updated_at
	userActivity  int64 // user_activity_at, 0 if unchanged
}

// flushIndexes writes the pending rows.
const flushIndexes = `UPDATE chats SET last_index = ?1, last_activity_at = ?2, updated_at = ?2,
	user_activity_at = CASE WHEN ?3 > 0 THEN ?3 ELSE user_activity_at END WHERE id = ?4`

// stmt returns query's statement after doing what it means to the caches.
func (w *writeConn) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	st := w.stmts[query]
	if st == nil {
		if err := w.writePending(ctx); err != nil {
			return nil, err
		}
		p, err := w.conn.PrepareContext(ctx, query)
		if err != nil {
			clear(w.chats)
			return nil, err
		}
		st = &writeStmt{Stmt: p, kind: classify(query)}
		w.stmts[query] = st
	}
	switch st.kind {
	case stmtReadsChats, stmtCommit:
		if err := w.writePending(ctx); err != nil {
			return nil, err
		}
	case stmtWritesChats:
		if err := w.writePending(ctx); err != nil {
			return nil, err
		}
		clear(w.chats)
		clear(w.pend) // the row may change under it: NextIndex reads it again
	case stmtBegin, stmtRollback:
		clear(w.chats)
		clear(w.pend)
		w.saved = w.saved[:0]
	case stmtSavepoint:
		w.saved = append(w.saved, maps.Clone(w.pend))
	case stmtRelease:
		if n := len(w.saved); n > 0 {
			w.saved = w.saved[:n-1]
		}
	case stmtRollbackTo:
		clear(w.chats)
		clear(w.pend)
		if n := len(w.saved); n > 0 {
			maps.Copy(w.pend, w.saved[n-1])
		}
	}
	return st.Stmt, nil
}

// writePending writes the chat rows NextIndex left pending.
func (w *writeConn) writePending(ctx context.Context) error {
	for id, p := range w.pend {
		if p.last == p.written {
			continue
		}
		if w.flush == nil {
			st, err := w.conn.PrepareContext(ctx, flushIndexes)
			if err != nil {
				return err
			}
			w.flush = st
		}
		if _, err := w.flush.ExecContext(ctx, p.last, p.activity, p.userActivity, id); err != nil {
			return err
		}
		w.pend[id] = pendingIndex{written: p.last, last: p.last}
	}
	return nil
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
	if w.flush != nil {
		w.flush.Close()
	}
	w.chats, w.pend = nil, nil
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
	w := &writeConn{db: wdb, conn: conn, stmts: map[string]*writeStmt{}, chats: map[int64]cachedChat{}, pend: map[int64]pendingIndex{}}
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
