package chat

import (
	"sync"
	"time"
)

// presenceTTL is how long an agent who went online in the console stays
// online without any request from it: a closed console tab must not keep
// an agent "online" forever, or escalations would never be deflected.
const presenceTTL = 2 * time.Minute

// presence tracks which human agents are online. An agent nobody has set
// yet is online when the company configures its status as "available" or
// "online", so a company without a console behaves as before; an agent
// set through the agent console is online while it says so and keeps
// talking to the platform.
type presence struct {
	mu  sync.Mutex
	set map[int64]presenceState
}

type presenceState struct {
	online bool
	seen   time.Time
}

func newPresence() *presence { return &presence{set: map[int64]presenceState{}} }

// agentOnline reports whether agent id can take chats now.
func (s *Domain) agentOnline(id int64) bool {
	if s.autoAgentID() == id {
		return true
	}
	a := s.company.Agent(id)
	if a == nil {
		return false
	}
	p := s.presence
	p.mu.Lock()
	st, ok := p.set[id]
	p.mu.Unlock()
	if !ok {
		return a.Status == "available" || a.Status == "online"
	}
	return st.online && s.now().Sub(st.seen) < presenceTTL
}

// anyAgentOnline reports whether some human agent (or the simulated one)
// can take a chat now.
func (s *Domain) anyAgentOnline() bool {
	for _, a := range s.company.Agents {
		if s.agentOnline(a.ID) {
			return true
		}
	}
	return false
}

// SetPresence records an agent's own choice.
func (s *Domain) SetPresence(id int64, online bool) {
	p := s.presence
	p.mu.Lock()
	p.set[id] = presenceState{online: online, seen: s.now()}
	p.mu.Unlock()
}

// SeenAgent keeps an online agent online: every console request counts.
func (s *Domain) SeenAgent(id int64) {
	p := s.presence
	p.mu.Lock()
	if st, ok := p.set[id]; ok {
		st.seen = s.now()
		p.set[id] = st
	}
	p.mu.Unlock()
}

// PresenceOf is the status string the agent API shows.
func (s *Domain) PresenceOf(id int64) string {
	if s.agentOnline(id) {
		return "online"
	}
	return "offline"
}
