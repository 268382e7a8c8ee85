package server

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	jsfiles "github.com/ccaip/headless-go/js"
)

// originAllowed reports whether a browser origin ("scheme://host[:port]")
// matches one of the company's allowed origins. A pattern's port may be "*"
// for any port (or none).
func (s *Server) originAllowed(origin string) bool {
	o, err := url.Parse(origin)
	if err != nil || o.Scheme == "" || o.Host == "" {
		return false
	}
	for _, p := range s.company.AllowedOrigins {
		if matchOrigin(p, o) {
			return true
		}
	}
	return false
}

func matchOrigin(pattern string, o *url.URL) bool {
	scheme, hostport, ok := strings.Cut(pattern, "://")
	if !ok || !strings.EqualFold(scheme, o.Scheme) {
		return false
	}
	host, port, hasPort := strings.Cut(hostport, ":")
	if !strings.EqualFold(host, o.Hostname()) {
		return false
	}
	switch {
	case hasPort && port == "*":
		return true
	case hasPort:
		return port == o.Port()
	default:
		return o.Port() == ""
	}
}

// sameOrigin reports whether origin is the platform's own origin: the
// bridge iframe runs there.
func (s *Server) sameOrigin(r *http.Request, origin string) bool {
	o, err := url.Parse(origin)
	if err != nil {
		return false
	}
	if s.cfg.PublicURL != "" {
		p, err := url.Parse(s.cfg.PublicURL)
		if err == nil && strings.EqualFold(p.Host, o.Host) && p.Scheme == o.Scheme {
			return true
		}
	}
	return strings.EqualFold(o.Host, r.Host)
}

// cors answers preflights and sets CORS headers on end-user API responses
// for allowed origins, so a page may also call the API directly.
func (s *Server) cors(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		if origin != "" && strings.HasPrefix(r.URL.Path, "/enduser/") && s.originAllowed(origin) {
			h := w.Header()
			h.Set("Access-Control-Allow-Origin", origin)
			h.Add("Vary", "Origin")
			h.Set("Access-Control-Expose-Headers", "X-Transcript-Status, Content-Disposition")
			if r.Method == http.MethodOptions {
				h.Set("Access-Control-Allow-Methods", "GET, POST, PATCH, DELETE")
				h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type, Idempotency-Key")
				h.Set("Access-Control-Max-Age", "600")
				w.WriteHeader(http.StatusNoContent)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// frameAncestors is the CSP source list of origins that may embed the
// bridge.
func (s *Server) frameAncestors() string {
	seen := map[string]bool{}
	var out []string
	for _, p := range s.company.AllowedOrigins {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		return "'none'"
	}
	return strings.Join(out, " ")
}

// bridgeFiles are the files of the communication iframe and its worker,
// served at /bridge/ from jsfiles.Bridge with their content types.
var bridgeFiles = map[string]string{
	"bridge.html":      "text/html; charset=utf-8",
	"bridge.js":        "text/javascript; charset=utf-8",
	"bridge-routes.js": "text/javascript; charset=utf-8",
	"bridge-fetch.js":  "text/javascript; charset=utf-8",
	"core-worker.js":   "text/javascript; charset=utf-8",
	"early-signin.js":  "text/javascript; charset=utf-8",
}

// bridgeVersion is a hash of every bridge file: bridge.html loads its
// script from /bridge/v/<version>/, where the files may be cached for good
// (a deploy that changes any of them changes the version, so the URL).
var bridgeVersion = sync.OnceValue(func() string {
	h := sha256.New()
	for _, name := range slices.Sorted(maps.Keys(bridgeFiles)) {
		b, err := fs.ReadFile(jsfiles.Bridge, name)
		if err != nil {
			panic("bridge file missing from the embed: " + name)
		}
		fmt.Fprintf(h, "%s %d\n", name, len(b))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
})

// bridgePage is bridge.html pointing at the versioned script.
var bridgePage = sync.OnceValue(func() []byte {
	b, err := fs.ReadFile(jsfiles.Bridge, "bridge.html")
	if err != nil || !bytes.Contains(b, []byte(`src="bridge.js"`)) {
		panic(`bridge.html must load src="bridge.js"`)
	}
	return bytes.Replace(b, []byte(`src="bridge.js"`), []byte(`src="v/`+bridgeVersion()+`/bridge.js"`), 1)
})

// bridgeRoutes serves the communication iframe. bridge.html, the entry the
// loader names, is revalidated on every use (no-cache with an ETag: a 304
// when nothing changed); the scripts it loads are under /bridge/v/<version>/
// and cached for a year (immutable), so that a second tab or a returning
// visitor loads them from the cache and a deploy is never stale. The
// unversioned /bridge/<file> paths stay (no-cache) for pages that loaded
// an older bridge.html.
func (s *Server) bridgeRoutes(mux *http.ServeMux) {
	// The iframe may start its core's worker (same origin, worker-src
	// 'self'); the worker, whose policy is its own script's, compiles the
	// wasm and opens the realtime WebSocket to this origin.
	page := "frame-ancestors " + s.frameAncestors() + "; script-src 'self'; worker-src 'self'"
	worker := "script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; worker-src 'none'"
	serve := func(w http.ResponseWriter, r *http.Request, name, cache string) {
		ctype, ok := bridgeFiles[name]
		if !ok {
			http.NotFound(w, r)
			return
		}
		b, err := fs.ReadFile(jsfiles.Bridge, name)
		if name == "bridge.html" {
			b = bridgePage()
		}
		if err != nil {
			writeError(w, err)
			return
		}
		csp := page
		if name == "core-worker.js" {
			csp = worker
		}
		h := w.Header()
		h.Set("Content-Type", ctype)
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Cache-Control", cache)
		h.Set("ETag", `"`+bridgeVersion()+`"`)
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(b))
	}
	mux.HandleFunc("GET /bridge/{file}", func(w http.ResponseWriter, r *http.Request) {
		serve(w, r, r.PathValue("file"), "no-cache")
	})
	mux.HandleFunc("GET /bridge/v/{version}/{file}", func(w http.ResponseWriter, r *http.Request) {
		cache := "public, max-age=31536000, immutable"
		if r.PathValue("version") != bridgeVersion() {
			// Another deploy's page: today's files, not kept under that name.
			cache = "no-cache"
		}
		serve(w, r, r.PathValue("file"), cache)
	})
}
