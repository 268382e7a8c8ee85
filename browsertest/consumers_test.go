//go:build browser

package browsertest_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ccaip/headless-go/server"
)

// appSite serves the production build of one example app (examples/<app>/dist,
// built by ./build.sh consumers from the packed npm package) under the strict
// page policy, with the token endpoint, and records the paths it served.
type appSite struct {
	files http.Handler
	user  string // the end user /token signs for when the page names none
	host  string // the platform in /config.json
	mu    sync.Mutex
	paths []string
}

func newAppSite(t *testing.T, app string) *appSite {
	t.Helper()
	dir := filepath.Join(env.repo, "examples", app, "dist")
	if _, err := os.Stat(filepath.Join(dir, "index.html")); err != nil {
		t.Fatalf("no build of the %s example: %v (./build.sh consumers builds it)", app, err)
	}
	return &appSite{
		files: http.FileServer(http.Dir(dir)),
		user:  fmt.Sprintf("%s-user-%d", app, time.Now().UnixNano()),
		host:  env.platform.URL,
	}
}

// cdnPrefix is where an app site also serves the installed package's files
// as they are, standing in for a CDN the sdkBase option points at.
const cdnPrefix = "/cdn/"

func (s *appSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.paths = append(s.paths, r.URL.Path)
	s.mu.Unlock()
	switch r.URL.Path {
	case "/token":
		if r.URL.Query().Get("identifier") == "" {
			r.URL.RawQuery = url.Values{"identifier": {s.user}}.Encode()
		}
		serveToken(w, r)
		return
	case "/config.json": // the React example's runtime configuration
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]string{"companyId": server.DemoCompanyID, "tenant": server.DemoTenant, "host": s.host, "tokenUrl": "/token"})
		return
	case "/favicon.ico":
		w.WriteHeader(http.StatusNoContent)
		return
	}
	w.Header().Set("Content-Security-Policy", CSP)
	w.Header().Set("Cache-Control", "no-store")
	if strings.HasPrefix(r.URL.Path, cdnPrefix) {
		pkg := http.Dir(filepath.Join(env.repo, "examples", "node_modules", "@ccaip", "headless"))
		http.StripPrefix(cdnPrefix, http.FileServer(pkg)).ServeHTTP(w, r)
		return
	}
	s.files.ServeHTTP(w, r)
}

// served returns the base names of the served paths with the extension ext.
func (s *appSite) served(ext string) []string {
	var names []string
	for _, p := range s.servedPaths(ext) {
		names = append(names, path.Base(p))
	}
	return names
}

// servedPaths returns the served paths with the extension ext.
func (s *appSite) servedPaths(ext string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var paths []string
	for _, p := range s.paths {
		if strings.HasSuffix(p, ext) {
			paths = append(paths, p)
		}
	}
	return paths
}

// checkHashedAssets fails unless the page loaded the wasm and wasm_exec.js
// under the content-hashed names the bundler gave them.
func checkHashedAssets(t *testing.T, s *appSite) {
	t.Helper()
	wasm, js := s.served(".wasm"), s.served(".js")
	if len(wasm) != 1 || wasm[0] == "ccaip.wasm" {
		t.Errorf("wasm requests %v, want one under a content-hashed name", wasm)
	}
	for _, name := range js {
		if name == "wasm_exec.js" || name == "loader.js" {
			t.Errorf("requested %s: the bundler did not take in the package's JavaScript (all: %v)", name, js)
		}
	}
}

// TestBundledApps opens the production build of the Vite, webpack 5 and
// esbuild example apps, each of which imports Client from @ccaip/headless,
// and chats through it: menus → create chat → send → the virtual agent
// answers → finish (examples/flow.js). With sdkBase the bundled apps load
// the SDK's files from another path instead, as from a CDN.
func TestBundledApps(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		app    string
		hashed bool // esbuild does not rewrite new URL(…, import.meta.url): its build copies ccaip.wasm
		cdn    bool // sdkBase=/cdn/
		// shared: the default core, in a SharedWorker, which loads the
		// platform's wasm, so the page loads none. The other cases run with
		// workers blocked in the iframe (the in-page fallback), which is
		// where the bundled wasm is used.
		shared bool
	}{
		{app: "vite", hashed: true},
		{app: "webpack", hashed: true},
		{app: "esbuild"},
		{app: "vite", cdn: true},
		{app: "webpack", cdn: true},
		{app: "vite", shared: true},
	} {
		name := tt.app
		if tt.cdn {
			name += "/sdkBase"
		}
		if tt.shared {
			name += "/shared"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			site := newAppSite(t, tt.app)
			p := openSite(t, site)
			if !tt.shared {
				blockWorkers(t, p.site.URL)
			}
			q := url.Values{"host": {site.host}, "user": {site.user}}
			if tt.cdn {
				q.Set("sdkBase", cdnPrefix)
			}
			if err := chromedp.Do(p.ctx, chromedp.Navigate(p.site.URL+"/?"+q.Encode())); err != nil {
				t.Fatal(err)
			}
			res, err := p.wait(tt.app, 60*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			var r struct {
				ChatID   int64
				Status   string
				Messages int
			}
			if err := json.Unmarshal(res, &r); err != nil || r.ChatID == 0 || r.Status != "finished" || r.Messages < 2 {
				t.Fatalf("result %s (%v)", res, err)
			}
			switch wasm := site.servedPaths(".wasm"); {
			case tt.shared:
				if len(wasm) != 0 {
					t.Errorf("wasm requests %v from the page, want none: the core runs in the worker", wasm)
				}
			case tt.cdn:
				runtime := site.servedPaths("wasm_exec.js")
				if !slices.Equal(wasm, []string{cdnPrefix + "ccaip.wasm"}) || !slices.Equal(runtime, []string{cdnPrefix + "wasm_exec.js"}) {
					t.Errorf("wasm requests %v and runtime requests %v, want both once from %s", wasm, runtime, cdnPrefix)
				}
			case tt.hashed:
				checkHashedAssets(t, site)
			case len(wasm) != 1:
				t.Errorf("wasm requests %v, want one", wasm)
			}
		})
	}
}

