package server_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/golang-jwt/jwt/v5"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server"
)

// The benchmarks below cover the hot paths of the load benchmark (bench/
// item "load") and of REST ingest (item "throughput"): an end user's send
// with its realtime echo, session authentication, and agent messages
// posted through the REST API into one chat by several callers.

// benchPlatform is a platform on a loopback port for benchmarks.
type benchPlatform struct {
	srv *server.Server
	ts  *httptest.Server
	hc  *http.Client
}

func newBenchPlatform(b *testing.B) *benchPlatform {
	b.Helper()
	srv, err := server.New(server.Config{DataDir: b.TempDir(), DismissAfter: -1, ChatTimeout: -1, RESTRate: 1e9,
		Rates: server.Rates{EndUser: -1, Token: -1}}) // one busy user from one address
	if err != nil {
		b.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 256
	p := &benchPlatform{srv: srv, ts: ts, hc: &http.Client{Transport: tr}}
	b.Cleanup(func() {
		ts.CloseClientConnections()
		ts.Close()
		srv.Close()
		tr.CloseIdleConnections()
	})
	return p
}

// do sends one JSON request and decodes a 200 answer into out.
func (p *benchPlatform) do(method, path string, hdr map[string]string, body, out any) error {
	var rd io.Reader
	if body != nil {
		j, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, p.ts.URL+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	res, err := p.hc.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		return err
	}
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("%s %s: HTTP %d %s", method, path, res.StatusCode, raw)
	}
	if out != nil {
		return json.Unmarshal(raw, out)
	}
	return nil
}

// benchUser is an end user with a session and one chat.
type benchUser struct {
	auth map[string]string
	chat int64
}

func (p *benchPlatform) user(b *testing.B, identifier string) *benchUser {
	b.Helper()
	tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, userClaims(identifier)).SignedString([]byte(server.DemoSecret))
	if err != nil {
		b.Fatal(err)
	}
	var s api.Session
	if err := p.do("POST", api.RouteToken, nil, api.TokenRequest{CompanyID: server.DemoCompanyID, Token: tok}, &s); err != nil {
		b.Fatal(err)
	}
	u := &benchUser{auth: map[string]string{"Authorization": "Bearer " + s.SessionToken}}
	var c api.Chat
	if err := p.do("POST", api.RouteChats, u.auth, api.ChatRequest{MenuID: 124, Lang: "en"}, &c); err != nil {
		b.Fatal(err)
	}
	u.chat = c.ID
	return u
}

// subscribe opens the chat's realtime WebSocket and counts the end
// user's own message echoes in got until ctx ends.
func (p *benchPlatform) subscribe(b *testing.B, ctx context.Context, u *benchUser, got *atomic.Int64) {
	b.Helper()
	var t api.RealtimeTicket
	if err := p.do("POST", path(api.RouteRealtimeTicket, u.chat), u.auth, nil, &t); err != nil {
		b.Fatal(err)
	}
	conn, _, err := websocket.Dial(ctx, t.URL, &websocket.DialOptions{HTTPClient: p.hc})
	if err != nil {
		b.Fatal(err)
	}
	conn.SetReadLimit(1 << 20)
	go func() {
		defer conn.CloseNow()
		for {
			_, data, err := conn.Read(ctx)
			if err != nil {
				return
			}
			if bytes.Contains(data, []byte(`"E:`)) {
				got.Add(1)
			}
		}
	}()
}

// BenchmarkSendMessage is one end user's send over HTTP with a realtime
// subscriber on each of 64 chats, sends spread over all chats in parallel.
func BenchmarkSendMessage(b *testing.B) {
	p := newBenchPlatform(b)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	const chats = 64
	users := make([]*benchUser, chats)
	var echoes atomic.Int64
	for i := range users {
		users[i] = p.user(b, fmt.Sprintf("bench-send-%d", i))
		p.subscribe(b, ctx, users[i], &echoes)
	}
	var next, seq atomic.Int64
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			u := users[next.Add(1)%chats]
			n := seq.Add(1)
			req := api.SendMessageRequest{ClientID: fmt.Sprintf("c%d", n), Type: api.MsgText, Content: "E:" + fmt.Sprint(n)}
			if err := p.do("POST", path(api.RouteMessages, u.chat), u.auth, req, nil); err != nil {
				b.Error(err)
				return
			}
		}
	})
	want := seq.Load()
	deadline := time.Now().Add(10 * time.Second)
	for echoes.Load() < want && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	b.StopTimer()
	if got := echoes.Load(); got < want {
		b.Fatalf("%d of %d messages echoed", got, want)
	}
}

// BenchmarkAuthenticate is the cheapest authenticated end-user call (GET
// of the user's chat), dominated by the session lookup.
func BenchmarkAuthenticate(b *testing.B) {
	p := newBenchPlatform(b)
	const n = 32
	users := make([]*benchUser, n)
	for i := range users {
		users[i] = p.user(b, fmt.Sprintf("bench-auth-%d", i))
	}
	var next atomic.Int64
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			u := users[next.Add(1)%n]
			if err := p.do("GET", path(api.RouteChat, u.chat), u.auth, nil, nil); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkRESTIngest is the throughput bench's ingest: 8 concurrent REST
// callers post agent messages into one chat; it reports msg/s.
func BenchmarkRESTIngest(b *testing.B) {
	p := newBenchPlatform(b)
	u := p.user(b, "bench-ingest")
	basic := map[string]string{"Authorization": "Basic " + basicAuth(server.DemoTenant, server.DemoAPIToken)}
	workers := 8
	if n, err := strconv.Atoi(os.Getenv("INGEST_WORKERS")); err == nil {
		workers = n
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	var failed atomic.Value
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for range workers {
		wg.Go(func() {
			for {
				i := next.Add(1)
				if i > int64(b.N) {
					return
				}
				body := map[string]any{"message": map[string]any{"type": "text", "content": "T:" + fmt.Sprint(i)}}
				if err := p.do("POST", server.RESTPrefix+"/chats/"+fmt.Sprint(u.chat)+"/message", basic, body, nil); err != nil {
					failed.Store(err)
					return
				}
			}
		})
	}
	wg.Wait()
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "msg/s")
	if err, ok := failed.Load().(error); ok {
		b.Fatal(err)
	}
}

func basicAuth(user, pass string) string {
	return base64.StdEncoding.EncodeToString([]byte(user + ":" + pass))
}
