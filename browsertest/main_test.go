//go:build browser

// Package browsertest drives the browser SDK in headless Chromium against
// the real local platform. Run it with
//
//	go test -tags browser -count=1 ./browsertest/...
//
// TestMain builds the wasm, starts the platform in-process and a separate
// "site" server on another loopback port (so the bridge iframe really is
// cross-origin) that serves the fixture pages under the strict policy
// script-src 'self' 'wasm-unsafe-eval', plus a third "evil" origin for the
// forged-message test. Fixture pages record their outcome on window and
// the tests poll for it; the page console goes to t.Log.
package browsertest_test

import (
	"context"
	"encoding/base64"
	"encoding/json"

	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	goruntime "runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/golang-jwt/jwt/v5"

	headless "github.com/ccaip/headless-go/internal/chromium"
	"github.com/ccaip/headless-go/internal/wasmbuild"
	"github.com/ccaip/headless-go/server"
)

// CSP is the strict page policy every fixture page is served with.
const CSP = "script-src 'self' 'wasm-unsafe-eval'"

// widgetStyleCSP is added for the widget's page: the widget needs no inline
// style either (its fixture records violations on window.__csp).
const widgetStyleCSP = "style-src 'self'"

var env struct {
	repo     string
	buildDir string // ccaip.wasm, wasm_exec.js
	platform *httptest.Server
	srv      *server.Server
	evil     *httptest.Server
	browser  context.Context
}

func TestMain(m *testing.M) {
	code, err := setup(m)
	if err != nil {
		fmt.Fprintln(os.Stderr, "browsertest:", err)
		os.Exit(1)
	}
	os.Exit(code)
}

func setup(m *testing.M) (int, error) {
	_, file, _, _ := goruntime.Caller(0)
	env.repo = filepath.Dir(filepath.Dir(file))
	tmp, err := os.MkdirTemp("", "ccaip-browsertest-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(tmp)
	env.buildDir = filepath.Join(tmp, "build")
	if err := wasmbuild.Dist(context.Background(), env.repo, env.buildDir); err != nil {
		return 0, err
	}

	// Every simulated visitor signs in from 127.0.0.1: the per-address
	// limit of token exchanges is for a real site's visitors.
	srv, err := server.New(server.Config{DataDir: filepath.Join(tmp, "data"), VADelay: 50 * time.Millisecond, RESTRate: 1000,
		Rates: server.Rates{Token: 1000, TokenBurst: 1000}})
	if err != nil {
		return 0, err
	}
	env.srv = srv
	// The platform also serves the SDK's files, for pages that import the
	// loader from its origin (README's quick start).
	platform := http.NewServeMux()
	platform.Handle("GET /sdk/", http.StripPrefix("/sdk/", server.SDKFiles(env.buildDir)))
	platform.Handle("/", srv.Handler())
	env.platform = httptest.NewServer(counting(platform))
	defer func() {
		env.platform.CloseClientConnections()
		env.platform.Close()
		srv.Close()
	}()
	env.evil = httptest.NewServer(evilHandler())
	defer env.evil.Close()

	chromium := os.Getenv("CHROMIUM")
	if chromium == "" {
		chromium = headless.Binary
	}
	opts := headless.Options(chromium, filepath.Join(tmp, "profile"))
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	browser, cancelBrowser := chromedp.NewContext(allocCtx)
	defer cancelBrowser()
	if err := chromedp.Do(browser); err != nil {
		return 0, fmt.Errorf("start %s: %w", chromium, err)
	}
	env.browser = browser
	return m.Run(), nil
}

// counts are what the platform was asked, for the tests of one core per
// browser: token exchanges (sign-ins) by the JWT's identifier and realtime
// tickets (each realtime connection takes one) by chat.
var counts struct {
	mu      sync.Mutex
	signIns map[string]int
	tickets map[string]int
	sends   map[string]int  // the end user's send requests (single or batch) by chat
	blocked map[string]bool // page origins whose bridge runs no worker
}

// blockWorkers serves the bridge to pages of origin as ?disable=workers
// does (for pages whose client options a test cannot change: the
// example apps), until the test ends.
func blockWorkers(t *testing.T, origin string) {
	counts.mu.Lock()
	counts.blocked[origin] = true
	counts.mu.Unlock()
	t.Cleanup(func() {
		counts.mu.Lock()
		delete(counts.blocked, origin)
		counts.mu.Unlock()
	})
}

func workersBlocked(referer string) bool {
	u, err := url.Parse(referer)
	if err != nil || u.Host == "" {
		return false
	}
	counts.mu.Lock()
	defer counts.mu.Unlock()
	return counts.blocked[u.Scheme+"://"+u.Host]
}

// counting is a front of the platform that counts sign-ins and realtime
// tickets and passes every request on unchanged.
func counting(next http.Handler) http.Handler {
	counts.signIns = map[string]int{}
	counts.tickets = map[string]int{}
	counts.sends = map[string]int{}
	counts.blocked = map[string]bool{}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/bridge/bridge.html" && r.URL.Query().Get("disable") != "":
			disabled(w, r, next, r.URL.Query().Get("disable"))
			return
		case r.URL.Path == "/bridge/bridge.html" && workersBlocked(r.Header.Get("Referer")):
			disabled(w, r, next, "workers")
			return
		case r.URL.Path == "/bridge/no-shared-worker.js":
			w.Header().Set("Content-Type", "text/javascript")
			w.Write([]byte("delete self.SharedWorker\n"))
			return
		case r.Method == "POST" && r.URL.Path == "/enduser/v1/auth/token":
			body, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(strings.NewReader(string(body)))
			var req struct{ Token string }
			json.Unmarshal(body, &req)
			var claims struct{ Identifier string }
			if parts := strings.Split(req.Token, "."); len(parts) == 3 {
				if b, err := base64.RawURLEncoding.DecodeString(parts[1]); err == nil {
					json.Unmarshal(b, &claims)
				}
			}
			counts.mu.Lock()
			counts.signIns[claims.Identifier]++
			counts.mu.Unlock()
		case r.Method == "POST" && (strings.HasSuffix(r.URL.Path, "/messages") || strings.HasSuffix(r.URL.Path, "/messages/batch")):
			id := strings.TrimPrefix(r.URL.Path, "/enduser/v1/chats/")
			id = id[:max(strings.IndexByte(id, '/'), 0)]
			counts.mu.Lock()
			counts.sends[id]++
			counts.mu.Unlock()
		case r.Method == "POST" && strings.HasSuffix(r.URL.Path, "/realtime_ticket"):
			id := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/enduser/v1/chats/"), "/realtime_ticket")
			counts.mu.Lock()
			counts.tickets[id]++
			counts.mu.Unlock()
		}
		next.ServeHTTP(w, r)
	})
}

