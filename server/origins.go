package server

import (
	"io/fs"
	"net/http"
	"net/url"
	"strings"

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

func (s *Server) bridgeRoutes(mux *http.ServeMux) {
	// The iframe may start its core's worker (same origin, worker-src
	// 'self'); the worker, whose policy is its own script's, compiles the
	// wasm and opens the realtime WebSocket to this origin.
	page := "frame-ancestors " + s.frameAncestors() + "; script-src 'self'; worker-src 'self'"
	worker := "script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; worker-src 'none'"
	serve := func(name, ctype string) http.HandlerFunc {
		csp := page
		if name == "core-worker.js" {
			csp = worker
		}
		return func(w http.ResponseWriter, r *http.Request) {
			b, err := fs.ReadFile(jsfiles.Bridge, name)
			if err != nil {
				writeError(w, err)
				return
			}
			h := w.Header()
			h.Set("Content-Type", ctype)
			h.Set("Content-Security-Policy", csp)
			h.Set("X-Content-Type-Options", "nosniff")
			h.Set("Cache-Control", "no-cache")
			w.Write(b)
		}
	}
	mux.HandleFunc("GET /bridge/bridge.html", serve("bridge.html", "text/html; charset=utf-8"))
	mux.HandleFunc("GET /bridge/bridge.js", serve("bridge.js", "text/javascript; charset=utf-8"))
	mux.HandleFunc("GET /bridge/bridge-routes.js", serve("bridge-routes.js", "text/javascript; charset=utf-8"))
	mux.HandleFunc("GET /bridge/bridge-fetch.js", serve("bridge-fetch.js", "text/javascript; charset=utf-8"))
	mux.HandleFunc("GET /bridge/core-worker.js", serve("core-worker.js", "text/javascript; charset=utf-8"))
	mux.HandleFunc("GET /bridge/early-signin.js", serve("early-signin.js", "text/javascript; charset=utf-8"))
}
