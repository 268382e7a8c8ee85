package store

// InsertFeedback records what an end user told about a chat (kind: a
// survey's answers, a rating, a tracked event, a channel choice) as JSON,
// at now (Unix milliseconds).
func (t *Txn) InsertFeedback(chatID int64, kind string, body []byte, now int64) error {
	_, err := t.tx.ExecContext(t.ctx, `INSERT INTO chat_feedback (chat_id, kind, body, created_at) VALUES (?, ?, ?, ?)`,
		chatID, kind, string(body), now)
	return err
}
