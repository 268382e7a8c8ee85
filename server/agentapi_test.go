package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server"
)

// agentClient is a signed-in agent console.
type agentClient struct {
	p     *platform
	token string
	id    int64
}

func (p *platform) agentSignIn(id int64) *agentClient {
	p.t.Helper()
	res := p.rest("POST", server.AgentPrefix+"/session", map[string]any{"agent_id": id})
	res.wantOK(p.t)
	var s server.AgentSession
	res.decode(p.t, &s)
	if s.Token == "" || s.Agent.ID != id || s.ExpiresAt == "" {
		p.t.Fatalf("agent session %+v", s)
	}
	return &agentClient{p: p, token: s.Token, id: id}
}

func (a *agentClient) do(method, route string, body any) response {
	a.p.t.Helper()
	return a.p.request(method, server.AgentPrefix+route, body, map[string]string{"Authorization": "Bearer " + a.token})
}

func (a *agentClient) setPresence(status string) {
	a.p.t.Helper()
	res := a.do("PUT", "/presence", map[string]string{"status": status})
	res.wantOK(a.p.t)
	var me server.AgentMe
	res.decode(a.p.t, &me)
	if me.Presence != status {
		a.p.t.Fatalf("presence %q, want %q", me.Presence, status)
	}
}

func (a *agentClient) lists() server.AgentChatLists {
	a.p.t.Helper()
	res := a.do("GET", "/chats", nil)
	res.wantOK(a.p.t)
	var l server.AgentChatLists
	res.decode(a.p.t, &l)
	return l
}

func has(list []server.AgentChat, id int64) bool {
	for _, c := range list {
		if c.Chat.ID == id {
			return true
		}
	}
	return false
}

func TestAgentAuth(t *testing.T) {
	t.Parallel()
	p, clock := clockPlatform(t)
	signIn := server.AgentPrefix + "/session"
	tests := []struct {
		name       string
		user, pass string
		body       any
		code       string
	}{
		{"no credentials", "", "", map[string]any{"agent_id": 1}, api.CodeUnauthorized},
		{"wrong token", server.DemoTenant, "not-the-token-0123456789", map[string]any{"agent_id": 1}, api.CodeUnauthorized},
		{"wrong tenant", "other", server.DemoAPIToken, map[string]any{"agent_id": 1}, api.CodeUnauthorized},
		{"unknown agent", server.DemoTenant, server.DemoAPIToken, map[string]any{"agent_id": 99}, api.CodeInvalidArgument},
		{"no body", server.DemoTenant, server.DemoAPIToken, nil, api.CodeBadRequest},
		{"malformed", server.DemoTenant, server.DemoAPIToken, `{"agent_id":`, api.CodeBadRequest},
	}
	for _, tt := range tests {
		p.restAs(tt.user, tt.pass, "POST", signIn, tt.body).wantError(t, tt.code)
	}
	// Every other route needs a session.
	routes := []struct{ method, path string }{
		{"GET", "/me"}, {"PUT", "/presence"}, {"GET", "/chats"}, {"GET", "/chats/1"}, {"POST", "/chats/1/accept"},
		{"POST", "/chats/1/messages"}, {"POST", "/chats/1/files"}, {"POST", "/chats/1/typing"}, {"POST", "/chats/1/end"},
		{"GET", "/feedback"}, {"GET", "/events"}, {"GET", "/calls"}, {"POST", "/chats/1/calls"}, {"POST", "/calls/1/cancel"},
		{"DELETE", "/session"},
	}
	bad := &agentClient{p: p, token: "forged-token"}
	for _, r := range routes {
		res := p.request(r.method, server.AgentPrefix+r.path, nil, nil)
		res.wantError(t, api.CodeUnauthorized)
		if !strings.HasPrefix(res.header.Get("WWW-Authenticate"), "Bearer") {
			t.Errorf("%s %s: WWW-Authenticate %q", r.method, r.path, res.header.Get("WWW-Authenticate"))
		}
		bad.do(r.method, r.path, nil).wantError(t, api.CodeUnauthorized)
	}
	// The end user's session is not an agent session.
	u := p.login("sneaky")
	(&agentClient{p: p, token: u.token}).do("GET", "/chats", nil).wantError(t, api.CodeUnauthorized)

	a := p.agentSignIn(2)
	res := a.do("GET", "/me", nil)
	res.wantOK(t)
	var me server.AgentMe
	res.decode(t, &me)
	if me.Agent.ID != 2 || me.Agent.Name != "Bob Agent" {
		t.Fatalf("me %+v", me)
	}
	a.do("PUT", "/presence", map[string]string{"status": "away"}).wantError(t, api.CodeInvalidArgument)
	clock.Advance(13 * time.Hour)
	a.do("GET", "/me", nil).wantError(t, api.CodeSessionExpired)

	b := p.agentSignIn(1)
	b.do("DELETE", "/session", nil).wantOK(t)
	b.do("GET", "/me", nil).wantError(t, api.CodeUnauthorized)
}

