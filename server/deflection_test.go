package server_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server"
)

// offlineCompany is the demo company with every agent offline, so every
// escalation is deflected.
func offlineCompany() *server.Company {
	co := server.DefaultCompany()
	for i := range co.Agents {
		co.Agents[i].Status = "offline"
	}
	return co
}

func withCompany(co *server.Company) func(*server.Config) {
	return func(c *server.Config) { c.Company = co }
}

// notiContent returns the content of the last noti with event, or "".
func notiContent(ms []api.Message, event string) string {
	out := ""
	for _, m := range ms {
		if m.Type == api.MsgNoti && m.Event == event {
			out = m.Content
		}
	}
	return out
}

func (u *user) escalate(chatID int64) api.Escalation {
	u.p.t.Helper()
	res := u.do("POST", path(api.RouteEscalations, chatID), api.EscalateRequest{})
	res.wantOK(u.p.t)
	var esc api.Escalation
	res.decode(u.p.t, &esc)
	return esc
}

func TestEscalationDeflectedWhenNoAgent(t *testing.T) {
	t.Parallel()
	tests := []struct {
		channel     string
		status      string
		notiEvent   string
		notiHas     string
		escalation  string
		wantMessage string // a message that must follow, from the VA
	}{
		{"keep_waiting", api.StatusQueued, "", "", api.StatusQueued, ""},
		{"email", api.StatusDeflected, api.NotiChatEnded, "support@demo.example", "deflected", ""},
		{"external_link", api.StatusDeflected, api.NotiChatEnded, "https://stores.demo.example/", "deflected", ""},
		{"virtual_agent", api.StatusVAAssigned, "", "", "deflected", "I'm back"},
	}
	for _, tt := range tests {
		t.Run(tt.channel, func(t *testing.T) {
			t.Parallel()
			p := newPlatform(t, withCompany(offlineCompany()))
			u := p.login("deflect-" + tt.channel)
			c := u.createChat(123)
			esc := u.escalate(c.ID)
			if esc.Status != "deflected" || esc.ChatID != c.ID {
				t.Fatalf("escalation %+v, want deflected", esc)
			}
			ms := u.waitMessages(c.ID, "escalationDeflected", hasNoti(api.NotiEscalationDeflected))
			if got := notiContent(ms, api.NotiEscalationDeflected); !strings.Contains(got, "No agent is available") || !strings.Contains(got, tt.channel) {
				t.Errorf("deflection noti %q", got)
			}
			if got := u.chat(c.ID); got.Status != api.StatusQueued || got.EscalationID != esc.ID {
				t.Fatalf("deflected chat %+v; it must stay queued until the end user picks", got)
			}
			var d *api.ChatDeflectionResponse
			u.do("GET", path(api.RouteDeflection, c.ID), nil).decode(t, &d)
			if d == nil || !d.Email || !d.KeepWaiting {
				t.Fatalf("getChatDeflection: %+v", d)
			}

			u.do("POST", path(api.RouteEscalationTrack, c.ID, esc.ID), api.TrackEscalationRequest{Channel: tt.channel}).wantOK(t)
			got := u.chat(c.ID)
			if got.Status != tt.status {
				t.Fatalf("after %s: status %s, want %s", tt.channel, got.Status, tt.status)
			}
			ms = u.messages(c.ID)
			if tt.notiEvent != "" {
				if txt := notiContent(ms, tt.notiEvent); !strings.Contains(txt, tt.notiHas) {
					t.Errorf("%s noti %q does not mention %q", tt.notiEvent, txt, tt.notiHas)
				}
			}
			if tt.status == api.StatusDeflected {
				if got.DeflectionChannel != tt.channel || got.FinishedAt == "" {
					t.Errorf("deflected chat %+v", got)
				}
				u.do("POST", path(api.RouteMessages, c.ID), api.SendMessageRequest{Content: "x"}).wantError(t, api.CodeConflict)
			}
			if tt.wantMessage != "" {
				last := ms[len(ms)-1]
				if last.UserType != api.UserVirtualAgent || !strings.Contains(last.Content, tt.wantMessage) {
					t.Errorf("last message %+v, want the VA saying %q", last, tt.wantMessage)
				}
				// The virtual agent answers again.
				u.send(c.ID, "after", "what are your hours?")
				u.waitMessages(c.ID, "VA answer", func(ms []api.Message) bool {
					return strings.Contains(ms[len(ms)-1].Content, "open every day")
				})
			}
			if tt.channel == "keep_waiting" {
				// Still waiting: an agent can take it as usual.
				p.agentSays(c.ID, 1, "Sorry for the wait")
				u.waitStatus(c.ID, api.StatusAssigned)
			}
		})
	}
}

