package chat

import (
	"context"
	"strings"
	"time"
	"unicode"

	"github.com/ccaip/headless-go/api"
)

// AutoAgent configures the simulated human agent: an always-online agent
// that accepts queued chats, acknowledges end-user messages and ends the
// chat when the end user says bye. It lets the demo (and tests) exercise a
// human hand-off without a person at the console.
type AutoAgent struct {
	Enabled bool
	// AgentID is the company agent it plays; 0 means the first one.
	AgentID int64
	// AcceptDelay is how long a chat waits in the queue before the agent
	// accepts it; 0 means 2 seconds.
	AcceptDelay time.Duration
	// ReplyDelay is how long the agent "types" before each reply; 0 means
	// one second.
	ReplyDelay time.Duration
}

// autoAgentID is the id of the agent the simulation plays, or 0 when it is
// off.
func (s *Domain) autoAgentID() int64 {
	aa := s.cfg.AutoAgent
	if !aa.Enabled {
		return 0
	}
	if aa.AgentID != 0 {
		return aa.AgentID
	}
	if len(s.company.Agents) > 0 {
		return s.company.Agents[0].ID
	}
	return 0
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// Observe lets the simulated agent react to a published event. It runs inside the hub's
// publish, so it only starts background work.
func (s *Domain) Observe(e api.Event) {
	id := s.autoAgentID()
	if id == 0 {
		return
	}
	switch {
	case e.Type == api.EventChat && e.Chat != nil && e.Chat.Status == api.StatusQueued:
		s.autoAgentLater(orDefault(s.cfg.AutoAgent.AcceptDelay, 2*time.Second), e.ChatID, func(t *Txn, c *Row, a *api.Agent) error {
			if c.Status != api.StatusQueued {
				return nil
			}
			if err := t.Assign(c, a); err != nil {
				return err
			}
			_, err := t.AddMessage(c, agentText(a, "Hi, I'm "+a.FirstName+". How can I help?"))
			return err
		})
	case e.Type == api.EventMessage && e.Message != nil && e.Message.UserType == api.UserEndUser:
		in := *e.Message
		s.autoAgentLater(orDefault(s.cfg.AutoAgent.ReplyDelay, time.Second), e.ChatID, func(t *Txn, c *Row, a *api.Agent) error {
			if c.Status != api.StatusAssigned || c.AgentID != a.ID {
				return nil
			}
			t.Emit(api.Event{Type: api.EventTypingStart, ChatID: c.ID, Identity: t.s.AgentIdentity(a.ID)})
			t.Emit(api.Event{Type: api.EventTypingEnd, ChatID: c.ID, Identity: t.s.AgentIdentity(a.ID)})
			if saysBye(in.Content) {
				if _, err := t.AddMessage(c, agentText(a, "Thanks for chatting with us. Goodbye!")); err != nil {
					return err
				}
				return t.Finish(c, a.Name)
			}
			text := "Thanks, I got your message."
			if in.Type != api.MsgText {
				text = "Thanks, I got it."
			}
			_, err := t.AddMessage(c, agentText(a, text))
			return err
		})
	}
}

// autoAgentLater runs fn on chat id after d, in a write transaction.
func (s *Domain) autoAgentLater(d time.Duration, chatID int64, fn func(t *Txn, c *Row, a *api.Agent) error) {
	a := s.company.Agent(s.autoAgentID())
	if a == nil {
		return
	}
	s.Go(func(ctx context.Context) {
		if !Sleep(ctx, d) {
			return
		}
		err := s.Write(ctx, func(t *Txn) error {
			c, err := s.LoadChat(t.Ctx, t.Tx, chatID)
			if err != nil {
				return err
			}
			return fn(t, c, a)
		})
		if err != nil && ctx.Err() == nil {
			s.log.Error("simulated agent", "chat", chatID, "err", err)
		}
	})
}

func agentText(a *api.Agent, text string) api.Message {
	return api.Message{UserType: api.UserAgent, UserID: a.ID, UserName: a.Name, Type: api.MsgText, Content: text}
}

// saysBye reports whether text takes leave.
func saysBye(text string) bool {
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) }) {
		switch w {
		case "bye", "goodbye", "byebye", "arrivederci":
			return true
		}
	}
	return false
}