// sendFile posts a multipart file as agent a.
func (a *agentClient) sendFile(chatID int64, name, contentType string, data []byte, caption string) response {
	a.p.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("caption", caption)
	h := make(map[string][]string)
	h["Content-Disposition"] = []string{fmt.Sprintf(`form-data; name="file"; filename=%q`, name)}
	h["Content-Type"] = []string{contentType}
	w, _ := mw.CreatePart(h)
	w.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", fmt.Sprintf("%s%s/chats/%d/files", a.p.ts.URL, server.AgentPrefix, chatID), &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+a.token)
	res, err := a.p.ts.Client().Do(req)
	if err != nil {
		a.p.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{status: res.StatusCode, header: res.Header, body: b}
}

func TestAgentConsoleFlow(t *testing.T) {
	t.Parallel()
	p, clock := clockPlatform(t, withCompany(offlineCompany()))
	alice := p.agentSignIn(1)
	res := alice.do("GET", "/me", nil)
	var me server.AgentMe
	res.decode(t, &me)
	if me.Presence != "offline" {
		t.Fatalf("an agent configured offline is %q before going online", me.Presence)
	}
	alice.setPresence("online")

	u := p.login("customer")
	c := u.createChat(123)
	if esc := u.escalate(c.ID); esc.Status != api.StatusQueued {
		t.Fatalf("escalation with Alice online: %+v", esc)
	}
	l := alice.lists()
	if !has(l.Queued, c.ID) || !has(l.Escalated, c.ID) || has(l.Mine, c.ID) {
		t.Fatalf("lists before accept: %+v", l)
	}
	if l.Queued[0].EndUserName != "User customer" {
		t.Errorf("end user name %q", l.Queued[0].EndUserName)
	}
	alice.do("POST", "/chats/999/accept", nil).wantError(t, api.CodeNotFound)
	alice.do("POST", "/chats/x/accept", nil).wantError(t, api.CodeBadRequest)
	res = alice.do("POST", fmt.Sprintf("/chats/%d/accept", c.ID), nil)
	res.wantOK(t)
	var ac api.Chat
	res.decode(t, &ac)
	if ac.Status != api.StatusAssigned || ac.Agent == nil || ac.Agent.ID != 1 {
		t.Fatalf("accepted chat %+v", ac)
	}
	ms := u.waitMessages(c.ID, "accept notis", hasNoti(api.NotiMemberJoined))
	if !hasNoti(api.NotiEscalationAccepted)(ms) {
		t.Errorf("no escalationAccepted in %+v", ms)
	}
	if l := alice.lists(); !has(l.Mine, c.ID) || has(l.Queued, c.ID) {
		t.Fatalf("lists after accept: %+v", l)
	}

	// Bob cannot act on Alice's chat.
	bob := p.agentSignIn(2)
	bob.do("POST", fmt.Sprintf("/chats/%d/messages", c.ID), map[string]any{"content": "mine now"}).wantError(t, api.CodeConflict)
	bob.do("POST", fmt.Sprintf("/chats/%d/accept", c.ID), nil).wantError(t, api.CodeConflict)
	bob.do("POST", fmt.Sprintf("/chats/%d/end", c.ID), nil).wantError(t, api.CodeConflict)

	chat := fmt.Sprintf("/chats/%d", c.ID)
	sends := []struct {
		name string
		body any
		code string
		typ  string
	}{
		{"text", map[string]any{"type": "text", "content": "Hello, I'm Alice"}, "", api.MsgText},
		{"default type", map[string]any{"content": "<b>not markup</b>"}, "", api.MsgText},
		{"card", map[string]any{"type": "content_card", "card": map[string]any{"title": "Plan", "body": "Details", "buttons": []map[string]string{{"title": "Open", "url": "https://demo.example"}}}}, "", api.MsgContentCard},
		{"buttons", map[string]any{"type": "inline_button", "content": "Pick", "buttons": []map[string]string{{"title": "A", "payload": "a"}}}, "", api.MsgInlineButton},
		{"form", map[string]any{"type": "form", "form": map[string]any{"id": 7, "title": "Details"}}, "", api.MsgForm},
		{"empty text", map[string]any{"type": "text", "content": " "}, api.CodeInvalidArgument, ""},
		{"card without title", map[string]any{"type": "content_card", "card": map[string]any{}}, api.CodeInvalidArgument, ""},
		{"button without title", map[string]any{"type": "inline_button", "buttons": []map[string]string{{"payload": "a"}}}, api.CodeInvalidArgument, ""},
		{"noti", map[string]any{"type": "noti", "content": "x"}, api.CodeInvalidArgument, ""},
		{"too long", map[string]any{"content": strings.Repeat("a", api.MaxTextLength+1)}, api.CodeTooLarge, ""},
		{"malformed", `{"content":`, api.CodeBadRequest, ""},
	}
	for _, s := range sends {
		res := alice.do("POST", chat+"/messages", s.body)
		if s.code != "" {
			res.wantError(t, s.code)
			continue
		}
		res.wantOK(t)
		var m api.Message
		res.decode(t, &m)
		if m.Type != s.typ || m.UserType != api.UserAgent || m.UserID != 1 || m.Index == 0 {
			t.Errorf("%s: message %+v", s.name, m)
		}
	}
	alice.do("POST", chat+"/typing", api.TypingRequest{Typing: true}).wantOK(t)
	bob.do("POST", chat+"/typing", api.TypingRequest{Typing: true}).wantError(t, api.CodeConflict)

	res = alice.sendFile(c.ID, "notes.txt", "text/plain", []byte("see you"), "the notes")
	res.wantOK(t)
	var fm api.FileMessageResponse
	res.decode(t, &fm)
	if fm.Message.Type != api.MsgFile || fm.Message.File == nil || fm.Message.File.Name != "notes.txt" || fm.Message.File.Size != 7 || fm.MediaID == 0 {
		t.Fatalf("file message %+v", fm)
	}
	alice.sendFile(c.ID, "evil.exe", "application/octet-stream", []byte("MZ"), "").wantError(t, api.CodeUnsupportedType)

	// The end user sees everything the agent sent.
	ms = u.waitMessages(c.ID, "agent messages", func(ms []api.Message) bool {
		return len(ms) > 0 && ms[len(ms)-1].Type == api.MsgFile
	})
	var types []string
	for _, m := range ms {
		if m.UserType == api.UserAgent {
			types = append(types, m.Type)
		}
	}
	if got := strings.Join(types, ","); got != "text,text,content_card,inline_button,form,file" {
		t.Errorf("agent messages the end user sees: %s", got)
	}
	u.send(c.ID, "reply", "thanks!")

	res = alice.do("GET", chat, nil)
	res.wantOK(t)
	var tr server.AgentTranscript
	res.decode(t, &tr)
	if len(tr.Messages) != len(ms)+1 || tr.Messages[len(tr.Messages)-1].Content != "thanks!" || tr.LastMessage == nil || tr.LastMessage.Content != "thanks!" {
		t.Fatalf("transcript has %d messages (want %d), last %+v", len(tr.Messages), len(ms)+1, tr.LastMessage)
	}

	res = alice.do("POST", chat+"/end", nil)
	res.wantOK(t)
	res.decode(t, &ac)
	if ac.Status != api.StatusFinished {
		t.Fatalf("ended chat %+v", ac)
	}
	if got := u.chat(c.ID); got.Status != api.StatusFinished {
		t.Fatalf("end user sees %s", got.Status)
	}
	alice.do("POST", chat+"/messages", map[string]any{"content": "late"}).wantError(t, api.CodeConflict)
	alice.do("POST", chat+"/end", nil).wantOK(t) // idempotent

	u.do("POST", path(api.RouteRating, c.ID), api.RateRequest{Rating: 4, Feedback: "quick"}).wantOK(t)
	u.do("POST", path(api.RouteSurvey, c.ID), api.SurveyRequest{Answers: api.SurveyAnswers{"1": api.Raw(`"5"`), "5": api.Raw(`"great"`)}}).wantOK(t)
	res = alice.do("GET", "/feedback", nil)
	res.wantOK(t)
	var fb []server.AgentFeedback
	res.decode(t, &fb)
	var rated, surveyed bool
	for _, f := range fb {
		rated = rated || (f.ChatID == c.ID && f.Rating != nil && f.Rating.Rating == 4 && f.Rating.Feedback == "quick")
		surveyed = surveyed || (f.ChatID == c.ID && string(f.Answers["5"]) == `"great"`)
	}
	if !rated || !surveyed {
		t.Fatalf("feedback %+v", fb)
	}
	l = alice.lists()
	if !has(l.Recent, c.ID) || l.Recent[0].Rating == nil || l.Recent[0].Rating.Rating != 4 || string(l.Recent[0].Survey["1"]) != `"5"` {
		t.Fatalf("recent %+v", l.Recent)
	}

	// Going offline, or going silent, deflects the next escalation.
	tests := []struct {
		name   string
		absent func()
	}{
		{"offline", func() { alice.setPresence("offline") }},
		{"silent", func() { alice.setPresence("online"); clock.Advance(3 * time.Minute) }},
	}
	for i, tt := range tests {
		tt.absent()
		w := p.login(fmt.Sprintf("later-%d", i))
		c2 := w.createChat(123)
		if esc := w.escalate(c2.ID); esc.Status != "deflected" {
			t.Errorf("%s: escalation %+v, want deflected", tt.name, esc)
		}
		w.do("POST", path(api.RouteChatFinish, c2.ID), nil).wantOK(t)
	}
	res = alice.do("GET", "/me", nil) // any request counts as presence again
	res.decode(t, &me)
	if me.Presence != "online" {
		t.Errorf("presence after a request: %q", me.Presence)
	}
}

// poll long-polls the agent feed.
func (a *agentClient) poll(after int64, timeout int) server.FeedResponse {
	a.p.t.Helper()
	res := a.do("GET", fmt.Sprintf("/events?after=%d&timeout=%d", after, timeout), nil)
	res.wantOK(a.p.t)
	var f server.FeedResponse
	res.decode(a.p.t, &f)
	return f
}

// waitFeed polls from after until an entry satisfies cond.
func (a *agentClient) waitFeed(after int64, what string, cond func(api.Event) bool) int64 {
	a.p.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		f := a.poll(after, 2)
		for _, e := range f.Events {
			if cond(e.Event) {
				return e.Seq
			}
		}
		after = f.LastSeq
	}
	a.p.t.Fatalf("the feed never delivered %s", what)
	return 0
}

