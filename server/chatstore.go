package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server/store"
)

// querier is a read of the store: its pool or a write transaction.
type querier = store.Querier

// chatRow is a chat as stored.
type chatRow = store.Chat

// loadChat reads chat id of this company; a missing chat is not_found.
func (s *Server) loadChat(ctx context.Context, q querier, id int64) (*chatRow, error) {
	c, err := store.LoadChat(ctx, q, s.company.ID, id)
	if errors.Is(err, store.ErrNoRows) {
		return nil, api.Errorf(api.CodeNotFound, "chat %d not found", id)
	}
	return c, err
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
	for _, id := range c.AgentIDs() {
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
	return store.QueuePosition(ctx, q, s.company.ID, id)
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
	return t.tx.SaveStatus(c, now)
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
	next, err := t.tx.NextIndex(c.ID, now.UnixMilli(), m.UserType == api.UserEndUser)
	if err != nil {
		return api.Message{}, err
	}
	m.Index = next
	m.SID = fmt.Sprintf("c%d-m%d", c.ID, m.Index)
	m.Timestamp = now.UTC().Format(timeFormat)
	if err := t.tx.InsertMessage(c.ID, &m, now.UnixMilli()); err != nil {
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
	return store.MessageByClientID(ctx, q, chatID, clientID)
}

// messages lists a chat's messages (store.Messages).
func (s *Server) messages(ctx context.Context, q querier, chatID, after, before int64, limit int) ([]api.Message, error) {
	return store.Messages(ctx, q, chatID, after, before, limit)
}
