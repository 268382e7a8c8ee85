package server_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server"
)

func TestCompanyRoutes(t *testing.T) {
	t.Parallel()
	p := newPlatform(t)
	u := p.login("alice")

	var co api.CompanyResponse
	res := u.do("GET", api.RouteCompany, nil)
	res.wantOK(t)
	res.decode(t, &co)
	if co.Subdomain != server.DemoTenant || len(co.Languages) < 2 || !co.EmailTranscripts || co.SupportEmail == "" {
		t.Errorf("company: %+v", co)
	}

	var menus api.MenuResponse
	res = u.do("GET", api.RouteMenus+"?lang=it", nil)
	res.wantOK(t)
	res.decode(t, &menus)
	if menus.Direct.Key || len(menus.Menus) < 2 || len(menus.Menus[0].Children) == 0 {
		t.Fatalf("menus: %+v", menus)
	}
	if menus.Menus[0].Name != "Assistenza" {
		t.Errorf("Italian name: %q", menus.Menus[0].Name)
	}
	channels := map[string]bool{}
	var walk func([]api.MenuItem)
	walk = func(ms []api.MenuItem) {
		for _, m := range ms {
			for _, c := range m.Channels {
				channels[c] = true
			}
			walk(m.Children)
		}
	}
	walk(menus.Menus)
	for _, c := range []string{api.ChannelChat, api.ChannelVoiceCall, api.ChannelEmail, api.ChannelExternalLink} {
		if !channels[c] {
			t.Errorf("no menu offers %s", c)
		}
	}

	res = u.do("GET", api.RouteMenus+"?key=direct_menu_key", nil)
	res.wantOK(t)
	res.decode(t, &menus)
	if !menus.Direct.Key || len(menus.Menus) != 1 || menus.Menus[0].ID != 123 {
		t.Errorf("direct key menus: %+v", menus)
	}

	var wt api.WaitTimeResponse
	res = u.do("GET", path(api.RouteWaitTimes, 123), nil)
	res.wantOK(t)
	res.decode(t, &wt)
	if wt.Chat <= 0 || wt.VoiceCall <= 0 {
		t.Errorf("wait times: %+v", wt)
	}

	var slots []string
	res = u.do("GET", path(api.RouteTimeSlots, 123)+"?lang=en", nil)
	res.wantOK(t)
	res.decode(t, &slots)
	if len(slots) == 0 {
		t.Fatal("no time slots")
	}
	for _, s := range slots {
		ts, err := time.Parse(time.RFC3339, s)
		if err != nil || !ts.After(time.Now()) {
			t.Fatalf("bad slot %q", s)
		}
	}

	var ah api.AfterHourMessage
	res = u.do("GET", api.RouteAfterHours+"?lang=it", nil)
	res.wantOK(t)
	res.decode(t, &ah)
	if !strings.Contains(ah.Message, "chiusi") || ah.AfterHour {
		t.Errorf("after hours: %+v", ah)
	}

	var trig []api.TriggerItem
	res = u.do("GET", api.RouteTriggers, nil)
	res.wantOK(t)
	res.decode(t, &trig)
	if len(trig) < 3 {
		t.Errorf("triggers: %+v", trig)
	}
	var ft []api.FileTypeItem
	res = u.do("GET", api.RouteFileTypes, nil)
	res.wantOK(t)
	res.decode(t, &ft)
	if len(ft) == 0 || ft[0].Extension == "" {
		t.Errorf("file types: %+v", ft)
	}

	for _, tc := range []struct{ path, code string }{
		{path(api.RouteWaitTimes, 999), api.CodeNotFound},
		{path(api.RouteWaitTimes, "abc"), api.CodeBadRequest},
		{path(api.RouteTimeSlots, 999), api.CodeNotFound},
		{api.RouteMenus + "?lang=xx", api.CodeInvalidArgument},
		{api.Prefix + "/nope", api.CodeNotFound},
	} {
		u.do("GET", tc.path, nil).wantError(t, tc.code)
	}
}

