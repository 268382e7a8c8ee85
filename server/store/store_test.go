package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server/store"
)

// addUserAndChat inserts an end user and a chat in t and returns the chat.
func addUserAndChat(t *store.Txn, identifier string) (int64, error) {
	ctx := t.Context()
	var uid int64
	if err := t.QueryRowContext(ctx, `INSERT INTO end_users (company, identifier, created_at) VALUES ('co', ?, 1) RETURNING id`, identifier).Scan(&uid); err != nil {
		return 0, err
	}
	var id int64
	err := t.QueryRowContext(ctx, `INSERT INTO chats (company, end_user_id, menu_id, lang, status, created_at, updated_at, last_activity_at)
		VALUES ('co', ?, 1, 'en', ?, 1, 1, 1) RETURNING id`, uid, api.StatusQueued).Scan(&id)
	return id, err
}

// openWithChat opens a store in a new directory with one end user's chat.
func openWithChat(t *testing.T, opt store.Options) (db *store.DB, dir string, chatID int64) {
	t.Helper()
	dir = t.TempDir()
	db, err := store.Open(dir, opt)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Write(context.Background(), func(tx *store.Txn) error {
		chatID, err = addUserAndChat(tx, "someone")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return db, dir, chatID
}

// Concurrent writes share transactions but stand alone: a failing or
// panicking write rolls back only itself, the others commit with their
// events published in the order they ran; messages take $index in order;
// after Close a write answers unavailable and the data is there on reopen.
func TestWritesAreIsolatedAndDurable(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var published []api.Event
	db, dir, chatID := openWithChat(t, store.Options{Publish: func(e api.Event) {
		mu.Lock()
		published = append(published, e)
		mu.Unlock()
	}})
	ctx := context.Background()
	const n = 40
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			errs[i] = db.Write(ctx, func(tx *store.Txn) error {
				idx, err := tx.NextIndex(chatID, 2, false)
				if err != nil {
					return err
				}
				m := &api.Message{Index: idx, Type: api.MsgText, Content: "m"}
				if err := tx.InsertMessage(chatID, m, 2); err != nil {
					return err
				}
				tx.Emit(api.Event{Type: api.EventMessage, ChatID: chatID, Message: m})
				switch i % 10 {
				case 3:
					return errors.New("refused after writing")
				case 7:
					panic("a write that panics")
				}
				return nil
			})
		})
	}
	wg.Wait()
	ok := 0
	for i, err := range errs {
		if want := i%10 != 3 && i%10 != 7; want != (err == nil) {
			t.Errorf("write %d: err %v", i, err)
		}
		if err == nil {
			ok++
		}
	}
	ms, err := store.Messages(ctx, db.Reader(), chatID, 0, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != ok {
		t.Fatalf("%d messages stored, want the %d that succeeded", len(ms), ok)
	}
	for i, m := range ms {
		if m.Index != int64(i+1) {
			t.Fatalf("message %d has $index %d: a rolled-back write left a gap", i, m.Index)
		}
	}
	mu.Lock()
	if len(published) != ok {
		t.Errorf("%d events published, want %d", len(published), ok)
	}
	for i, e := range published {
		if e.Message.Index != int64(i+1) {
			t.Errorf("event %d has $index %d: not in commit order", i, e.Message.Index)
		}
	}
	mu.Unlock()
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	err = db.Write(ctx, func(*store.Txn) error { return nil })
	if e, isAPI := errors.AsType[*api.Error](err); !isAPI || e.Code != api.CodeUnavailable {
		t.Fatalf("write after Close: %v, want unavailable", err)
	}
	db, err = store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	c, err := store.LoadChat(ctx, db.Reader(), "co", chatID)
	if err != nil || c.LastIndex != int64(ok) || c.Identifier != "someone" {
		t.Fatalf("after reopen: chat %+v, %v", c, err)
	}
}

