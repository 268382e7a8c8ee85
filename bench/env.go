package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/chromedp"

	headless "github.com/ccaip/headless-go/internal/chromium"
	"github.com/ccaip/headless-go/server"
	"github.com/ccaip/headless-go/server/jwtauth"
)

// csp is the strict page policy every bench page is served with, as an
// integrator's page would be.
const csp = "script-src 'self' 'wasm-unsafe-eval'"

// env holds what several benchmarks share: the built wasm files, the
// platform and the site server (on two loopback ports, so the bridge
// iframe is cross-origin as in production).
type env struct {
	opt *options

	coldProfiled bool // -jsprofile: the first SDK cold start was profiled

	buildOnce sync.Once
	sdkPath   string
	helloPath string
	buildErr  error

	srvOnce  sync.Once
	srvErr   error
	platform *server.Server
	platTS   *httptest.Server
	tickets  tickets // realtime connections by chat (the tabs item)
	site     *httptest.Server
	dataDir  string

	baselineHeap float64 // JS heap of chat.html before new Client()
}

func (e *env) close() {
	if e.site != nil {
		e.site.Close()
	}
	if e.platTS != nil {
		e.platTS.CloseClientConnections()
		e.platTS.Close()
	}
	if e.platform != nil {
		e.platform.Close()
	}
	if e.dataDir != "" {
		os.RemoveAll(e.dataDir)
	}
}

// build finds dist/ccaip.wasm (what ./build.sh build ships; built here
// when missing) and builds the hello-world floor, once per run.
func (e *env) build(ctx context.Context) error {
	e.buildOnce.Do(func() {
		e.sdkPath = filepath.Join(e.opt.dist, "ccaip.wasm")
		for _, f := range []string{"ccaip.wasm", "wasm_exec.js", "loader.js", "bridge.html", "bridge.js"} {
			if _, err := os.Stat(filepath.Join(e.opt.dist, f)); err != nil {
				e.buildErr = fmt.Errorf("dist/%s is missing: run ./build.sh build (or ./build.sh bench)", f)
				return
			}
		}
		e.helloPath = filepath.Join(e.opt.out, "hello.wasm")
		if e.buildErr = buildWasm(ctx, e.opt.repo, "./bench/testdata/hello", e.helloPath); e.buildErr != nil {
			return
		}
		if e.opt.jsprofile {
			// The same client with its symbols, so that profiles name Go functions.
			e.buildErr = buildWasm(ctx, e.opt.repo, "./wasm", filepath.Join(e.opt.out, "ccaip-syms.wasm"), "-ldflags=")
		}
	})
	return e.buildErr
}

func (e *env) sdkWasm(ctx context.Context) (string, error) {
	return e.sdkPath, e.build(ctx)
}

func (e *env) helloWasm(ctx context.Context) (string, error) {
	return e.helloPath, e.build(ctx)
}

// servers starts the platform and the site, once per run.
func (e *env) servers(ctx context.Context) error {
	if err := e.build(ctx); err != nil {
		return err
	}
	e.srvOnce.Do(func() {
		dir, err := os.MkdirTemp(e.opt.out, "platform-")
		if err != nil {
			e.srvErr = err
			return
		}
		e.dataDir = dir
		e.platform, err = server.New(server.Config{
			DataDir:      dir,
			RESTRate:     1e9, // the bench plays a very busy company backend
			DismissAfter: -1,
			ChatTimeout:  -1,
			// One end user calling as fast as it can, from one address:
			// what is measured is the SDK, not the platform's limits.
			Rates: server.Rates{EndUser: -1, Token: -1},
		})
		if err != nil {
			e.srvErr = err
			return
		}
		// The platform serves the SDK's files too: a core in a worker
		// loads the wasm from the platform's /sdk/.
		plat := http.NewServeMux()
		plat.Handle("GET /sdk/", http.StripPrefix("/sdk/", server.SDKFiles(e.opt.dist)))
		plat.Handle("/", e.tickets.wrap(e.platform.Handler()))
		e.platTS = httptest.NewServer(plat)
		e.site = httptest.NewServer(e.siteHandler())
	})
	return e.srvErr
}

