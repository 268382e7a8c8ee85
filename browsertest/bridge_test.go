//go:build browser

package browsertest_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server"
)

// TestBridgeAllowList drives the communication iframe from a page on
// another origin as a hostile script would (bridge.js fixture): encoded
// dots and slashes, the token and takeover routes, other APIs, other
// methods, paths that are not plain paths. The page checks that each is
// refused and that the session answer has no token; here the test checks
// what really reached the platform: the session exchange, the allow-listed
// requests and nothing else.
func TestBridgeAllowList(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var got []string
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/bridge/") {
			mu.Lock()
			got = append(got, r.Method+" "+r.URL.EscapedPath())
			mu.Unlock()
		}
		env.srv.Handler().ServeHTTP(w, r)
	}))
	defer front.Close()

	p := openPage(t)
	raw, err := p.run("bridge.html", 60*time.Second, "host="+front.URL)
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Refused int      `json:"refused"`
		Sent    []string `json:"sent"`
	}
	if err := json.Unmarshal(raw, &res); err != nil {
		t.Fatal(err)
	}
	if res.Refused < 30 || len(res.Sent) != len(api.BridgeRoutes) {
		t.Fatalf("page refused %d and sent %d of %d routes", res.Refused, len(res.Sent), len(api.BridgeRoutes))
	}
	mu.Lock()
	defer mu.Unlock()
	tokens := 0
	for _, req := range got {
		if req == "POST "+api.RouteToken {
			tokens++
			continue
		}
		if !allowListed(req) {
			t.Errorf("the bridge sent %s, which is not in its allow-list", req)
		}
	}
	if tokens != 1 {
		t.Errorf("%d token exchanges reached the platform, want the one session request", tokens)
	}
	// The allow-listed routes, the query probe and the exchange.
	if want := len(api.BridgeRoutes) + 2; len(got) != want {
		t.Errorf("%d requests reached the platform, want %d:\n%s", len(got), want, strings.Join(got, "\n"))
	}
}

// allowListed matches "METHOD /escaped/path" against api.BridgeRoutes.
func allowListed(req string) bool {
	method, path, _ := strings.Cut(req, " ")
	parts := strings.Split(path, "/")
	for _, r := range api.BridgeRoutes {
		pat := strings.Split(r.Pattern, "/")
		if r.Method != method || len(pat) != len(parts) {
			continue
		}
		ok := true
		for i := range pat {
			if !strings.HasPrefix(pat[i], "{") && pat[i] != parts[i] {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// TestEarlyWorkerStartRefused: the bridge starts the worker core its
// fragment names before the handshake (earlystart.js fixture). A fragment
// lying about the page's origin starts nothing (the iframe refuses before
// any worker); a page whose connect fails the nonce check gets nothing on
// its port, and the worker, if started, never signs in: no end-user API
// request reaches the platform from either.
func TestEarlyWorkerStartRefused(t *testing.T) {
	t.Parallel()
	type front struct {
		*httptest.Server
		mu  sync.Mutex
		got []string
	}
	newFront := func() *front {
		f := &front{}
		mux := http.NewServeMux()
		mux.Handle("GET /sdk/", http.StripPrefix("/sdk/", server.SDKFiles(env.buildDir)))
		mux.Handle("/", env.srv.Handler())
		f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			f.mu.Lock()
			f.got = append(f.got, r.Method+" "+r.URL.Path)
			f.mu.Unlock()
			mux.ServeHTTP(w, r)
		}))
		t.Cleanup(f.Close)
		return f
	}
	liar, honest := newFront(), newFront()
	if _, err := openPage(t).run("earlystart.html", 30*time.Second, "host="+liar.URL, "host2="+honest.URL); err != nil {
		t.Fatal(err)
	}
	requested := func(f *front, part string) bool {
		f.mu.Lock()
		defer f.mu.Unlock()
		for _, g := range f.got {
			if strings.Contains(g, part) {
				return true
			}
		}
		return false
	}
	if requested(liar, "core-worker.js") || requested(liar, "/sdk/") {
		t.Errorf("a bridge told another origin than its parent's started a worker: %v", liar.got)
	}
	if !requested(honest, "core-worker.js") {
		t.Errorf("the honest fragment's worker was not started before the handshake (this test would then prove nothing): %v", honest.got)
	}
	for _, f := range []*front{liar, honest} {
		if requested(f, "/enduser/") {
			t.Errorf("an end-user API request reached the platform without a handshake: %v", f.got)
		}
	}
}
