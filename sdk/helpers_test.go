//go:build !(js && wasm)

package sdk_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"go.uber.org/goleak"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/sdk"
	"github.com/ccaip/headless-go/sdk/native"
	"github.com/ccaip/headless-go/server"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// platform is the real local platform on a loopback port, restartable on
// the same address with the same data directory.
type platform struct {
	t    *testing.T
	dir  string
	cfg  server.Config
	mu   sync.Mutex
	srv  *server.Server
	ts   *httptest.Server
	addr string
	// front stands in front of the platform's handler (fault injection
	// on the way in or out).
	front func(http.Handler) http.Handler
}

func newPlatform(t *testing.T, cfg server.Config) *platform {
	t.Helper()
	return newPlatformBehind(t, cfg, nil)
}

// newPlatformBehind is newPlatform with front in front of its handler.
func newPlatformBehind(t *testing.T, cfg server.Config, front func(http.Handler) http.Handler) *platform {
	t.Helper()
	cfg.DataDir = t.TempDir()
	if cfg.RESTRate == 0 {
		cfg.RESTRate = 5000 // the test plays a busy company backend; 10/s is tested by the server
	}
	p := &platform{t: t, dir: cfg.DataDir, cfg: cfg, front: front}
	p.start("")
	t.Cleanup(p.stop)
	return p
}

func (p *platform) start(addr string) {
	p.t.Helper()
	srv, err := server.New(p.cfg)
	if err != nil {
		p.t.Fatalf("server.New: %v", err)
	}
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	var l net.Listener
	for i := 0; ; i++ {
		l, err = net.Listen("tcp", addr)
		if err == nil || i == 50 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		p.t.Fatalf("listen %s: %v", addr, err)
	}
	h := srv.Handler()
	if p.front != nil {
		h = p.front(h)
	}
	ts := &httptest.Server{Listener: l, Config: &http.Server{Handler: h}}
	ts.Start()
	p.mu.Lock()
	p.srv, p.ts, p.addr = srv, ts, l.Addr().String()
	p.mu.Unlock()
}

func (p *platform) stop() {
	p.mu.Lock()
	srv, ts := p.srv, p.ts
	p.srv, p.ts = nil, nil
	p.mu.Unlock()
	if ts == nil {
		return
	}
	ts.CloseClientConnections()
	srv.Close()
	ts.Close()
}

// restart stops the server and starts a new one on the same address and
// data directory, as a platform deploy would.
func (p *platform) restart() {
	p.stop()
	p.start(p.addr)
}

func (p *platform) url() string { return "http://" + p.addr }

func (p *platform) server() *server.Server {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.srv
}

// token mints an end-user JWT as the company's backend would.
func token(t testing.TB, identifier string) string {
	t.Helper()
	now := time.Now()
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
		"iss":        server.DemoCompanyID,
		"iat":        now.Unix(),
		"exp":        now.Add(time.Hour).Unix(),
		"identifier": identifier,
	}).SignedString([]byte(server.DemoSecret))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// user is an end user whose identity may change (Takeover).
type user struct {
	mu sync.Mutex
	id string
}

func (u *user) set(id string) { u.mu.Lock(); u.id = id; u.mu.Unlock() }

func (u *user) auth(t testing.TB) sdk.Authenticator {
	return func(context.Context) (string, error) {
		u.mu.Lock()
		defer u.mu.Unlock()
		return token(t, u.id), nil
	}
}

type clientOpt func(*sdk.Config)

func withStore(s sdk.Store) clientOpt   { return func(c *sdk.Config) { c.Store = s } }
func withDialer(d sdk.Dialer) clientOpt { return func(c *sdk.Config) { c.Dialer = d } }
func withAuth(a sdk.Authenticator) clientOpt {
	return func(c *sdk.Config) { c.Authenticate = a }
}

type testLogger struct{ t testing.TB }

func (l testLogger) Logf(format string, args ...any) {
	defer func() { _ = recover() }() // a log after the test ended
	l.t.Logf(format, args...)
}

// newClient returns a client for identifier on p, closed at cleanup, and
// a recorder of its events.
func newClient(t *testing.T, p *platform, identifier string, opts ...clientOpt) (*sdk.Client, *recorder) {
	t.Helper()
	u := &user{id: identifier}
	cfg := sdk.Config{
		CompanyID:     server.DemoCompanyID,
		Tenant:        server.DemoTenant,
		Host:          p.url(),
		Lang:          "en",
		Authenticate:  u.auth(t),
		Communicator:  native.NewHTTPCommunicator(p.url(), nil),
		Dialer:        &native.WSDialer{},
		Logger:        testLogger{t},
		ReconnectBase: 50 * time.Millisecond,
		ReconnectMax:  500 * time.Millisecond,
		GapWait:       150 * time.Millisecond,
	}
	for _, o := range opts {
		o(&cfg)
	}
	// The client authenticates on its own as soon as it exists; hold that
	// until the recorder listens, or a busy machine loses the first
	// authenticated and ready events to the race.
	recording := make(chan struct{})
	if auth := cfg.Authenticate; auth != nil {
		cfg.Authenticate = func(ctx context.Context) (string, error) {
			select {
			case <-recording:
			case <-ctx.Done():
				return "", ctx.Err()
			}
			return auth(ctx)
		}
	}
	c, err := sdk.New(cfg)
	if err != nil {
		t.Fatalf("sdk.New: %v", err)
	}
	rec := record(c)
	close(recording)
	t.Cleanup(func() { c.Close() })
	return c, rec
}

