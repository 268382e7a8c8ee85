package webhook_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server/webhook"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

var (
	secret = []byte("webhook-secret")
	fixed  = time.Date(2026, 5, 4, 3, 2, 1, 0, time.UTC)
)

// received is one request the test endpoint got.
type received struct {
	header http.Header
	body   []byte
}

// endpoint is a webhook receiver over loopback that answers with the
// statuses of script in turn (the last one repeats).
type endpoint struct {
	*httptest.Server
	mu     sync.Mutex
	got    []received
	script []int
	// hook, if set, runs before answering; it may hijack the request.
	hook func(n int, w http.ResponseWriter, r *http.Request) bool
}

func newEndpoint(t *testing.T, script ...int) *endpoint {
	t.Helper()
	e := &endpoint{script: script}
	e.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		e.mu.Lock()
		e.got = append(e.got, received{r.Header.Clone(), body})
		n := len(e.got)
		status := http.StatusOK
		if len(e.script) > 0 {
			status = e.script[min(n, len(e.script))-1]
		}
		hook := e.hook
		e.mu.Unlock()
		if hook != nil && hook(n, w, r) {
			return
		}
		w.WriteHeader(status)
	}))
	t.Cleanup(e.Close)
	return e
}

func (e *endpoint) requests() []received {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]received(nil), e.got...)
}

func newSender(t *testing.T, cfg webhook.Config) *webhook.Sender {
	t.Helper()
	if cfg.Secret == nil {
		cfg.Secret = secret
	}
	if cfg.Backoff == 0 {
		cfg.Backoff = time.Millisecond
	}
	s, err := webhook.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// drops collects what OnDrop reports.
type drops struct {
	mu   sync.Mutex
	errs []error
}

func (d *drops) add(_ string, _ []byte, err error) {
	d.mu.Lock()
	d.errs = append(d.errs, err)
	d.mu.Unlock()
}

func (d *drops) list() []error {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]error(nil), d.errs...)
}

func TestDeliveredRequestIsSignedAsDocumented(t *testing.T) {
	t.Parallel()
	ep := newEndpoint(t)
	s := newSender(t, webhook.Config{URL: ep.URL + "/hook", Now: func() time.Time { return fixed }})
	payload := map[string]any{"chat_id": 7, "status": "queued"}
	if err := s.Send(webhook.EventChatCreated, payload); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	reqs := ep.requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want 1", len(reqs))
	}
	r := reqs[0]

	// The documented formula, computed here independently.
	ts := r.header.Get("X-Signature-Timestamp")
	if ts != strconv.FormatInt(fixed.Unix(), 10) {
		t.Errorf("timestamp = %q, want %d", ts, fixed.Unix())
	}
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(ts + string(r.body)))
	want := "primary=" + base64.StdEncoding.EncodeToString(m.Sum(nil))
	if got := r.header.Get("X-Signature"); got != want {
		t.Errorf("X-Signature = %q, want %q", got, want)
	}
	if got := webhook.Sign(secret, ts, r.body); got != want {
		t.Errorf("Sign = %q, want %q", got, want)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q", ct)
	}
	if r.header.Get(webhook.HeaderID) == "" {
		t.Error("no X-Webhook-Id")
	}

	var env struct {
		Event     string         `json:"event"`
		CreatedAt string         `json:"created_at"`
		Data      map[string]any `json:"data"`
	}
	if err := json.Unmarshal(r.body, &env); err != nil {
		t.Fatalf("body %s: %v", r.body, err)
	}
	if env.Event != "chat_created" || env.CreatedAt != "2026-05-04T03:02:01Z" ||
		env.Data["chat_id"] != float64(7) || env.Data["status"] != "queued" {
		t.Errorf("envelope = %+v", env)
	}
	// A receiver using Verify accepts it.
	if err := webhook.Verify(secret, r.header, r.body, time.Minute, fixed.Add(10*time.Second)); err != nil {
		t.Errorf("Verify: %v", err)
	}
}

