package server_test

import (
	"testing"

	"github.com/ccaip/headless-go/api"
)

func TestTakeover(t *testing.T) {
	t.Parallel()
	p := newPlatform(t)
	anon := p.login("anon-7f3a")
	chat := anon.createChat(124)
	anon.send(chat.ID, "a", "I am not logged in yet")
	old := anon.lastMessage(chat.ID)

	for _, tc := range []struct {
		name string
		body any
		code string
	}{
		{"no token", api.TakeoverRequest{}, api.CodeBadRequest},
		{"bad token", api.TakeoverRequest{Token: "x.y.z"}, api.CodeUnauthorized},
		{"same identity", api.TakeoverRequest{Token: endUserJWT(t, "anon-7f3a")}, api.CodeInvalidArgument},
	} {
		t.Run(tc.name, func(t *testing.T) { anon.do("POST", api.RouteTakeover, tc.body).wantError(t, tc.code) })
	}

	res := anon.do("POST", api.RouteTakeover, api.TakeoverRequest{Token: endUserJWT(t, "customer-42")})
	res.wantOK(t)
	var s api.Session
	res.decode(t, &s)
	if s.SessionToken == "" || s.EndUser.Identifier != "customer-42" || s.EndUser.ID == anon.id {
		t.Fatalf("session %+v", s)
	}
	// The old session is revoked.
	anon.do("GET", path(api.RouteChat, chat.ID), nil).wantError(t, api.CodeUnauthorized)

	known := &user{p: p, token: s.SessionToken, id: s.EndUser.ID}
	c := known.chat(chat.ID)
	if c.EndUser.ID != known.id || c.Status != api.StatusQueued {
		t.Fatalf("chat after takeover %+v", c)
	}
	ms := known.messages(chat.ID)
	if !hasNoti(api.NotiEndUserStepUp)(ms) || ms[old.Index-1].SID != old.SID {
		t.Fatalf("messages after takeover %+v", ms)
	}
	known.send(chat.ID, "b", "now signed in")

	// A fresh login as the old identity sees nothing of it.
	again := p.login("anon-7f3a")
	again.do("GET", path(api.RouteChat, chat.ID), nil).wantError(t, api.CodeNotFound)

	// Taking over while the target identity has its own ongoing chat is refused.
	a2 := p.login("anon-2")
	a2.createChat(124)
	a2.do("POST", api.RouteTakeover, api.TakeoverRequest{Token: endUserJWT(t, "customer-42")}).wantError(t, api.CodeChatAlreadyActive)
	a2.chat(chat.ID + 1) // a2's session still works after the refusal
}
