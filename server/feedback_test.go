package server_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ccaip/headless-go/api"
)

func TestSurveyRatingPostSession(t *testing.T) {
	t.Parallel()
	p := newPlatform(t)
	u := p.login("alice")
	c := u.createChat(124)
	u.do("POST", path(api.RouteChatFinish, c.ID), nil).wantOK(t)

	var sv api.ChatSurveyResponse
	res := u.do("GET", path(api.RouteSurvey, c.ID), nil)
	res.wantOK(t)
	res.decode(t, &sv)
	types := map[string]bool{}
	for _, q := range sv.Questions {
		types[q.Type] = true
	}
	for _, typ := range []string{api.QuestionCSAT, api.QuestionStar, api.QuestionFreeForm, api.QuestionScale, api.QuestionEnumeration} {
		if !types[typ] {
			t.Errorf("no %s question", typ)
		}
	}
	if sv.SignOffDisplayText == "" {
		t.Error("no sign-off")
	}
	for _, tc := range []struct {
		name string
		body any
		code string
	}{
		{"empty", map[string]any{"answers": map[string]any{}}, api.CodeInvalidArgument},
		{"unknown question", map[string]any{"answers": map[string]any{"99": 1}}, api.CodeInvalidArgument},
		{"csat out of range", map[string]any{"answers": map[string]any{"1": 9}}, api.CodeInvalidArgument},
		{"scale out of range", map[string]any{"answers": map[string]any{"3": 11}}, api.CodeInvalidArgument},
		{"bad enumeration", map[string]any{"answers": map[string]any{"4": "nope"}}, api.CodeInvalidArgument},
		{"object answer", map[string]any{"answers": map[string]any{"5": map[string]int{}}}, api.CodeInvalidArgument},
		{"long free form", map[string]any{"answers": map[string]any{"5": strings.Repeat("a", 2001)}}, api.CodeTooLarge},
		{"valid", map[string]any{"answers": map[string]any{"1": 5, "2": "4", "3": 7, "4": "billing", "5": "great"}}, ""},
		{"twice", map[string]any{"answers": map[string]any{"1": 5}}, api.CodeConflict},
	} {
		res := u.do("POST", path(api.RouteSurvey, c.ID), tc.body)
		if tc.code == "" {
			res.wantOK(t)
			continue
		}
		t.Run(tc.name, func(t *testing.T) { res.wantError(t, tc.code) })
	}
	for _, tc := range []struct {
		body any
		code string
	}{
		{api.RateRequest{Rating: 0}, api.CodeInvalidArgument},
		{api.RateRequest{Rating: 6}, api.CodeInvalidArgument},
		{api.RateRequest{Rating: 4, Feedback: "nice"}, ""},
		{api.RateRequest{Rating: 5}, api.CodeConflict},
	} {
		res := u.do("POST", path(api.RouteRating, c.ID), tc.body)
		if tc.code == "" {
			res.wantOK(t)
		} else {
			res.wantError(t, tc.code)
		}
	}
	res = u.do("POST", path(api.RoutePostSession, c.ID), api.PostSessionRequest{Status: api.PostSessionInProgress})
	res.wantOK(t)
	var got api.Chat
	res.decode(t, &got)
	if got.PostSessionTransferStatus != api.PostSessionInProgress || !got.Rated || !got.SurveyAnswered {
		t.Errorf("chat after feedback: %+v", got)
	}
	u.do("POST", path(api.RoutePostSession, c.ID), api.PostSessionRequest{Status: "bogus"}).wantError(t, api.CodeInvalidArgument)
	// Stored, so a restart keeps them.
	p.restart()
	got = u.chat(c.ID)
	if !got.Rated || !got.SurveyAnswered || got.PostSessionTransferStatus != api.PostSessionInProgress {
		t.Errorf("after restart: %+v", got)
	}
}

func TestDeflectionTrackingEvents(t *testing.T) {
	t.Parallel()
	p := newPlatform(t)
	u := p.login("alice")
	c := u.createChat(123)
	res := u.do("GET", path(api.RouteDeflection, c.ID), nil)
	res.wantOK(t)
	// Always the configuration, never null: apps read it before escalating.
	var before map[string]any
	res.decode(t, &before)
	for _, k := range []string{"enabled", "threshold", "email", "keep_waiting", "external_deflection_links"} {
		if _, ok := before[k]; !ok {
			t.Errorf("deflection with the VA lacks %s: %s", k, res.body)
		}
	}
	if before["enabled"] != true {
		t.Errorf("deflection with the VA: %s, want enabled (the company and menu allow it)", res.body)
	}
	res = u.do("POST", path(api.RouteEscalations, c.ID), api.EscalateRequest{})
	res.wantOK(t)
	var esc api.Escalation
	res.decode(t, &esc)
	var d api.ChatDeflectionResponse
	res = u.do("GET", path(api.RouteDeflection, c.ID), nil)
	res.wantOK(t)
	res.decode(t, &d)
	if !d.Enabled || !d.Email || !d.KeepWaiting {
		t.Errorf("deflection while queued: %+v", d)
	}
	u.do("POST", path(api.RouteEscalationTrack, c.ID, esc.ID), api.TrackEscalationRequest{Channel: "keep_waiting"}).wantOK(t)
	u.do("POST", path(api.RouteEscalationTrack, c.ID, esc.ID), api.TrackEscalationRequest{Channel: "fax"}).wantError(t, api.CodeInvalidArgument)
	u.do("POST", path(api.RouteEscalationTrack, c.ID, esc.ID+5), api.TrackEscalationRequest{Channel: "email"}).wantError(t, api.CodeNotFound)
	u.do("POST", path(api.RouteEndUserEvents, c.ID), map[string]any{"end_user_name": "Alice", "event": "page_view", "data": map[string]string{"url": "/pricing"}}).wantOK(t)
	u.do("POST", path(api.RouteEndUserEvents, c.ID), map[string]any{}).wantError(t, api.CodeInvalidArgument)
	u.do("POST", path(api.RoutePreview, c.ID), api.PreviewRequest{Content: "typing..."}).wantOK(t)
	u.do("POST", path(api.RoutePreview, c.ID), api.PreviewRequest{Content: strings.Repeat("a", api.MaxTextLength+1)}).wantError(t, api.CodeTooLarge)
}

