package store

import (
	"context"
	"fmt"

	"github.com/ccaip/headless-go/api"
)

// The agent console's reads: its chat lists, an end user's name, the
// ratings and survey answers.

func listChats(ctx context.Context, q Querier, company, where, order string, args ...any) ([]*Chat, error) {
	return scanChats(q.QueryContext(ctx, `SELECT `+chatColumns+` FROM chats c JOIN end_users u ON u.id = c.end_user_id
		WHERE c.company = ? AND `+where+` ORDER BY `+order, append([]any{company}, args...)...))
}

// QueuedChats lists the company's queued chats, oldest first.
func QueuedChats(ctx context.Context, q Querier, company string) ([]*Chat, error) {
	return listChats(ctx, q, company, "c.status = ?", "c.id", api.StatusQueued)
}

// EscalatedChats lists the company's queued or assigned chats that were
// escalated from a virtual agent, oldest first.
func EscalatedChats(ctx context.Context, q Querier, company string) ([]*Chat, error) {
	return listChats(ctx, q, company, "c.status IN (?, ?) AND c.escalation_id <> 0", "c.id", api.StatusQueued, api.StatusAssigned)
}

// AssignedChats lists the chats assigned to agent agentID, oldest first.
func AssignedChats(ctx context.Context, q Querier, company string, agentID int64) ([]*Chat, error) {
	return listChats(ctx, q, company, "c.status = ? AND c.agent_id = ?", "c.id", api.StatusAssigned, agentID)
}

// RecentlyEndedChats lists the company's chats that are over, last
// changed first, at most limit.
func RecentlyEndedChats(ctx context.Context, q Querier, company string, limit int) ([]*Chat, error) {
	return listChats(ctx, q, company, "c.status NOT IN (?, ?, ?)", "c.updated_at DESC, c.id DESC LIMIT ?",
		api.StatusVAAssigned, api.StatusQueued, api.StatusAssigned, limit)
}

// EndUserName is end user id's name.
func EndUserName(ctx context.Context, q Querier, id int64) (string, error) {
	var name string
	err := q.QueryRowContext(ctx, `SELECT name FROM end_users WHERE id = ?`, id).Scan(&name)
	return name, err
}

// EscalationStatusOf reads the status of escalation id.
func EscalationStatusOf(ctx context.Context, q Querier, id int64) (string, error) {
	var st string
	err := q.QueryRowContext(ctx, `SELECT status FROM escalations WHERE id = ?`, id).Scan(&st)
	return st, err
}

// Feedback is one thing an end user told about a chat (InsertFeedback).
type Feedback struct {
	ChatID    int64
	Kind      string
	Body      string // JSON
	CreatedAt int64  // Unix milliseconds
}

// FeedbackOf lists the company's feedback of the given kinds, of chat
// chatID (0: every chat), newest first, at most limit.
func FeedbackOf(ctx context.Context, q Querier, company string, kinds [2]string, chatID int64, limit int) ([]Feedback, error) {
	where, args := "1 = 1", []any{company, kinds[0], kinds[1]}
	if chatID != 0 {
		where, args = "chat_id = ?", append(args, chatID)
	}
	rows, err := q.QueryContext(ctx, `SELECT f.chat_id, f.kind, f.body, f.created_at FROM chat_feedback f JOIN chats c ON c.id = f.chat_id
		WHERE c.company = ? AND f.kind IN (?, ?) AND `+where+` ORDER BY f.created_at DESC, f.rowid DESC LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("list feedback: %w", err)
	}
	defer rows.Close()
	var out []Feedback
	for rows.Next() {
		var f Feedback
		if err := rows.Scan(&f.ChatID, &f.Kind, &f.Body, &f.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}