// TestReactExample drives the React example (examples/react, built from the
// package) as a user would: pick a menu, send a message, see the virtual
// agent's answer; lose the connection and see it reconnect; reload mid-chat
// and find the chat restored with every message once, then end the chat.
func TestReactExample(t *testing.T) {
	t.Parallel()
	site := newAppSite(t, "react")
	p := openSite(t, site)
	blockWorkers(t, p.site.URL) // the bundled wasm runs: see checkHashedAssets
	// The platform behind a proxy of this test's own, whose connections it
	// can cut without touching the other tests'.
	platform := newCutProxy(t, env.platform.Listener.Addr().String())
	site.host = platform.url
	step := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(p.ctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	waitFor := func(expr string) {
		t.Helper()
		if err := p.waitFor(expr, 30*time.Second); err != nil {
			t.Fatal(err)
		}
	}
	const mine = `[...document.querySelectorAll('li.end_user')].filter((li) => li.textContent.includes('hello from React')).length`
	step("open", chromedp.Navigate(p.site.URL+"/"))
	step("pick the menu", chromedp.Click(chromedp.CSS(`button[data-menu="123"]`)))
	waitFor(`document.querySelector('.conn.connected')`)
	step("send", chromedp.SendKeys(chromedp.CSS(`input[aria-label="Message"]`), "hello from React"),
		chromedp.Click(chromedp.CSS(`.composer button[type="submit"]`)))
	waitFor(mine + ` === 1 && document.querySelector('li.virtual_agent')`)
	checkHashedAssets(t, site)

	// Record every connection state the page shows, then cut the link.
	if _, err := p.eval(`(() => {
		window.__states = []
		const conn = document.querySelector('.conn')
		new MutationObserver(() => window.__states.push(conn.className.replace('conn ', ''))).observe(conn, { attributes: true })
	})()`); err != nil {
		t.Fatal(err)
	}
	platform.cut()
	waitFor(`window.__states.includes('reconnecting') && document.querySelector('.conn.connected')`)
	step("send after reconnecting", chromedp.SendKeys(chromedp.CSS(`input[aria-label="Message"]`), "back again"),
		chromedp.Click(chromedp.CSS(`.composer button[type="submit"]`)))
	waitFor(`[...document.querySelectorAll('li.end_user')].some((li) => li.textContent.includes('back again'))`)
	states, _ := p.eval(`window.__states`)
	t.Logf("connection states after the cut: %s", states)

	step("reload", chromedp.Reload())
	waitFor(`document.querySelector('.conn.connected') && document.querySelector('li.virtual_agent')`)
	waitFor(mine + ` === 1 && document.querySelector('input[aria-label="Message"]')`)
	step("end the chat", chromedp.Click(chromedp.CSS(`.composer .finish`)))
	waitFor(`document.querySelector('.ended')`)
	if v, err := p.eval(mine); err != nil || string(v) != "1" {
		t.Fatalf("own message shown %s times after the end (%v), want once", v, err)
	}
	if v, err := p.eval(`!!document.querySelector('[role=alert]')`); err != nil || string(v) != "false" {
		t.Fatalf("the page shows an error (%s, %v)", v, err)
	}
}

// cutProxy is a TCP proxy in front of the platform that can cut every
// connection through it at once, WebSockets included, as a network drop
// would.
type cutProxy struct {
	url   string
	mu    sync.Mutex
	conns map[net.Conn]bool
}

func newCutProxy(t *testing.T, target string) *cutProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &cutProxy{url: "http://" + ln.Addr().String(), conns: map[net.Conn]bool{}}
	t.Cleanup(func() {
		ln.Close()
		p.cut()
	})
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go p.pipe(c, target)
		}
	}()
	return p
}

func (p *cutProxy) pipe(c net.Conn, target string) {
	u, err := net.Dial("tcp", target)
	if err != nil {
		c.Close()
		return
	}
	p.mu.Lock()
	p.conns[c], p.conns[u] = true, true
	p.mu.Unlock()
	done := make(chan struct{}, 2)
	go func() { io.Copy(u, c); done <- struct{}{} }()
	go func() { io.Copy(c, u); done <- struct{}{} }()
	<-done
	c.Close()
	u.Close()
	p.mu.Lock()
	delete(p.conns, c)
	delete(p.conns, u)
	p.mu.Unlock()
}

// cut closes every connection through the proxy; new ones may follow.
func (p *cutProxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for c := range p.conns {
		c.Close()
	}
}
