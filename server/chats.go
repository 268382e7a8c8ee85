package server

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server/jwtauth"
	"github.com/ccaip/headless-go/server/store"
	"github.com/ccaip/headless-go/server/webhook"
)

// newChat is everything needed to open a chat, from either API.
type newChat struct {
	endUserID  int64
	menuID     int64
	lang       string
	email      string
	customData *api.CustomData
}

// verifyCustomData checks custom data: signed data must be an HS256 JWT
// with the company secret whose payload holds custom_data (jwtauth). It
// returns the merged fields, signed winning over unsigned, and the customer
// flags the reserved_* fields set.
func (s *Server) verifyCustomData(cd *api.CustomData) (map[string]api.CustomDataField, jwtauth.Flags, error) {
	fields := map[string]api.CustomDataField{}
	if cd == nil {
		return fields, jwtauth.Flags{}, nil
	}
	for k, v := range cd.Unsigned {
		fields[k] = v
	}
	if cd.Signed != "" {
		signed, err := jwtauth.VerifyCustomData(cd.Signed, []byte(s.company.Secret), jwtauth.Options{Leeway: jwtLeeway, Now: s.now})
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

// createChat opens a chat. A menu with a virtual agent starts with it;
// otherwise the chat waits in the queue for a human.
func (t *txn) createChat(n newChat) (*chatRow, error) {
	s := t.s
	m, lang, err := s.company.channelMenu(n.menuID, api.ChannelChat, n.lang)
	if err != nil {
		return nil, err
	}
	fields, fl, err := s.verifyCustomData(n.customData)
	if err != nil {
		return nil, err
	}
	cur, err := s.ongoingChat(t.ctx, t.tx, n.endUserID)
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
	id, err := t.tx.InsertChat(store.NewChat{
		Company: s.company.ID, EndUserID: n.endUserID, MenuID: m.ID, Lang: lang, Status: status, Now: now, VAID: vaID,
		Email: n.email, CustomData: cdJSON,
		Verified: deref(fl.VerifiedCustomer), BadActor: deref(fl.BadActor), RepeatCustomer: deref(fl.RepeatCustomer),
	})
	if err != nil {
		return nil, err
	}
	c, err := s.loadChat(t.ctx, t.tx, id)
	if err != nil {
		return nil, err
	}
	if m.VirtualAgent != nil {
		t.emit(api.Event{Type: api.EventMemberJoined, ChatID: c.ID, Identity: vaIdentity(m.VirtualAgent)})
		if _, err := t.addMessage(c, vaText(m.VirtualAgent, greeting(lang, m.VirtualAgent.Name))); err != nil {
			return nil, err
		}
	}
	if err := t.chatEvent(c); err != nil {
		return nil, err
	}
	ac, err := s.apiChat(t.ctx, t.tx, c)
	if err != nil {
		return nil, err
	}
	t.then(func() { s.webhookSend(webhook.EventChatCreated, ac) })
	return c, nil
}

func deref(b *bool) bool { return b != nil && *b }

// escalate moves a chat from its virtual agent to the human queue and
// returns the escalation.
func (t *txn) escalate(c *chatRow, reason string, force bool) (api.Escalation, error) {
	switch {
	case c.Status == api.StatusQueued || c.Status == api.StatusAssigned:
		if c.EscalationID != 0 && !force {
			return t.escalation(c.EscalationID)
		}
		if c.Status == api.StatusAssigned && !force {
			return api.Escalation{}, api.Errorf(api.CodeConflict, "chat %d is already with a human agent", c.ID)
		}
	case c.Status != api.StatusVAAssigned:
		return api.Escalation{}, api.Errorf(api.CodeConflict, "chat %d is %s and cannot be escalated", c.ID, c.Status)
	}
	now := t.s.now().UnixMilli()
	eid, err := t.tx.InsertEscalation(c.ID, reason, now)
	if err != nil {
		return api.Escalation{}, err
	}
	wasVA := c.Status == api.StatusVAAssigned
	c.EscalationID = eid
	if c.Status == api.StatusAssigned {
		t.emit(api.Event{Type: api.EventMemberLeft, ChatID: c.ID, Identity: t.s.agentIdentity(c.AgentID)})
		c.AgentID = 0
	}
	if err := t.setStatus(c, api.StatusQueued); err != nil {
		return api.Escalation{}, err
	}
	if err := t.noti(c, api.NotiEscalationStarted, "Connecting you to an agent"); err != nil {
		return api.Escalation{}, err
	}
	if err := t.maybeDeflect(c, eid); err != nil {
		return api.Escalation{}, err
	}
	if wasVA {
		if m := t.s.company.menu(c.MenuID); m != nil && m.VirtualAgent != nil {
			t.emit(api.Event{Type: api.EventMemberLeft, ChatID: c.ID, Identity: vaIdentity(m.VirtualAgent)})
		}
	}
	if err := t.chatEvent(c); err != nil {
		return api.Escalation{}, err
	}
	return t.escalation(eid)
}

func (t *txn) escalation(id int64) (api.Escalation, error) {
	return t.tx.Escalation(id)
}

// assign gives a chat to a human agent: it joins, and the chat becomes
// assigned.
func (t *txn) assign(c *chatRow, a *api.Agent) error {
	if c.Status == api.StatusAssigned && c.AgentID == a.ID {
		return nil
	}
	if !api.IsOngoing(c.Status) {
		return api.Errorf(api.CodeConflict, "chat %d is %s", c.ID, c.Status)
	}
	if c.Status == api.StatusAssigned {
		t.emit(api.Event{Type: api.EventMemberLeft, ChatID: c.ID, Identity: t.s.agentIdentity(c.AgentID)})
		if err := t.noti(c, api.NotiTransferred, "Transferred to "+a.Name); err != nil {
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
		if err := t.tx.SetEscalationStatus(c.EscalationID, "accepted"); err != nil {
			return err
		}
	}
	if err := t.setStatus(c, api.StatusAssigned); err != nil {
		return err
	}
	if wasVA {
		if m := t.s.company.menu(c.MenuID); m != nil && m.VirtualAgent != nil {
			t.emit(api.Event{Type: api.EventMemberLeft, ChatID: c.ID, Identity: vaIdentity(m.VirtualAgent)})
		}
	}
	if err := t.noti(c, api.NotiEscalationAccepted, a.Name+" accepted the chat"); err != nil {
		return err
	}
	t.emit(api.Event{Type: api.EventMemberJoined, ChatID: c.ID, Identity: t.s.agentIdentity(a.ID)})
	if _, err := t.addMessage(c, api.Message{UserType: api.UserSystem, Type: api.MsgNoti, Event: api.NotiMemberJoined,
		Content: a.Name + " joined the chat", UserID: a.ID, UserName: a.Name}); err != nil {
		return err
	}
	return t.chatEvent(c)
}

// finish ends a chat for good.
func (t *txn) finish(c *chatRow, by string) error {
	if c.Status == api.StatusFinished {
		return nil
	}
	if !api.IsOngoing(c.Status) && !api.IsResumable(c.Status) {
		return api.Errorf(api.CodeConflict, "chat %d is %s", c.ID, c.Status)
	}
	agent := c.AgentID
	if err := t.setStatus(c, api.StatusFinished); err != nil {
		return err
	}
	if agent != 0 {
		t.emit(api.Event{Type: api.EventMemberLeft, ChatID: c.ID, Identity: t.s.agentIdentity(agent)})
	}
	if err := t.noti(c, api.NotiChatEnded, "The chat was ended by "+by); err != nil {
		return err
	}
	return t.chatEvent(c)
}

func (s *Server) agentIdentity(id int64) *api.Identity {
	if a := s.company.agent(id); a != nil {
		return &api.Identity{ID: a.ID, Name: a.Name, UserType: api.UserAgent, AvatarURL: a.AvatarURL}
	}
	return &api.Identity{ID: id, UserType: api.UserAgent}
}

func vaIdentity(va *api.VirtualAgent) *api.Identity {
	return &api.Identity{ID: va.ID, Name: va.Name, UserType: api.UserVirtualAgent, AvatarURL: va.AvatarURL}
}

// End-user chat routes.

func (s *Server) handleCreateChat(w http.ResponseWriter, r *http.Request, u *endUser) error {
	var req api.ChatRequest
	if err := readJSON(w, r, &req, false); err != nil {
		return err
	}
	if req.MenuID <= 0 {
		return api.Errorf(api.CodeInvalidArgument, "menu_id is required")
	}
	var c *chatRow
	err := s.write(r.Context(), func(t *txn) error {
		var err error
		c, err = t.createChat(newChat{endUserID: u.ID, menuID: req.MenuID, lang: req.Lang, email: req.Email, customData: req.CustomData})
		return err
	})
	if err != nil {
		return err
	}
	return s.writeChat(w, r, c)
}

func (s *Server) writeChat(w http.ResponseWriter, r *http.Request, c *chatRow) error {
	ac, err := s.apiChat(r.Context(), s.db, c)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, ac)
	return nil
}

func (s *Server) handleGetChat(w http.ResponseWriter, r *http.Request, u *endUser) error {
	c, err := s.pathChat(r, u)
	if err != nil {
		return err
	}
	return s.writeChat(w, r, c)
}

// chatAction runs fn on the caller's own chat in a write transaction and
// answers the chat afterwards.
func (s *Server) chatAction(fn func(t *txn, c *chatRow) error) func(w http.ResponseWriter, r *http.Request, u *endUser) error {
	return func(w http.ResponseWriter, r *http.Request, u *endUser) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		var c *chatRow
		err = s.write(r.Context(), func(t *txn) error {
			if c, err = s.ownChat(t.ctx, t.tx, u, id); err != nil {
				return err
			}
			return fn(t, c)
		})
		if err != nil {
			return err
		}
		return s.writeChat(w, r, c)
	}
}

func (s *Server) handleFinishChat(w http.ResponseWriter, r *http.Request, u *endUser) error {
	return s.chatAction(func(t *txn, c *chatRow) error { return t.finish(c, "the end user") })(w, r, u)
}

func (s *Server) handleDestroyChat(w http.ResponseWriter, r *http.Request, u *endUser) error {
	return s.chatAction(func(t *txn, c *chatRow) error {
		if c.Status == api.StatusDestroyed {
			return nil
		}
		agent := c.AgentID
		if err := t.setStatus(c, api.StatusDestroyed); err != nil {
			return err
		}
		if agent != 0 {
			t.emit(api.Event{Type: api.EventMemberLeft, ChatID: c.ID, Identity: t.s.agentIdentity(agent)})
		}
		if err := t.noti(c, api.NotiChatEnded, "The chat was closed by the end user"); err != nil {
			return err
		}
		return t.chatEvent(c)
	})(w, r, u)
}

func (s *Server) handleResumeChat(w http.ResponseWriter, r *http.Request, u *endUser) error {
	return s.chatAction(func(t *txn, c *chatRow) error {
		if api.IsOngoing(c.Status) {
			return nil
		}
		if !api.IsResumable(c.Status) {
			return api.Errorf(api.CodeConflict, "chat %d is %s and cannot be resumed", c.ID, c.Status)
		}
		cur, err := t.s.ongoingChat(t.ctx, t.tx, u.ID)
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
		if err := t.setStatus(c, next); err != nil {
			return err
		}
		if err := t.touchEndUser(c); err != nil {
			return err
		}
		if err := t.noti(c, api.NotiChatResumed, "The chat was resumed"); err != nil {
			return err
		}
		return t.chatEvent(c)
	})(w, r, u)
}

func (s *Server) handleEscalate(w http.ResponseWriter, r *http.Request, u *endUser) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var req api.EscalateRequest
	if err := readJSON(w, r, &req, true); err != nil {
		return err
	}
	if req.Reason == "" {
		req.Reason = "by_end_user_ask"
	}
	var esc api.Escalation
	err = s.write(r.Context(), func(t *txn) error {
		c, err := s.ownChat(t.ctx, t.tx, u, id)
		if err != nil {
			return err
		}
		esc, err = t.escalate(c, req.Reason, req.ForceEscalate)
		return err
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, esc)
	return nil
}
