package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/ccaip/headless-go/api"
)

// NewChat is a chat to insert.
type NewChat struct {
	Company                            string
	EndUserID, MenuID, VAID            int64
	Lang, Status, Email, CustomData    string
	Verified, BadActor, RepeatCustomer bool
	Now                                int64 // Unix milliseconds
}

// InsertChat records c and returns its id.
func (t *Txn) InsertChat(c NewChat) (int64, error) {
	res, err := t.tx.ExecContext(t.ctx, `INSERT INTO chats (company, end_user_id, menu_id, lang, status, created_at, updated_at,
		last_activity_at, va_id, email, custom_data, verified_customer, bad_actor, repeat_customer)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.Company, c.EndUserID, c.MenuID, c.Lang, c.Status, c.Now, c.Now, c.Now, c.VAID, c.Email, c.CustomData,
		c.Verified, c.BadActor, c.RepeatCustomer)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// MarkRated and MarkSurveyAnswered record that the end user rated the
// chat or answered its survey.
func (t *Txn) MarkRated(chatID int64) error {
	_, err := t.tx.ExecContext(t.ctx, `UPDATE chats SET rated = 1 WHERE id = ?`, chatID)
	return err
}

// MarkSurveyAnswered: see MarkRated.
func (t *Txn) MarkSurveyAnswered(chatID int64) error {
	_, err := t.tx.ExecContext(t.ctx, `UPDATE chats SET survey_answered = 1 WHERE id = ?`, chatID)
	return err
}

// SetPostSessionStatus records the chat's post-session transfer status.
func (t *Txn) SetPostSessionStatus(chatID int64, status string) error {
	_, err := t.tx.ExecContext(t.ctx, `UPDATE chats SET post_session_status = ? WHERE id = ?`, status, chatID)
	return err
}

// SetCustomData records the chat's custom data (JSON) and customer flags.
func (t *Txn) SetCustomData(chatID int64, customData string, verified, badActor, repeat bool) error {
	_, err := t.tx.ExecContext(t.ctx, `UPDATE chats SET custom_data = ?, verified_customer = ?, bad_actor = ?, repeat_customer = ? WHERE id = ?`,
		customData, verified, badActor, repeat, chatID)
	return err
}

// SetFlags records the chat's customer flags.
func (t *Txn) SetFlags(chatID int64, verified, badActor, repeat bool) error {
	_, err := t.tx.ExecContext(t.ctx, `UPDATE chats SET verified_customer = ?, bad_actor = ?, repeat_customer = ? WHERE id = ?`,
		verified, badActor, repeat, chatID)
	return err
}

// TouchEndUser records end-user activity on chatID at now, which restarts
// its dismissal timer.
func (t *Txn) TouchEndUser(chatID, now int64) error {
	_, err := t.tx.ExecContext(t.ctx, `UPDATE chats SET user_activity_at = ? WHERE id = ?`, now, chatID)
	return err
}

// LastEndUserActivity is when the end user last spoke on chatID, or the
// chat's creation if never.
func (t *Txn) LastEndUserActivity(chatID int64) (int64, error) {
	var last int64
	err := t.tx.QueryRowContext(t.ctx, `SELECT MAX(user_activity_at, created_at) FROM chats WHERE id = ?`, chatID).Scan(&last)
	return last, err
}

func scanIDs(rows *sql.Rows, err error) ([]int64, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// ChatsCreatedBefore lists up to limit ongoing or dismissed chats of
// company created at or before t (to time out).
func ChatsCreatedBefore(ctx context.Context, q Querier, company string, t int64, limit int) ([]int64, error) {
	return scanIDs(q.QueryContext(ctx, `SELECT id FROM chats WHERE company = ? AND status IN (?, ?, ?, ?, ?) AND created_at <= ? ORDER BY id LIMIT ?`,
		company, api.StatusVAAssigned, api.StatusQueued, api.StatusAssigned, api.StatusVADismissed, api.StatusDismissed, t, limit))
}

// ChatsIdleSince lists up to limit ongoing chats of company whose end user
// has been silent since t (to dismiss).
func ChatsIdleSince(ctx context.Context, q Querier, company string, t int64, limit int) ([]int64, error) {
	return scanIDs(q.QueryContext(ctx, `SELECT id FROM chats WHERE company = ? AND status IN (?, ?, ?)
		AND MAX(user_activity_at, created_at) <= ? ORDER BY id LIMIT ?`,
		company, api.StatusVAAssigned, api.StatusQueued, api.StatusAssigned, t, limit))
}

func scanChats(rows *sql.Rows, err error) ([]*Chat, error) {
	if err != nil {
		return nil, fmt.Errorf("list chats: %w", err)
	}
	defer rows.Close()
	var out []*Chat
	for rows.Next() {
		c, err := scanChat(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// EndedChats pages the end user's chats that are over, newest first.
func EndedChats(ctx context.Context, q Querier, endUserID int64, limit, offset int) ([]*Chat, error) {
	return scanChats(q.QueryContext(ctx, `SELECT `+chatColumns+` FROM chats c JOIN end_users u ON u.id = c.end_user_id
		WHERE c.end_user_id = ? AND c.status NOT IN (?, ?, ?) ORDER BY c.id DESC LIMIT ? OFFSET ?`,
		endUserID, api.StatusVAAssigned, api.StatusQueued, api.StatusAssigned, limit, offset))
}
