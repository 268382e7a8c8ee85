package chat

import (
	"encoding/json"
	"errors"

	"strconv"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server/jwtauth"
	"github.com/ccaip/headless-go/server/store"
	"github.com/ccaip/headless-go/server/webhook"
)

// NewChat is everything needed to open a chat, from either API.
type NewChat struct {
	EndUserID  int64
	MenuID     int64
	Lang       string
	Email      string
	CustomData *api.CustomData
}

// VerifyCustomData checks custom data: signed data must be an HS256 JWT
// with the company secret whose payload holds custom_data (jwtauth). It
// returns the merged fields, signed winning over unsigned, and the customer
// flags the reserved_* fields set.
func (s *Domain) VerifyCustomData(cd *api.CustomData) (map[string]api.CustomDataField, jwtauth.Flags, error) {
	fields := map[string]api.CustomDataField{}
	if cd == nil {
		return fields, jwtauth.Flags{}, nil
	}
	for k, v := range cd.Unsigned {
		fields[k] = v
	}
	if cd.Signed != "" {
		signed, err := jwtauth.VerifyCustomData(cd.Signed, []byte(s.company.Secret), jwtauth.Options{Leeway: JWTLeeway, Now: s.now})
		if err != nil {
			// Not the caller's session that is wrong: a 401 here would
			// make clients re-authenticate for nothing.
			var e *api.Error
			if errors.As(err, &e) {
				return nil, jwtauth.Flags{}, api.Errorf(api.CodeInvalidArgument, "signed custom data: %s", e.Message)
			}
			return nil, jwtauth.Flags{}, api.Errorf(api.CodeInvalidArgument, "signed custom data: %v", err)
		}
		for k, v := range signed {
			fields[k] = v
		}
	}
	f, err := jwtauth.CustomerFlags(fields)
	if err != nil {
		return nil, jwtauth.Flags{}, err
	}
	return fields, f, nil
}

// CreateChat opens a chat. A menu with a virtual agent starts with it;
// otherwise the chat waits in the queue for a human.
func (t *Txn) CreateChat(n NewChat) (*Row, error) {
	s := t.s
	m, lang, err := s.company.ChannelMenu(n.MenuID, api.ChannelChat, n.Lang)
	if err != nil {
		return nil, err
	}
	fields, fl, err := s.VerifyCustomData(n.CustomData)
	if err != nil {
		return nil, err
	}
	cur, err := s.OngoingChat(t.Ctx, t.Tx, n.EndUserID)
	if err != nil {
		return nil, err
	}
	if cur != nil {
		return nil, api.Errorf(api.CodeChatAlreadyActive, "chat %d is still ongoing", cur.ID)
	}
	cdJSON := ""
	if len(fields) > 0 {
		b, err := json.Marshal(fields)
		if err != nil {
			return nil, err
		}
		cdJSON = string(b)
	}
	status := api.StatusQueued
	var vaID int64
	if m.VirtualAgent != nil {
		status, vaID = api.StatusVAAssigned, m.VirtualAgent.ID
	}
	now := s.now().UnixMilli()
	id, err := t.Tx.InsertChat(store.NewChat{
		Company: s.company.ID, EndUserID: n.EndUserID, MenuID: m.ID, Lang: lang, Status: status, Now: now, VAID: vaID,
		Email: n.Email, CustomData: cdJSON,
		Verified: deref(fl.VerifiedCustomer), BadActor: deref(fl.BadActor), RepeatCustomer: deref(fl.RepeatCustomer),
	})
	if err != nil {
		return nil, err
	}
	c, err := s.LoadChat(t.Ctx, t.Tx, id)
	if err != nil {
		return nil, err
	}
	if m.VirtualAgent != nil {
		t.Emit(api.Event{Type: api.EventMemberJoined, ChatID: c.ID, Identity: vaIdentity(m.VirtualAgent)})
		if _, err := t.AddMessage(c, vaText(m.VirtualAgent, greeting(lang, m.VirtualAgent.Name))); err != nil {
			return nil, err
		}
	}
	if err := t.ChatEvent(c); err != nil {
		return nil, err
	}
	ac, err := s.APIChat(t.Ctx, t.Tx, c)
	if err != nil {
		return nil, err
	}
	t.Then(func() { s.webhookSend(webhook.EventChatCreated, ac) })
	return c, nil
}

func deref(b *bool) bool { return b != nil && *b }

