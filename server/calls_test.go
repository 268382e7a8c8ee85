package server_test

import (
	"testing"
	"time"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server"
)

func (u *user) call(id int64) api.CallResponse {
	u.p.t.Helper()
	res := u.do("GET", path(api.RouteCall, id), nil)
	res.wantOK(u.p.t)
	var c api.CallResponse
	res.decode(u.p.t, &c)
	return c
}

func (u *user) slots(menu int64) []time.Time {
	u.p.t.Helper()
	res := u.do("GET", path(api.RouteTimeSlots, menu), nil)
	res.wantOK(u.p.t)
	var ss []string
	res.decode(u.p.t, &ss)
	var out []time.Time
	for _, s := range ss {
		tm, err := time.Parse(time.RFC3339, s)
		if err != nil {
			u.p.t.Fatal(err)
		}
		out = append(out, tm)
	}
	if len(out) < 3 {
		u.p.t.Fatalf("only %d slots", len(out))
	}
	return out
}

func TestCallValidation(t *testing.T) {
	t.Parallel()
	p := newPlatform(t)
	u := p.login("caller")
	slot := u.slots(123)[0]
	for _, tc := range []struct {
		name string
		body any
		code string
	}{
		{"no menu", map[string]any{"phone_number": "+12345678"}, api.CodeInvalidArgument},
		{"unknown menu", map[string]any{"menu_id": 999, "phone_number": "+12345678"}, api.CodeNotFound},
		{"menu without voice", map[string]any{"menu_id": 124, "phone_number": "+12345678"}, api.CodeInvalidArgument},
		{"no phone", map[string]any{"menu_id": 123}, api.CodeInvalidArgument},
		{"phone without plus", map[string]any{"menu_id": 123, "phone_number": "12345678"}, api.CodeInvalidArgument},
		{"phone too short", map[string]any{"menu_id": 123, "phone_number": "+123456"}, api.CodeInvalidArgument},
		{"phone too long", map[string]any{"menu_id": 123, "phone_number": "+1234567890123456"}, api.CodeInvalidArgument},
		{"phone letters", map[string]any{"menu_id": 123, "phone_number": "+1234abc5678"}, api.CodeInvalidArgument},
		{"bad recording", map[string]any{"menu_id": 123, "phone_number": "+12345678", "recording_permission": "maybe"}, api.CodeInvalidArgument},
		{"bad lang", map[string]any{"menu_id": 123, "phone_number": "+12345678", "lang": "xx"}, api.CodeInvalidArgument},
		{"bad email", map[string]any{"menu_id": 123, "phone_number": "+12345678", "email": "nope"}, api.CodeInvalidArgument},
		{"bad time", map[string]any{"menu_id": 123, "phone_number": "+12345678", "scheduled_at": "tomorrow"}, api.CodeInvalidArgument},
		{"time not a slot", map[string]any{"menu_id": 123, "phone_number": "+12345678", "scheduled_at": slot.Add(7 * time.Minute).Format("2006-01-02T15:04-0700")}, api.CodeInvalidArgument},
		{"bad signed data", map[string]any{"menu_id": 123, "phone_number": "+12345678", "custom_data": map[string]any{"signed": "x.y.z"}}, api.CodeInvalidArgument},
		{"malformed", "{", api.CodeBadRequest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u.do("POST", api.RouteCalls, tc.body).wantError(t, tc.code)
		})
	}
}

func TestInstantCallLifecycle(t *testing.T) {
	t.Parallel()
	p := newPlatform(t, func(c *server.Config) { c.CallStep = 30 * time.Millisecond })
	u := p.login("caller")
	res := u.do("POST", api.RouteCalls, map[string]any{"menu_id": 123, "phone_number": "+1 (234) 567-89", "recording_permission": true,
		"custom_data": map[string]any{"unsigned": map[string]any{"order": map[string]any{"label": "Order", "value": 42}}}})
	res.wantOK(t)
	var c api.CallResponse
	res.decode(t, &c)
	if c.Status != api.CallQueued || c.Type != api.CallTypeInstant || !c.RecordingPermitted || c.PhoneNumber != "+123456789" || len(c.Menus) != 2 {
		t.Fatalf("created call %+v", c)
	}
	// A second instant call while one is in progress is refused.
	u.do("POST", api.RouteCalls, map[string]any{"menu_id": 123, "phone_number": "+12345678"}).wantError(t, api.CodeConflict)

	seen := map[string]bool{}
	eventually(t, "the call to finish", func() bool {
		st := u.call(c.ID).Status
		seen[st] = true
		return st == api.CallFinished
	})
	if !seen[api.CallConnected] && !seen[api.CallConnecting] {
		t.Errorf("statuses seen %v: never connecting/connected", seen)
	}
	u.do("POST", path(api.RouteCallCancel, c.ID), nil).wantError(t, api.CodeConflict)

	// The agents' side sees it.
	res = p.rest("GET", server.RESTPrefix+"/calls/"+jsonString(c.ID), nil)
	res.wantOK(t)
	var rc map[string]any
	res.decode(t, &rc)
	if rc["status"] != api.CallFinished || rc["end_user_id"] != float64(u.id) || rc["phone_number"] != "+123456789" {
		t.Errorf("REST call %v", rc)
	}
	p.rest("GET", server.RESTPrefix+"/calls/999", nil).wantError(t, api.CodeNotFound)
	p.restAs(server.DemoTenant, "wrong-token-0123456789", "GET", server.RESTPrefix+"/calls", nil).wantError(t, api.CodeUnauthorized)
}

