package server

import (
	"io/fs"
	"net/http"

	"github.com/ccaip/headless-go/server/console"
)

// consoleCSP is the agent console's Content Security Policy: scripts and
// styles only from the platform itself, no inline code, no framing.
const consoleCSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
	"form-action 'none'; frame-ancestors 'none'; base-uri 'none'"

// consoleRoutes serves the agent console page at /agent and its files
// under /agent/static/.
func (s *Server) consoleRoutes(mux *http.ServeMux) {
	static, err := fs.Sub(console.Files, "static")
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	files := http.StripPrefix("/agent/static/", http.FileServerFS(static))
	mux.Handle("GET /agent/static/", consoleHeaders(files))
	mux.Handle("GET /agent", consoleHeaders(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.ServeFileFS(w, r, static, "index.html")
	})))
}

// consoleHeaders adds the console's security headers.
func consoleHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", consoleCSP)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-cache")
		next.ServeHTTP(w, r)
	})
}