// A write reads a chat's row once per transaction (the writer's chat
// cache) and never a stale one: not after a statement of its own changed
// the row or its end user, not after NextIndex, and not after another
// write of the same batch changed it and was rolled back.
func TestChatRowsReadInAWriteAreNeverStale(t *testing.T) {
	t.Parallel()
	db, _, chatID := openWithChat(t, store.Options{})
	defer db.Close()
	ctx := context.Background()
	load := func(tx *store.Txn) *store.Chat {
		t.Helper()
		c, err := store.LoadChat(ctx, tx, "co", chatID)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	if err := db.Write(ctx, func(tx *store.Txn) error {
		c := load(tx)
		c.Status = "mutated by the caller"
		if got := load(tx).Status; got != api.StatusQueued {
			t.Errorf("status %q after the caller changed its copy, want %q", got, api.StatusQueued)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE chats SET status = ? WHERE id = ?`, api.StatusAssigned, chatID); err != nil {
			return err
		}
		if got := load(tx).Status; got != api.StatusAssigned {
			t.Errorf("status %q after an UPDATE in the same write, want %q", got, api.StatusAssigned)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE end_users SET identifier = 'renamed'`); err != nil {
			return err
		}
		if got := load(tx).Identifier; got != "renamed" {
			t.Errorf("identifier %q after its end user changed, want renamed", got)
		}
		load(tx)
		next, err := tx.NextIndex(chatID, 77, false)
		if err != nil {
			return err
		}
		c = load(tx)
		const stored = `SELECT last_index, updated_at, last_activity_at, user_activity_at FROM chats WHERE id = ?`
		var idx, upd, act, user int64
		if err := tx.QueryRowContext(ctx, stored, chatID).Scan(&idx, &upd, &act, &user); err != nil {
			return err
		}
		if c.LastIndex != next || c.LastIndex != idx || c.UpdatedAt != upd || c.LastActivityAt != act {
			t.Errorf("after NextIndex: cached %d/%d/%d, stored %d/%d/%d, NextIndex %d", c.LastIndex, c.UpdatedAt, c.LastActivityAt, idx, upd, act, next)
		}
		// The later ones of a transaction count in memory; any statement
		// that reads the row sees them.
		for i := range 3 {
			if n, err := tx.NextIndex(chatID, 80+int64(i), i == 1); err != nil || n != next+1+int64(i) {
				t.Errorf("NextIndex %d: %d, %v; want %d", i, n, err, next+1+int64(i))
			}
		}
		if err := tx.QueryRowContext(ctx, stored, chatID).Scan(&idx, &upd, &act, &user); err != nil {
			return err
		}
		if idx != next+3 || act != 82 || user != 81 {
			t.Errorf("stored last_index %d, activity %d, user activity %d; want %d, 82, 81", idx, act, user, next+3)
		}
		if c := load(tx); c.LastIndex != next+3 {
			t.Errorf("cached last index %d, want %d", c.LastIndex, next+3)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}

	// Writes of one batch: every other one takes an $index and fails, half
	// of those after changing the status and reading it back (so the
	// cache holds it); the others must never see a status or an $index
	// that was rolled back.
	const n = 64
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			errs[i] = db.Write(ctx, func(tx *store.Txn) error {
				c := load(tx)
				if i%2 == 1 {
					if _, err := tx.NextIndex(chatID, 9, false); err != nil {
						return err
					}
					if i%4 == 1 {
						return errors.New("refused")
					}
					c.Status = "rolled back"
					if err := tx.SaveStatus(c, 5); err != nil {
						return err
					}
					load(tx)
					return errors.New("refused")
				}
				if c.Status != api.StatusAssigned {
					t.Errorf("write %d read status %q, want %q", i, c.Status, api.StatusAssigned)
				}
				_, err := tx.NextIndex(chatID, 9, false)
				return err
			})
		})
	}
	wg.Wait()
	for i, err := range errs {
		if (i%2 == 0) != (err == nil) {
			t.Errorf("write %d: %v", i, err)
		}
	}
	c, err := store.LoadChat(ctx, db.Reader(), "co", chatID)
	if err != nil || c.Status != api.StatusAssigned || c.LastIndex != n/2+4 {
		t.Fatalf("after the batch: %+v, %v; want status %q, last index %d", c, err, api.StatusAssigned, n/2+4)
	}
}
