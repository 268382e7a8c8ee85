package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/ccaip/headless-go/api"
)

// Chat is a chat as stored, with its end user's identifier.
type Chat struct {
	ID                int64
	EndUserID         int64
	Identifier        string
	MenuID            int64
	Lang              string
	Status            string
	CreatedAt         int64
	UpdatedAt         int64
	FinishedAt        int64
	LastActivityAt    int64
	AgentID           int64
	VAID              int64
	AllAgents         string
	EscalationID      int64
	DeflectionChannel string
	LastIndex         int64
	Email             string
	CustomData        string
	VerifiedCustomer  bool
	BadActor          bool
	RepeatCustomer    bool
	PSRequired        bool
	PSOptInRequired   bool
	PSStatus          string
	Rated             bool
	SurveyAnswered    bool
}

// chatColumns selects a Chat from "chats c JOIN end_users u ON u.id =
// c.end_user_id", in scanChat's order.
const chatColumns = `c.id, c.end_user_id, u.identifier, c.menu_id, c.lang, c.status, c.created_at, c.updated_at, c.finished_at,
	c.last_activity_at, c.agent_id, c.va_id, c.all_agents, c.escalation_id, c.deflection_channel, c.last_index, c.email,
	c.custom_data, c.verified_customer, c.bad_actor, c.repeat_customer, c.post_session_required,
	c.post_session_opt_in_required, c.post_session_status, c.rated, c.survey_answered`

// scanChat reads a row of chatColumns.
func scanChat(row interface{ Scan(...any) error }) (*Chat, error) {
	c := &Chat{}
	err := row.Scan(&c.ID, &c.EndUserID, &c.Identifier, &c.MenuID, &c.Lang, &c.Status, &c.CreatedAt, &c.UpdatedAt, &c.FinishedAt,
		&c.LastActivityAt, &c.AgentID, &c.VAID, &c.AllAgents, &c.EscalationID, &c.DeflectionChannel, &c.LastIndex, &c.Email,
		&c.CustomData, &c.VerifiedCustomer, &c.BadActor, &c.RepeatCustomer, &c.PSRequired,
		&c.PSOptInRequired, &c.PSStatus, &c.Rated, &c.SurveyAnswered)
	return c, err
}

// LoadChat reads chat id of company; sql.ErrNoRows (unwrapped) when there
// is none.
func LoadChat(ctx context.Context, q Querier, company string, id int64) (*Chat, error) {
	t, inTxn := q.(*Txn)
	if inTxn {
		if cc, ok := t.tx.chats[id]; ok && cc.company == company {
			c := cc.chat
			return &c, nil
		}
	}
	c, err := scanChat(q.QueryRowContext(ctx, `SELECT `+chatColumns+` FROM chats c JOIN end_users u ON u.id = c.end_user_id
		WHERE c.id = ? AND c.company = ?`, id, company))
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("load chat %d: %w", id, err)
	}
	if err == nil && inTxn {
		t.tx.chats[id] = cachedChat{company: company, chat: *c}
	}
	return c, err
}

// OngoingChat returns the end user's ongoing chat (with the virtual agent,
// queued or assigned), or nil.
func OngoingChat(ctx context.Context, q Querier, endUserID int64) (*Chat, error) {
	c, err := scanChat(q.QueryRowContext(ctx, `SELECT `+chatColumns+` FROM chats c JOIN end_users u ON u.id = c.end_user_id
		WHERE c.end_user_id = ? AND c.status IN (?, ?, ?) ORDER BY c.id DESC LIMIT 1`,
		endUserID, api.StatusVAAssigned, api.StatusQueued, api.StatusAssigned))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return c, err
}

// QueuePosition is 1 for the oldest queued chat of the company.
func QueuePosition(ctx context.Context, q Querier, company string, id int64) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM chats WHERE company = ? AND status = ? AND id <= ?`,
		company, api.StatusQueued, id).Scan(&n)
	return n, err
}

// AgentIDs lists every agent that was on the chat.
func (c *Chat) AgentIDs() []int64 {
	var ids []int64
	for _, f := range strings.Split(c.AllAgents, ",") {
		if id, err := strconv.ParseInt(f, 10, 64); err == nil {
			ids = append(ids, id)
		}
	}
	return ids
}

// SaveStatus writes c's status and agent fields, with the activity at now
// (Unix milliseconds).
func (t *Txn) SaveStatus(c *Chat, now int64) error {
	_, err := t.tx.ExecContext(t.ctx, `UPDATE chats SET status = ?, updated_at = ?, finished_at = ?, agent_id = ?, all_agents = ?,
		escalation_id = ?, deflection_channel = ?, last_activity_at = ? WHERE id = ?`,
		c.Status, c.UpdatedAt, c.FinishedAt, c.AgentID, c.AllAgents, c.EscalationID, c.DeflectionChannel, now, c.ID)
	return err
}
