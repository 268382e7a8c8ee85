package main

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/golang-jwt/jwt/v5"

	headless "github.com/ccaip/headless-go/internal/chromium"
	"github.com/ccaip/headless-go/server"
)

// web is the page the browser runs (runner.html, runner.js, check.js);
// testdata holds the deliberately broken loader the kit's own test uses.
//
//go:embed web testdata
var files embed.FS

// Options says what to test and where.
type Options struct {
	// Loader is the URL of an ES module exporting Client: ours, the
	// vendor's package served locally, or a path on the kit's own site
	// ("/parity/testdata/broken-loader.js"). Empty: ours, imported from
	// the local platform's origin as README's quick start does.
	Loader string
	// Host is the platform; empty starts the local platform in-process.
	Host string
	// Company, Tenant and Secret are the caller's credentials on Host: the
	// kit signs each end user's JWT (HS256) with the company secret.
	Company, Tenant, Secret string
	// Menu is the chat menu; 0 takes the first menu offering chat.
	Menu int
	// Strict also requires what index.d.ts tags @extension (this SDK's
	// additions to the documents): for our own loader.
	Strict bool
	// Repo is the module root (js/index.d.ts, parity/schema.mjs); Dist the
	// built SDK the local platform and the kit's site serve at /sdk/.
	Repo, Dist string
	// SiteAddr is where the kit's page is served (host:port on loopback);
	// empty picks a free port. A platform that allow-lists the origins
	// its bridge talks to needs a fixed one.
	SiteAddr string
	// Chromium is the browser binary.
	Chromium string
	// Timeout bounds the whole run; EventTimeout how long the page waits
	// for each event an example provokes (0: 15 s).
	Timeout, EventTimeout time.Duration
	// Log receives the page's console.
	Log func(string)
}

// Mismatch is one field that does not conform.
type Mismatch struct {
	Path     string `json:"path"`
	Expected string `json:"expected"`
	Got      string `json:"got"`
}

// Result is one documented example (a method call) or one event.
type Result struct {
	Name   string            `json:"name"`
	Kind   string            `json:"kind"`   // method or event
	Target string            `json:"target"` // the method or event name
	Status string            `json:"status"` // pass, fail or skipped
	Errors []Mismatch        `json:"errors"`
	Shape  map[string]string `json:"shape"`
}

// Report is one run.
type Report struct {
	Loader   string    `json:"loader"`
	Platform string    `json:"platform"`
	Schema   string    `json:"schema"`
	Started  time.Time `json:"started"`
	Results  []Result  `json:"results"`
	Pass     int       `json:"pass"`
	Fail     int       `json:"fail"`
	Skipped  int       `json:"skipped"`
}

// Failed lists the failing results.
func (r *Report) Failed() []Result {
	var out []Result
	for _, x := range r.Results {
		if x.Status == "fail" {
			out = append(out, x)
		}
	}
	return out
}

// Schema extracts the documented interfaces from js/index.d.ts with the
// TypeScript compiler (parity/schema.mjs).
func Schema(ctx context.Context, repo string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "node", filepath.Join(repo, "parity", "schema.mjs"), filepath.Join(repo, "js", "index.d.ts"))
	cmd.Dir = repo
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("schema from index.d.ts: %v: %s (run npm ci for typescript)", err, stderr.String())
	}
	return out, nil
}