func TestChatWithVirtualAgentAndHuman(t *testing.T) {
	t.Parallel()
	p := newPlatform(t)
	u := p.login("alice")
	c := u.createChat(123)
	if c.Status != api.StatusVAAssigned || c.VirtualAgent == nil || c.MenuID != 123 || c.EndUser.ID != u.id {
		t.Fatalf("new chat: %+v", c)
	}
	if len(c.Menus) != 2 || c.Menus[1].ID != 123 {
		t.Errorf("menus path: %+v", c.Menus)
	}
	ms := u.messages(c.ID)
	if len(ms) != 1 || ms[0].UserType != api.UserVirtualAgent || ms[0].Index != 1 {
		t.Fatalf("greeting: %+v", ms)
	}

	u.do("POST", api.RouteChats, api.ChatRequest{MenuID: 124}).wantError(t, api.CodeChatAlreadyActive)

	u.send(c.ID, "m1", "show me a card")
	ms = u.waitMessages(c.ID, "card", func(ms []api.Message) bool {
		return len(ms) > 0 && ms[len(ms)-1].Type == api.MsgContentCard
	})
	if ms[len(ms)-1].Card == nil || ms[len(ms)-1].Card.Title == "" {
		t.Errorf("card: %+v", ms[len(ms)-1])
	}
	u.send(c.ID, "m2", "buttons please")
	u.waitMessages(c.ID, "buttons", func(ms []api.Message) bool {
		last := ms[len(ms)-1]
		return last.Type == api.MsgInlineButton && len(last.Buttons) > 0
	})
	u.send(c.ID, "m3", "form")
	u.waitMessages(c.ID, "form", hasNoti(api.NotiFormRequested))

	u.send(c.ID, "m4", "I want a human agent")
	u.waitMessages(c.ID, "escalation", hasNoti(api.NotiEscalationStarted))
	got := u.chat(c.ID)
	if got.Status != api.StatusQueued || got.QueuePosition != 1 || got.EscalationID == 0 {
		t.Fatalf("after escalation: %+v", got)
	}

	p.agentSays(c.ID, 2, "Hi, Bob here")
	got = u.chat(c.ID)
	if got.Status != api.StatusAssigned || got.Agent == nil || got.Agent.ID != 2 || len(got.AllAgents) != 1 {
		t.Fatalf("after agent message: %+v", got)
	}
	ms = u.messages(c.ID)
	if !hasNoti(api.NotiEscalationAccepted)(ms) || !hasNoti(api.NotiMemberJoined)(ms) {
		t.Error("no escalationAccepted / memberJoined noti")
	}
	last := ms[len(ms)-1]
	if last.UserType != api.UserAgent || last.UserID != 2 || last.Content != "Hi, Bob here" {
		t.Errorf("agent message: %+v", last)
	}
	for i, m := range ms {
		if m.Index != int64(i+1) {
			t.Fatalf("message %d has index %d", i, m.Index)
		}
	}

	res := u.do("POST", path(api.RouteChatFinish, c.ID), nil)
	res.wantOK(t)
	var fin api.Chat
	res.decode(t, &fin)
	if fin.Status != api.StatusFinished || fin.FinishedAt == "" {
		t.Fatalf("finished: %+v", fin)
	}
	u.do("POST", path(api.RouteMessages, c.ID), api.SendMessageRequest{Content: "late"}).wantError(t, api.CodeConflict)
	u.do("POST", path(api.RouteChatResume, c.ID), nil).wantError(t, api.CodeConflict)
	// A finished chat frees the slot for a new one.
	c2 := u.createChat(124)
	if c2.Status != api.StatusQueued || c2.VirtualAgent != nil {
		t.Errorf("menu without VA: %+v", c2)
	}
	res = u.do("POST", path(api.RouteChatDestroy, c2.ID), nil)
	res.wantOK(t)
	if u.chat(c2.ID).Status != api.StatusDestroyed {
		t.Error("destroy did not destroy")
	}
}

func TestCreateChatValidation(t *testing.T) {
	t.Parallel()
	p := newPlatform(t)
	u := p.login("alice")
	for _, tc := range []struct {
		name string
		body any
		code string
	}{
		{"no menu", api.ChatRequest{}, api.CodeInvalidArgument},
		{"unknown menu", api.ChatRequest{MenuID: 999}, api.CodeNotFound},
		{"menu without chat", api.ChatRequest{MenuID: 202}, api.CodeInvalidArgument},
		{"parent menu", api.ChatRequest{MenuID: 100}, api.CodeInvalidArgument},
		{"bad lang", api.ChatRequest{MenuID: 123, Lang: "xx"}, api.CodeInvalidArgument},
		{"malformed", `{"menu_id":"x"}`, api.CodeBadRequest},
		{"bad signed data", api.ChatRequest{MenuID: 123, CustomData: &api.CustomData{Signed: "x.y.z"}}, api.CodeInvalidArgument},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u.do("POST", api.RouteChats, tc.body).wantError(t, tc.code)
		})
	}
}

