package sdk

import (
	"context"
	"time"

	"github.com/ccaip/headless-go/api"
)

// AgentInfo is an agent who took part in the current chat (the peer SDK's
// getAgents): human or virtual, connected now or not, with the times this
// client saw them join and leave.
type AgentInfo struct {
	ID             int64
	Name           string
	Virtual        bool
	Connected      bool
	ConnectedAt    time.Time
	DisconnectedAt time.Time
}

// Stats are the current chat's session statistics (the peer SDK's getStats).
type Stats struct {
	ChatID    int64
	Start     time.Time
	End       time.Time // zero while the chat goes on
	Duration  time.Duration
	Agents    []AgentInfo
	Delivered Counters
}

func memberKey(virtual bool, id int64) int64 {
	if virtual {
		return -id
	}
	return id
}

// noteAgentsLocked records the agents the chat state names. c.mu is held.
func (c *Client) noteAgentsLocked() {
	now := c.cfg.Clock.Now()
	add := func(id int64, name string, virtual, current bool) {
		k := memberKey(virtual, id)
		a, ok := c.members[k]
		if !ok {
			a = &AgentInfo{ID: id, Name: name, Virtual: virtual}
			c.members[k] = a
		}
		if current && !a.Connected {
			a.Connected, a.ConnectedAt = true, now
		}
	}
	for _, a := range c.chat.AllAgents {
		add(a.ID, a.Name, false, false)
	}
	for _, a := range c.chat.AllVirtualAgents {
		add(a.ID, a.Name, true, false)
	}
	if a := c.chat.Agent; a != nil {
		add(a.ID, a.Name, false, true)
	}
	if a := c.chat.VirtualAgent; a != nil {
		add(a.ID, a.Name, true, true)
	}
}

func (c *Client) memberJoinedLocked(id *api.Identity) {
	if id.UserType == api.UserEndUser {
		return
	}
	virtual := id.UserType == api.UserVirtualAgent
	k := memberKey(virtual, id.ID)
	a, ok := c.members[k]
	if !ok {
		a = &AgentInfo{ID: id.ID, Name: id.Name, Virtual: virtual}
		c.members[k] = a
	}
	a.Connected, a.ConnectedAt = true, c.cfg.Clock.Now()
}

func (c *Client) memberLeftLocked(id *api.Identity) {
	if a, ok := c.members[memberKey(id.UserType == api.UserVirtualAgent, id.ID)]; ok {
		a.Connected, a.DisconnectedAt = false, c.cfg.Clock.Now()
	}
}

// Agents lists the agents who took part in the current chat.
func (c *Client) Agents() []AgentInfo {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]AgentInfo, 0, len(c.members))
	for _, a := range c.members {
		out = append(out, *a)
	}
	sortAgents(out)
	return out
}

func sortAgents(a []AgentInfo) {
	for i := 1; i < len(a); i++ {
		for j := i; j > 0 && less(a[j], a[j-1]); j-- {
			a[j], a[j-1] = a[j-1], a[j]
		}
	}
}

func less(x, y AgentInfo) bool {
	if x.Virtual != y.Virtual {
		return x.Virtual
	}
	return x.ID < y.ID
}

// Stats returns the current chat's statistics, or ErrNoActiveChat.
func (c *Client) Stats() (Stats, error) {
	chat := c.CurrentChat()
	if chat == nil {
		return Stats{}, ErrNoActiveChat
	}
	s := Stats{ChatID: chat.ID, Agents: c.Agents(), Delivered: c.Counters()}
	s.Start, _ = parseRFC3339(chat.CreatedAt)
	s.End, _ = parseRFC3339(chat.FinishedAt)
	switch {
	case s.Start.IsZero():
	case !s.End.IsZero():
		s.Duration = s.End.Sub(s.Start)
	default:
		s.Duration = c.cfg.Clock.Now().Sub(s.Start)
	}
	return s, nil
}

// Takeover steps the end user up to another identity (an anonymous user
// who signed in): it asks Authenticate for the new identity's JWT and has
// the platform hand the session, and its chats, over to that identity.
// The communicator must implement SessionStepper.
func (c *Client) Takeover(ctx context.Context) (*api.EndUser, error) {
	st, ok := c.cfg.Communicator.(SessionStepper)
	if !ok {
		return nil, &api.Error{Code: api.CodeInvalidArgument, Message: "the communicator cannot step a session up"}
	}
	if c.isClosed() {
		return nil, ErrDestroyed
	}
	ctx, cancel := c.join(ctx)
	defer cancel()
	if _, err := c.ensureSession(ctx); err != nil {
		return nil, err
	}
	token, err := c.cfg.Authenticate(ctx)
	if err != nil {
		return nil, &api.Error{Code: api.CodeUnauthorized, Message: "authenticate: " + err.Error()}
	}
	s, err := st.Takeover(ctx, api.TakeoverRequest{Token: token})
	if err != nil {
		return nil, asAPIError(err, c.isClosed())
	}
	s.SessionToken = ""
	c.authMu.Lock()
	c.installSessionLocked(s)
	c.authMu.Unlock()
	u := s.EndUser
	return &u, nil
}
