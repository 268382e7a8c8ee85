package store

import (
	"context"

	"github.com/ccaip/headless-go/api"
)

// EndUser is an end user of a company, as stored.
type EndUser struct {
	ID         int64
	Identifier string
	Name       string
	Email      string
	Phone      string
}

// API is u's wire form.
func (u *EndUser) API() api.EndUser {
	return api.EndUser{ID: u.ID, Identifier: u.Identifier, Name: u.Name, Email: u.Email, Phone: u.Phone}
}

// UpsertEndUser finds or creates the end user (company, identifier) and
// refreshes the profile fields given (empty ones keep what is stored).
func (t *Txn) UpsertEndUser(company, identifier, name, email, phone string, now int64) (*EndUser, error) {
	_, err := t.tx.ExecContext(t.ctx, `INSERT INTO end_users (company, identifier, name, email, phone, created_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (company, identifier) DO UPDATE SET
			name = CASE WHEN excluded.name <> '' THEN excluded.name ELSE name END,
			email = CASE WHEN excluded.email <> '' THEN excluded.email ELSE email END,
			phone = CASE WHEN excluded.phone <> '' THEN excluded.phone ELSE phone END`,
		company, identifier, name, email, phone, now)
	if err != nil {
		return nil, err
	}
	u := &EndUser{}
	err = t.tx.QueryRowContext(t.ctx, `SELECT id, identifier, name, email, phone FROM end_users WHERE company = ? AND identifier = ?`,
		company, identifier).Scan(&u.ID, &u.Identifier, &u.Name, &u.Email, &u.Phone)
	if err != nil {
		return nil, err
	}
	return u, nil
}

// InsertSession records an end-user session by the hash of its token,
// valid until expires (Unix milliseconds), and sweeps the sessions that
// expired before sweepBefore.
func (t *Txn) InsertSession(tokenHash []byte, endUserID, expires, sweepBefore int64) error {
	if _, err := t.tx.ExecContext(t.ctx, `INSERT INTO sessions (token_hash, end_user_id, expires_at) VALUES (?, ?, ?)`,
		tokenHash, endUserID, expires); err != nil {
		return err
	}
	_, err := t.tx.ExecContext(t.ctx, `DELETE FROM sessions WHERE expires_at < ?`, sweepBefore)
	return err
}

// SessionUser is the end user of company whose session token hashes to
// tokenHash, and the session's expiry (Unix milliseconds); sql.ErrNoRows
// (unwrapped) when there is none.
func SessionUser(ctx context.Context, q Querier, company string, tokenHash []byte) (u EndUser, expires int64, err error) {
	err = q.QueryRowContext(ctx, `SELECT u.id, u.identifier, u.name, u.email, u.phone, s.expires_at
		FROM sessions s JOIN end_users u ON u.id = s.end_user_id WHERE s.token_hash = ? AND u.company = ?`,
		tokenHash, company).Scan(&u.ID, &u.Identifier, &u.Name, &u.Email, &u.Phone, &expires)
	return u, expires, err
}

// EndUserExists reports whether end user id belongs to company.
func EndUserExists(ctx context.Context, q Querier, company string, id int64) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM end_users WHERE id = ? AND company = ?`, id, company).Scan(&n)
	return n > 0, err
}

// IdentifierTaken reports whether another end user of company than id
// holds identifier.
func IdentifierTaken(ctx context.Context, q Querier, company, identifier string, id int64) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM end_users WHERE company = ? AND identifier = ? AND id <> ?`,
		company, identifier, id).Scan(&n)
	return n > 0, err
}

// UpdateEndUser sets end user id's identifier and the profile fields given
// (empty ones keep what is stored).
func (t *Txn) UpdateEndUser(id int64, identifier, name, email, phone string) error {
	_, err := t.tx.ExecContext(t.ctx, `UPDATE end_users SET identifier = ?,
		name = CASE WHEN ? <> '' THEN ? ELSE name END,
		email = CASE WHEN ? <> '' THEN ? ELSE email END,
		phone = CASE WHEN ? <> '' THEN ? ELSE phone END WHERE id = ?`,
		identifier, name, name, email, email, phone, phone, id)
	return err
}

// MoveEndUser hands everything of end user from in company (chats,
// calls, emails, media, cobrowse sessions) to end user to: an anonymous
// visitor who signs in takes their history along.
func (t *Txn) MoveEndUser(company string, from, to int64) error {
	for _, q := range []string{
		`UPDATE chats SET end_user_id = ? WHERE end_user_id = ? AND company = ?`,
		`UPDATE calls SET end_user_id = ? WHERE end_user_id = ? AND company = ?`,
		`UPDATE emails SET end_user_id = ? WHERE end_user_id = ? AND company = ?`,
		`UPDATE media SET end_user_id = ? WHERE end_user_id = ? AND company = ?`,
		`UPDATE cobrowse_sessions SET end_user_id = ? WHERE end_user_id = ? AND company = ?`,
	} {
		if _, err := t.tx.ExecContext(t.ctx, q, to, from, company); err != nil {
			return err
		}
	}
	return nil
}

// DeleteSession revokes the end-user session of tokenHash.
func (t *Txn) DeleteSession(tokenHash []byte) error {
	_, err := t.tx.ExecContext(t.ctx, `DELETE FROM sessions WHERE token_hash = ?`, tokenHash)
	return err
}