// disabled serves the platform's bridge page as a browser that lacks some
// of what the worker cores need would see it (the fallbacks' tests: the
// bridge's own detection, not a forced mode): ?disable=shared removes
// SharedWorker before the bridge runs, ?disable=workers adds the policy
// worker-src 'none', which blocks both kinds of worker.
func disabled(w http.ResponseWriter, r *http.Request, next http.Handler, what string) {
	// Always the whole page: a 304 would let the browser keep the page it
	// cached when it was served otherwise.
	r.Header.Del("If-None-Match")
	rec := httptest.NewRecorder()
	next.ServeHTTP(rec, r)
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	body := rec.Body.Bytes()
	switch what {
	case "shared":
		body = []byte(strings.Replace(string(body), `<script type="module"`, `<script src="no-shared-worker.js"></script><script type="module"`, 1))
	case "workers":
		csp := rec.Header().Get("Content-Security-Policy")
		w.Header().Set("Content-Security-Policy", strings.Replace(csp, "worker-src 'self'", "worker-src 'none'", 1))
	}
	w.Header().Del("Content-Length")
	w.WriteHeader(rec.Code)
	w.Write(body)
}

// signIns is how many token exchanges the platform had for identifier.
func signIns(identifier string) int {
	counts.mu.Lock()
	defer counts.mu.Unlock()
	return counts.signIns[identifier]
}

// tickets is how many realtime connections were asked for chat id.
func tickets(chatID int64) int {
	counts.mu.Lock()
	defer counts.mu.Unlock()
	return counts.tickets[strconv.FormatInt(chatID, 10)]
}

// sends is how many send requests (one message or a batch) chat id had.
func sends(chatID int64) int {
	counts.mu.Lock()
	defer counts.mu.Unlock()
	return counts.sends[strconv.FormatInt(chatID, 10)]
}

// sdkOrigin is the platform's origin under its other loopback name
// (localhost rather than 127.0.0.1): another site than every page, for
// pages that import the SDK from the platform.
func sdkOrigin() string {
	return strings.Replace(env.platform.URL, "127.0.0.1", "localhost", 1)
}