func TestAgentFeed(t *testing.T) {
	t.Parallel()
	p := newPlatform(t)
	a := p.agentSignIn(1)
	start := a.poll(0, 0)
	if start.Reset || len(start.Events) != 0 {
		t.Fatalf("fresh feed %+v", start)
	}
	if f := a.poll(start.LastSeq+100, 0); !f.Reset {
		t.Fatalf("a sequence from the future must reset: %+v", f)
	}
	done := make(chan server.FeedResponse, 1)
	go func() {
		// A poll waiting before anything happens wakes on the new chat.
		res := p.request("GET", fmt.Sprintf("%s/events?after=%d&timeout=5", server.AgentPrefix, start.LastSeq), nil,
			map[string]string{"Authorization": "Bearer " + a.token})
		var f server.FeedResponse
		json.Unmarshal(res.body, &f)
		done <- f
	}()
	time.Sleep(50 * time.Millisecond)
	u := p.login("feed")
	c := u.createChat(124)
	select {
	case f := <-done:
		if len(f.Events) == 0 || f.Events[0].Seq != start.LastSeq+1 {
			t.Fatalf("woken poll %+v", f)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the waiting poll did not wake")
	}
	seq := a.waitFeed(start.LastSeq, "the new queued chat", func(e api.Event) bool {
		return e.Type == api.EventChat && e.ChatID == c.ID && e.Chat.Status == api.StatusQueued
	})
	u.send(c.ID, "m1", "is anyone there?")
	a.waitFeed(seq, "the end user's message", func(e api.Event) bool {
		return e.Type == api.EventMessage && e.ChatID == c.ID && e.Message.Content == "is anyone there?"
	})
	u.do("POST", path(api.RouteTyping, c.ID), api.TypingRequest{Typing: true}).wantOK(t)
	a.waitFeed(seq, "typing", func(e api.Event) bool {
		return e.Type == api.EventTypingStart && e.ChatID == c.ID && e.Identity.UserType == api.UserEndUser
	})
}

func TestAgentCalls(t *testing.T) {
	t.Parallel()
	p, clock := clockPlatform(t)
	a := p.agentSignIn(1)
	u := p.login("caller")
	c := u.createChat(123)
	at := clock.Now().Add(2 * time.Hour).Format(time.RFC3339)
	bad := []struct {
		name string
		chat int64
		body any
		code string
	}{
		{"bad phone", c.ID, map[string]any{"phone_number": "12", "scheduled_at": at}, api.CodeInvalidArgument},
		{"past", c.ID, map[string]any{"phone_number": "+12345678", "scheduled_at": clock.Now().Add(-time.Minute).Format(time.RFC3339)}, api.CodeInvalidArgument},
		{"no time", c.ID, map[string]any{"phone_number": "+12345678"}, api.CodeInvalidArgument},
		{"unknown chat", 999, map[string]any{"phone_number": "+12345678", "scheduled_at": at}, api.CodeNotFound},
	}
	for _, tt := range bad {
		a.do("POST", fmt.Sprintf("/chats/%d/calls", tt.chat), tt.body).wantError(t, tt.code)
	}
	noVoice := p.login("no-voice").createChat(124)
	a.do("POST", fmt.Sprintf("/chats/%d/calls", noVoice.ID), map[string]any{"phone_number": "+12345678", "scheduled_at": at}).wantError(t, api.CodeInvalidArgument)

	res := a.do("POST", fmt.Sprintf("/chats/%d/calls", c.ID), map[string]any{"phone_number": "+1 234-5678", "scheduled_at": at})
	res.wantOK(t)
	var call struct {
		ID          int64  `json:"id"`
		Status      string `json:"status"`
		Type        string `json:"type"`
		PhoneNumber string `json:"phone_number"`
		EndUserID   int64  `json:"end_user_id"`
	}
	res.decode(t, &call)
	if call.Status != api.CallScheduled || call.Type != api.CallTypeScheduled || call.PhoneNumber != "+12345678" || call.EndUserID != u.id {
		t.Fatalf("scheduled call %+v", call)
	}
	// The end user sees the call the agent scheduled for them.
	var ec api.CallResponse
	u.do("GET", path(api.RouteCall, call.ID), nil).decode(t, &ec)
	if ec.ID != call.ID || ec.Status != api.CallScheduled {
		t.Fatalf("end user's view %+v", ec)
	}
	res = a.do("GET", "/calls", nil)
	res.wantOK(t)
	var list []map[string]any
	res.decode(t, &list)
	if len(list) != 1 || list[0]["id"].(float64) != float64(call.ID) {
		t.Fatalf("calls %+v", list)
	}
	res = a.do("POST", fmt.Sprintf("/calls/%d/cancel", call.ID), nil)
	res.wantOK(t)
	res.decode(t, &call)
	if call.Status != api.CallCancelled {
		t.Fatalf("cancelled call %+v", call)
	}
	a.do("POST", fmt.Sprintf("/calls/%d/cancel", call.ID), nil).wantError(t, api.CodeConflict)
	a.do("POST", "/calls/999/cancel", nil).wantError(t, api.CodeNotFound)
}

// An agent opens the files customers send; nobody else gets in through the
// agent route, and an end-user session never works there.
func TestAgentOpensChatMedia(t *testing.T) {
	t.Parallel()
	p := newPlatform(t)
	u := p.login("sends-a-file")
	chat := u.createChat(124)
	res := u.upload(path(api.RouteFiles, chat.ID), field("client_id", "m-1"), file("file", "invoice.txt", "text/plain", []byte("amount: 42")))
	res.wantOK(t)
	var fm api.FileMessageResponse
	res.decode(t, &fm)
	route := fmt.Sprintf("/media/%d", fm.MediaID)

	alice := p.agentSignIn(1)
	res = alice.do("GET", route, nil)
	res.wantOK(t)
	if string(res.body) != "amount: 42" || res.header.Get("Content-Type") != "text/plain" || !strings.Contains(res.header.Get("Content-Disposition"), "invoice.txt") {
		t.Errorf("agent media: %q, %v", res.body, res.header)
	}
	alice.do("GET", "/media/999999", nil).wantError(t, api.CodeNotFound)
	p.request("GET", server.AgentPrefix+route, nil, nil).wantError(t, api.CodeUnauthorized)
	p.request("GET", server.AgentPrefix+route, nil, map[string]string{"Authorization": "Bearer " + u.token}).wantError(t, api.CodeUnauthorized)
}