// recorder keeps every event a client emitted, in order.
type recorder struct {
	mu     sync.Mutex
	events []recorded
	wake   chan struct{}
}

type recorded struct {
	name    string
	payload any
}

var allEvents = []string{
	sdk.EventReady, sdk.EventAuthenticated, sdk.EventChatOngoing, sdk.EventChatUpdated, sdk.EventChatMessage,
	sdk.EventMemberJoined, sdk.EventMemberLeft, sdk.EventTypingStarted, sdk.EventTypingEnded,
	sdk.EventChatConnected, sdk.EventChatDisconnected, sdk.EventChatDismissed, sdk.EventChatTimeout,
	sdk.EventChatEnded, sdk.EventChatDestroyed, sdk.EventCobrowseRequest, sdk.EventCobrowseLoaded,
	sdk.EventCobrowseUpdated, sdk.EventCobrowseEnded, sdk.EventConnectionState, sdk.EventMessageStatus,
	sdk.EventChatRestored, sdk.EventChatRestoreFailed, sdk.EventError,
}

func record(c *sdk.Client) *recorder {
	r := &recorder{wake: make(chan struct{}, 1)}
	for _, name := range allEvents {
		c.On(name, func(p any) {
			r.mu.Lock()
			r.events = append(r.events, recorded{name, p})
			r.mu.Unlock()
			select {
			case r.wake <- struct{}{}:
			default:
			}
		})
	}
	return r
}

func (r *recorder) names() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, e := range r.events {
		out = append(out, e.name)
	}
	return out
}

func (r *recorder) all() []recorded {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]recorded(nil), r.events...)
}

// has reports whether an event with this name and payload was emitted.
func (r *recorder) has(name string, payload any) bool {
	for _, e := range r.all() {
		if e.name == name && e.payload == payload {
			return true
		}
	}
	return false
}

func (r *recorder) count(name string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, e := range r.events {
		if e.name == name {
			n++
		}
	}
	return n
}

func (r *recorder) messages() []*api.Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []*api.Message
	for _, e := range r.events {
		if e.name == sdk.EventChatMessage {
			out = append(out, e.payload.(*api.Message))
		}
	}
	return out
}

// waitFor polls cond until it holds or d passes.
func (r *recorder) waitFor(t testing.TB, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.NewTimer(d)
	defer deadline.Stop()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-deadline.C:
			t.Fatalf("timed out after %v waiting for %s; events: %v", d, what, tail(r.names(), 30))
		case <-r.wake:
		case <-tick.C:
		}
	}
}

func (r *recorder) waitEvent(t testing.TB, name string, n int) {
	t.Helper()
	r.waitFor(t, 10*time.Second, fmt.Sprintf("%d × %s", n, name), func() bool { return r.count(name) >= n })
}

// waitMessage waits for a chat.message whose content contains s.
func (r *recorder) waitMessage(t testing.TB, s string) *api.Message {
	t.Helper()
	var found *api.Message
	r.waitFor(t, 10*time.Second, "message "+s, func() bool {
		for _, m := range r.messages() {
			if strings.Contains(m.Content, s) {
				found = m
				return true
			}
		}
		return false
	})
	return found
}

func tail(s []string, n int) []string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// agentSay posts a human agent's message through the Chat platform REST API.
func agentSay(t testing.TB, p *platform, chatID, agentID int64, text string) {
	t.Helper()
	body := fmt.Sprintf(`{"from_user_id":%d,"message":{"type":"text","content":%q}}`, agentID, text)
	req, _ := http.NewRequest("POST", fmt.Sprintf("%s/apps/api/v1/chats/%d/message", p.url(), chatID), bytes.NewReader([]byte(body)))
	req.SetBasicAuth(server.DemoTenant, server.DemoAPIToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err := restClient.Do(req)
	for i := 0; err != nil && i < 200; i++ { // the platform may be restarting
		time.Sleep(50 * time.Millisecond)
		req, _ = http.NewRequest("POST", req.URL.String(), bytes.NewReader([]byte(body)))
		req.SetBasicAuth(server.DemoTenant, server.DemoAPIToken)
		req.Header.Set("Content-Type", "application/json")
		resp, err = restClient.Do(req)
	}
	if err != nil {
		t.Errorf("agent message: %v", err)
		return
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		t.Errorf("agent message: %d %s", resp.StatusCode, b)
	}
}

// chatWithAgent opens a client for identifier on store, creates a chat,
// and waits until the agent's first message (text) has arrived.
func chatWithAgent(t *testing.T, p *platform, identifier string, store sdk.Store, text string) (*sdk.Client, *recorder, *api.Chat) {
	t.Helper()
	c, rec := newClient(t, p, identifier, withStore(store))
	chat, err := c.CreateChat(ctxT(t), 123, api.ChatRequest{})
	if err != nil {
		t.Fatal(err)
	}
	rec.waitEvent(t, sdk.EventChatConnected, 1)
	agentSay(t, p, chat.ID, 1, text)
	rec.waitMessage(t, text)
	return c, rec, chat
}

// checkInOrder fails unless ms are exactly indexes 1..n, once each.
func checkInOrder(t testing.TB, ms []*api.Message, n int64) {
	t.Helper()
	if int64(len(ms)) != n {
		t.Fatalf("delivered %d messages, want %d", len(ms), n)
	}
	for i, m := range ms {
		if m.Index != int64(i+1) {
			t.Fatalf("message %d has $index %d (lost, duplicated or out of order)", i, m.Index)
		}
	}
}

func ctxT(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// restClient keeps no idle connections, so the leak check stays clean.
var restClient = &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
