package server_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.uber.org/goleak"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server"
)

func TestMain(m *testing.M) {
	if dir := os.Getenv(crashChildEnv); dir != "" {
		runCrashChild(dir) // a platform process for TestKill9DuringIngest
		return
	}
	goleak.VerifyTestMain(m)
}

func TestRestartKeepsEverything(t *testing.T) {
	t.Parallel()
	p := newPlatform(t)
	u := p.login("alice")
	c := u.createChat(123)
	u.send(c.ID, "x", "hello")
	u.waitMessages(c.ID, "VA reply", func(ms []api.Message) bool { return len(ms) >= 3 })
	before := u.messages(c.ID)

	p.restart()

	// The session survives too: it is stored, not held in memory.
	if got := u.messages(c.ID); len(got) != len(before) || got[len(got)-1].SID != before[len(before)-1].SID {
		t.Fatalf("after restart %d messages, before %d", len(got), len(before))
	}
	if got := u.chat(c.ID); got.Status != api.StatusVAAssigned || got.LastIndex != int64(len(before)) {
		t.Fatalf("chat after restart: %+v", got)
	}
	u.do("POST", api.RouteChats, api.ChatRequest{MenuID: 123}).wantError(t, api.CodeChatAlreadyActive)
	m := u.send(c.ID, "y", "after restart")
	if m.Index != int64(len(before)+1) {
		t.Fatalf("index after restart %d", m.Index)
	}
	// Idempotency keys survive as well.
	if again := u.send(c.ID, "x", "hello"); again.Index != before[1].Index {
		t.Fatalf("idempotent retry after restart got index %d", again.Index)
	}
}

func TestNewValidatesConfig(t *testing.T) {
	t.Parallel()
	if _, err := server.New(server.Config{}); err == nil {
		t.Error("New without DataDir succeeded")
	}
	bad := server.DefaultCompany()
	bad.Secret = "short"
	if _, err := server.New(server.Config{DataDir: t.TempDir(), Company: bad}); err == nil {
		t.Error("New with a short secret succeeded")
	}
}

func TestLoadCompanyFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	f := filepath.Join(dir, "company.json")
	if err := os.WriteFile(f, []byte(`{"name":"Acme","allowed_origins":["https://shop.acme.example"]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := server.LoadCompanyFile(f)
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "Acme" || c.Subdomain != server.DemoTenant || len(c.Menus) == 0 || c.AllowedOrigins[0] != "https://shop.acme.example" {
		t.Fatalf("loaded: %+v", c)
	}
	if err := os.WriteFile(f, []byte(`{"name":`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := server.LoadCompanyFile(f); err == nil {
		t.Error("malformed file loaded")
	}
	if _, err := server.LoadCompanyFile(filepath.Join(dir, "missing.json")); err == nil {
		t.Error("missing file loaded")
	}
}

func TestBridgeAndHealth(t *testing.T) {
	t.Parallel()
	p := newPlatform(t)
	for _, f := range []string{"/bridge/bridge.html", "/bridge/bridge.js", "/bridge/bridge-routes.js"} {
		res := p.request("GET", f, nil, nil)
		res.wantOK(t)
		csp := res.header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "frame-ancestors http://127.0.0.1:* http://localhost:*") || !strings.Contains(csp, "script-src 'self'") {
			t.Errorf("%s CSP %q", f, csp)
		}
	}
	p.request("GET", "/healthz", nil, nil).wantOK(t)
	// CORS preflight for an allowed origin, none for another.
	res := p.request("OPTIONS", api.RouteCompany, nil, map[string]string{"Origin": "http://localhost:3000", "Access-Control-Request-Method": "GET"})
	if res.header.Get("Access-Control-Allow-Origin") != "http://localhost:3000" {
		t.Errorf("preflight: %d %v", res.status, res.header)
	}
	res = p.request("OPTIONS", api.RouteCompany, nil, map[string]string{"Origin": "https://evil.example"})
	if res.header.Get("Access-Control-Allow-Origin") != "" {
		t.Error("CORS for a foreign origin")
	}
}