func TestCustomDataSetsFlags(t *testing.T) {
	t.Parallel()
	p := newPlatform(t)
	signed := signJWT(t, jwt.SigningMethodHS256, []byte(server.DemoSecret), jwt.MapClaims{
		"iat": time.Now().Unix(), "exp": time.Now().Add(time.Hour).Unix(),
		"custom_data": map[string]any{
			"reserved_verified_customer": map[string]any{"label": "V", "value": true},
			"reserved_bad_actor":         map[string]any{"label": "B", "value": false},
		},
	})
	u := p.login("alice")
	res := u.do("POST", api.RouteChats, map[string]any{"menu_id": 123, "custom_data": map[string]any{
		"signed":   signed,
		"unsigned": map[string]any{"reserved_repeat_customer": map[string]any{"label": "R", "value": true}, "plan": map[string]any{"label": "Plan", "value": "gold"}},
	}})
	res.wantOK(t)
	var c api.Chat
	res.decode(t, &c)
	var flags map[string]bool
	r := p.rest("GET", fmt.Sprintf("%s/chats/%d/customer_flag", server.RESTPrefix, c.ID), nil)
	r.wantOK(t)
	r.decode(t, &flags)
	if !flags["verified_customer"] || flags["bad_actor"] || !flags["repeat_customer"] {
		t.Errorf("flags: %v", flags)
	}
	forged := signJWT(t, jwt.SigningMethodHS256, []byte("not-the-company-secret"), jwt.MapClaims{"custom_data": map[string]any{}})
	v := p.login("bob")
	v.do("POST", api.RouteChats, map[string]any{"menu_id": 123, "custom_data": map[string]any{"signed": forged}}).wantError(t, api.CodeInvalidArgument)
}

// TestEndUserFormCompletedNoti: an end user may send the formCompleted
// notification (apps written for the vendor SDK report a form filled
// outside the chat so); it is stored as a noti of the end user, the virtual
// agent does not answer it, and no other notification is accepted.
func TestEndUserFormCompletedNoti(t *testing.T) {
	t.Parallel()
	p := newPlatform(t)
	u := p.login("forms")
	c := u.createChat(123)
	before := len(u.messages(c.ID))
	res := u.do("POST", path(api.RouteMessages, c.ID), api.SendMessageRequest{ClientID: "f1", Type: api.MsgNoti, Event: api.NotiFormCompleted})
	res.wantOK(t)
	var m api.Message
	res.decode(t, &m)
	if m.Type != api.MsgNoti || m.Event != api.NotiFormCompleted || m.UserType != api.UserEndUser {
		t.Fatalf("formCompleted noti stored as %+v", m)
	}
	u.do("POST", path(api.RouteMessages, c.ID), api.SendMessageRequest{Type: api.MsgNoti, Event: api.NotiChatEnded}).wantError(t, api.CodeInvalidArgument)
	u.do("POST", path(api.RouteMessages, c.ID), api.SendMessageRequest{Type: api.MsgNoti}).wantError(t, api.CodeInvalidArgument)
	// The virtual agent answers messages in order: once it has answered
	// the next one, an answer to the noti would be there too.
	u.send(c.ID, "t1", "hours")
	ms := u.waitMessages(c.ID, "the virtual agent's answer", func(ms []api.Message) bool { return len(ms) >= before+3 })
	for _, x := range ms[before:] {
		if x.UserType == api.UserVirtualAgent && strings.HasPrefix(x.Content, "I did not get that") {
			t.Errorf("the virtual agent answered the noti: %+v", x)
		}
	}
}