func TestTypingReachesRealtime(t *testing.T) {
	t.Parallel()
	p := newPlatform(t)
	u := p.login("alice")
	c := u.createChat(124)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	s, _, err := u.dial(ctx, c.ID, 0, "")
	if err != nil {
		t.Fatal(err)
	}
	u.do("POST", path(api.RouteTyping, c.ID), api.TypingRequest{Typing: true}).wantOK(t)
	u.do("POST", path(api.RouteTyping, c.ID), api.TypingRequest{Typing: false}).wantOK(t)
	var seen []string
	for len(seen) < 2 {
		e, err := s.next(ctx)
		if err != nil {
			t.Fatalf("read: %v (seen %v)", err, seen)
		}
		if e.Type == api.EventTypingStart || e.Type == api.EventTypingEnd {
			if e.Identity == nil || e.Identity.ID != u.id {
				t.Errorf("typing identity %+v", e.Identity)
			}
			seen = append(seen, e.Type)
		}
	}
	if seen[0] != api.EventTypingStart || seen[1] != api.EventTypingEnd {
		t.Errorf("typing events %v", seen)
	}
}

func TestChatHistoryPaging(t *testing.T) {
	t.Parallel()
	p := newPlatform(t)
	u := p.login("alice")
	for i := 0; i < 12; i++ {
		c := u.createChat(124)
		u.send(c.ID, "a", fmt.Sprint("chat ", i))
		u.do("POST", path(api.RouteChatFinish, c.ID), nil).wantOK(t)
	}
	u.createChat(124) // ongoing: not history yet
	p.login("bob").createChat(124)
	var h api.ChatHistoryResponse
	res := u.do("GET", api.RouteChatHistory, nil)
	res.wantOK(t)
	res.decode(t, &h)
	if len(h.Chats) != 10 || h.Pagination.NextPage != 2 || h.Pagination.PerPage != 10 {
		t.Fatalf("page 1: %d chats, %+v", len(h.Chats), h.Pagination)
	}
	if len(h.Chats[0].Entries) == 0 || h.Chats[0].Entries[0].Content != "chat 11" {
		t.Errorf("newest first: %+v", h.Chats[0].Entries)
	}
	res = u.do("GET", api.RouteChatHistory+"?page=2", nil)
	res.wantOK(t)
	res.decode(t, &h)
	if len(h.Chats) != 2 || h.Pagination.NextPage != 0 {
		t.Fatalf("page 2: %d chats, %+v", len(h.Chats), h.Pagination)
	}
	u.do("GET", api.RouteChatHistory+"?page=x", nil).wantError(t, api.CodeBadRequest)
}

// Rating and survey answers change the chat (rated, survey_answered), so
// they are published as chat events: the end user's other tabs and the agent
// console learn of them without polling.
func TestFeedbackIsPublished(t *testing.T) {
	t.Parallel()
	p := newPlatform(t)
	u := p.login("fiona")
	c := u.createChat(124)
	u.do("POST", path(api.RouteChatFinish, c.ID), nil).wantOK(t)

	for _, tc := range []struct {
		name  string
		route string
		body  any
		check func(api.Chat) bool
	}{
		{"rating", api.RouteRating, api.RateRequest{Rating: 5}, func(ch api.Chat) bool { return ch.Rated }},
		{"survey", api.RouteSurvey, map[string]any{"answers": map[string]any{"1": 5}}, func(ch api.Chat) bool { return ch.SurveyAnswered }},
	} {
		// The hello frame comes after the subscription: from then on
		// nothing published can be missed (a poll started "a while
		// before" the request could be, on a busy machine).
		ctx := ctxT(t, 10*time.Second)
		st, _, err := u.dial(ctx, c.ID, u.chat(c.ID).LastIndex, "")
		if err != nil {
			t.Fatal(err)
		}
		if e, err := st.next(ctx); err != nil || e.Type != api.EventHello {
			t.Fatalf("%s: first frame %+v %v, want hello", tc.name, e, err)
		}
		u.do("POST", path(tc.route, c.ID), tc.body).wantOK(t)
		var got []api.Event
		for {
			e, err := st.next(ctx)
			if err != nil {
				break
			}
			got = append(got, e)
			if e.Type == api.EventChat {
				break
			}
		}
		if n := len(got); n == 0 || got[n-1].Type != api.EventChat || got[n-1].Chat == nil || !tc.check(*got[n-1].Chat) {
			t.Errorf("%s: events %+v, want a chat event showing it", tc.name, got)
		}
	}
}
