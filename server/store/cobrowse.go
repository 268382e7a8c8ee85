package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/ccaip/headless-go/api"
)

// Cobrowse is a cobrowse session as stored.
type Cobrowse struct {
	ID            int64
	EndUserID     int64
	ChatID        int64
	Code          string
	CodeExpiresAt int64
	Status        string
	From          string
	StartedAt     int64
	EndedAt       int64
}

const cobrowseColumns = `id, end_user_id, chat_id, code, code_expires_at, status, from_, started_at, ended_at`

func scanCobrowse(row interface{ Scan(...any) error }) (*Cobrowse, error) {
	c := &Cobrowse{}
	err := row.Scan(&c.ID, &c.EndUserID, &c.ChatID, &c.Code, &c.CodeExpiresAt, &c.Status, &c.From, &c.StartedAt, &c.EndedAt)
	return c, err
}

// LoadCobrowse reads cobrowse session id of company; sql.ErrNoRows
// (unwrapped) when there is none.
func LoadCobrowse(ctx context.Context, q Querier, company string, id int64) (*Cobrowse, error) {
	c, err := scanCobrowse(q.QueryRowContext(ctx, `SELECT `+cobrowseColumns+` FROM cobrowse_sessions WHERE id = ? AND company = ?`, id, company))
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("load cobrowse session %d: %w", id, err)
	}
	return c, err
}

// PendingCobrowse is the end user's newest pending session whose code is
// still valid at now; sql.ErrNoRows (unwrapped) when there is none.
func PendingCobrowse(ctx context.Context, q Querier, company string, endUserID, now int64) (*Cobrowse, error) {
	return scanCobrowse(q.QueryRowContext(ctx, `SELECT `+cobrowseColumns+` FROM cobrowse_sessions
		WHERE company = ? AND end_user_id = ? AND status = ? AND code_expires_at > ? ORDER BY id DESC LIMIT 1`,
		company, endUserID, api.CobrowsePending, now))
}

// CobrowseCodeTaken reports whether a live session of company holds code
// at now.
func CobrowseCodeTaken(ctx context.Context, q Querier, company, code string, now int64) (bool, error) {
	var taken int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM cobrowse_sessions WHERE company = ? AND code = ? AND code_expires_at > ? AND status <> ?`,
		company, code, now, api.CobrowseEnded).Scan(&taken)
	return taken > 0, err
}

// NewCobrowse is a cobrowse session to insert.
type NewCobrowse struct {
	Company                        string
	EndUserID, ChatID              int64
	Code                           string
	CodeExpiresAt, Now, StartedAt  int64 // Unix milliseconds
	Lang, CustomData, Status, From string
}

// InsertCobrowse records c and returns its id.
func (t *Txn) InsertCobrowse(c NewCobrowse) (int64, error) {
	res, err := t.tx.ExecContext(t.ctx, `INSERT INTO cobrowse_sessions (company, end_user_id, chat_id, code, code_expires_at, lang, custom_data, status, from_, created_at, started_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, c.Company, c.EndUserID, c.ChatID, c.Code, c.CodeExpiresAt, c.Lang, c.CustomData,
		c.Status, c.From, c.Now, c.StartedAt)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// StartCobrowse writes c's status, origin, start and chat.
func (t *Txn) StartCobrowse(c *Cobrowse) error {
	_, err := t.tx.ExecContext(t.ctx, `UPDATE cobrowse_sessions SET status = ?, from_ = ?, started_at = ?, chat_id = ? WHERE id = ?`,
		c.Status, c.From, c.StartedAt, c.ChatID, c.ID)
	return err
}

// EndCobrowse writes c's status and end.
func (t *Txn) EndCobrowse(c *Cobrowse) error {
	_, err := t.tx.ExecContext(t.ctx, `UPDATE cobrowse_sessions SET status = ?, ended_at = ? WHERE id = ?`, c.Status, c.EndedAt, c.ID)
	return err
}
