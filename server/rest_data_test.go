package server_test

import (
	"testing"
	"time"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server"
	"github.com/ccaip/headless-go/server/jwtauth"
)

func TestRESTCustomData(t *testing.T) {
	t.Parallel()
	p := newPlatform(t, func(c *server.Config) { c.RESTRate = 1000 })
	u := p.login("flagged")
	chat := u.createChat(124)
	route := server.RESTPrefix + "/chats/" + jsonString(chat.ID) + "/custom_data"
	flags := func() map[string]bool {
		res := p.rest("GET", server.RESTPrefix+"/chats/"+jsonString(chat.ID)+"/customer_flag", nil)
		res.wantOK(t)
		var f map[string]bool
		res.decode(t, &f)
		return f
	}

	p.rest("POST", route, map[string]any{"signed": false, "data": map[string]any{
		"reserved_verified_customer": map[string]any{"label": "L1", "value": true},
		"reserved_bad_actor":         map[string]any{"label": "L2", "value": false},
		"field1":                     map[string]any{"label": "L4", "value": "dummy1"},
	}}).wantOK(t)
	if f := flags(); !f["verified_customer"] || f["bad_actor"] || f["repeat_customer"] {
		t.Fatalf("flags after unsigned %v", f)
	}
	now := time.Now()
	signed, err := jwtauth.SignCustomData([]byte(server.DemoSecret), map[string]api.CustomDataField{
		"reserved_bad_actor":       {Value: api.Raw("true")},
		"reserved_repeat_customer": {Value: api.Raw("true")},
		"field2":                   {Label: "L5", Value: api.Raw(`"dummy2"`)},
	}, now, now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	res := p.rest("POST", route, map[string]any{"signed": true, "signed_data": signed})
	res.wantOK(t)
	var out struct {
		CustomData map[string]api.CustomDataField `json:"custom_data"`
	}
	res.decode(t, &out)
	if _, ok := out.CustomData["field1"]; !ok || string(out.CustomData["field2"].Value) != `"dummy2"` {
		t.Fatalf("merged custom data %+v", out.CustomData)
	}
	if f := flags(); !f["verified_customer"] || !f["bad_actor"] || !f["repeat_customer"] {
		t.Fatalf("flags after signed %v", f)
	}
	forged, _ := jwtauth.SignCustomData([]byte("another-secret-0123456789abcdef"), map[string]api.CustomDataField{"reserved_bad_actor": {Value: api.Raw("false")}}, now, now.Add(time.Hour))
	expired, _ := jwtauth.SignCustomData([]byte(server.DemoSecret), map[string]api.CustomDataField{"x": {Value: api.Raw("1")}}, now.Add(-2*time.Hour), now.Add(-time.Hour))
	for _, tc := range []struct {
		name string
		body any
		code string
	}{
		{"forged signature", map[string]any{"signed": true, "signed_data": forged}, api.CodeInvalidArgument},
		{"expired", map[string]any{"signed": true, "signed_data": expired}, api.CodeInvalidArgument},
		{"signed without data", map[string]any{"signed": true}, api.CodeInvalidArgument},
		{"unsigned without data", map[string]any{"signed": false}, api.CodeInvalidArgument},
		{"non-boolean flag", map[string]any{"data": map[string]any{"reserved_bad_actor": map[string]any{"value": "maybe"}}}, api.CodeInvalidArgument},
		{"malformed", "{", api.CodeBadRequest},
	} {
		t.Run(tc.name, func(t *testing.T) { p.rest("POST", route, tc.body).wantError(t, tc.code) })
	}
	if f := flags(); !f["bad_actor"] {
		t.Fatal("a refused request changed the flags")
	}
	p.rest("POST", server.RESTPrefix+"/chats/999/custom_data", map[string]any{"data": map[string]any{"a": map[string]any{"value": 1}}}).wantError(t, api.CodeNotFound)
}

func TestRESTUpdateEndUser(t *testing.T) {
	t.Parallel()
	p := newPlatform(t, func(c *server.Config) { c.RESTRate = 1000 })
	u := p.login("visitor-1")
	p.login("taken-id")
	chat := u.createChat(124)
	route := server.RESTPrefix + "/chats/" + jsonString(chat.ID) + "/end-user"
	res := p.rest("POST", route, map[string]string{"identifier": "crm-555", "name": "Carla", "email": "carla@example.com", "phone": "+39 06 1234567"})
	res.wantOK(t)
	if string(res.body) != `{"message":"accepted"}` {
		t.Fatalf("body %s", res.body)
	}
	res = p.rest("GET", server.RESTPrefix+"/chats/"+jsonString(chat.ID), nil)
	res.wantOK(t)
	var c api.Chat
	res.decode(t, &c)
	if c.EndUser.Identifier != "crm-555" || c.EndUser.ID != u.id {
		t.Fatalf("end user %+v", c.EndUser)
	}
	// The end user keeps their session and chat.
	u.chat(chat.ID)
	for _, tc := range []struct {
		name string
		body any
		code string
	}{
		{"no identifier", map[string]string{"name": "x"}, api.CodeInvalidArgument},
		{"bad email", map[string]string{"identifier": "crm-555", "email": "x"}, api.CodeInvalidArgument},
		{"bad phone", map[string]string{"identifier": "crm-555", "phone": "12"}, api.CodeInvalidArgument},
		{"identifier of another end user", map[string]string{"identifier": "taken-id"}, api.CodeConflict},
	} {
		t.Run(tc.name, func(t *testing.T) { p.rest("POST", route, tc.body).wantError(t, tc.code) })
	}
	p.rest("POST", server.RESTPrefix+"/chats/999/end-user", map[string]string{"identifier": "z"}).wantError(t, api.CodeNotFound)
}
