package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/ccaip/headless-go/api"
)

// Media is a stored file as the media table knows it. A file belongs to a
// chat (ChatID), or to an email (EmailID) and its sender (EndUserID).
type Media struct {
	ID          int64
	Key         string
	Kind        string // api.MsgPhoto, api.MsgVideo or api.MsgFile
	ChatID      int64
	EmailID     int64
	EndUserID   int64
	Name        string
	ContentType string
	Size        int64
	Caption     string
}

// ErrDuplicate answers an insert whose unique key is taken.
var ErrDuplicate = errors.New("already stored")

// InsertMedia records a stored file of company at now (Unix
// milliseconds) and sets m.ID; a key already recorded is ErrDuplicate.
func (t *Txn) InsertMedia(company string, m *Media, now int64) error {
	res, err := t.tx.ExecContext(t.ctx, `INSERT INTO media (company, key, kind, chat_id, email_id, end_user_id, name, content_type, size, caption, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		company, m.Key, m.Kind, m.ChatID, m.EmailID, m.EndUserID, m.Name, m.ContentType, m.Size, m.Caption, now)
	if err != nil {
		if strings.Contains(err.Error(), "UNIQUE") {
			return fmt.Errorf("insert media %s: %w", m.Key, ErrDuplicate)
		}
		return fmt.Errorf("insert media: %w", err)
	}
	m.ID, err = res.LastInsertId()
	return err
}

const mediaColumns = `id, key, kind, chat_id, email_id, end_user_id, name, content_type, size, caption`

func scanMedia(row interface{ Scan(...any) error }) (*Media, error) {
	m := &Media{}
	err := row.Scan(&m.ID, &m.Key, &m.Kind, &m.ChatID, &m.EmailID, &m.EndUserID, &m.Name, &m.ContentType, &m.Size, &m.Caption)
	return m, err
}

// LoadMedia reads media id of company; sql.ErrNoRows (unwrapped) when
// there is none.
func LoadMedia(ctx context.Context, q Querier, company string, id int64) (*Media, error) {
	m, err := scanMedia(q.QueryRowContext(ctx, `SELECT `+mediaColumns+` FROM media WHERE id = ? AND company = ?`, id, company))
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("load media %d: %w", id, err)
	}
	return m, err
}

// ChatMedia lists a chat's files of one kind, oldest first.
func ChatMedia(ctx context.Context, q Querier, company string, chatID int64, kind string) ([]*Media, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+mediaColumns+` FROM media WHERE chat_id = ? AND kind = ? AND company = ? ORDER BY id`,
		chatID, kind, company)
	if err != nil {
		return nil, fmt.Errorf("list media: %w", err)
	}
	defer rows.Close()
	var out []*Media
	for rows.Next() {
		m, err := scanMedia(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// FileInfo is m's wire form, downloaded from url.
func (m *Media) FileInfo(url string) *api.FileInfo {
	return &api.FileInfo{Name: m.Name, ContentType: m.ContentType, Size: m.Size, URL: url, Caption: m.Caption}
}
