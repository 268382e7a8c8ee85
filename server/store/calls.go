package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/ccaip/headless-go/api"
)

// Call is a call as stored.
type Call struct {
	ID          int64
	EndUserID   int64
	MenuID      int64
	Lang        string
	Type        string
	Status      string
	Phone       string
	ScheduledAt int64
	Recording   string
	CreatedAt   int64
	NextAt      int64
}

const callColumns = `id, end_user_id, menu_id, lang, type, status, phone, scheduled_at, recording, created_at, next_at`

func scanCall(row interface{ Scan(...any) error }) (*Call, error) {
	c := &Call{}
	err := row.Scan(&c.ID, &c.EndUserID, &c.MenuID, &c.Lang, &c.Type, &c.Status, &c.Phone, &c.ScheduledAt, &c.Recording, &c.CreatedAt, &c.NextAt)
	return c, err
}

func scanCalls(rows *sql.Rows, err error) ([]*Call, error) {
	if err != nil {
		return nil, fmt.Errorf("list calls: %w", err)
	}
	defer rows.Close()
	var out []*Call
	for rows.Next() {
		c, err := scanCall(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// LoadCall reads call id of company; sql.ErrNoRows (unwrapped) when there
// is none.
func LoadCall(ctx context.Context, q Querier, company string, id int64) (*Call, error) {
	c, err := scanCall(q.QueryRowContext(ctx, `SELECT `+callColumns+` FROM calls WHERE id = ? AND company = ?`, id, company))
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("load call %d: %w", id, err)
	}
	return c, err
}

// RecentCalls lists the company's newest calls, at most limit.
func RecentCalls(ctx context.Context, q Querier, company string, limit int) ([]*Call, error) {
	return scanCalls(q.QueryContext(ctx, `SELECT `+callColumns+` FROM calls WHERE company = ? ORDER BY id DESC LIMIT ?`, company, limit))
}

// DueCalls lists the company's calls whose next step is due at now (Unix
// milliseconds), the most overdue first, at most 100.
func DueCalls(ctx context.Context, q Querier, company string, now int64) ([]*Call, error) {
	return scanCalls(q.QueryContext(ctx, `SELECT `+callColumns+` FROM calls WHERE company = ? AND next_at > 0 AND next_at <= ? ORDER BY next_at LIMIT 100`,
		company, now))
}

// CallsInProgress counts the end user's instant calls that are queued,
// connecting or connected.
func CallsInProgress(ctx context.Context, q Querier, endUserID int64) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM calls WHERE end_user_id = ? AND type = ? AND status IN (?, ?, ?)`,
		endUserID, api.CallTypeInstant, api.CallQueued, api.CallConnecting, api.CallConnected).Scan(&n)
	return n, err
}

// NewCall is a call to insert: the stored fields and the ones only the
// REST API's call record keeps.
type NewCall struct {
	Company                                string
	EndUserID, MenuID                      int64
	Lang, Type, Status, Phone              string
	ScheduledAt, NextAt, Now               int64 // Unix milliseconds
	Recording, TicketID, Email, CustomData string
}

// InsertCall records c and returns its id.
func (t *Txn) InsertCall(c NewCall) (int64, error) {
	res, err := t.tx.ExecContext(t.ctx, `INSERT INTO calls (company, end_user_id, menu_id, lang, type, status, phone, scheduled_at,
		recording, ticket_id, email, custom_data, next_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.Company, c.EndUserID, c.MenuID, c.Lang, c.Type, c.Status, c.Phone, c.ScheduledAt, c.Recording, c.TicketID, c.Email, c.CustomData,
		c.NextAt, c.Now, c.Now)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// SetCallStatus moves call id to status, its next step due at next (0:
// none), at now.
func (t *Txn) SetCallStatus(id int64, status string, next, now int64) error {
	_, err := t.tx.ExecContext(t.ctx, `UPDATE calls SET status = ?, next_at = ?, updated_at = ? WHERE id = ?`, status, next, now, id)
	return err
}
