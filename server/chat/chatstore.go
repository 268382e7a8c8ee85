package chat

import (
	"context"
	"errors"
	"fmt"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server/store"
)

// Querier is a read of the store: its pool or a write transaction.
type Querier = store.Querier

// Row is a chat as stored.
type Row = store.Chat

// LoadChat reads chat id of this company; a missing chat is not_found.
func (s *Domain) LoadChat(ctx context.Context, q Querier, id int64) (*Row, error) {
	c, err := store.LoadChat(ctx, q, s.company.ID, id)
	if errors.Is(err, store.ErrNoRows) {
		return nil, api.Errorf(api.CodeNotFound, "chat %d not found", id)
	}
	return c, err
}

// OwnChat loads a chat of end user endUserID. Another user's chat answers
// exactly like a missing one, so ids reveal nothing.
func (s *Domain) OwnChat(ctx context.Context, q Querier, endUserID, id int64) (*Row, error) {
	c, err := s.LoadChat(ctx, q, id)
	if err != nil {
		return nil, err
	}
	if c.EndUserID != endUserID {
		return nil, api.Errorf(api.CodeNotFound, "chat %d not found", id)
	}
	return c, nil
}

// OngoingChat returns the end user's ongoing chat, or nil.
func (s *Domain) OngoingChat(ctx context.Context, q Querier, endUserID int64) (*Row, error) {
	return store.OngoingChat(ctx, q, endUserID)
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

// MenuPath lists the menus from the root down to id.
func (s *Domain) MenuPath(id int64, lang string) []api.MenuRef {
	var path []api.MenuRef
	var walk func([]Menu) bool
	walk = func(ms []Menu) bool {
		for i := range ms {
			path = append(path, api.MenuRef{ID: ms[i].ID, Name: ms[i].LocalName(lang)})
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

// APIChat is the wire form of c.
func (s *Domain) APIChat(ctx context.Context, q Querier, c *Row) (api.Chat, error) {
	out := api.Chat{
		ID:                        c.ID,
		Status:                    c.Status,
		StatusText:                statusText[c.Status],
		Features:                  []string{"text", "photo", "video", "file", "cobrowse", "transcript"},
		CreatedAt:                 FmtTime(c.CreatedAt),
		AllAgents:                 []api.Agent{},
		AllVirtualAgents:          []api.VirtualAgent{},
		Lang:                      c.Lang,
		Menus:                     s.MenuPath(c.MenuID, c.Lang),
		EndUser:                   api.EndUserRef{ID: c.EndUserID, Identifier: c.Identifier},
		MenuID:                    c.MenuID,
		LastIndex:                 c.LastIndex,
		EscalationID:              c.EscalationID,
		DeflectionChannel:         c.DeflectionChannel,
		FinishedAt:                FmtTime(c.FinishedAt),
		TimeoutAt:                 FmtTime(s.timeoutAt(c)),
		PostSessionRequired:       c.PSRequired,
		PostSessionOptInRequired:  c.PSOptInRequired,
		PostSessionTransferStatus: c.PSStatus,
		Rated:                     c.Rated,
		SurveyAnswered:            c.SurveyAnswered,
	}
	if c.AgentID != 0 {
		out.Agent = s.company.Agent(c.AgentID)
	}
	for _, id := range c.AgentIDs() {
		if a := s.company.Agent(id); a != nil {
			out.AllAgents = append(out.AllAgents, *a)
		}
	}
	if c.VAID != 0 {
		if m := s.company.FindMenu(c.MenuID); m != nil && m.VirtualAgent != nil {
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
func (s *Domain) queuePosition(ctx context.Context, q Querier, id int64) (int, error) {
	return store.QueuePosition(ctx, q, s.company.ID, id)
}

// SetStatus changes c's status and the agent fields given.
func (t *Txn) SetStatus(c *Row, status string) error {
	now := t.s.now().UnixMilli()
	c.Status, c.UpdatedAt = status, now
	if status == api.StatusFinished || status == api.StatusTimeout || status == api.StatusDeflected || status == api.StatusDestroyed {
		if c.FinishedAt == 0 {
			c.FinishedAt = now
		}
	}
	return t.Tx.SaveStatus(c, now)
}

// ChatEvent publishes c's current state.
func (t *Txn) ChatEvent(c *Row) error {
	ac, err := t.s.APIChat(t.Ctx, t.Tx, c)
	if err != nil {
		return err
	}
	t.Emit(api.Event{Type: api.EventChat, ChatID: c.ID, Chat: &ac})
	if c.Status == api.StatusQueued {
		t.Emit(api.Event{Type: api.EventQueue, ChatID: c.ID, Position: ac.QueuePosition})
	}
	return nil
}

// AddMessage stores m as c's next message, assigning its $index, $sid and
// timestamp in this transaction.
func (t *Txn) AddMessage(c *Row, m api.Message) (api.Message, error) {
	if err := CheckMessageParts(&m); err != nil {
		return api.Message{}, err
	}
	now := t.s.now()
	next, err := t.Tx.NextIndex(c.ID, now.UnixMilli(), m.UserType == api.UserEndUser)
	if err != nil {
		return api.Message{}, err
	}
	m.Index = next
	m.SID = fmt.Sprintf("c%d-m%d", c.ID, m.Index)
	m.Timestamp = now.UTC().Format(TimeFormat)
	if err := t.Tx.InsertMessage(c.ID, &m, now.UnixMilli()); err != nil {
		return api.Message{}, err
	}
	c.LastIndex = m.Index
	mm := m
	t.Emit(api.Event{Type: api.EventMessage, ChatID: c.ID, Message: &mm})
	return m, nil
}

// Noti adds a system notification message.
func (t *Txn) Noti(c *Row, event, content string) error {
	_, err := t.AddMessage(c, api.Message{UserType: api.UserSystem, Type: api.MsgNoti, Event: event, Content: content})
	return err
}

// MessageByClientID finds an earlier message with the same idempotency key.
func (s *Domain) MessageByClientID(ctx context.Context, q Querier, chatID int64, clientID string) (*api.Message, error) {
	return store.MessageByClientID(ctx, q, chatID, clientID)
}

// Messages lists a chat's messages (store.Messages).
func (s *Domain) Messages(ctx context.Context, q Querier, chatID, after, before int64, limit int) ([]api.Message, error) {
	return store.Messages(ctx, q, chatID, after, before, limit)
}
