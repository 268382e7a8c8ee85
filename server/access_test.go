package server_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server"
)

// TestNoCrossUserAccess proves that an end user can neither read nor act
// on another end user's chat: every chat route answers not_found, exactly
// as for a chat that does not exist, and the victim's chat is unchanged.
func TestNoCrossUserAccess(t *testing.T) {
	t.Parallel()
	p := newPlatform(t)
	alice, mallory := p.login("alice"), p.login("mallory")
	c := alice.createChat(124)
	alice.send(c.ID, "a", "secret")
	mallory.createChat(124)

	routes := []struct {
		method, route string
		body          any
	}{
		{"GET", api.RouteChat, nil},
		{"GET", api.RouteMessages, nil},
		{"POST", api.RouteMessages, api.SendMessageRequest{Content: "hi"}},
		{"POST", api.RouteChatFinish, nil},
		{"POST", api.RouteChatDestroy, nil},
		{"POST", api.RouteChatResume, nil},
		{"POST", api.RouteEscalations, nil},
		{"POST", api.RouteRealtimeTicket, nil},
		{"GET", api.RoutePoll, nil},
		{"POST", api.RouteTyping, api.TypingRequest{Typing: true}},
		{"POST", api.RoutePreview, api.PreviewRequest{Content: "x"}},
		{"GET", api.RouteDeflection, nil},
		{"GET", api.RouteSurvey, nil},
		{"POST", api.RouteSurvey, map[string]any{"answers": map[string]any{"1": 5}}},
		{"POST", api.RouteRating, api.RateRequest{Rating: 5}},
		{"POST", api.RoutePostSession, api.PostSessionRequest{Status: api.PostSessionReady}},
		{"POST", api.RouteEscalationTrack, api.TrackEscalationRequest{Channel: "email"}},
		{"POST", api.RouteEndUserEvents, map[string]any{"event": "x"}},
	}
	for _, r := range routes {
		t.Run(r.method+" "+r.route, func(t *testing.T) {
			ids := []any{c.ID, 1} // the second fills {eid} where there is one
			mallory.do(r.method, path(r.route, ids[:strings.Count(r.route, "{")]...), r.body).wantError(t, api.CodeNotFound)
			mallory.do(r.method, path(r.route, []any{c.ID + 1000, 1}[:strings.Count(r.route, "{")]...), r.body).wantError(t, api.CodeNotFound)
			p.request(r.method, path(r.route, ids[:strings.Count(r.route, "{")]...), r.body, nil).wantError(t, api.CodeUnauthorized)
		})
	}
	got := alice.chat(c.ID)
	if got.Status != api.StatusQueued || got.LastIndex != 1 || got.Rated || got.SurveyAnswered || got.PostSessionTransferStatus != "" {
		t.Fatalf("alice's chat changed: %+v", got)
	}
}

func TestRESTAuth(t *testing.T) {
	t.Parallel()
	p := newPlatform(t)
	u := p.login("alice")
	c := u.createChat(124)
	chatPath := fmt.Sprintf("%s/chats/%d", server.RESTPrefix, c.ID)
	for _, tc := range []struct {
		name, user, pass string
		ok               bool
	}{
		{"none", "", "", false},
		{"wrong token", server.DemoTenant, "wrong", false},
		{"wrong tenant", "other", server.DemoAPIToken, false},
		{"swapped", server.DemoAPIToken, server.DemoTenant, false},
		{"token prefix", server.DemoTenant, server.DemoAPIToken[:10], false},
		{"valid", server.DemoTenant, server.DemoAPIToken, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := p.restAs(tc.user, tc.pass, "GET", chatPath, nil)
			if tc.ok {
				res.wantOK(t)
				return
			}
			res.wantError(t, api.CodeUnauthorized)
			if res.status != http.StatusUnauthorized || res.header.Get("WWW-Authenticate") == "" {
				t.Errorf("status %d, WWW-Authenticate %q", res.status, res.header.Get("WWW-Authenticate"))
			}
		})
	}
	// The session token is no REST credential, nor the reverse.
	p.request("GET", chatPath, nil, map[string]string{"Authorization": "Bearer " + u.token}).wantError(t, api.CodeUnauthorized)
	p.request("GET", api.RouteCompany, nil, map[string]string{"Authorization": "Bearer " + server.DemoAPIToken}).wantError(t, api.CodeUnauthorized)
}