func TestRetries(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		script    []int
		attempts  int
		wantCalls int
		dropped   bool
	}{
		{"success first time", []int{200}, 5, 1, false},
		{"5xx and 429 then success", []int{500, 503, 429, 204}, 5, 4, false},
		{"gives up after MaxAttempts", []int{502}, 3, 3, true},
		{"no retry on 400", []int{400}, 5, 1, true},
		{"no retry on 404", []int{404, 200}, 5, 1, true},
		{"no retry on a redirect", []int{302, 200}, 5, 1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ep := newEndpoint(t, tt.script...)
			var d drops
			s := newSender(t, webhook.Config{URL: ep.URL, MaxAttempts: tt.attempts, OnDrop: d.add})
			if err := s.Send(webhook.EventMessageReceived, map[string]int{"n": 1}); err != nil {
				t.Fatal(err)
			}
			err := s.Close()
			reqs := ep.requests()
			if len(reqs) != tt.wantCalls {
				t.Fatalf("%d requests, want %d", len(reqs), tt.wantCalls)
			}
			for _, r := range reqs[1:] {
				if r.header.Get(webhook.HeaderID) != reqs[0].header.Get(webhook.HeaderID) || string(r.body) != string(reqs[0].body) {
					t.Error("a retry changed the id or the body")
				}
			}
			if got := len(d.list()); got != map[bool]int{false: 0, true: 1}[tt.dropped] {
				t.Errorf("OnDrop called %d times (%v)", got, d.list())
			}
			if tt.dropped != (err != nil) {
				t.Errorf("Close = %v, dropped %v", err, tt.dropped)
			}
		})
	}
}

func TestRetriesNetworkErrors(t *testing.T) {
	t.Parallel()
	ep := newEndpoint(t)
	ep.hook = func(n int, w http.ResponseWriter, r *http.Request) bool {
		if n > 2 {
			return false
		}
		// Drop the connection without an answer.
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
		return true
	}
	s := newSender(t, webhook.Config{URL: ep.URL})
	if err := s.Send("chat_created", nil); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if n := len(ep.requests()); n != 3 {
		t.Fatalf("%d requests, want 3", n)
	}
}

func TestRetryAfterIsHonouredUpToMaxBackoff(t *testing.T) {
	t.Parallel()
	ep := newEndpoint(t, 429, 200)
	ep.hook = func(n int, w http.ResponseWriter, r *http.Request) bool {
		w.Header().Set("Retry-After", "3")
		return false
	}
	s := newSender(t, webhook.Config{URL: ep.URL, MaxBackoff: 300 * time.Millisecond})
	start := time.Now()
	if err := s.Send("chat_created", 1); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	// Backoff alone is 1ms; Retry-After (3s) capped to MaxBackoff decides.
	if el := time.Since(start); el < 300*time.Millisecond || el > 2*time.Second {
		t.Fatalf("delivery took %v, want about 300ms", el)
	}
}

