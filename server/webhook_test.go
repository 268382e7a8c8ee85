package server_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server"
	"github.com/ccaip/headless-go/server/webhook"
)

type hookCall struct {
	header http.Header
	body   []byte
}

func TestWebhooksSignedAndRetried(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var calls []hookCall
	attempts := 0
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		attempts++
		if attempts == 1 {
			w.WriteHeader(http.StatusInternalServerError) // the first delivery fails: it must be retried
			return
		}
		calls = append(calls, hookCall{r.Header.Clone(), b})
	}))
	t.Cleanup(recv.Close)
	const secret = "webhook-secret-0123456789"
	co := server.DefaultCompany()
	co.WebhookURL = recv.URL
	co.WebhookSecret = secret
	p := newPlatform(t, func(c *server.Config) { c.Company = co; c.WebhookBackoff = 10 * time.Millisecond })
	u := p.login("alice")
	c := u.createChat(124)
	u.send(c.ID, "a", "hello hook")

	deadline := time.Now().Add(10 * time.Second)
	for {
		mu.Lock()
		n := len(calls)
		mu.Unlock()
		if n >= 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("got %d webhooks", n)
		}
		time.Sleep(20 * time.Millisecond)
	}
	mu.Lock()
	defer mu.Unlock()
	want := []string{webhook.EventChatCreated, webhook.EventMessageReceived}
	for i, call := range calls[:2] {
		// The documented formula: primary=<base64 HMAC-SHA256(secret, timestamp + body)>.
		ts := call.header.Get("X-Signature-Timestamp")
		mac := hmac.New(sha256.New, []byte(secret))
		mac.Write([]byte(ts))
		mac.Write(call.body)
		if got, exp := call.header.Get("X-Signature"), "primary="+base64.StdEncoding.EncodeToString(mac.Sum(nil)); !strings.Contains(got, exp) {
			t.Errorf("signature %q, want %q", got, exp)
		}
		if err := webhook.Verify([]byte(secret), call.header, call.body, 0, time.Now()); err != nil {
			t.Errorf("verify: %v", err)
		}
		if err := webhook.Verify([]byte("wrong-secret"), call.header, call.body, 0, time.Now()); err == nil {
			t.Error("verified with the wrong secret")
		}
		var env struct {
			Event string          `json:"event"`
			Data  json.RawMessage `json:"data"`
		}
		if err := json.Unmarshal(call.body, &env); err != nil || env.Event != want[i] {
			t.Fatalf("webhook %d: %s (%v)", i, call.body, err)
		}
		if i == 0 {
			var ch api.Chat
			if err := json.Unmarshal(env.Data, &ch); err != nil || ch.ID != c.ID {
				t.Errorf("chat_created data: %s", env.Data)
			}
		} else if !strings.Contains(string(env.Data), "hello hook") {
			t.Errorf("message_received data: %s", env.Data)
		}
	}
}

func TestRESTRateLimit(t *testing.T) {
	t.Parallel()
	clock := &fakeClock{t: time.Now()}
	p := newPlatform(t, func(c *server.Config) { c.Now = clock.Now })
	u := p.login("alice")
	c := u.createChat(124)
	chat := server.RESTPrefix + "/chats/" + jsonString(c.ID)
	for i := 0; i < 10; i++ {
		p.rest("GET", chat, nil).wantOK(t)
	}
	res := p.rest("GET", chat, nil)
	res.wantError(t, api.CodeRateLimited)
	if res.header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	// Bad credentials never spend the company's budget, nor get through.
	p.restAs(server.DemoTenant, "wrong", "GET", chat, nil).wantError(t, api.CodeUnauthorized)
	clock.Advance(time.Second)
	p.rest("GET", chat, nil).wantOK(t)
}
