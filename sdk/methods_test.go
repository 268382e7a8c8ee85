//go:build !(js && wasm)

package sdk_test

import (
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/sdk"
	"github.com/ccaip/headless-go/server"
)

func TestCompanyAndMenus(t *testing.T) {
	t.Parallel()
	p := newPlatform(t, server.Config{})
	c, _ := newClient(t, p, "menus")
	ctx := ctxT(t)

	co, err := c.GetCompany(ctx)
	if err != nil || co.Name == "" || len(co.Languages) == 0 {
		t.Fatalf("GetCompany = %+v, %v", co, err)
	}
	if msg, err := c.GetAfterHourMessage(ctx, "it"); err != nil || msg == "" {
		t.Fatalf("GetAfterHourMessage = %q, %v", msg, err)
	}
	menus, err := c.GetMenus(ctx, "", "")
	if err != nil || len(menus.Menus) == 0 {
		t.Fatalf("GetMenus = %+v, %v", menus, err)
	}
	if wt, err := c.GetWaitTimes(ctx, 123, ""); err != nil || wt == nil {
		t.Fatalf("GetWaitTimes = %+v, %v", wt, err)
	}
	if _, err := c.GetWaitTimes(ctx, 999999, ""); !errors.Is(err, &api.Error{Code: api.CodeNotFound}) {
		t.Fatalf("GetWaitTimes of an unknown menu: %v, want not_found", err)
	}
	if slots, err := c.GetTimeSlots(ctx, 201, ""); err != nil || slots == nil {
		t.Fatalf("GetTimeSlots = %v, %v", slots, err)
	}
	if ft, err := c.GetProhibitedFileTypes(ctx); err != nil || ft == nil {
		t.Fatalf("GetProhibitedFileTypes = %v, %v", ft, err)
	}

	tests := []struct {
		page sdk.PageContext
		want string
	}{
		{sdk.PageContext{URL: "https://shop.example/pricing", Visits: 1}, "pricing-help"},
		{sdk.PageContext{URL: "https://shop.example/", Visits: 1, TimeOnPage: 31 * time.Second}, "welcome-new"},
		{sdk.PageContext{URL: "https://shop.example/", Visits: 1}, ""},
		{sdk.PageContext{URL: "https://shop.example/", Visits: 4, Returning: true}, "returning-loyal"},
	}
	for _, tt := range tests {
		tr, err := c.GetTrigger(ctx, tt.page)
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		if tr != nil {
			got = tr.ID
		}
		if got != tt.want {
			t.Errorf("GetTrigger(%+v) = %q, want %q", tt.page, got, tt.want)
		}
	}

	fired := make(chan string, 1)
	stop, err := c.RunTrigger(ctx, sdk.PageContext{URL: "https://shop.example/", Visits: 1, TimeOnPage: 29900 * time.Millisecond}, func(t *api.TriggerItem) { fired <- t.ID })
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	select {
	case id := <-fired:
		if id != "welcome-new" {
			t.Fatalf("RunTrigger fired %q", id)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("RunTrigger never fired")
	}
}

// TestVendorMessageFields: messages carry identity and, for a content
// card, cards[] as apps written for the vendor SDK read them, both on
// chat.message and from FetchMessages.
func TestVendorMessageFields(t *testing.T) {
	t.Parallel()
	p := newPlatform(t, server.Config{})
	c, rec := newClient(t, p, "vendor-fields")
	ctx := ctxT(t)
	if _, err := c.CreateChat(ctx, 123, api.ChatRequest{}); err != nil {
		t.Fatal(err)
	}
	rec.waitEvent(t, sdk.EventChatConnected, 1)
	if err := c.SendTextMessage(ctx, "card"); err != nil {
		t.Fatal(err)
	}
	var card *api.Message
	rec.waitFor(t, 5*time.Second, "the virtual agent's card", func() bool {
		for _, m := range rec.messages() {
			if m.Type == api.MsgContentCard {
				card = m
				return true
			}
		}
		return false
	})
	fetched, err := c.FetchMessages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range append([]*api.Message{card}, &fetched[len(fetched)-1]) {
		if len(m.Cards) != 1 || m.Cards[0].Title != m.Card.Title || (m.Card.ImageURL != "" && (len(m.Cards[0].Images) != 1 || m.Cards[0].Images[0] != m.Card.ImageURL)) {
			t.Errorf("message %d: cards %+v for card %+v", m.Index, m.Cards, m.Card)
		}
		if m.Identity == nil || m.Identity.IsCustomer || m.Identity.DisplayName != m.UserName || m.UserName == "" {
			t.Errorf("message %d: identity %+v (user_name %q)", m.Index, m.Identity, m.UserName)
		}
	}
	for _, m := range fetched {
		if m.Identity == nil || m.Identity.IsCustomer != (m.UserType == api.UserEndUser) {
			t.Errorf("fetched message %d (%s): identity %+v", m.Index, m.UserType, m.Identity)
		}
	}
}

// TestFormCompletedNoti: SendMessage with Noti posts the end user's
// formCompleted notification; it comes back as a noti with that event.
func TestFormCompletedNoti(t *testing.T) {
	t.Parallel()
	p := newPlatform(t, server.Config{})
	c, rec := newClient(t, p, "noti")
	ctx := ctxT(t)
	if _, err := c.CreateChat(ctx, 123, api.ChatRequest{}); err != nil {
		t.Fatal(err)
	}
	out, err := c.SendMessage(ctx, sdk.OutgoingMessage{Noti: api.NotiFormCompleted})
	if err != nil || out.Message == nil || out.Message.Type != api.MsgNoti || out.Message.Event != api.NotiFormCompleted {
		t.Fatalf("SendMessage(noti) = %+v, %v", out, err)
	}
	rec.waitFor(t, 5*time.Second, "the noti's echo", func() bool {
		for _, m := range rec.messages() {
			if m.Type == api.MsgNoti && m.Event == api.NotiFormCompleted && m.UserType == api.UserEndUser {
				return true
			}
		}
		return false
	})
	if _, err := c.SendMessage(ctx, sdk.OutgoingMessage{Noti: "chatEnded"}); err == nil {
		t.Fatal("an end user sent a chatEnded noti")
	}
}

func TestChatMethods(t *testing.T) {
	t.Parallel()
	p := newPlatform(t, server.Config{})
	c, rec := newClient(t, p, "methods")
	ctx := ctxT(t)
	chat, err := c.CreateChat(ctx, 123, api.ChatRequest{Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	rec.waitEvent(t, sdk.EventChatConnected, 1)
	if got, err := c.LoadChat(ctx, chat.ID); err != nil || got.ID != chat.ID {
		t.Fatalf("LoadChat = %+v, %v", got, err)
	}
	if d, err := c.GetChatDeflection(ctx); err != nil || d == nil || !d.Enabled || d.ExternalDeflectionLinks.IDs == nil {
		t.Errorf("GetChatDeflection with the virtual agent = %+v, %v; want the configuration", d, err)
	}
	esc, err := c.EscalateChat(ctx, &api.EscalateRequest{Reason: "help"})
	if err != nil {
		t.Fatalf("EscalateChat: %v", err)
	}
	if d, err := c.GetChatDeflection(ctx); err != nil || d == nil || !d.Enabled {
		t.Errorf("GetChatDeflection while queued = %+v, %v", d, err)
	}
	rec.waitFor(t, 5*time.Second, "escalation id on the chat", func() bool { return c.CurrentChat().EscalationID == esc.ID })
	if err := c.TrackChatEscalation(ctx, esc.ID, "keep_waiting"); err != nil {
		t.Errorf("TrackChatEscalation: %v", err)
	}
	if err := c.SendTyping(ctx, true); err != nil {
		t.Errorf("SendTyping: %v", err)
	}
	if err := c.SendPreviewMessage(ctx, "typing someth"); err != nil {
		t.Errorf("SendPreviewMessage: %v", err)
	}
	out, err := c.SendMessage(ctx, sdk.OutgoingMessage{Text: "with extras", Metadata: api.Raw(`{"k":"v"}`), QuickReplies: []api.MessageButton{{Title: "Yes", Payload: "y"}}})
	if err != nil || out.State != sdk.OutSent || out.Message == nil {
		t.Fatalf("SendMessage = %+v, %v", out, err)
	}
	m := rec.waitMessage(t, "with extras")
	if string(m.Metadata) != `{"k":"v"}` || len(m.QuickReplies) != 1 {
		t.Errorf("echo lost metadata or quick replies: %+v", m)
	}
	for i := range 5 {
		agentSay(t, p, chat.ID, 1, "q"+strconv.Itoa(i))
	}
	rec.waitMessage(t, "q4")
	all, err := c.FetchMessages(ctx)
	if err != nil || len(all) < 7 {
		t.Fatalf("FetchMessages = %d, %v", len(all), err)
	}
	q, err := c.QueryMessages(ctx, 2, 6, 3)
	if err != nil || len(q) != 3 || q[0].Index != 2 || q[2].Index != 4 {
		t.Fatalf("QueryMessages(2, 6, 3) = %v, %v", indexes(q), err)
	}
	if err := c.TrackChatEndUserEvent(ctx, api.ChatEndUserEventRequest{EndUserName: "Ann", Event: "page_view"}); err != nil {
		t.Errorf("TrackChatEndUserEvent: %v", err)
	}
	st, err := c.Stats()
	if err != nil || st.ChatID != chat.ID || st.Start.IsZero() {
		t.Errorf("Stats = %+v, %v", st, err)
	}
	if err := c.FinishChat(ctx); err != nil {
		t.Fatal(err)
	}
	if err := c.UpdatePostSession(ctx, api.PostSessionReady); err != nil {
		t.Errorf("UpdatePostSession: %v", err)
	}
	survey, err := c.GetChatSurvey(ctx)
	if err != nil || len(survey.Questions) == 0 {
		t.Fatalf("GetChatSurvey = %+v, %v", survey, err)
	}
	answers := api.SurveyAnswers{}
	for _, q := range survey.Questions {
		v := api.Raw(`"fine"`)
		if len(q.ValidAnswers) > 0 {
			v = api.Raw(strconv.Quote(q.ValidAnswers[len(q.ValidAnswers)-1].Key))
		}
		answers[strconv.FormatInt(q.ID, 10)] = v
	}
	if err := c.SendChatSurvey(ctx, answers); err != nil {
		t.Errorf("SendChatSurvey: %v", err)
	}
	if err := c.SendChatRate(ctx, api.RateRequest{Rating: 5, Feedback: "great"}); err != nil {
		t.Errorf("SendChatRate: %v", err)
	}
	if err := c.SendChatRate(ctx, api.RateRequest{Rating: 5}); !errors.Is(err, &api.Error{Code: api.CodeConflict}) {
		t.Errorf("second SendChatRate: %v, want conflict", err)
	}
	h, err := c.GetChatHistory(ctx, 0)
	if err != nil || len(h.Chats) == 0 {
		t.Errorf("GetChatHistory = %+v, %v", h, err)
	}

	// A new chat, dismissed-then-resumed is the server's business; here:
	// destroy drops the current chat and its stored state.
	chat2, err := c.CreateChat(ctx, 123, api.ChatRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.DestroyChat(ctx); err != nil {
		t.Fatalf("DestroyChat: %v", err)
	}
	rec.waitEvent(t, sdk.EventChatDestroyed, 1)
	if c.CurrentChat() != nil {
		t.Fatal("a current chat after DestroyChat")
	}
	if _, err := c.ResumeChat(ctx, chat2.ID); err == nil {
		t.Fatal("ResumeChat of a destroyed chat succeeded")
	}
}

func indexes(ms []api.Message) []int64 {
	var out []int64
	for _, m := range ms {
		out = append(out, m.Index)
	}
	return out
}
