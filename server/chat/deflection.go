package chat

import (
	"strings"

	"github.com/ccaip/headless-go/api"
)

// Escalation statuses beyond the chat statuses queued and accepted: an
// Escalation is "deflected" while the platform offers the end user other
// channels because no human can take the chat now.
const EscalationDeflected = "deflected"

// Deflection channels (api.TrackEscalationRequest.Channel).
const (
	channelEmail        = "email"
	channelKeepWaiting  = "keep_waiting"
	channelVirtualAgent = "virtual_agent"
	channelExternalLink = "external_link"
)

// deflectionOffer says why an escalation of c is deflected and which
// channels it offers; why is "" when the escalation proceeds normally.
// Deflection happens when the company and the menu allow it and either the
// company is closed (AfterHours) or no human agent is online.
func (s *Domain) deflectionOffer(c *Row) (why string, channels []string) {
	d := s.company.Deflection
	m := s.company.FindMenu(c.MenuID)
	if !d.Enabled || m == nil || (m.Deflection != nil && !m.Deflection.Enabled) {
		return "", nil
	}
	switch {
	case s.IsAfterHours(s.now()):
		why = s.company.AfterHours.Messages[c.Lang]
		if why == "" {
			why = s.company.AfterHours.Messages["en"]
		}
		if why == "" {
			why = "We are closed right now."
		}
	case !s.anyAgentOnline():
		why = "No agent is available right now."
	default:
		return "", nil
	}
	if d.Email {
		channels = append(channels, channelEmail)
	}
	if d.KeepWaiting {
		channels = append(channels, channelKeepWaiting)
	}
	if m.VirtualAgent != nil {
		channels = append(channels, channelVirtualAgent)
	}
	if len(s.deflectionLinks()) > 0 {
		channels = append(channels, channelExternalLink)
	}
	if len(channels) == 0 {
		return "", nil // nothing to offer: the chat just waits
	}
	return why, channels
}

// deflectionLinks are the URLs of the company's external deflection links
// (menus with an external-link redirection).
func (s *Domain) deflectionLinks() []string {
	l := s.company.Deflection.ExternalDeflectionLinks
	if !l.Enabled {
		return nil
	}
	var out []string
	for _, id := range l.IDs {
		if m := s.company.FindMenu(id); m != nil && m.Redirection != nil && m.Redirection.Data != "" {
			out = append(out, m.Redirection.Data)
		}
	}
	return out
}

// maybeDeflect runs right after escalation eid put c in the queue: when no
// human can take it, the escalation becomes deflected and the end user is
// told the options (noti EscalationDeflected). The chat stays queued, so
// an agent coming online can still accept it.
func (t *Txn) maybeDeflect(c *Row, eid int64) error {
	why, channels := t.s.deflectionOffer(c)
	if why == "" {
		return nil
	}
	if err := t.Tx.SetEscalationStatus(eid, EscalationDeflected); err != nil {
		return err
	}
	return t.Noti(c, api.NotiEscalationDeflected, why+" Options: "+strings.Join(channels, ", ")+".")
}

// ChooseDeflection applies the end user's (or the backend's) pick on
// Escalation eid of c. It only acts while that escalation is the chat's
// current one and is deflected; otherwise the pick is merely recorded by
// the caller. keep_waiting leaves the chat queued, email and external_link
// end it as deflected, virtual_agent hands it back to the menu's virtual
// agent.
func (t *Txn) ChooseDeflection(c *Row, eid int64, channel string) error {
	status, err := t.Tx.EscalationStatus(c.ID, eid)
	if err != nil {
		return err
	}
	if status != EscalationDeflected || c.EscalationID != eid || c.Status != api.StatusQueued {
		return nil
	}
	// Offers change as agents come and go, so any channel the company
	// has is accepted; one it does not have at all is refused.
	if !t.s.channelExists(c, channel) {
		return api.Errorf(api.CodeInvalidArgument, "deflection channel %q is not offered on this chat", channel)
	}
	c.DeflectionChannel = channel
	switch channel {
	case channelKeepWaiting:
		if err := t.Tx.SetEscalationStatus(eid, api.StatusQueued); err != nil {
			return err
		}
		if err := t.SetStatus(c, api.StatusQueued); err != nil {
			return err
		}
		return t.ChatEvent(c)
	case channelEmail, channelExternalLink:
		text := "The chat continues by email"
		if e := t.s.company.SupportEmail; e != "" {
			text += " at " + e
		}
		if channel == channelExternalLink {
			text = "The chat continues at " + strings.Join(t.s.deflectionLinks(), ", ")
		}
		if err := t.SetStatus(c, api.StatusDeflected); err != nil {
			return err
		}
		if err := t.Noti(c, api.NotiChatEnded, text); err != nil {
			return err
		}
		return t.ChatEvent(c)
	case channelVirtualAgent:
		m := t.s.company.FindMenu(c.MenuID)
		if m == nil || m.VirtualAgent == nil {
			return api.Errorf(api.CodeInvalidArgument, "chat %d's menu has no virtual agent", c.ID)
		}
		c.EscalationID = 0
		if err := t.SetStatus(c, api.StatusVAAssigned); err != nil {
			return err
		}
		t.Emit(api.Event{Type: api.EventMemberJoined, ChatID: c.ID, Identity: vaIdentity(m.VirtualAgent)})
		if _, err := t.AddMessage(c, vaText(m.VirtualAgent, "I'm back. What else can I help you with?")); err != nil {
			return err
		}
		return t.ChatEvent(c)
	}
	return api.Errorf(api.CodeInvalidArgument, "channel must be email, keep_waiting, virtual_agent or external_link")
}

// channelExists reports whether the company could ever offer channel on c.
func (s *Domain) channelExists(c *Row, channel string) bool {
	d := s.company.Deflection
	switch channel {
	case channelEmail:
		return d.Email
	case channelKeepWaiting:
		return true
	case channelVirtualAgent:
		m := s.company.FindMenu(c.MenuID)
		return m != nil && m.VirtualAgent != nil
	case channelExternalLink:
		return len(s.deflectionLinks()) > 0
	}
	return false
}
