package server_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server"
)

// The findings of the attack run on the platform, each with the test that
// failed before its fix (issue 12). The bridge's own is in browsertest.

func TestEndUserRateLimit(t *testing.T) {
	t.Parallel()
	p := newPlatform(t, func(c *server.Config) { c.Rates = server.Rates{EndUser: 1, EndUserBurst: 5} })
	u, other := p.login("busy"), p.login("calm")
	for i := range 5 {
		u.do("GET", api.RouteCompany, nil).wantOK(t)
		_ = i
	}
	res := u.do("GET", api.RouteCompany, nil)
	res.wantError(t, api.CodeRateLimited)
	if n, err := strconv.Atoi(res.header.Get("Retry-After")); err != nil || n < 1 {
		t.Errorf("Retry-After %q", res.header.Get("Retry-After"))
	}
	// The limit is the end user's: another one is served.
	other.do("GET", api.RouteCompany, nil).wantOK(t)
}

func TestTokenExchangeRateLimit(t *testing.T) {
	t.Parallel()
	p := newPlatform(t, func(c *server.Config) { c.Rates = server.Rates{Token: 0.5, TokenBurst: 3} })
	for i := range 3 {
		p.login(fmt.Sprint("visitor-", i))
	}
	tok := signJWT(t, jwt.SigningMethodHS256, []byte(server.DemoSecret), userClaims("visitor-4"))
	res := p.request("POST", api.RouteToken, api.TokenRequest{CompanyID: server.DemoCompanyID, Token: tok}, nil)
	res.wantError(t, api.CodeRateLimited)
	if res.header.Get("Retry-After") == "" {
		t.Error("no Retry-After")
	}
}

func TestFailedBasicLoginsLockOut(t *testing.T) {
	t.Parallel()
	clock := &fakeClock{t: time.Now()}
	p := newPlatform(t, func(c *server.Config) {
		c.Now = clock.Now
		c.Rates = server.Rates{LoginFailures: 3, LoginFailureRefill: time.Minute}
	})
	for range 3 {
		p.restAs(server.DemoTenant, "guess", "GET", server.RESTPrefix+"/chats/1", nil).wantError(t, api.CodeUnauthorized)
	}
	// Now even the right credentials are refused, on every Basic route.
	res := p.restAs(server.DemoTenant, server.DemoAPIToken, "GET", server.RESTPrefix+"/chats/1", nil)
	res.wantError(t, api.CodeRateLimited)
	if res.header.Get("Retry-After") != "60" {
		t.Errorf("Retry-After %q, want 60", res.header.Get("Retry-After"))
	}
	p.restAs(server.DemoTenant, server.DemoAPIToken, "POST", server.AgentPrefix+"/session", map[string]any{"agent_id": 1}).wantError(t, api.CodeRateLimited)
	// One failure is forgiven a minute later.
	clock.Advance(time.Minute)
	p.restAs(server.DemoTenant, server.DemoAPIToken, "GET", server.RESTPrefix+"/chats/999", nil).wantError(t, api.CodeNotFound)
}

