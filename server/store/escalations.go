package store

import "github.com/ccaip/headless-go/api"

// InsertEscalation records an escalation of chatID, queued, at now (Unix
// milliseconds) and returns its id.
func (t *Txn) InsertEscalation(chatID int64, reason string, now int64) (int64, error) {
	res, err := t.tx.ExecContext(t.ctx, `INSERT INTO escalations (chat_id, status, reason, created_at) VALUES (?, ?, ?, ?)`,
		chatID, api.StatusQueued, reason, now)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// Escalation reads escalation id in its wire form.
func (t *Txn) Escalation(id int64) (api.Escalation, error) {
	var e api.Escalation
	err := t.tx.QueryRowContext(t.ctx, `SELECT id, chat_id, status, deflection_channel FROM escalations WHERE id = ?`, id).
		Scan(&e.ID, &e.ChatID, &e.Status, &e.DeflectionChannel)
	return e, err
}

// EscalationStatus reads the status of escalation id of chatID;
// sql.ErrNoRows (unwrapped) when there is none.
func (t *Txn) EscalationStatus(chatID, id int64) (string, error) {
	var status string
	err := t.tx.QueryRowContext(t.ctx, `SELECT status FROM escalations WHERE id = ? AND chat_id = ?`, id, chatID).Scan(&status)
	return status, err
}

// SetEscalationStatus moves escalation id to status.
func (t *Txn) SetEscalationStatus(id int64, status string) error {
	_, err := t.tx.ExecContext(t.ctx, `UPDATE escalations SET status = ? WHERE id = ?`, status, id)
	return err
}

// SetEscalationChannel records the deflection channel picked on
// escalation id of chatID; it reports whether there is such an escalation.
func (t *Txn) SetEscalationChannel(chatID, id int64, channel string) (bool, error) {
	res, err := t.tx.ExecContext(t.ctx, `UPDATE escalations SET deflection_channel = ? WHERE id = ? AND chat_id = ?`, channel, id, chatID)
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}