func TestDeflectionRefusals(t *testing.T) {
	t.Parallel()
	co := offlineCompany()
	co.Deflection.Email = false
	p := newPlatform(t, withCompany(co))
	u := p.login("refuse")
	c := u.createChat(124) // no virtual agent on this menu
	esc := u.escalate(c.ID)
	if esc.Status != "deflected" {
		t.Fatalf("escalation of a queued chat without agents: %+v", esc)
	}
	for _, ch := range []string{"email", "virtual_agent", "fax"} {
		u.do("POST", path(api.RouteEscalationTrack, c.ID, esc.ID), api.TrackEscalationRequest{Channel: ch}).wantError(t, api.CodeInvalidArgument)
	}
	if got := u.chat(c.ID).Status; got != api.StatusQueued {
		t.Fatalf("refused picks changed the chat to %s", got)
	}
}

func TestEscalationNotDeflected(t *testing.T) {
	t.Parallel()
	menuOff := offlineCompany()
	for i := range menuOff.Menus[0].Children {
		menuOff.Menus[0].Children[i].Deflection = &api.MenuDeflection{Enabled: false}
	}
	companyOff := offlineCompany()
	companyOff.Deflection.Enabled = false
	tests := []struct {
		name    string
		co      *server.Company
		enabled bool // what getChatDeflection says
	}{
		{"agents available", server.DefaultCompany(), true},
		{"menu deflection disabled", menuOff, false},
		{"company deflection disabled", companyOff, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := newPlatform(t, withCompany(tt.co))
			u := p.login("normal")
			c := u.createChat(123)
			esc := u.escalate(c.ID)
			if esc.Status != api.StatusQueued {
				t.Fatalf("escalation %+v, want queued", esc)
			}
			ms := u.waitMessages(c.ID, "escalationStarted", hasNoti(api.NotiEscalationStarted))
			if hasNoti(api.NotiEscalationDeflected)(ms) {
				t.Fatalf("deflected: %+v", ms)
			}
			var d *api.ChatDeflectionResponse
			u.do("GET", path(api.RouteDeflection, c.ID), nil).decode(t, &d)
			if d == nil || d.Enabled != tt.enabled {
				t.Errorf("getChatDeflection = %+v, want an object with enabled %v", d, tt.enabled)
			}
			// A pick on an escalation that was not deflected is only recorded.
			u.do("POST", path(api.RouteEscalationTrack, c.ID, esc.ID), api.TrackEscalationRequest{Channel: "email"}).wantOK(t)
			if got := u.chat(c.ID).Status; got != api.StatusQueued {
				t.Fatalf("tracking email moved the chat to %s", got)
			}
		})
	}
}

func TestEscalationDeflectedAfterHours(t *testing.T) {
	t.Parallel()
	co := server.DefaultCompany() // agents available, but the company is closed
	now := time.Now().UTC()
	closed := (int(now.Weekday()) + 3) % 7
	co.AfterHours.Open = []server.OpenHours{{Days: []int{closed}, From: "09:00", To: "17:00"}}
	p := newPlatform(t, withCompany(co))
	u := p.login("night")
	c := u.createChat(123)
	if esc := u.escalate(c.ID); esc.Status != "deflected" {
		t.Fatalf("after-hours escalation %+v", esc)
	}
	ms := u.waitMessages(c.ID, "escalationDeflected", hasNoti(api.NotiEscalationDeflected))
	if got := notiContent(ms, api.NotiEscalationDeflected); !strings.Contains(got, "We are closed right now") {
		t.Errorf("after-hours noti %q", got)
	}
}

func TestRESTDeflectionChoice(t *testing.T) {
	t.Parallel()
	p := newPlatform(t, withCompany(offlineCompany()))
	u := p.login("rest-deflect")
	c := u.createChat(123)
	chat := fmt.Sprintf("%s/chats/%d", server.RESTPrefix, c.ID)
	res := p.rest("POST", chat+"/escalations", map[string]any{"reason": "api"})
	res.wantOK(t)
	var esc api.Escalation
	res.decode(t, &esc)
	if esc.Status != "deflected" {
		t.Fatalf("REST escalation %+v", esc)
	}
	res = p.rest("PATCH", fmt.Sprintf("%s/escalations/%d", chat, esc.ID), map[string]any{"deflection_channel": "email"})
	res.wantOK(t)
	res.decode(t, &esc)
	if esc.DeflectionChannel != "email" {
		t.Errorf("escalation %+v", esc)
	}
	if got := u.chat(c.ID); got.Status != api.StatusDeflected || got.DeflectionChannel != "email" {
		t.Fatalf("chat after REST email choice: %+v", got)
	}
}