// Run runs every documented example in headless Chromium and reports.
func Run(ctx context.Context, o Options) (*Report, error) {
	if o.Timeout <= 0 {
		o.Timeout = 5 * time.Minute
	}
	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	schema, err := Schema(ctx, o.Repo)
	if err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "ccaip-parity-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)

	var lp *localPlatform
	if o.Host == "" {
		lp = &localPlatform{}
		srv, err := server.New(server.Config{DataDir: filepath.Join(tmp, "data"), VADelay: 50 * time.Millisecond,
			Now: lp.now, SweepInterval: 100 * time.Millisecond})
		if err != nil {
			return nil, err
		}
		defer srv.Close()
		mux := http.NewServeMux()
		mux.Handle("GET /sdk/", http.StripPrefix("/sdk/", server.SDKFiles(o.Dist)))
		mux.Handle("/", srv.Handler())
		platform := httptest.NewServer(mux)
		defer func() {
			platform.CloseClientConnections()
			platform.Close()
		}()
		o.Host, o.Company, o.Tenant, o.Secret = platform.URL, server.DemoCompanyID, server.DemoTenant, server.DemoSecret
		lp.url = platform.URL
		if o.Loader == "" {
			// Another site than the kit's page (localhost vs 127.0.0.1).
			o.Loader = strings.Replace(platform.URL, "127.0.0.1", "localhost", 1) + "/sdk/loader.js"
		}
	}
	if o.Loader == "" {
		return nil, errors.New("a loader URL is required with another platform (--loader)")
	}
	site := httptest.NewUnstartedServer(siteHandler(o, schema, lp))
	if o.SiteAddr != "" {
		l, err := net.Listen("tcp", o.SiteAddr)
		if err != nil {
			return nil, fmt.Errorf("serve the kit's page on %s: %w", o.SiteAddr, err)
		}
		site.Listener.Close()
		site.Listener = l
	}
	site.Start()
	defer func() {
		site.CloseClientConnections()
		site.Close()
	}()
	loader := o.Loader
	if strings.HasPrefix(loader, "/") {
		loader = site.URL + loader
	}
	q := url.Values{"loader": {loader}, "host": {o.Host}, "company": {o.Company}, "tenant": {o.Tenant}}
	if o.Menu > 0 {
		q.Set("menu", fmt.Sprint(o.Menu))
	}
	if lp != nil {
		q.Set("local", "1")
	}
	if o.Strict {
		q.Set("strict", "1")
	}
	if o.EventTimeout > 0 {
		q.Set("eventTimeout", fmt.Sprint(o.EventTimeout.Milliseconds()))
	}
	rep := &Report{Loader: loader, Platform: o.Host, Schema: filepath.Join(o.Repo, "js", "index.d.ts"), Started: time.Now().UTC()}
	q.Set("page", "pricing") // a page a proactive trigger may match (see runner.js)
	results, err := runPage(ctx, o, filepath.Join(tmp, "profile"), site.URL+"/parity/runner.html?"+q.Encode())
	if err != nil {
		return nil, err
	}
	rep.Results = results
	for _, r := range results {
		switch r.Status {
		case "pass":
			rep.Pass++
		case "fail":
			rep.Fail++
		default:
			rep.Skipped++
		}
	}
	return rep, nil
}

// siteHandler serves the kit's page, the schema, the token endpoint (the
// company's backend: it signs the end user's JWT), the SDK files and, with
// the local platform (lp not nil), its controls.
func siteHandler(o Options, schema []byte, lp *localPlatform) http.Handler {
	web, _ := fs.Sub(files, "web")
	testdata, _ := fs.Sub(files, "testdata")
	mux := http.NewServeMux()
	mux.Handle("GET /parity/testdata/", noStore(http.StripPrefix("/parity/testdata/", http.FileServerFS(testdata))))
	mux.HandleFunc("GET /parity/schema.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(schema)
	})
	mux.HandleFunc("GET /parity/token", func(w http.ResponseWriter, r *http.Request) {
		id := r.URL.Query().Get("identifier")
		now := time.Now()
		if lp != nil {
			now = lp.now() // the platform's clock, which the page may move
		}
		tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
			"iss": o.Company, "iat": now.Unix(), "exp": now.Add(time.Hour).Unix(), "identifier": id,
		}).SignedString([]byte(o.Secret))
		if err != nil || id == "" {
			http.Error(w, "identifier required", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]string{"token": tok})
	})
	if lp != nil {
		mux.HandleFunc("POST /parity/local", lp.control)
	}
	mux.Handle("GET /parity/", noStore(http.StripPrefix("/parity/", http.FileServerFS(web))))
	if o.Dist != "" {
		mux.Handle("GET /sdk/", http.StripPrefix("/sdk/", server.SDKFiles(o.Dist)))
	}
	return mux
}

func noStore(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		h.ServeHTTP(w, r)
	})
}

// runPage opens the runner in a fresh headless Chromium and waits for it.
func runPage(ctx context.Context, o Options, profile, pageURL string) ([]Result, error) {
	chromium := o.Chromium
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, headless.Options(chromium, profile)...)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(allocCtx)
	defer cancelBrowser()
	if err := chromedp.Do(bctx); err != nil {
		return nil, fmt.Errorf("start %s: %w", chromium, err)
	}
	if o.Log != nil {
		go func() {
			for m, err := range chromedp.Console(bctx) {
				if err != nil {
					return
				}
				o.Log(m.String())
			}
		}()
	}
	if err := chromedp.Do(bctx, chromedp.Navigate(pageURL)); err != nil {
		return nil, fmt.Errorf("open the runner: %w", err)
	}
	for {
		raw, err := chromedp.Run(bctx, chromedp.Evaluate[string](`JSON.stringify(window.__parity || {done: false})`))
		if err == nil {
			var st struct {
				Done    bool     `json:"done"`
				Error   string   `json:"error"`
				Results []Result `json:"results"`
			}
			if err := json.Unmarshal([]byte(raw), &st); err != nil {
				return nil, err
			}
			if st.Done {
				if st.Error != "" {
					return st.Results, fmt.Errorf("the runner failed: %s", st.Error)
				}
				return st.Results, nil
			}
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("the runner did not finish: %w", ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
}
