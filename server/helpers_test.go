package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server"
)

// platform is a real server on a loopback port.
type platform struct {
	t   *testing.T
	srv *server.Server
	ts  *httptest.Server
	dir string
	cfg server.Config
}

// fakeClock is a settable clock for expiry tests.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func newPlatform(t *testing.T, mods ...func(*server.Config)) *platform {
	t.Helper()
	cfg := server.Config{DataDir: t.TempDir()}
	for _, m := range mods {
		m(&cfg)
	}
	p := &platform{t: t, dir: cfg.DataDir, cfg: cfg}
	p.start()
	t.Cleanup(p.stop)
	return p
}

func (p *platform) start() {
	p.t.Helper()
	srv, err := server.New(p.cfg)
	if err != nil {
		p.t.Fatalf("server.New: %v", err)
	}
	p.srv = srv
	// The platform's own http.Server, with its timeouts: every test runs
	// under the connection limits production has.
	p.ts = httptest.NewUnstartedServer(srv.Handler())
	p.ts.Config = srv.HTTPServer(nil)
	p.ts.Start()
}

func (p *platform) stop() {
	if p.srv == nil {
		return
	}
	p.ts.CloseClientConnections()
	if err := p.srv.Close(); err != nil {
		p.t.Errorf("Close: %v", err)
	}
	p.ts.Close()
	p.srv = nil
}

// restart closes the server and opens a new one on the same data dir.
func (p *platform) restart() {
	p.t.Helper()
	p.stop()
	p.start()
}

// signJWT signs claims with key and method.
func signJWT(t *testing.T, method jwt.SigningMethod, key any, claims jwt.MapClaims) string {
	t.Helper()
	s, err := jwt.NewWithClaims(method, claims).SignedString(key)
	if err != nil {
		t.Fatalf("sign: %v", err)
	}
	return s
}

func userClaims(identifier string) jwt.MapClaims {
	now := time.Now()
	return jwt.MapClaims{"iss": "demo-backend", "iat": now.Unix(), "exp": now.Add(5 * time.Minute).Unix(), "identifier": identifier, "name": "User " + identifier}
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

// errCode returns the code of an error answer, failing if the shape is wrong.
func (r response) errCode(t *testing.T) string {
	t.Helper()
	var e api.ErrorResponse
	if err := json.Unmarshal(r.body, &e); err != nil || e.Error.Code == "" {
		t.Fatalf("status %d: not an error body: %s", r.status, r.body)
	}
	if r.status != api.StatusFor(e.Error.Code) {
		t.Fatalf("status %d does not match code %s", r.status, e.Error.Code)
	}
	return e.Error.Code
}

func (r response) wantError(t *testing.T, code string) {
	t.Helper()
	if got := r.errCode(t); got != code {
		t.Fatalf("got error %s (%d) %s, want %s", got, r.status, r.body, code)
	}
}

func (r response) wantOK(t *testing.T) {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
}

// request sends body (raw []byte or string as is, anything else as JSON).
func (p *platform) request(method, path string, body any, hdr map[string]string) response {
	p.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	case string:
		rd = strings.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			p.t.Fatalf("marshal: %v", err)
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, p.ts.URL+path, rd)
	if err != nil {
		p.t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	res, err := p.ts.Client().Do(req)
	if err != nil {
		p.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{status: res.StatusCode, header: res.Header, body: b}
}

// user is an authenticated end user.
type user struct {
	p     *platform
	token string
	id    int64
}

func (p *platform) login(identifier string) *user {
	p.t.Helper()
	res := p.request("POST", api.RouteToken, api.TokenRequest{CompanyID: server.DemoCompanyID, Token: signJWT(p.t, jwt.SigningMethodHS256, []byte(server.DemoSecret), userClaims(identifier))}, nil)
	res.wantOK(p.t)
	var s api.Session
	res.decode(p.t, &s)
	if s.SessionToken == "" || s.EndUser.Identifier != identifier {
		p.t.Fatalf("bad session %+v", s)
	}
	return &user{p: p, token: s.SessionToken, id: s.EndUser.ID}
}

func (u *user) do(method, path string, body any) response {
	u.p.t.Helper()
	return u.p.request(method, path, body, map[string]string{"Authorization": "Bearer " + u.token})
}

// path fills {id}-style placeholders in order.
func path(route string, ids ...any) string {
	for _, id := range ids {
		i := strings.Index(route, "{")
		j := strings.Index(route, "}")
		route = route[:i] + jsonString(id) + route[j+1:]
	}
	return route
}

func jsonString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	default:
		b, _ := json.Marshal(x)
		return string(b)
	}
}

func (u *user) createChat(menu int64) api.Chat {
	u.p.t.Helper()
	res := u.do("POST", api.RouteChats, api.ChatRequest{MenuID: menu, Lang: "en"})
	res.wantOK(u.p.t)
	var c api.Chat
	res.decode(u.p.t, &c)
	return c
}

func (u *user) send(chatID int64, clientID, text string) api.Message {
	u.p.t.Helper()
	res := u.do("POST", path(api.RouteMessages, chatID), api.SendMessageRequest{ClientID: clientID, Type: api.MsgText, Content: text})
	res.wantOK(u.p.t)
	var m api.Message
	res.decode(u.p.t, &m)
	return m
}

func (u *user) messages(chatID int64) []api.Message {
	u.p.t.Helper()
	res := u.do("GET", path(api.RouteMessages, chatID)+"?limit=500", nil)
	res.wantOK(u.p.t)
	var pg api.MessagePage
	res.decode(u.p.t, &pg)
	return pg.Messages
}

func (u *user) chat(chatID int64) api.Chat {
	u.p.t.Helper()
	res := u.do("GET", path(api.RouteChat, chatID), nil)
	res.wantOK(u.p.t)
	var c api.Chat
	res.decode(u.p.t, &c)
	return c
}

// waitMessages polls until cond holds over the chat's messages.
func (u *user) waitMessages(chatID int64, what string, cond func([]api.Message) bool) []api.Message {
	u.p.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		ms := u.messages(chatID)
		if cond(ms) {
			return ms
		}
		if time.Now().After(deadline) {
			u.p.t.Fatalf("timed out waiting for %s; messages: %+v", what, ms)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func hasNoti(event string) func([]api.Message) bool {
	return func(ms []api.Message) bool {
		for _, m := range ms {
			if m.Type == api.MsgNoti && m.Event == event {
				return true
			}
		}
		return false
	}
}

func (p *platform) rest(method, path string, body any) response {
	p.t.Helper()
	return p.restAs(server.DemoTenant, server.DemoAPIToken, method, path, body)
}

func (p *platform) restAs(user, pass, method, path string, body any) response {
	p.t.Helper()
	var rd io.Reader
	if body != nil {
		if s, ok := body.(string); ok {
			rd = strings.NewReader(s)
		} else {
			b, _ := json.Marshal(body)
			rd = bytes.NewReader(b)
		}
	}
	req, _ := http.NewRequest(method, p.ts.URL+path, rd)
	if user != "" || pass != "" {
		req.SetBasicAuth(user, pass)
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := p.ts.Client().Do(req)
	if err != nil {
		p.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{status: res.StatusCode, header: res.Header, body: b}
}

// agentSays posts an agent message through the REST API.
func (p *platform) agentSays(chatID, agentID int64, text string) {
	p.t.Helper()
	res := p.rest("POST", server.RESTPrefix+"/chats/"+jsonString(chatID)+"/message", map[string]any{
		"from_user_id": agentID, "message": map[string]any{"type": "text", "content": text},
	})
	res.wantOK(p.t)
}

func ctxT(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}
