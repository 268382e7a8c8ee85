package server_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server"
)

func TestRESTChatLifecycle(t *testing.T) {
	t.Parallel()
	// This test makes more than 10 REST calls in a burst.
	p := newPlatform(t, func(c *server.Config) { c.RESTRate = 1000 })
	u := p.login("alice")

	res := p.rest("POST", server.RESTPrefix+"/chats", map[string]any{
		"chat":     map[string]any{"menu_id": 123, "end_user_id": u.id, "lang": "it", "context": map[string]any{"value": map[string]string{"foo": "bar"}}},
		"end_user": map[string]any{"phone": "+12345678"},
		"ignored":  true,
	})
	res.wantOK(t)
	var c api.Chat
	res.decode(t, &c)
	if c.Status != api.StatusVAAssigned || c.EndUser.ID != u.id || c.Lang != "it" {
		t.Fatalf("REST chat: %+v", c)
	}
	// The end user sees the chat the backend opened for them.
	if got := u.chat(c.ID); got.ID != c.ID {
		t.Fatalf("end user view: %+v", got)
	}
	chat := fmt.Sprintf("%s/chats/%d", server.RESTPrefix, c.ID)

	res = p.rest("POST", chat+"/escalations", map[string]any{"reason": "by_end_user_ask", "force_escalate": true})
	res.wantOK(t)
	var esc api.Escalation
	res.decode(t, &esc)
	if esc.ID == 0 || esc.ChatID != c.ID || esc.Status != api.StatusQueued {
		t.Fatalf("escalation: %+v", esc)
	}
	res = p.rest("PATCH", fmt.Sprintf("%s/escalations/%d", chat, esc.ID), map[string]any{"deflection_channel": "email"})
	res.wantOK(t)
	res.decode(t, &esc)
	if esc.DeflectionChannel != "email" {
		t.Errorf("escalation update: %+v", esc)
	}
	p.rest("PATCH", fmt.Sprintf("%s/escalations/%d", chat, esc.ID+99), map[string]any{"deflection_channel": "email"}).wantError(t, api.CodeNotFound)

	// Explicit assignment, then a message from the same agent.
	res = p.rest("PATCH", chat, map[string]any{"chat": map[string]any{"status": "assigned", "agent_id": 1}})
	res.wantOK(t)
	res.decode(t, &c)
	if c.Status != api.StatusAssigned || c.Agent == nil || c.Agent.ID != 1 {
		t.Fatalf("assigned: %+v", c)
	}
	p.agentSays(c.ID, 1, "Ciao!")
	for _, tc := range []struct {
		name string
		body any
		code string
	}{
		{"card", map[string]any{"from_user_id": 1, "message": map[string]any{"type": "content_card", "card": map[string]any{"title": "T"}}}, ""},
		{"buttons", map[string]any{"from_user_id": 1, "message": map[string]any{"type": "inline_button", "content": "pick", "buttons": []map[string]string{{"title": "A", "payload": "a"}}}}, ""},
		{"unknown agent", map[string]any{"from_user_id": 77, "message": map[string]any{"type": "text", "content": "x"}}, api.CodeInvalidArgument},
		{"empty text", map[string]any{"from_user_id": 1, "message": map[string]any{"type": "text"}}, api.CodeInvalidArgument},
		{"too long", map[string]any{"from_user_id": 1, "message": map[string]any{"content": strings.Repeat("a", api.MaxTextLength+1)}}, api.CodeTooLarge},
		{"card without title", map[string]any{"message": map[string]any{"type": "content_card"}}, api.CodeInvalidArgument},
		{"bad type", map[string]any{"message": map[string]any{"type": "noti", "content": "x"}}, api.CodeInvalidArgument},
		{"malformed", `{"message":`, api.CodeBadRequest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := p.rest("POST", chat+"/message", tc.body)
			if tc.code == "" {
				res.wantOK(t)
				return
			}
			res.wantError(t, tc.code)
		})
	}
	ms := u.messages(c.ID)
	if last := ms[len(ms)-1]; last.Type != api.MsgInlineButton || last.UserType != api.UserAgent {
		t.Errorf("last message: %+v", last)
	}

	// Back to the queue, then finished by the agent.
	res = p.rest("PATCH", chat, map[string]any{"chat": map[string]any{"status": "queued"}})
	res.wantOK(t)
	res.decode(t, &c)
	if c.Status != api.StatusQueued || c.Agent != nil {
		t.Fatalf("back to queue: %+v", c)
	}
	res = p.rest("PATCH", chat, map[string]any{"finished_by_user_id": 1, "chat": map[string]any{"status": "finished"}})
	res.wantOK(t)
	res.decode(t, &c)
	if c.Status != api.StatusFinished {
		t.Fatalf("finished: %+v", c)
	}
	if !hasNoti(api.NotiChatEnded)(u.messages(c.ID)) || !hasNoti(api.NotiBackToQueue)(u.messages(c.ID)) {
		t.Error("missing chatEnded / backToQueue noti")
	}
	p.rest("PATCH", chat, map[string]any{"chat": map[string]any{"status": "va_assigned"}}).wantError(t, api.CodeInvalidArgument)
	p.rest("POST", chat+"/message", map[string]any{"message": map[string]any{"content": "late"}}).wantError(t, api.CodeConflict)
	p.rest("GET", server.RESTPrefix+"/chats/99999", nil).wantError(t, api.CodeNotFound)
	p.rest("POST", server.RESTPrefix+"/chats", map[string]any{"chat": map[string]any{"menu_id": 123, "end_user_id": 99999}}).wantError(t, api.CodeNotFound)
	p.rest("POST", server.RESTPrefix+"/chats", map[string]any{"chat": map[string]any{}}).wantError(t, api.CodeInvalidArgument)

	// Customer flags: set some, read them back.
	res = p.rest("POST", chat+"/customer_flag", map[string]any{"bad_actor": true, "repeat_customers": true})
	res.wantOK(t)
	var flags map[string]bool
	p.rest("GET", chat+"/customer_flag", nil).decode(t, &flags)
	if !flags["bad_actor"] || !flags["repeat_customer"] || flags["verified_customer"] {
		t.Errorf("flags: %v", flags)
	}
}

func TestRESTCreateChatForNewEndUser(t *testing.T) {
	t.Parallel()
	p := newPlatform(t)
	res := p.rest("POST", server.RESTPrefix+"/chats", map[string]any{"chat": map[string]any{"menu_id": 124}})
	res.wantOK(t)
	var c api.Chat
	res.decode(t, &c)
	if c.EndUser.ID == 0 || !strings.HasPrefix(c.EndUser.Identifier, "rest-") || c.Status != api.StatusQueued || c.QueuePosition != 1 {
		t.Fatalf("chat: %+v", c)
	}
}