func TestCloseDrainsInOrder(t *testing.T) {
	t.Parallel()
	ep := newEndpoint(t)
	s := newSender(t, webhook.Config{URL: ep.URL})
	for i := range 20 {
		if err := s.Send("message_received", map[string]int{"i": i}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	reqs := ep.requests()
	if len(reqs) != 20 {
		t.Fatalf("%d delivered, want 20", len(reqs))
	}
	for i, r := range reqs {
		var env struct {
			Data struct{ I int } `json:"data"`
		}
		if err := json.Unmarshal(r.body, &env); err != nil || env.Data.I != i {
			t.Fatalf("request %d carries %s", i, r.body)
		}
	}
	if err := s.Send("late", 1); !isCode(err, api.CodeUnavailable) {
		t.Errorf("Send after Close = %v, want unavailable", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close = %v", err)
	}
}

func TestCloseGivesUpAtDeadline(t *testing.T) {
	t.Parallel()
	ep := newEndpoint(t)
	release := make(chan struct{})
	ep.hook = func(n int, w http.ResponseWriter, r *http.Request) bool {
		select { // hang until the client gives up or the test ends
		case <-r.Context().Done():
		case <-release:
		}
		return false
	}
	t.Cleanup(func() { close(release) })
	var d drops
	s := newSender(t, webhook.Config{URL: ep.URL, CloseTimeout: 200 * time.Millisecond, OnDrop: d.add})
	for range 3 {
		if err := s.Send("chat_created", 1); err != nil {
			t.Fatal(err)
		}
	}
	start := time.Now()
	err := s.Close()
	if el := time.Since(start); el > 2*time.Second {
		t.Fatalf("Close took %v", el)
	}
	if !isCode(err, api.CodeUnavailable) || !strings.Contains(err.Error(), "3 events") {
		t.Fatalf("Close = %v, want 3 events not delivered", err)
	}
	if n := len(d.list()); n != 3 {
		t.Fatalf("OnDrop called %d times, want 3", n)
	}
}

func TestSendRefusesWhenQueueIsFull(t *testing.T) {
	t.Parallel()
	ep := newEndpoint(t)
	release := make(chan struct{})
	ep.hook = func(n int, w http.ResponseWriter, r *http.Request) bool {
		<-release
		return false
	}
	s := newSender(t, webhook.Config{URL: ep.URL, QueueSize: 2})
	var refused error
	// One event in flight, two queued: the fourth or fifth must be refused.
	for range 5 {
		if err := s.Send("chat_created", 1); err != nil {
			refused = err
			break
		}
	}
	close(release)
	if !isCode(refused, api.CodeUnavailable) || !strings.Contains(refused.Error(), "queue is full") {
		t.Errorf("Send = %v, want queue is full", refused)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestSendRejectsBadInput(t *testing.T) {
	t.Parallel()
	ep := newEndpoint(t)
	s := newSender(t, webhook.Config{URL: ep.URL})
	defer s.Close()
	if err := s.Send("", 1); !isCode(err, api.CodeInvalidArgument) {
		t.Errorf("empty event: %v", err)
	}
	if err := s.Send("chat_created", func() {}); !isCode(err, api.CodeInvalidArgument) {
		t.Errorf("unencodable payload: %v", err)
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	t.Parallel()
	for _, cfg := range []webhook.Config{
		{URL: "", Secret: secret},
		{URL: "ftp://example.com/x", Secret: secret},
		{URL: "/relative", Secret: secret},
		{URL: "http://127.0.0.1:1/x"},
	} {
		if s, err := webhook.New(cfg); !isCode(err, api.CodeInvalidArgument) {
			t.Errorf("New(%+v) = %v", cfg, err)
			if s != nil {
				s.Close()
			}
		}
	}
}

func TestVerify(t *testing.T) {
	t.Parallel()
	body := []byte(`{"event":"chat_created","created_at":"2026-05-04T03:02:01Z","data":{}}`)
	ts := strconv.FormatInt(fixed.Unix(), 10)
	headers := func(kv ...string) http.Header {
		h := http.Header{}
		for i := 0; i < len(kv); i += 2 {
			h.Set(kv[i], kv[i+1])
		}
		return h
	}
	good := webhook.Sign(secret, ts, body)
	other := webhook.Sign([]byte("old-secret"), ts, body)
	tests := []struct {
		name   string
		secret []byte
		header http.Header
		body   []byte
		now    time.Time
		errMsg string // "" means valid
	}{
		{"valid", secret, headers("X-Signature", good, "X-Signature-Timestamp", ts), body, fixed, ""},
		{"valid, 4 minutes later", secret, headers("X-Signature", good, "X-Signature-Timestamp", ts), body, fixed.Add(4 * time.Minute), ""},
		{"valid among several entries", secret, headers("X-Signature", other+", "+strings.Replace(good, "primary", "secondary", 1), "X-Signature-Timestamp", ts), body, fixed, ""},
		{"wrong secret", []byte("nope"), headers("X-Signature", good, "X-Signature-Timestamp", ts), body, fixed, "does not match"},
		{"tampered body", secret, headers("X-Signature", good, "X-Signature-Timestamp", ts), append([]byte(" "), body...), fixed, "does not match"},
		{"timestamp changed", secret, headers("X-Signature", good, "X-Signature-Timestamp", strconv.FormatInt(fixed.Unix()+1, 10)), body, fixed, "does not match"},
		{"too old", secret, headers("X-Signature", good, "X-Signature-Timestamp", ts), body, fixed.Add(6 * time.Minute), "away from now"},
		{"from the future", secret, headers("X-Signature", good, "X-Signature-Timestamp", ts), body, fixed.Add(-6 * time.Minute), "away from now"},
		{"no signature", secret, headers("X-Signature-Timestamp", ts), body, fixed, "missing X-Signature"},
		{"no timestamp", secret, headers("X-Signature", good), body, fixed, "missing X-Signature-Timestamp"},
		{"bad timestamp", secret, headers("X-Signature", good, "X-Signature-Timestamp", "yesterday"), body, fixed, "not a Unix time"},
		{"signature not base64", secret, headers("X-Signature", "primary=%%%", "X-Signature-Timestamp", ts), body, fixed, "does not match"},
		{"no secret", nil, headers("X-Signature", good, "X-Signature-Timestamp", ts), body, fixed, "no webhook secret"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := webhook.Verify(tt.secret, tt.header, tt.body, 0, tt.now)
			if tt.errMsg == "" {
				if err != nil {
					t.Fatalf("Verify = %v", err)
				}
				return
			}
			if !isCode(err, api.CodeUnauthorized) || !strings.Contains(err.Error(), tt.errMsg) {
				t.Fatalf("Verify = %v, want unauthorized %q", err, tt.errMsg)
			}
		})
	}
}

func isCode(err error, code string) bool {
	var ae *api.Error
	return errors.As(err, &ae) && ae.Code == code
}
