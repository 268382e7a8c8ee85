package server_test

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server"
)

func TestTokenExchange(t *testing.T) {
	t.Parallel()
	p := newPlatform(t)
	secret := []byte(server.DemoSecret)
	now := time.Now()
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	with := func(mod func(jwt.MapClaims)) jwt.MapClaims {
		c := userClaims("alice")
		mod(c)
		return c
	}
	valid := signJWT(t, jwt.SigningMethodHS256, secret, userClaims("alice"))
	parts := strings.Split(valid, ".")
	noneHeader := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`))
	tests := []struct {
		name  string
		body  any
		code  string // "" for success
		ident string
	}{
		{"valid", api.TokenRequest{CompanyID: server.DemoCompanyID, Token: valid}, "", "alice"},
		{"valid with tenant", api.TokenRequest{CompanyID: server.DemoCompanyID, Tenant: server.DemoTenant, Token: valid}, "", "alice"},
		{"within leeway", api.TokenRequest{CompanyID: server.DemoCompanyID, Token: signJWT(t, jwt.SigningMethodHS256, secret, with(func(c jwt.MapClaims) { c["exp"] = now.Add(-10 * time.Second).Unix() }))}, "", "alice"},
		{"expired", api.TokenRequest{CompanyID: server.DemoCompanyID, Token: signJWT(t, jwt.SigningMethodHS256, secret, with(func(c jwt.MapClaims) { c["exp"] = now.Add(-2 * time.Minute).Unix() }))}, api.CodeUnauthorized, ""},
		{"no exp", api.TokenRequest{CompanyID: server.DemoCompanyID, Token: signJWT(t, jwt.SigningMethodHS256, secret, with(func(c jwt.MapClaims) { delete(c, "exp") }))}, api.CodeUnauthorized, ""},
		{"nbf in future", api.TokenRequest{CompanyID: server.DemoCompanyID, Token: signJWT(t, jwt.SigningMethodHS256, secret, with(func(c jwt.MapClaims) { c["nbf"] = now.Add(2 * time.Minute).Unix() }))}, api.CodeUnauthorized, ""},
		{"iat in future", api.TokenRequest{CompanyID: server.DemoCompanyID, Token: signJWT(t, jwt.SigningMethodHS256, secret, with(func(c jwt.MapClaims) { c["iat"] = now.Add(2 * time.Minute).Unix() }))}, api.CodeUnauthorized, ""},
		{"missing identifier", api.TokenRequest{CompanyID: server.DemoCompanyID, Token: signJWT(t, jwt.SigningMethodHS256, secret, with(func(c jwt.MapClaims) { delete(c, "identifier") }))}, api.CodeUnauthorized, ""},
		{"blank identifier", api.TokenRequest{CompanyID: server.DemoCompanyID, Token: signJWT(t, jwt.SigningMethodHS256, secret, with(func(c jwt.MapClaims) { c["identifier"] = "  " }))}, api.CodeUnauthorized, ""},
		{"wrong secret", api.TokenRequest{CompanyID: server.DemoCompanyID, Token: signJWT(t, jwt.SigningMethodHS256, []byte("another-secret-0123456789"), userClaims("alice"))}, api.CodeUnauthorized, ""},
		{"HS512", api.TokenRequest{CompanyID: server.DemoCompanyID, Token: signJWT(t, jwt.SigningMethodHS512, secret, userClaims("alice"))}, api.CodeUnauthorized, ""},
		{"RS256", api.TokenRequest{CompanyID: server.DemoCompanyID, Token: signJWT(t, jwt.SigningMethodRS256, rsaKey, userClaims("alice"))}, api.CodeUnauthorized, ""},
		{"alg none", api.TokenRequest{CompanyID: server.DemoCompanyID, Token: noneHeader + "." + parts[1] + "."}, api.CodeUnauthorized, ""},
		{"tampered payload", api.TokenRequest{CompanyID: server.DemoCompanyID, Token: parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(`{"identifier":"mallory","exp":9999999999}`)) + "." + parts[2]}, api.CodeUnauthorized, ""},
		{"garbage token", api.TokenRequest{CompanyID: server.DemoCompanyID, Token: "not-a-jwt"}, api.CodeUnauthorized, ""},
		{"unknown company", api.TokenRequest{CompanyID: "other", Token: valid}, api.CodeNotFound, ""},
		{"wrong tenant", api.TokenRequest{CompanyID: server.DemoCompanyID, Tenant: "other", Token: valid}, api.CodeNotFound, ""},
		{"missing token", api.TokenRequest{CompanyID: server.DemoCompanyID}, api.CodeBadRequest, ""},
		{"malformed body", `{"company_id":`, api.CodeBadRequest, ""},
		{"empty body", "", api.CodeBadRequest, ""},
		{"oversized body", `{"company_id":"demo","token":"` + strings.Repeat("a", 2<<20) + `"}`, api.CodeTooLarge, ""},
		{"unknown keys ignored", map[string]any{"company_id": server.DemoCompanyID, "token": valid, "surprise": []int{1}}, "", "alice"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := p.request("POST", api.RouteToken, tc.body, nil)
			if tc.code != "" {
				res.wantError(t, tc.code)
				return
			}
			res.wantOK(t)
			var s api.Session
			res.decode(t, &s)
			if s.SessionToken == "" || s.EndUser.Identifier != tc.ident || s.EndUser.ID == 0 {
				t.Fatalf("bad session: %+v", s)
			}
			exp, err := time.Parse(time.RFC3339, s.ExpiresAt)
			if err != nil || exp.Before(time.Now().Add(29*time.Minute)) || exp.After(time.Now().Add(31*time.Minute)) {
				t.Fatalf("expires_at %q is not ~30 minutes away", s.ExpiresAt)
			}
		})
	}
}

func TestSameIdentifierIsSameEndUser(t *testing.T) {
	t.Parallel()
	p := newPlatform(t)
	a1, a2, b := p.login("alice"), p.login("alice"), p.login("bob")
	if a1.id != a2.id || a1.token == a2.token {
		t.Fatalf("alice twice: ids %d %d, tokens equal %v", a1.id, a2.id, a1.token == a2.token)
	}
	if a1.id == b.id {
		t.Fatal("alice and bob share an id")
	}
}

func TestSessionAuth(t *testing.T) {
	t.Parallel()
	clock := &fakeClock{t: time.Now()}
	p := newPlatform(t, func(c *server.Config) { c.Now = clock.Now })
	u := p.login("alice")
	tests := []struct {
		name string
		hdr  map[string]string
		code string
	}{
		{"no header", nil, api.CodeUnauthorized},
		{"not bearer", map[string]string{"Authorization": "Basic " + u.token}, api.CodeUnauthorized},
		{"unknown token", map[string]string{"Authorization": "Bearer nope"}, api.CodeUnauthorized},
		{"empty bearer", map[string]string{"Authorization": "Bearer "}, api.CodeUnauthorized},
		{"valid", map[string]string{"Authorization": "Bearer " + u.token}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := p.request("GET", api.RouteCompany, nil, tc.hdr)
			if tc.code == "" {
				res.wantOK(t)
				return
			}
			res.wantError(t, tc.code)
			if res.header.Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
		})
	}
	clock.Advance(31 * time.Minute)
	res := u.do("GET", api.RouteCompany, nil)
	res.wantError(t, api.CodeSessionExpired)
	var e api.ErrorResponse
	res.decode(t, &e)
	if !e.Error.Retryable {
		t.Error("session_expired should be retryable")
	}
	if res.status != http.StatusUnauthorized {
		t.Errorf("status %d", res.status)
	}
}
