package server_test

import (
	"strings"
	"testing"
	"time"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server"
)

func TestAutoAgent(t *testing.T) {
	t.Parallel()
	// With every human offline, only the simulated agent can take chats,
	// and it counts as online: escalations are not deflected.
	p := newPlatform(t, withCompany(offlineCompany()), func(c *server.Config) {
		c.AutoAgent = server.AutoAgent{Enabled: true, AgentID: 2, AcceptDelay: 20 * time.Millisecond, ReplyDelay: 10 * time.Millisecond}
	})
	u := p.login("auto")
	c := u.createChat(123)
	if esc := u.escalate(c.ID); esc.Status != api.StatusQueued {
		t.Fatalf("escalation with the simulated agent on: %+v", esc)
	}
	got := u.waitStatus(c.ID, api.StatusAssigned)
	if got.Agent == nil || got.Agent.ID != 2 {
		t.Fatalf("accepted by %+v, want agent 2", got.Agent)
	}
	ms := u.waitMessages(c.ID, "the agent's greeting", func(ms []api.Message) bool {
		return ms[len(ms)-1].UserType == api.UserAgent
	})
	if !hasNoti(api.NotiEscalationAccepted)(ms) || !hasNoti(api.NotiMemberJoined)(ms) {
		t.Errorf("no accept notis in %+v", ms)
	}
	n := len(ms)
	u.send(c.ID, "q", "my order is late")
	ms = u.waitMessages(c.ID, "an acknowledgement", func(ms []api.Message) bool { return len(ms) >= n+2 })
	if ack := ms[n+1]; ack.UserType != api.UserAgent || ack.UserID != 2 || !strings.Contains(ack.Content, "got your message") {
		t.Fatalf("acknowledgement %+v", ack)
	}
	u.send(c.ID, "bye", "ok, bye!")
	u.waitStatus(c.ID, api.StatusFinished)
	ms = u.waitMessages(c.ID, "chatEnded", hasNoti(api.NotiChatEnded))
	if txt := notiContent(ms, api.NotiChatEnded); !strings.Contains(txt, "Bob Agent") {
		t.Errorf("chatEnded %q, want it ended by the agent", txt)
	}
}

func TestAutoAgentOffByDefault(t *testing.T) {
	t.Parallel()
	p := newPlatform(t)
	u := p.login("manual")
	c := u.createChat(124)
	time.Sleep(100 * time.Millisecond)
	if got := u.chat(c.ID); got.Status != api.StatusQueued || got.Agent != nil {
		t.Fatalf("a chat was taken without the simulated agent: %+v", got)
	}
}
