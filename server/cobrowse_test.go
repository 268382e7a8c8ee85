package server_test

import (
	"regexp"
	"testing"
	"time"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server"
)

func TestCobrowse(t *testing.T) {
	t.Parallel()
	p := newPlatform(t)
	u := p.login("sharer")
	other := p.login("not-sharer")
	chat := u.createChat(124)

	codes := map[string]bool{}
	six := regexp.MustCompile(`^[0-9]{6}$`)
	for range 20 {
		res := other.do("POST", api.RouteCobrowseCodes, nil)
		res.wantOK(t)
		var cc api.CobrowseCodeResponse
		res.decode(t, &cc)
		exp, err := time.Parse(time.RFC3339, cc.ExpiresAt)
		if !six.MatchString(cc.Code) || err != nil || time.Until(exp) < 9*time.Minute || time.Until(exp) > 11*time.Minute {
			t.Fatalf("code %+v", cc)
		}
		if codes[cc.Code] {
			t.Fatalf("live code %s issued twice", cc.Code)
		}
		codes[cc.Code] = true
	}
	other.do("POST", api.RouteCobrowseCodes, api.CobrowseCodeRequest{ChatID: chat.ID}).wantError(t, api.CodeNotFound)
	u.do("POST", api.RouteCobrowseCodes, api.CobrowseCodeRequest{Lang: "xx"}).wantError(t, api.CodeInvalidArgument)

	res := u.do("POST", api.RouteCobrowseCodes, api.CobrowseCodeRequest{Lang: "en", CustomData: map[string]string{"page": "/checkout"}})
	res.wantOK(t)
	var cc api.CobrowseCodeResponse
	res.decode(t, &cc)

	// Watch the chat's realtime events while the session starts.
	events := make(chan []api.Event, 1)
	go func() {
		r := u.do("GET", path(api.RoutePoll, chat.ID)+"?after="+jsonString(u.chat(chat.ID).LastIndex)+"&timeout=3", nil)
		var pr api.PollResponse
		r.decode(t, &pr)
		events <- pr.Events
	}()
	time.Sleep(300 * time.Millisecond)
	res = u.do("POST", api.RouteCobrowseSessions, api.StartCobrowseRequest{From: "agent Alice"})
	res.wantOK(t)
	var cs api.CobrowseSession
	res.decode(t, &cs)
	if cs.Code != cc.Code || cs.Status != api.CobrowseActive || cs.ChatID != chat.ID || cs.From != "agent Alice" || cs.StartedAt == "" {
		t.Fatalf("session %+v (code %s)", cs, cc.Code)
	}
	got := <-events
	if len(got) == 0 || got[0].Type != api.EventCobrowse || got[0].Cobrowse == nil || got[0].Cobrowse.Status != api.CobrowseActive {
		t.Fatalf("events %+v", got)
	}

	res = p.rest("POST", server.RESTPrefix+"/cobrowse/"+jsonString(cs.ID)+"/end", nil)
	res.wantOK(t)
	res.decode(t, &cs)
	if cs.Status != api.CobrowseEnded || cs.EndedAt == "" {
		t.Fatalf("ended %+v", cs)
	}
	p.rest("POST", server.RESTPrefix+"/cobrowse/"+jsonString(cs.ID)+"/end", nil).wantOK(t)
	res = p.rest("GET", server.RESTPrefix+"/cobrowse/"+jsonString(cs.ID), nil)
	res.wantOK(t)
	res.decode(t, &cs)
	if cs.Status != api.CobrowseEnded {
		t.Fatalf("get %+v", cs)
	}
	p.rest("POST", server.RESTPrefix+"/cobrowse/999/end", nil).wantError(t, api.CodeNotFound)
	// Starting again without a pending code opens a new active session.
	res = u.do("POST", api.RouteCobrowseSessions, nil)
	res.wantOK(t)
	var cs2 api.CobrowseSession
	res.decode(t, &cs2)
	if cs2.ID == cs.ID || cs2.Status != api.CobrowseActive || !six.MatchString(cs2.Code) {
		t.Fatalf("second session %+v", cs2)
	}
}
