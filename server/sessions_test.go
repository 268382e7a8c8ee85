package server_test

import (
	"testing"

	"github.com/golang-jwt/jwt/v5"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server"
)

// TestSessionSeesProfileChanges checks that the in-memory session cache
// never serves an end user's old profile: after each way the profile
// changes, the next message of an already used session carries the new
// name.
func TestSessionSeesProfileChanges(t *testing.T) {
	t.Parallel()
	p := newPlatform(t)
	u := p.login("profile-1")
	c := u.createChat(124)
	if m := u.send(c.ID, "warm", "hello"); m.UserName != "User profile-1" {
		t.Fatalf("first message user_name %q", m.UserName)
	}
	for i, tc := range []struct {
		name   string
		change func(t *testing.T)
		want   string
	}{
		{"REST end-user update", func(t *testing.T) {
			p.rest("POST", server.RESTPrefix+"/chats/"+jsonString(c.ID)+"/end-user", map[string]any{"identifier": "profile-1", "name": "Renamed By REST"}).wantOK(t)
		}, "Renamed By REST"},
		{"new token exchange", func(t *testing.T) {
			claims := userClaims("profile-1")
			claims["name"] = "Renamed By JWT"
			tok := signJWT(t, jwt.SigningMethodHS256, []byte(server.DemoSecret), claims)
			p.request("POST", api.RouteToken, api.TokenRequest{CompanyID: server.DemoCompanyID, Token: tok}, nil).wantOK(t)
		}, "Renamed By JWT"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.change(t)
			if m := u.send(c.ID, "after-"+jsonString(i), "again"); m.UserName != tc.want {
				t.Fatalf("user_name %q, want %q", m.UserName, tc.want)
			}
		})
	}
}