// Escalate moves a chat from its virtual agent to the human queue and
// returns the escalation.
func (t *Txn) Escalate(c *Row, reason string, force bool) (api.Escalation, error) {
	switch {
	case c.Status == api.StatusQueued || c.Status == api.StatusAssigned:
		if c.EscalationID != 0 && !force {
			return t.Escalation(c.EscalationID)
		}
		if c.Status == api.StatusAssigned && !force {
			return api.Escalation{}, api.Errorf(api.CodeConflict, "chat %d is already with a human agent", c.ID)
		}
	case c.Status != api.StatusVAAssigned:
		return api.Escalation{}, api.Errorf(api.CodeConflict, "chat %d is %s and cannot be escalated", c.ID, c.Status)
	}
	now := t.s.now().UnixMilli()
	eid, err := t.Tx.InsertEscalation(c.ID, reason, now)
	if err != nil {
		return api.Escalation{}, err
	}
	wasVA := c.Status == api.StatusVAAssigned
	c.EscalationID = eid
	if c.Status == api.StatusAssigned {
		t.Emit(api.Event{Type: api.EventMemberLeft, ChatID: c.ID, Identity: t.s.AgentIdentity(c.AgentID)})
		c.AgentID = 0
	}
	if err := t.SetStatus(c, api.StatusQueued); err != nil {
		return api.Escalation{}, err
	}
	if err := t.Noti(c, api.NotiEscalationStarted, "Connecting you to an agent"); err != nil {
		return api.Escalation{}, err
	}
	if err := t.maybeDeflect(c, eid); err != nil {
		return api.Escalation{}, err
	}
	if wasVA {
		if m := t.s.company.FindMenu(c.MenuID); m != nil && m.VirtualAgent != nil {
			t.Emit(api.Event{Type: api.EventMemberLeft, ChatID: c.ID, Identity: vaIdentity(m.VirtualAgent)})
		}
	}
	if err := t.ChatEvent(c); err != nil {
		return api.Escalation{}, err
	}
	return t.Escalation(eid)
}

func (t *Txn) Escalation(id int64) (api.Escalation, error) {
	return t.Tx.Escalation(id)
}

// Assign gives a chat to a human agent: it joins, and the chat becomes
// assigned.
func (t *Txn) Assign(c *Row, a *api.Agent) error {
	if c.Status == api.StatusAssigned && c.AgentID == a.ID {
		return nil
	}
	if !api.IsOngoing(c.Status) {
		return api.Errorf(api.CodeConflict, "chat %d is %s", c.ID, c.Status)
	}
	if c.Status == api.StatusAssigned {
		t.Emit(api.Event{Type: api.EventMemberLeft, ChatID: c.ID, Identity: t.s.AgentIdentity(c.AgentID)})
		if err := t.Noti(c, api.NotiTransferred, "Transferred to "+a.Name); err != nil {
			return err
		}
	}
	wasVA := c.Status == api.StatusVAAssigned
	c.AgentID = a.ID
	found := false
	for _, id := range c.AgentIDs() {
		found = found || id == a.ID
	}
	if !found {
		if c.AllAgents != "" {
			c.AllAgents += ","
		}
		c.AllAgents += strconv.FormatInt(a.ID, 10)
	}
	if c.EscalationID != 0 {
		if err := t.Tx.SetEscalationStatus(c.EscalationID, "accepted"); err != nil {
			return err
		}
	}
	if err := t.SetStatus(c, api.StatusAssigned); err != nil {
		return err
	}
	if wasVA {
		if m := t.s.company.FindMenu(c.MenuID); m != nil && m.VirtualAgent != nil {
			t.Emit(api.Event{Type: api.EventMemberLeft, ChatID: c.ID, Identity: vaIdentity(m.VirtualAgent)})
		}
	}
	if err := t.Noti(c, api.NotiEscalationAccepted, a.Name+" accepted the chat"); err != nil {
		return err
	}
	t.Emit(api.Event{Type: api.EventMemberJoined, ChatID: c.ID, Identity: t.s.AgentIdentity(a.ID)})
	if _, err := t.AddMessage(c, api.Message{UserType: api.UserSystem, Type: api.MsgNoti, Event: api.NotiMemberJoined,
		Content: a.Name + " joined the chat", UserID: a.ID, UserName: a.Name}); err != nil {
		return err
	}
	return t.ChatEvent(c)
}

// Finish ends a chat for good.
func (t *Txn) Finish(c *Row, by string) error {
	if c.Status == api.StatusFinished {
		return nil
	}
	if !api.IsOngoing(c.Status) && !api.IsResumable(c.Status) {
		return api.Errorf(api.CodeConflict, "chat %d is %s", c.ID, c.Status)
	}
	agent := c.AgentID
	if err := t.SetStatus(c, api.StatusFinished); err != nil {
		return err
	}
	if agent != 0 {
		t.Emit(api.Event{Type: api.EventMemberLeft, ChatID: c.ID, Identity: t.s.AgentIdentity(agent)})
	}
	if err := t.Noti(c, api.NotiChatEnded, "The chat was ended by "+by); err != nil {
		return err
	}
	return t.ChatEvent(c)
}

func (s *Domain) AgentIdentity(id int64) *api.Identity {
	if a := s.company.Agent(id); a != nil {
		return &api.Identity{ID: a.ID, Name: a.Name, UserType: api.UserAgent, AvatarURL: a.AvatarURL}
	}
	return &api.Identity{ID: id, UserType: api.UserAgent}
}

func vaIdentity(va *api.VirtualAgent) *api.Identity {
	return &api.Identity{ID: va.ID, Name: va.Name, UserType: api.UserVirtualAgent, AvatarURL: va.AvatarURL}
}

// End-user chat routes.