// TestConnectionTimeouts: slow headers, slow bodies and idle keep-alive
// connections are closed; a long poll that outlasts the write timeout is
// still answered, and headers over the limit get 431.
func TestConnectionTimeouts(t *testing.T) {
	t.Parallel()
	p := newPlatform(t, func(c *server.Config) {
		c.Timeouts = server.Timeouts{ReadHeader: 300 * time.Millisecond, Read: 600 * time.Millisecond,
			Write: 600 * time.Millisecond, Idle: 300 * time.Millisecond, MaxHeaderBytes: 4 << 10}
	})
	addr := strings.TrimPrefix(p.ts.URL, "http://")
	dial := func() net.Conn {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}
	// closedWithin reads c until it is closed, failing if that takes
	// longer than d.
	closedWithin := func(what string, c net.Conn, d time.Duration) {
		t.Helper()
		c.SetReadDeadline(time.Now().Add(d))
		if _, err := io.Copy(io.Discard, c); err != nil {
			t.Errorf("%s: still open after %v (%v)", what, d, err)
		}
	}

	slowHeaders := dial()
	fmt.Fprint(slowHeaders, "GET /healthz HTTP/1.1\r\nHost: x\r\n")
	closedWithin("slow headers", slowHeaders, 3*time.Second)

	slowBody := dial()
	fmt.Fprint(slowBody, "POST /enduser/v1/auth/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n")
	go func() {
		for range 50 {
			if _, err := slowBody.Write([]byte(" ")); err != nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	}()
	closedWithin("slow body", slowBody, 3*time.Second)

	idle := dial()
	fmt.Fprint(idle, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
	resp, err := http.ReadResponse(bufio.NewReader(idle), nil)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("healthz on a kept-alive connection: %v %v", resp, err)
	}
	resp.Body.Close()
	closedWithin("idle keep-alive", idle, 3*time.Second)

	big := dial()
	fmt.Fprintf(big, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: %s\r\n\r\n", strings.Repeat("a", 8<<10))
	resp, err = http.ReadResponse(bufio.NewReader(big), nil)
	if err != nil || resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("8 KiB of headers: %v %v, want 431", resp, err)
	}

	// A long poll of 1.5 s (over Write) is a long route: answered.
	u := p.login("poller")
	chat := u.createChat(124)
	start := time.Now()
	res := u.do("GET", path(api.RoutePoll, chat.ID)+"?after=1000&timeout=2", nil)
	res.wantOK(t)
	if time.Since(start) < time.Second {
		t.Errorf("the poll answered after %v: it did not wait", time.Since(start))
	}
}

// TestUploadedMediaCannotRunScript: an SVG (or HTML) upload is served as a
// sandboxed attachment, never inline on the platform's origin; raster
// photos stay inline.
func TestUploadedMediaCannotRunScript(t *testing.T) {
	t.Parallel()
	p := newPlatform(t)
	u := p.login("svg-sender")
	chat := u.createChat(124)
	route := path(api.RouteFiles, chat.ID)
	svg := []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.domain)</script></svg>`)
	for _, tt := range []struct {
		name, ctype string
		data        []byte
		inline      bool
	}{
		{"x.svg", "image/svg+xml", svg, false},
		{"x.html", "text/html", []byte("<script>alert(1)</script>"), false},
		{"cat.jpg", "image/jpeg", jpeg, true},
	} {
		res := u.upload(route, file("file", tt.name, tt.ctype, tt.data))
		res.wantOK(t) // each is accepted (HTML as a file): what matters is how it is served
		var fm api.FileMessageResponse
		res.decode(t, &fm)
		got := p.get(path(api.RouteMedia, fm.MediaID), map[string]string{"Authorization": "Bearer " + u.token})
		got.wantOK(t)
		h := got.header
		disp := h.Get("Content-Disposition")
		if inline := strings.HasPrefix(disp, "inline"); inline != tt.inline || (!tt.inline && !strings.HasPrefix(disp, "attachment")) {
			t.Errorf("%s (%s): Content-Disposition %q", tt.name, tt.ctype, disp)
		}
		if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "sandbox") || !strings.Contains(csp, "default-src 'none'") {
			t.Errorf("%s: Content-Security-Policy %q", tt.name, csp)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: no nosniff", tt.name)
		}
	}
}

// TestMessageFieldLimits: metadata, structured content, buttons and quick
// replies are bounded on both APIs, at the documented limits.
func TestMessageFieldLimits(t *testing.T) {
	t.Parallel()
	p := newPlatform(t)
	u := p.login("big-sender")
	chat := u.createChat(124)
	msgs := path(api.RouteMessages, chat.ID)
	nested := func(n int) string { return strings.Repeat("[", n) + strings.Repeat("]", n) }
	buttons := func(n int) []api.MessageButton {
		out := make([]api.MessageButton, n)
		for i := range out {
			out[i] = api.MessageButton{Title: fmt.Sprint("b", i), Payload: "p"}
		}
		return out
	}
	send := func(req map[string]any) response {
		return u.do("POST", msgs, req)
	}
	send(map[string]any{"content": "ok", "metadata": map[string]string{"k": strings.Repeat("m", 4000)}}).wantOK(t)
	send(map[string]any{"content": "big", "metadata": map[string]string{"k": strings.Repeat("m", 900<<10)}}).wantError(t, api.CodeTooLarge)
	send(map[string]any{"content": "deep", "metadata": jsonRaw(nested(17))}).wantError(t, api.CodeInvalidArgument)
	send(map[string]any{"content": "deep ok", "metadata": jsonRaw(nested(16))}).wantOK(t)
	send(map[string]any{"type": "structured", "structured": jsonRaw(nested(5000))}).wantError(t, api.CodeInvalidArgument)
	send(map[string]any{"type": "structured", "structured": jsonRaw("[" + strings.TrimSuffix(strings.Repeat("1,", 101), ",") + "]")}).wantError(t, api.CodeInvalidArgument)
	send(map[string]any{"content": "qr", "quick_replies": buttons(26)}).wantError(t, api.CodeInvalidArgument)
	send(map[string]any{"content": "qr ok", "quick_replies": buttons(25)}).wantOK(t)

	rest := server.RESTPrefix + fmt.Sprintf("/chats/%d/message", chat.ID)
	restSend := func(m map[string]any) response {
		return p.rest("POST", rest, map[string]any{"from_user_id": 1, "message": m})
	}
	restSend(map[string]any{"type": "inline_button", "buttons": buttons(10000)}).wantError(t, api.CodeInvalidArgument)
	restSend(map[string]any{"type": "inline_button", "buttons": buttons(25)}).wantOK(t)
	restSend(map[string]any{"type": "structured", "structured": jsonRaw(nested(5000))}).wantError(t, api.CodeInvalidArgument)
	restSend(map[string]any{"type": "text", "content": "x", "metadata": map[string]string{"k": strings.Repeat("m", 5000)}}).wantError(t, api.CodeTooLarge)
	restSend(map[string]any{"type": "content_card", "card": map[string]any{"title": strings.Repeat("t", 1001)}}).wantError(t, api.CodeTooLarge)
	restSend(map[string]any{"type": "content_card", "card": map[string]any{"title": "t", "buttons": buttons(26)}}).wantError(t, api.CodeInvalidArgument)
}

type jsonRaw string

func (j jsonRaw) MarshalJSON() ([]byte, error) { return []byte(j), nil }

// TestJWTLifetimeCapped: a token valid for a million years is refused;
// one valid for a day is not.
func TestJWTLifetimeCapped(t *testing.T) {
	t.Parallel()
	p := newPlatform(t)
	exchange := func(exp time.Time) response {
		c := userClaims("long-lived")
		c["exp"] = exp.Unix()
		tok := signJWT(t, jwt.SigningMethodHS256, []byte(server.DemoSecret), c)
		return p.request("POST", api.RouteToken, api.TokenRequest{CompanyID: server.DemoCompanyID, Token: tok}, nil)
	}
	res := exchange(time.Now().AddDate(1_000_000, 0, 0))
	res.wantError(t, api.CodeUnauthorized)
	if !strings.Contains(string(res.body), "expires more than") {
		t.Errorf("message %s", res.body)
	}
	exchange(time.Now().Add(23 * time.Hour)).wantOK(t)
}

func TestIdentifiersAndFormIDs(t *testing.T) {
	t.Parallel()
	p := newPlatform(t)
	for _, id := range []string{"a\x00b", "tab\there", "bell\u0007"} {
		tok := signJWT(t, jwt.SigningMethodHS256, []byte(server.DemoSecret), userClaims(id))
		p.request("POST", api.RouteToken, api.TokenRequest{CompanyID: server.DemoCompanyID, Token: tok}, nil).wantError(t, api.CodeUnauthorized)
	}
	p.rest("POST", server.RESTPrefix+"/chats", map[string]any{"chat": map[string]any{"menu_id": 124}, "end_user": map[string]any{"identifier": "x\x00y"}}).
		wantError(t, api.CodeInvalidArgument)

	u := p.login("former")
	chat := u.createChat(124)
	u.do("POST", path(api.RouteMessages, chat.ID), map[string]any{"content": "done", "form_id": -1}).wantError(t, api.CodeInvalidArgument)
}

// TestUploadKeyMessage: the error for a key that is not an upload names
// the kind (it printed "%!s(?)").
func TestUploadKeyMessage(t *testing.T) {
	t.Parallel()
	p := newPlatform(t)
	u := p.login("photo-owner")
	chat := u.createChat(124)
	res := p.rest("POST", fmt.Sprintf("%s/chats/%d/photos", server.RESTPrefix, chat.ID),
		map[string]any{"from_user_id": 1, "photo": []map[string]string{{"s3_path": "chats/999/photos/x.jpg"}}})
	res.wantError(t, api.CodeInvalidArgument)
	if want := fmt.Sprintf(`is not an uploaded photo of chat %d`, chat.ID); !strings.Contains(string(res.body), want) {
		t.Errorf("message %s, want %q", res.body, want)
	}
}