// TestCallToUnreachableNumber: the simulated carrier fails numbers ending
// in 0000 after connecting; a failed call cannot be cancelled, and the
// end user may call again at once.
func TestCallToUnreachableNumber(t *testing.T) {
	t.Parallel()
	p := newPlatform(t, func(c *server.Config) { c.CallStep = 30 * time.Millisecond })
	u := p.login("unlucky")
	res := u.do("POST", api.RouteCalls, map[string]any{"menu_id": 123, "phone_number": "+1 555 010 0000"})
	res.wantOK(t)
	var c api.CallResponse
	res.decode(t, &c)
	seen := map[string]bool{}
	eventually(t, "the call to fail", func() bool {
		st := u.call(c.ID).Status
		seen[st] = true
		return st == api.CallFailed
	})
	if seen[api.CallConnected] || seen[api.CallFinished] {
		t.Errorf("statuses seen %v: an unreachable number was connected", seen)
	}
	time.Sleep(100 * time.Millisecond)
	if st := u.call(c.ID).Status; st != api.CallFailed {
		t.Fatalf("a failed call moved on to %s", st)
	}
	u.do("POST", path(api.RouteCallCancel, c.ID), nil).wantError(t, api.CodeConflict)
	u.do("POST", api.RouteCalls, map[string]any{"menu_id": 123, "phone_number": "+12345678"}).wantOK(t)
}

func TestScheduledCall(t *testing.T) {
	t.Parallel()
	clock := &fakeClock{t: time.Now().UTC()}
	p := newPlatform(t, func(c *server.Config) {
		c.Now = clock.Now
		c.CallStep = 20 * time.Millisecond
		c.SessionTTL = 72 * time.Hour
	})
	u := p.login("planner")
	other := p.login("someone-else")
	slots := u.slots(123)
	for i, form := range []string{"2006-01-02T15:04-0700", "2006-01-02 15:04 -0700", time.RFC3339} {
		res := u.do("POST", api.RouteCalls, map[string]any{"menu_id": 123, "phone_number": "+12345678", "scheduled_at": slots[i].Format(form),
			"recording_permission": string(api.RecordingDenied)})
		res.wantOK(t)
		var c api.CallResponse
		res.decode(t, &c)
		if c.Status != api.CallScheduled || c.Type != api.CallTypeScheduled || c.RecordingPermitted {
			t.Fatalf("form %q: %+v", form, c)
		}
		if got, _ := time.Parse(time.RFC3339, c.ScheduledAt); !got.Equal(slots[i]) {
			t.Fatalf("form %q: scheduled_at %s, want %s", form, c.ScheduledAt, slots[i])
		}
		// Only the owner sees or cancels it.
		other.do("GET", path(api.RouteCall, c.ID), nil).wantError(t, api.CodeNotFound)
		other.do("POST", path(api.RouteCallCancel, c.ID), nil).wantError(t, api.CodeNotFound)
		if i == 2 {
			res := u.do("POST", path(api.RouteCallCancel, c.ID), nil)
			res.wantOK(t)
			res.decode(t, &c)
			if c.Status != api.CallCancelled {
				t.Fatalf("cancelled: %+v", c)
			}
			u.do("POST", path(api.RouteCallCancel, c.ID), nil).wantError(t, api.CodeConflict)
		}
	}
	// Time passes on the server's clock only: the first call stays
	// scheduled until its slot, then starts.
	time.Sleep(100 * time.Millisecond)
	if st := u.call(1).Status; st != api.CallScheduled {
		t.Fatalf("before its time the call is %s", st)
	}
	clock.Advance(slots[0].Sub(clock.Now()) + time.Second)
	eventually(t, "the scheduled call to start", func() bool { return u.call(1).Status == api.CallQueued })
	if st := u.call(2).Status; st != api.CallScheduled {
		t.Fatalf("the later call is %s", st)
	}
	res := p.rest("GET", server.RESTPrefix+"/calls", nil)
	res.wantOK(t)
	var list []map[string]any
	res.decode(t, &list)
	if len(list) != 3 || list[0]["status"] != api.CallCancelled {
		t.Fatalf("REST list %v", list)
	}
}
