package store

import (
	"context"
	"fmt"

	"github.com/ccaip/headless-go/api"
)

// Transcript is a PDF transcript of a chat as stored.
type Transcript struct {
	ID, ChatID                int64
	Status, FailedReason, Key string // Key: the media key once ready
}

// InsertTranscript records a pending transcript of chatID at now (Unix
// milliseconds) and returns its id.
func (t *Txn) InsertTranscript(chatID, now int64) (int64, error) {
	res, err := t.tx.ExecContext(t.ctx, `INSERT INTO transcripts (chat_id, status, created_at) VALUES (?, ?, ?)`,
		chatID, api.TranscriptPending, now)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// SetTranscriptStatus records how rendering transcript id ended.
func (t *Txn) SetTranscriptStatus(id int64, status, reason, key string) error {
	_, err := t.tx.ExecContext(t.ctx, `UPDATE transcripts SET status = ?, failed_reason = ?, media_key = ? WHERE id = ?`,
		status, reason, key, id)
	return err
}

// PendingTranscripts lists the transcripts still to render.
func PendingTranscripts(ctx context.Context, q Querier) ([]int64, error) {
	ids, err := scanIDs(q.QueryContext(ctx, `SELECT id FROM transcripts WHERE status = ?`, api.TranscriptPending))
	if err != nil {
		return nil, fmt.Errorf("pending transcripts: %w", err)
	}
	return ids, nil
}

// TranscriptChat is the chat transcript id is of.
func TranscriptChat(ctx context.Context, q Querier, id int64) (int64, error) {
	var chatID int64
	err := q.QueryRowContext(ctx, `SELECT chat_id FROM transcripts WHERE id = ?`, id).Scan(&chatID)
	return chatID, err
}

// EndUserTranscript reads transcript id of a chat of company and end user
// endUserID; sql.ErrNoRows (unwrapped) when there is none.
func EndUserTranscript(ctx context.Context, q Querier, company string, endUserID, id int64) (Transcript, error) {
	tr := Transcript{ID: id}
	err := q.QueryRowContext(ctx, `SELECT t.chat_id, t.status, t.failed_reason, t.media_key FROM transcripts t
		JOIN chats c ON c.id = t.chat_id WHERE t.id = ? AND c.company = ? AND c.end_user_id = ?`, id, company, endUserID).
		Scan(&tr.ChatID, &tr.Status, &tr.FailedReason, &tr.Key)
	return tr, err
}
