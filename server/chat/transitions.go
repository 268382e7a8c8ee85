package chat

import (
	"unicode/utf8"

	"github.com/ccaip/headless-go/api"
)

// The transitions the HTTP APIs ask for by name, beyond the ones the
// state machine shares with the agents (CreateChat, Escalate, Assign,
// Finish in chats.go).

// Destroy closes c at the end user's request (destroyChat); a destroyed
// chat stays destroyed.
func (t *Txn) Destroy(c *Row) error {
	if c.Status == api.StatusDestroyed {
		return nil
	}
	agent := c.AgentID
	if err := t.SetStatus(c, api.StatusDestroyed); err != nil {
		return err
	}
	if agent != 0 {
		t.Emit(api.Event{Type: api.EventMemberLeft, ChatID: c.ID, Identity: t.s.AgentIdentity(agent)})
	}
	if err := t.Noti(c, api.NotiChatEnded, "The chat was closed by the end user"); err != nil {
		return err
	}
	return t.ChatEvent(c)
}

// Resume reopens an ended chat c of end user endUserID (resumeChat): back
// in the queue, or with the virtual agent it was dismissed from. An end
// user has one ongoing chat at a time.
func (t *Txn) Resume(c *Row, endUserID int64) error {
	if api.IsOngoing(c.Status) {
		return nil
	}
	if !api.IsResumable(c.Status) {
		return api.Errorf(api.CodeConflict, "chat %d is %s and cannot be resumed", c.ID, c.Status)
	}
	cur, err := t.s.OngoingChat(t.Ctx, t.Tx, endUserID)
	if err != nil {
		return err
	}
	if cur != nil {
		return api.Errorf(api.CodeChatAlreadyActive, "chat %d is still ongoing", cur.ID)
	}
	next := api.StatusQueued
	if c.Status == api.StatusVADismissed {
		next = api.StatusVAAssigned
	}
	c.AgentID = 0
	if err := t.SetStatus(c, next); err != nil {
		return err
	}
	if err := t.TouchEndUser(c); err != nil {
		return err
	}
	if err := t.Noti(c, api.NotiChatResumed, "The chat was resumed"); err != nil {
		return err
	}
	return t.ChatEvent(c)
}

// Save stores c's fields as they are (its deflection channel, say) and
// publishes its state.
func (t *Txn) Save(c *Row) error {
	if err := t.SetStatus(c, c.Status); err != nil {
		return err
	}
	return t.ChatEvent(c)
}

// Requeue puts an assigned chat back in the queue: its agent leaves.
func (t *Txn) Requeue(c *Row) error {
	if c.Status != api.StatusAssigned {
		return api.Errorf(api.CodeConflict, "chat %d is %s, not assigned", c.ID, c.Status)
	}
	t.Emit(api.Event{Type: api.EventMemberLeft, ChatID: c.ID, Identity: t.s.AgentIdentity(c.AgentID)})
	c.AgentID = 0
	if err := t.SetStatus(c, api.StatusQueued); err != nil {
		return err
	}
	if err := t.Noti(c, api.NotiBackToQueue, "The chat is back in the queue"); err != nil {
		return err
	}
	return t.ChatEvent(c)
}

// Deflect ends an ongoing chat as deflected to its deflection channel.
func (t *Txn) Deflect(c *Row) error {
	if !api.IsOngoing(c.Status) {
		return api.Errorf(api.CodeConflict, "chat %d is %s", c.ID, c.Status)
	}
	c.AgentID = 0
	if err := t.SetStatus(c, api.StatusDeflected); err != nil {
		return err
	}
	if err := t.Noti(c, api.NotiEscalationDeflected, "The chat was deflected to "+c.DeflectionChannel); err != nil {
		return err
	}
	return t.ChatEvent(c)
}

// AgentOwns checks that agent a can act on c: c is assigned to a, or
// still waiting (queued), in which case acting accepts it.
func (t *Txn) AgentOwns(c *Row, a *api.Agent) error {
	switch {
	case c.Status == api.StatusAssigned && c.AgentID == a.ID:
		return nil
	case c.Status == api.StatusQueued:
		return t.Assign(c, a)
	case c.Status == api.StatusAssigned:
		return api.Errorf(api.CodeConflict, "chat %d is with another agent", c.ID)
	}
	return api.Errorf(api.CodeConflict, "chat %d is %s", c.ID, c.Status)
}

// PickAgent resolves the agent acting on c: the one named, else the
// chat's current agent, else the company's first.
func (s *Domain) PickAgent(c *Row, id int64) (*api.Agent, error) {
	if id == 0 {
		id = c.AgentID
	}
	if id == 0 && len(s.company.Agents) > 0 {
		id = s.company.Agents[0].ID
	}
	a := s.company.Agent(id)
	if a == nil {
		return nil, api.Errorf(api.CodeInvalidArgument, "agent %d does not exist", id)
	}
	return a, nil
}

// Typing tells the members of ongoing chat c that who started or stopped
// typing.
func (t *Txn) Typing(c *Row, who *api.Identity, typing bool) error {
	if !api.IsOngoing(c.Status) {
		return api.Errorf(api.CodeConflict, "chat %d is %s", c.ID, c.Status)
	}
	typ := api.EventTypingEnd
	if typing {
		typ = api.EventTypingStart
	}
	t.Emit(api.Event{Type: typ, ChatID: c.ID, Identity: who})
	return nil
}

// Preview checks the text the end user is typing in c, which only agents
// see: the company must show previews, the chat be ongoing.
func (s *Domain) Preview(c *Row, content string) error {
	if !s.company.MessagePreview {
		return api.Errorf(api.CodeForbidden, "message preview is disabled for this company")
	}
	if n := utf8.RuneCountInString(content); n > api.MaxTextLength {
		return api.Errorf(api.CodeTooLarge, "preview is %d characters, over the %d limit", n, api.MaxTextLength)
	}
	if !api.IsOngoing(c.Status) {
		return api.Errorf(api.CodeConflict, "chat %d is %s", c.ID, c.Status)
	}
	return nil
}

// AgentMessage adds agent a's message m to c (the agent must already act
// on c: Assign, AgentOwns); a form message also requests the form.
func (t *Txn) AgentMessage(c *Row, a *api.Agent, m api.Message) (api.Message, error) {
	m.UserType, m.UserID, m.UserName = api.UserAgent, a.ID, a.Name
	m, err := t.AddMessage(c, m)
	if err != nil {
		return m, err
	}
	if m.Type == api.MsgForm {
		return m, t.Noti(c, api.NotiFormRequested, "A form was requested")
	}
	return m, nil
}

// SetDeflectionChannel records the backend's pick of channel for
// escalation eid of c and applies it when it is a deflection channel
// (ChooseDeflection); it returns the escalation.
func (t *Txn) SetDeflectionChannel(c *Row, eid int64, channel string) (api.Escalation, error) {
	found, err := t.Tx.SetEscalationChannel(c.ID, eid, channel)
	if err != nil {
		return api.Escalation{}, err
	}
	if !found {
		return api.Escalation{}, api.Errorf(api.CodeNotFound, "escalation %d of chat %d not found", eid, c.ID)
	}
	c.DeflectionChannel = channel
	if err := t.SetStatus(c, c.Status); err != nil {
		return api.Escalation{}, err
	}
	if IsDeflectionChannel(channel) {
		if err := t.ChooseDeflection(c, eid, channel); err != nil {
			return api.Escalation{}, err
		}
	}
	return t.Escalation(eid)
}