func TestMessages(t *testing.T) {
	t.Parallel()
	p := newPlatform(t)
	u := p.login("alice")
	c := u.createChat(124) // no virtual agent: only our messages
	first := u.send(c.ID, "same", "hello")
	again := u.send(c.ID, "same", "hello again")
	if first.Index != again.Index || first.SID != again.SID || again.Content != "hello" {
		t.Fatalf("idempotency: %+v vs %+v", first, again)
	}
	res := u.do("POST", path(api.RouteMessages, c.ID), map[string]any{"content": "via header"})
	res.wantOK(t)
	hdr := p.request("POST", path(api.RouteMessages, c.ID), map[string]any{"content": "keyed"}, map[string]string{"Authorization": "Bearer " + u.token, api.HeaderIdempotencyKey: "k1"})
	hdr.wantOK(t)
	hdr2 := p.request("POST", path(api.RouteMessages, c.ID), map[string]any{"content": "keyed"}, map[string]string{"Authorization": "Bearer " + u.token, api.HeaderIdempotencyKey: "k1"})
	var h1, h2 api.Message
	hdr.decode(t, &h1)
	hdr2.decode(t, &h2)
	if h1.Index != h2.Index || h1.ClientID != "k1" {
		t.Errorf("header idempotency: %+v %+v", h1, h2)
	}
	for i := 0; i < 7; i++ {
		u.send(c.ID, fmt.Sprintf("n%d", i), fmt.Sprintf("n%d", i))
	}
	all := u.messages(c.ID)
	if len(all) != 10 {
		t.Fatalf("%d messages, want 10: %+v", len(all), all)
	}
	for i, m := range all {
		if m.Index != int64(i+1) || m.UserType != api.UserEndUser || m.Timestamp == "" || m.SID == "" {
			t.Fatalf("message %d: %+v", i, m)
		}
	}
	page := func(q string) api.MessagePage {
		res := u.do("GET", path(api.RouteMessages, c.ID)+q, nil)
		res.wantOK(t)
		var pg api.MessagePage
		res.decode(t, &pg)
		return pg
	}
	for _, tc := range []struct {
		q     string
		first int64
		n     int
	}{
		{"?after=3&limit=2", 4, 2},
		{"?after=8", 9, 2},
		{"?before=5", 1, 4},
		{"?before=9&limit=3", 6, 3},
		{"?after=2&before=5", 3, 2},
		{"?after=10", 0, 0},
	} {
		pg := page(tc.q)
		if len(pg.Messages) != tc.n || pg.LastIndex != 10 || (tc.n > 0 && pg.Messages[0].Index != tc.first) {
			t.Errorf("%s: %d messages from %v, last %d", tc.q, len(pg.Messages), pg.Messages, pg.LastIndex)
		}
	}
	for _, tc := range []struct {
		name string
		body any
		code string
	}{
		{"empty", api.SendMessageRequest{Type: "text"}, api.CodeInvalidArgument},
		{"blank", api.SendMessageRequest{Content: "   "}, api.CodeInvalidArgument},
		{"text at limit", api.SendMessageRequest{Content: strings.Repeat("é", api.MaxTextLength)}, ""},
		{"text over limit", api.SendMessageRequest{Content: strings.Repeat("é", api.MaxTextLength+1)}, api.CodeTooLarge},
		{"structured at limit", map[string]any{"type": "structured", "structured": strings.Repeat("a", api.MaxStructuredLength-2)}, ""},
		{"structured over limit", map[string]any{"type": "structured", "structured": strings.Repeat("a", api.MaxStructuredLength)}, api.CodeTooLarge},
		{"structured empty", map[string]any{"type": "structured"}, api.CodeInvalidArgument},
		{"agent-only type", map[string]any{"type": "noti", "content": "x"}, api.CodeInvalidArgument},
		{"malformed", `{"content": 5}`, api.CodeBadRequest},
		{"not json", `hello`, api.CodeBadRequest},
		{"oversized", `{"content":"` + strings.Repeat("a", 1<<20) + `"}`, api.CodeTooLarge},
		{"long client id", api.SendMessageRequest{ClientID: strings.Repeat("x", 200), Content: "x"}, api.CodeInvalidArgument},
		{"unknown keys ignored", map[string]any{"content": "ok", "mystery": map[string]int{"a": 1}}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := u.do("POST", path(api.RouteMessages, c.ID), tc.body)
			if tc.code == "" {
				res.wantOK(t)
				return
			}
			res.wantError(t, tc.code)
		})
	}
	for q, code := range map[string]string{
		"?limit=0": api.CodeInvalidArgument, "?limit=501": api.CodeInvalidArgument,
		"?after=-1": api.CodeBadRequest, "?before=x": api.CodeBadRequest,
	} {
		u.do("GET", path(api.RouteMessages, c.ID)+q, nil).wantError(t, code)
	}
}
