package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/ccaip/headless-go/api"
)

// NextIndex takes chat chatID's next message $index and records its
// activity at now (Unix milliseconds); fromEndUser also restarts the
// dismissal timer (user_activity_at). The message is inserted right after
// in the same transaction (InsertMessage). The first one of a transaction
// updates the row; the later ones count in memory and the row is written
// once (writeConn.pend).
func (t *Txn) NextIndex(chatID, now int64, fromEndUser bool) (int64, error) {
	w := t.tx
	cc, cached := w.chats[chatID]
	p, pending := w.pend[chatID]
	if pending {
		p.last++
		p.activity = now
		if fromEndUser {
			p.userActivity = now
		}
	} else {
		var next int64
		if err := w.QueryRowContext(t.ctx, `UPDATE chats SET last_index = last_index + 1, last_activity_at = ?1, updated_at = ?1,
		user_activity_at = CASE WHEN ?2 THEN ?1 ELSE user_activity_at END WHERE id = ?3 RETURNING last_index`,
			now, fromEndUser, chatID).Scan(&next); err != nil {
			return 0, err
		}
		p = pendingIndex{written: next, last: next}
	}
	w.pend[chatID] = p
	if cached {
		// The statement emptied the chat cache; this row's change is known.
		cc.chat.LastIndex, cc.chat.LastActivityAt, cc.chat.UpdatedAt = p.last, now, now
		w.chats[chatID] = cc
	}
	return p.last, nil
}

// InsertMessage stores m, whose $index NextIndex gave, at now (Unix
// milliseconds).
func (t *Txn) InsertMessage(chatID int64, m *api.Message, now int64) error {
	// The generated encoder directly: json.Marshal would call it and then
	// compact and re-escape its output.
	body, err := m.MarshalJSON()
	if err != nil {
		return err
	}
	_, err = t.tx.ExecContext(t.ctx, `INSERT INTO messages (chat_id, idx, client_id, created_at, body) VALUES (?, ?, ?, ?, ?)`,
		chatID, m.Index, m.ClientID, now, string(body))
	return err
}

// MessageByClientID finds an earlier message of the chat with the same
// idempotency key, or nil.
func MessageByClientID(ctx context.Context, q Querier, chatID int64, clientID string) (*api.Message, error) {
	var body string
	// "client_id <> ''" lets SQLite use the partial index messages_client_id
	// (it cannot know that the bound value is not ''); without it every
	// idempotent send scanned the chat's whole history.
	err := q.QueryRowContext(ctx, `SELECT body FROM messages WHERE chat_id = ? AND client_id = ? AND client_id <> ''`, chatID, clientID).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var m api.Message
	if err := m.UnmarshalJSON([]byte(body)); err != nil {
		return nil, err
	}
	return &m, nil
}

// Messages lists a chat's messages with after < $index < before (before 0:
// no upper bound), at most limit. With only before set, the newest limit
// messages below it are returned, still in ascending order.
func Messages(ctx context.Context, q Querier, chatID, after, before int64, limit int) ([]api.Message, error) {
	var rows *sql.Rows
	var err error
	if before > 0 && after == 0 {
		rows, err = q.QueryContext(ctx, `SELECT body FROM (SELECT idx, body FROM messages WHERE chat_id = ? AND idx < ? ORDER BY idx DESC LIMIT ?) ORDER BY idx`,
			chatID, before, limit)
	} else {
		if before <= 0 {
			before = 1<<62 - 1
		}
		rows, err = q.QueryContext(ctx, `SELECT body FROM messages WHERE chat_id = ? AND idx > ? AND idx < ? ORDER BY idx LIMIT ?`,
			chatID, after, before, limit)
	}
	if err != nil {
		return nil, fmt.Errorf("list messages: %w", err)
	}
	defer rows.Close()
	out := []api.Message{}
	for rows.Next() {
		var body string
		if err := rows.Scan(&body); err != nil {
			return nil, err
		}
		var m api.Message
		if err := m.UnmarshalJSON([]byte(body)); err != nil {
			return nil, fmt.Errorf("decode message: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}
