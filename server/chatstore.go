package server

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server/store"
)

// querier is a read of the store: its pool or a write transaction.
type querier = store.Querier

// chatRow is a chat as stored.
type chatRow struct {
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

const chatColumns = `c.id, c.end_user_id, u.identifier, c.menu_id, c.lang, c.status, c.created_at, c.updated_at, c.finished_at,
	c.last_activity_at, c.agent_id, c.va_id, c.all_agents, c.escalation_id, c.deflection_channel, c.last_index, c.email,
	c.custom_data, c.verified_customer, c.bad_actor, c.repeat_customer, c.post_session_required,
	c.post_session_opt_in_required, c.post_session_status, c.rated, c.survey_answered`

func scanChat(row interface{ Scan(...any) error }) (*chatRow, error) {
	c := &chatRow{}
	err := row.Scan(&c.ID, &c.EndUserID, &c.Identifier, &c.MenuID, &c.Lang, &c.Status, &c.CreatedAt, &c.UpdatedAt, &c.FinishedAt,
		&c.LastActivityAt, &c.AgentID, &c.VAID, &c.AllAgents, &c.EscalationID, &c.DeflectionChannel, &c.LastIndex, &c.Email,
		&c.CustomData, &c.VerifiedCustomer, &c.BadActor, &c.RepeatCustomer, &c.PSRequired,
		&c.PSOptInRequired, &c.PSStatus, &c.Rated, &c.SurveyAnswered)
	return c, err
}

// loadChat reads chat id of this company; a missing chat is not_found.
func (s *Server) loadChat(ctx context.Context, q querier, id int64) (*chatRow, error) {
	c, err := scanChat(q.QueryRowContext(ctx, `SELECT `+chatColumns+` FROM chats c JOIN end_users u ON u.id = c.end_user_id
		WHERE c.id = ? AND c.company = ?`, id, s.company.ID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, api.Errorf(api.CodeNotFound, "chat %d not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("load chat %d: %w", id, err)
	}
	return c, nil
}

// pathAnyChat loads the chat the path's {id} names, whoever's it is: for
// agents and the REST API.
func (s *Server) pathAnyChat(r *http.Request) (*chatRow, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.loadChat(r.Context(), s.db, id)
}

// pathChat loads the chat the path's {id} names, if it is u's (ownChat).
func (s *Server) pathChat(r *http.Request, u *endUser) (*chatRow, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.ownChat(r.Context(), s.db, u, id)
}

// ownChat loads a chat of end user u. Another user's chat answers exactly
// like a missing one, so ids reveal nothing.
func (s *Server) ownChat(ctx context.Context, q querier, u *endUser, id int64) (*chatRow, error) {
	c, err := s.loadChat(ctx, q, id)
	if err != nil {
		return nil, err
	}
	if c.EndUserID != u.ID {
		return nil, api.Errorf(api.CodeNotFound, "chat %d not found", id)
	}
	return c, nil
}

// ongoingChat returns the end user's ongoing chat, or nil.
func (s *Server) ongoingChat(ctx context.Context, q querier, endUserID int64) (*chatRow, error) {
	c, err := scanChat(q.QueryRowContext(ctx, `SELECT `+chatColumns+` FROM chats c JOIN end_users u ON u.id = c.end_user_id
		WHERE c.end_user_id = ? AND c.status IN (?, ?, ?) ORDER BY c.id DESC LIMIT 1`,
		endUserID, api.StatusVAAssigned, api.StatusQueued, api.StatusAssigned))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return c, err
}

// statusText is the human-readable form of a status.
var statusText = map[string]string{
	api.StatusVAAssigned:  "Chatting with a virtual agent",
	api.StatusQueued:      "Waiting for an agent",
	api.StatusAssigned:    "Chatting with an agent",
	api.StatusVADismissed: "Dismissed while with the virtual agent",
	api.StatusDismissed:   "Dismissed",
	api.StatusDeflected:   "Deflected",
	api.StatusTimeout:     "Timed out",
	api.StatusFinished:    "Finished",
	api.StatusDestroyed:   "Destroyed",
}

func (c *chatRow) agentIDs() []int64 {
	var ids []int64
	for _, f := range strings.Split(c.AllAgents, ",") {
		if id, err := strconv.ParseInt(f, 10, 64); err == nil {
			ids = append(ids, id)
		}
	}
	return ids
}

// menuPath lists the menus from the root down to id.
func (s *Server) menuPath(id int64, lang string) []api.MenuRef {
	var path []api.MenuRef
	var walk func([]Menu) bool
	walk = func(ms []Menu) bool {
		for i := range ms {
			path = append(path, api.MenuRef{ID: ms[i].ID, Name: ms[i].name(lang)})
			if ms[i].ID == id || walk(ms[i].Children) {
				return true
			}
			path = path[:len(path)-1]
		}
		return false
	}
	if !walk(s.company.Menus) {
		return []api.MenuRef{}
	}
	return path
}

// apiChat is the wire form of c.
func (s *Server) apiChat(ctx context.Context, q querier, c *chatRow) (api.Chat, error) {
	out := api.Chat{
		ID:                        c.ID,
		Status:                    c.Status,
		StatusText:                statusText[c.Status],
		Features:                  []string{"text", "photo", "video", "file", "cobrowse", "transcript"},
		CreatedAt:                 fmtTime(c.CreatedAt),
		AllAgents:                 []api.Agent{},
		AllVirtualAgents:          []api.VirtualAgent{},
		Lang:                      c.Lang,
		Menus:                     s.menuPath(c.MenuID, c.Lang),
		EndUser:                   api.EndUserRef{ID: c.EndUserID, Identifier: c.Identifier},
		MenuID:                    c.MenuID,
		LastIndex:                 c.LastIndex,
		EscalationID:              c.EscalationID,
		DeflectionChannel:         c.DeflectionChannel,
		FinishedAt:                fmtTime(c.FinishedAt),
		TimeoutAt:                 fmtTime(s.timeoutAt(c)),
		PostSessionRequired:       c.PSRequired,
		PostSessionOptInRequired:  c.PSOptInRequired,
		PostSessionTransferStatus: c.PSStatus,
		Rated:                     c.Rated,
		SurveyAnswered:            c.SurveyAnswered,
	}
	if c.AgentID != 0 {
		out.Agent = s.company.agent(c.AgentID)
	}
	for _, id := range c.agentIDs() {
		if a := s.company.agent(id); a != nil {
			out.AllAgents = append(out.AllAgents, *a)
		}
	}
	if c.VAID != 0 {
		if m := s.company.menu(c.MenuID); m != nil && m.VirtualAgent != nil {
			va := *m.VirtualAgent
			out.AllVirtualAgents = append(out.AllVirtualAgents, va)
			if c.Status == api.StatusVAAssigned || c.Status == api.StatusVADismissed {
				out.VirtualAgent = &va
			}
		}
	}
	if c.Status == api.StatusQueued {
		pos, err := s.queuePosition(ctx, q, c.ID)
		if err != nil {
			return api.Chat{}, err
		}
		out.QueuePosition = pos
	}
	return out, nil
}

// queuePosition is 1 for the oldest queued chat of the company.
func (s *Server) queuePosition(ctx context.Context, q querier, id int64) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM chats WHERE company = ? AND status = ? AND id <= ?`,
		s.company.ID, api.StatusQueued, id).Scan(&n)
	return n, err
}

// setStatus changes c's status and the agent fields given.
func (t *txn) setStatus(c *chatRow, status string) error {
	now := t.s.now().UnixMilli()
	c.Status, c.UpdatedAt = status, now
	if status == api.StatusFinished || status == api.StatusTimeout || status == api.StatusDeflected || status == api.StatusDestroyed {
		if c.FinishedAt == 0 {
			c.FinishedAt = now
		}
	}
	_, err := t.tx.ExecContext(t.ctx, `UPDATE chats SET status = ?, updated_at = ?, finished_at = ?, agent_id = ?, all_agents = ?,
		escalation_id = ?, deflection_channel = ?, last_activity_at = ? WHERE id = ?`,
		c.Status, c.UpdatedAt, c.FinishedAt, c.AgentID, c.AllAgents, c.EscalationID, c.DeflectionChannel, now, c.ID)
	return err
}

// chatEvent publishes c's current state.
func (t *txn) chatEvent(c *chatRow) error {
	ac, err := t.s.apiChat(t.ctx, t.tx, c)
	if err != nil {
		return err
	}
	t.emit(api.Event{Type: api.EventChat, ChatID: c.ID, Chat: &ac})
	if c.Status == api.StatusQueued {
		t.emit(api.Event{Type: api.EventQueue, ChatID: c.ID, Position: ac.QueuePosition})
	}
	return nil
}

// addMessage stores m as c's next message, assigning its $index, $sid and
// timestamp in this transaction.
func (t *txn) addMessage(c *chatRow, m api.Message) (api.Message, error) {
	if err := checkMessageParts(&m); err != nil {
		return api.Message{}, err
	}
	now := t.s.now()
	// One statement takes the next $index and records the activity (and,
	// for the end user's own messages, restarts the dismissal timer: see
	// touchEndUser); the message is inserted right after in the same
	// transaction.
	var next int64
	if err := t.tx.QueryRowContext(t.ctx, `UPDATE chats SET last_index = last_index + 1, last_activity_at = ?1, updated_at = ?1,
		user_activity_at = CASE WHEN ?2 THEN ?1 ELSE user_activity_at END WHERE id = ?3 RETURNING last_index`,
		now.UnixMilli(), m.UserType == api.UserEndUser, c.ID).Scan(&next); err != nil {
		return api.Message{}, err
	}
	m.Index = next
	m.SID = fmt.Sprintf("c%d-m%d", c.ID, m.Index)
	m.Timestamp = now.UTC().Format(timeFormat)
	body, err := json.Marshal(m)
	if err != nil {
		return api.Message{}, err
	}
	if _, err := t.tx.ExecContext(t.ctx, `INSERT INTO messages (chat_id, idx, client_id, created_at, body) VALUES (?, ?, ?, ?, ?)`,
		c.ID, m.Index, m.ClientID, now.UnixMilli(), string(body)); err != nil {
		return api.Message{}, err
	}
	c.LastIndex = m.Index
	mm := m
	t.emit(api.Event{Type: api.EventMessage, ChatID: c.ID, Message: &mm})
	return m, nil
}

// noti adds a system notification message.
func (t *txn) noti(c *chatRow, event, content string) error {
	_, err := t.addMessage(c, api.Message{UserType: api.UserSystem, Type: api.MsgNoti, Event: event, Content: content})
	return err
}

// messageByClientID finds an earlier message with the same idempotency key.
func (s *Server) messageByClientID(ctx context.Context, q querier, chatID int64, clientID string) (*api.Message, error) {
	var body string
	// "client_id <> ''" lets SQLite use the partial index messages_client_id
	// (it cannot know that the bound value is not ''); without it every
	// idempotent send scanned the chat's whole history.
	err := q.QueryRowContext(ctx, `SELECT body FROM messages WHERE chat_id = ? AND client_id = ? AND client_id <> ''`, chatID, clientID).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var m api.Message
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		return nil, err
	}
	return &m, nil
}

// messages lists a chat's messages with after < $index < before (before 0:
// no upper bound), at most limit. With only before set, the newest limit
// messages below it are returned, still in ascending order.
func (s *Server) messages(ctx context.Context, q querier, chatID, after, before int64, limit int) ([]api.Message, error) {
	var rows *sql.Rows
	var err error
	if before > 0 && after == 0 {
		rows, err = q.QueryContext(ctx, `SELECT body FROM (SELECT idx, body FROM messages WHERE chat_id = ? AND idx < ? ORDER BY idx DESC LIMIT ?) ORDER BY idx`,
			chatID, before, limit)
	} else {
		if before <= 0 {
			before = 1<<62 - 1
		}
		rows, err = q.QueryContext(ctx, `SELECT body FROM messages WHERE chat_id = ? AND idx > ? AND idx < ? ORDER BY idx LIMIT ?`,
			chatID, after, before, limit)
	}
	if err != nil {
		return nil, fmt.Errorf("list messages: %w", err)
	}
	defer rows.Close()
	out := []api.Message{}
	for rows.Next() {
		var body string
		if err := rows.Scan(&body); err != nil {
			return nil, err
		}
		var m api.Message
		if err := json.Unmarshal([]byte(body), &m); err != nil {
			return nil, fmt.Errorf("decode message: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}