// siteHandler is the integrator's web site: the bench pages, the SDK files
// from dist/, the hello-world floor and the company backend's token
// endpoint.
func (e *env) siteHandler() http.Handler {
	mux := http.NewServeMux()
	serve := func(w http.ResponseWriter, r *http.Request, path string) {
		b, err := os.ReadFile(path)
		st, serr := os.Stat(path)
		if err != nil || serr != nil {
			http.NotFound(w, r)
			return
		}
		ctype := "application/octet-stream"
		switch filepath.Ext(path) {
		case ".wasm":
			ctype = "application/wasm"
		case ".js":
			ctype = "text/javascript"
		case ".html":
			ctype = "text/html; charset=utf-8"
		}
		w.Header().Set("Content-Type", ctype)
		w.Header().Set("Content-Security-Policy", csp)
		// Revalidated on every use (Last-Modified): a fresh profile
		// fetches everything, a returning visitor's cache answers 304.
		w.Header().Set("Cache-Control", "no-cache")
		http.ServeContent(w, r, path, st.ModTime(), bytes.NewReader(b))
	}
	clean := func(name string) bool {
		return name != "" && !strings.Contains(name, "..") && !strings.Contains(name, "/")
	}
	mux.HandleFunc("GET /sdk/{file}", func(w http.ResponseWriter, r *http.Request) {
		name := r.PathValue("file")
		switch name {
		case "ccaip.wasm", "wasm_exec.js", "loader.js", "early-signin.js":
			serve(w, r, filepath.Join(e.opt.dist, name))
		case "ccaip-syms.wasm":
			serve(w, r, filepath.Join(e.opt.out, name))
		default:
			http.NotFound(w, r)
		}
	})
	mux.HandleFunc("GET /hello/hello.wasm", func(w http.ResponseWriter, r *http.Request) {
		serve(w, r, e.helloPath)
	})
	mux.HandleFunc("GET /pages/{file}", func(w http.ResponseWriter, r *http.Request) {
		name := r.PathValue("file")
		if !clean(name) {
			http.NotFound(w, r)
			return
		}
		serve(w, r, filepath.Join(e.opt.repo, "bench", "testdata", "pages", name))
	})
	mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	// /token?identifier=x: the company's backend signs the end-user JWT.
	mux.HandleFunc("GET /token", func(w http.ResponseWriter, r *http.Request) {
		id := r.URL.Query().Get("identifier")
		if id == "" {
			http.Error(w, "identifier required", http.StatusBadRequest)
			return
		}
		tok, err := endUserToken(id)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		json.NewEncoder(w).Encode(map[string]string{"token": tok})
	})
	return mux
}

// endUserToken signs an end-user JWT for the demo company as its backend
// would.
func endUserToken(identifier string) (string, error) {
	now := time.Now()
	return jwtauth.SignEndUser([]byte(server.DemoSecret), jwtauth.Claims{
		Issuer: server.DemoCompanyID, IssuedAt: now, ExpiresAt: now.Add(time.Hour), Identifier: identifier,
	})
}

// pageURL is a bench page on the site with the platform as host. The
// page names the platform http://localhost:<port> while the site is on
// 127.0.0.1: another site, as a vendor's platform is to a customer's
// page, so that Chromium gives the bridge iframe a process of its own
// (same-site frames share the page's main thread).
func (e *env) pageURL(page string, query ...string) string {
	u := e.site.URL + "/pages/" + page + "?host=" + strings.Replace(e.platTS.URL, "http://127.0.0.1:", "http://localhost:", 1)
	if e.opt.jsprofile {
		u += "&wasm=ccaip-syms.wasm"
	}
	for i := 0; i+1 < len(query); i += 2 {
		u += "&" + query[i] + "=" + query[i+1]
	}
	return u
}

// browser starts a new Chromium process with a fresh profile directory
// and returns a tab context. cancel closes the browser and removes the
// profile.
func (e *env) browser(ctx context.Context) (context.Context, context.CancelFunc, error) {
	profile, err := os.MkdirTemp(e.opt.out, "profile-")
	if err != nil {
		return nil, nil, err
	}
	tab, cancel, err := e.browserIn(ctx, profile)
	if err != nil {
		os.RemoveAll(profile)
		return nil, nil, err
	}
	return tab, func() { cancel(); os.RemoveAll(profile) }, nil
}

// browserIn starts a new Chromium process on the profile directory
// profile (which it keeps: a returning visitor's HTTP and code caches
// live there) and returns a tab context. cancel closes the browser
// gracefully, so that its caches reach the disk.
func (e *env) browserIn(ctx context.Context, profile string) (context.Context, context.CancelFunc, error) {
	opts := headless.Options(e.opt.chromium, profile,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("enable-precise-memory-info", true),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	bctx, cancelTab := chromedp.NewContext(actx)
	cancel := func() {
		chromedp.Cancel(bctx)
		cancelTab()
		cancelAlloc()
	}
	if err := chromedp.Do(bctx); err != nil {
		cancel()
		return nil, nil, fmt.Errorf("start %s: %w", e.opt.chromium, err)
	}
	if e.opt.verbose {
		msgs := chromedp.Console(bctx)
		go func() {
			for m, err := range msgs {
				if err != nil {
					return
				}
				e.opt.logf("console: %s", m)
			}
		}()
	}
	return bctx, cancel, nil
}

// pageState is what every bench page keeps on window.__bench.
type pageState struct {
	Done  bool            `json:"done"`
	Error string          `json:"error"`
	Data  json.RawMessage `json:"data"`
}

// waitPage polls window.__bench until the page is done and decodes its
// data into out.
func waitPage(ctx context.Context, tab context.Context, timeout time.Duration, out any) error {
	deadline := time.Now().Add(timeout)
	for {
		st, err := chromedp.Run(tab, chromedp.Evaluate[pageState](`window.__bench || {done:false}`))
		if err != nil {
			return err
		}
		if st.Error != "" {
			return fmt.Errorf("page: %s", st.Error)
		}
		if st.Done {
			if out == nil {
				return nil
			}
			return json.Unmarshal(st.Data, out)
		}
		if time.Now().After(deadline) {
			return errors.New("page did not finish in time")
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// eval evaluates expr in the tab, awaiting a returned Promise, and
// decodes the JSON value into T.
func eval[T any](tab context.Context, expr string) (T, error) {
	return chromedp.Run(tab, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
}