// siteHandler is the customer's web site: fixture pages, the SDK files and
// a token endpoint playing the company's backend.
func siteHandler() http.Handler {
	mux := http.NewServeMux()
	serveFile := func(w http.ResponseWriter, r *http.Request, path, ctype string) {
		b, err := os.ReadFile(path)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", ctype)
		csp := CSP
		if filepath.Base(path) == "widget.html" {
			csp += "; " + widgetStyleCSP
		}
		w.Header().Set("Content-Security-Policy", csp)
		w.Header().Set("Cache-Control", "no-store")
		w.Write(b)
	}
	mux.HandleFunc("GET /sdk/{file}", func(w http.ResponseWriter, r *http.Request) {
		name := r.PathValue("file")
		switch name {
		case "ccaip.wasm":
			serveFile(w, r, filepath.Join(env.buildDir, name), "application/wasm")
		case "wasm_exec.js":
			serveFile(w, r, filepath.Join(env.buildDir, name), "text/javascript")
		case "loader.js", "early-signin.js", "widget.js", "widget-strings.js", "bridge-routes.js":
			serveFile(w, r, filepath.Join(env.repo, "js", name), "text/javascript")
		case "widget.css":
			serveFile(w, r, filepath.Join(env.repo, "js", name), "text/css")
		default:
			http.NotFound(w, r)
		}
	})
	mux.HandleFunc("GET /fixtures/{file}", func(w http.ResponseWriter, r *http.Request) {
		name := r.PathValue("file")
		if strings.Contains(name, "..") {
			http.NotFound(w, r)
			return
		}
		ctype := "text/html; charset=utf-8"
		switch {
		case strings.HasSuffix(name, ".js"):
			ctype = "text/javascript"
		case strings.HasSuffix(name, ".css"):
			ctype = "text/css"
		}
		serveFile(w, r, filepath.Join(env.repo, "browsertest", "testdata", name), ctype)
	})
	// /app/: pages that import the SDK from the platform's origin (another
	// site), so their policy allows scripts from there.
	mux.HandleFunc("GET /app/{file}", func(w http.ResponseWriter, r *http.Request) {
		name := r.PathValue("file")
		ctype := "text/html; charset=utf-8"
		if strings.HasSuffix(name, ".js") {
			ctype = "text/javascript"
		}
		b, err := os.ReadFile(filepath.Join(env.repo, "browsertest", "testdata", filepath.Base(name)))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", ctype)
		w.Header().Set("Content-Security-Policy", CSP+" "+sdkOrigin())
		w.Header().Set("Cache-Control", "no-store")
		w.Write(b)
	})
	mux.HandleFunc("GET /index.d.ts", func(w http.ResponseWriter, r *http.Request) {
		serveFile(w, r, filepath.Join(env.repo, "js", "index.d.ts"), "text/plain; charset=utf-8")
	})
	mux.HandleFunc("GET /token", serveToken)
	return mux
}

// serveToken is the company's backend at /token?identifier=x: it signs the
// end-user JWT.
func serveToken(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("identifier")
	if id == "" {
		http.Error(w, "identifier required", http.StatusBadRequest)
		return
	}
	now := time.Now()
	tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
		"iss": server.DemoCompanyID, "iat": now.Unix(), "exp": now.Add(time.Hour).Unix(), "identifier": id,
	}).SignedString([]byte(server.DemoSecret))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]string{"token": tok})
}

// evilHandler is a third origin whose page forges messages.
func evilHandler() http.Handler {
	mux := http.NewServeMux()
	for _, name := range []string{"evil.html", "evil.js"} {
		name := name
		mux.HandleFunc("GET /"+name, func(w http.ResponseWriter, r *http.Request) {
			b, err := os.ReadFile(filepath.Join(env.repo, "browsertest", "testdata", name))
			if err != nil {
				http.NotFound(w, r)
				return
			}
			ctype := "text/html; charset=utf-8"
			if strings.HasSuffix(name, ".js") {
				ctype = "text/javascript"
			}
			w.Header().Set("Content-Type", ctype)
			w.Header().Set("Content-Security-Policy", CSP)
			w.Write(b)
		})
	}
	return mux
}

// page is one open fixture page in its own tab.
type page struct {
	t     *testing.T
	ctx   context.Context
	site  *httptest.Server
	close func() // closes the tab
}

// openPage opens a tab and pipes its console and exceptions into t.Log.
// Each page has a site server, so an origin and a localStorage, of its
// own: the SDK keeps the chat record per origin and company, and pages of
// different end users running in parallel would otherwise take each
// other's record.
func openPage(t *testing.T) *page {
	t.Helper()
	return openSite(t, siteHandler())
}

// openSite opens a tab for pages of a site server of its own running h.
func openSite(t *testing.T, h http.Handler) *page {
	t.Helper()
	site := httptest.NewServer(h)
	t.Cleanup(site.Close) // after the tab's cleanup: cleanups run last first
	return openTab(t, site)
}

