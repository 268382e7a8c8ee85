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