// openTab opens another tab of the same browser for pages of site: one
// origin, one localStorage, one shared core for them all. close() closes
// the tab early (as the user would); cleanup closes it otherwise.
func openTab(t *testing.T, site *httptest.Server) *page {
	t.Helper()
	ctx, cancel := chromedp.NewContext(env.browser)
	if err := chromedp.Do(ctx); err != nil {
		cancel()
		t.Fatalf("open tab: %v", err)
	}
	var mu sync.Mutex
	ended := false
	logDone := make(chan struct{})
	go func() {
		defer close(logDone)
		for m, err := range chromedp.Console(ctx) {
			if err != nil {
				return
			}
			mu.Lock()
			if !ended {
				t.Logf("console: %s", m.String())
			}
			mu.Unlock()
		}
	}()
	var once sync.Once
	closeTab := func() {
		once.Do(func() {
			mu.Lock()
			ended = true
			mu.Unlock()
			cancel()
			<-logDone
		})
	}
	t.Cleanup(closeTab)
	return &page{t: t, ctx: ctx, site: site, close: closeTab}
}

// fixtureURL is a fixture page's URL on the page's site, with the platform
// and evil origins in its query. extra parameters come first, so that one
// of them (a host=, say) overrides the default: pages read the first.
func (p *page) fixtureURL(name string, extra ...string) string {
	q := ""
	for _, e := range extra {
		q += e + "&"
	}
	q += "host=" + env.platform.URL + "&evil=" + env.evil.URL
	if core := os.Getenv("CCAIP_CORE"); core != "" {
		q += "&core=" + core
	}
	// CCAIP_DISABLE=shared|workers: the bridge as a browser without
	// SharedWorker, or with workers blocked, serves it; the core must fall
	// back (to a dedicated worker, to the page) by itself.
	switch os.Getenv("CCAIP_DISABLE") {
	case "shared":
		q += "&bridge=" + url.QueryEscape(env.platform.URL+"/bridge/bridge.html?disable=shared") + "&expectCore=worker"
	case "workers":
		q += "&bridge=" + url.QueryEscape(env.platform.URL+"/bridge/bridge.html?disable=workers") + "&expectCore=page"
	}
	return p.site.URL + "/fixtures/" + name + "?" + q
}

// outcome is what a fixture page leaves on window.__outcome.
type outcome struct {
	Done   bool            `json:"done"`
	Error  string          `json:"error"`
	Result json.RawMessage `json:"result"`
}

// run navigates to a fixture and waits for it to finish; a page that
// throws, fails an assertion or never finishes is an error.
func (p *page) run(name string, timeout time.Duration, extra ...string) (json.RawMessage, error) {
	if err := chromedp.Do(p.ctx, chromedp.Navigate(p.fixtureURL(name, extra...))); err != nil {
		return nil, fmt.Errorf("navigate %s: %w", name, err)
	}
	return p.wait(name, timeout)
}

// wait polls window.__outcome until the page is done.
func (p *page) wait(name string, timeout time.Duration) (json.RawMessage, error) {
	deadline := time.Now().Add(timeout)
	for {
		var o outcome
		raw, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](`JSON.stringify(window.__outcome || {done:false})`))
		if err == nil {
			err = json.Unmarshal([]byte(raw), &o)
		}
		if err == nil && o.Error != "" {
			return o.Result, fmt.Errorf("%s: page failed: %s", name, o.Error)
		}
		if err == nil && o.Done {
			return o.Result, nil
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("%s: not done after %v (last error: %v)", name, timeout, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// eval evaluates expr in the page, awaiting a Promise, and returns its
// JSON value.
func (p *page) eval(expr string) (json.RawMessage, error) {
	return chromedp.Run(p.ctx, chromedp.Evaluate[json.RawMessage](expr, chromedp.EvalAwaitPromise))
}

// waitFor polls the page expression until it is truthy.
func (p *page) waitFor(expr string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		if v, err := p.eval(`!!(` + expr + `)`); err == nil && string(v) == "true" {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s: still false after %v", expr, timeout)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// agentSay posts a human agent's message through the Chat platform REST API.
func agentSay(t *testing.T, chatID int64, agentID int, text string) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"from_user_id": agentID, "message": map[string]any{"type": "text", "content": text}})
	req, _ := http.NewRequest("POST", fmt.Sprintf("%s/apps/api/v1/chats/%d/message", env.platform.URL, chatID), strings.NewReader(string(body)))
	req.SetBasicAuth(server.DemoTenant, server.DemoAPIToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("agent message: %v", err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		t.Fatalf("agent message: %d %s", resp.StatusCode, b)
	}
}

// runGo runs the go command in dir.
func runGo(dir string, args ...string) ([]byte, error) {
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	return cmd.CombinedOutput()
}

// chromedpNavigate loads url in the page's tab.
func chromedpNavigate(p *page, url string) error {
	return chromedp.Do(p.ctx, chromedp.Navigate(url))
}
