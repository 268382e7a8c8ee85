package main

import (
	"crypto/rand"
	"embed"
	"encoding/hex"
	"encoding/json"
	"html/template"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/ccaip/headless-go/server"
)

//go:embed static
var static embed.FS

// pageCSP is the strict policy the demo pages run under: no inline script,
// no eval, only WebAssembly compilation. It is the minimal policy README
// documents for integrators.
const pageCSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; " +
	"img-src 'self' data: blob: http://localhost:* http://127.0.0.1:*; " +
	"connect-src 'self' ws://localhost:* ws://127.0.0.1:* http://localhost:* http://127.0.0.1:*; " +
	"frame-src http://localhost:* http://127.0.0.1:*; object-src 'none'; base-uri 'none'"

// newSite routes the demo's own pages, the SDK files and the token endpoint,
// and hands everything else to the platform.
func newSite(dist string, platform http.Handler, log *slog.Logger) http.Handler {
	pages, err := fs.Sub(static, "static")
	if err != nil {
		panic(err) // the embed pattern above guarantees the directory
	}
	mux := http.NewServeMux()
	mux.Handle("GET /{$}", withCSP(landingPage(pages)))
	mux.Handle("GET /demo/", withCSP(http.StripPrefix("/demo/", http.FileServerFS(pages))))
	mux.Handle("POST /demo/token", tokenHandler(log))
	mux.Handle("GET /sdk/", http.StripPrefix("/sdk/", server.SDKFiles(dist)))
	mux.Handle("/", platform)
	return mux
}

func withCSP(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", pageCSP)
		w.Header().Set("X-Content-Type-Options", "nosniff")
		h.ServeHTTP(w, r)
	})
}

// landingPage renders index.html with the port the request came in on, the
// one the demo really listens on (-addr may pick any, :0 included).
func landingPage(pages fs.FS) http.Handler {
	page := template.Must(template.ParseFS(pages, "index.html"))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		port := ""
		if addr, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr); ok {
			_, port, _ = net.SplitHostPort(addr.String())
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if err := page.Execute(w, struct{ Port string }{port}); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	})
}

// tokenHandler stands in for a customer's backend: it signs the end-user JWT
// with the company secret. The identity is bound to an HttpOnly cookie the
// handler sets itself, so a visitor can never ask for a token in another
// visitor's name; the body may only add a display name and email.
func tokenHandler(log *slog.Logger) http.Handler {
	const cookie = "demo_uid"
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Name  string `json:"name"`
			Email string `json:"email"`
		}
		r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
		if r.ContentLength != 0 {
			if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
				writeJSON(w, http.StatusBadRequest, map[string]any{"error": map[string]string{"code": "bad_request", "message": "body must be JSON {name?, email?}"}})
				return
			}
		}
		uid := ""
		if c, err := r.Cookie(cookie); err == nil && validUID(c.Value) {
			uid = c.Value
		} else {
			var b [16]byte
			_, _ = rand.Read(b[:])
			uid = "visitor-" + hex.EncodeToString(b[:])
			http.SetCookie(w, &http.Cookie{Name: cookie, Value: uid, Path: "/demo/", HttpOnly: true, SameSite: http.SameSiteStrictMode, MaxAge: 30 * 24 * 3600})
		}
		now := time.Now()
		claims := jwt.MapClaims{
			"iss":        "demo-backend",
			"iat":        now.Unix(),
			"exp":        now.Add(10 * time.Minute).Unix(),
			"identifier": uid,
		}
		if n := strings.TrimSpace(body.Name); n != "" {
			claims["name"] = truncate(n, 100)
		}
		if e := strings.TrimSpace(body.Email); e != "" {
			claims["email"] = truncate(e, 200)
		}
		token, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString([]byte(server.DemoSecret))
		if err != nil {
			log.Error("sign token", "err", err)
			writeJSON(w, http.StatusInternalServerError, map[string]any{"error": map[string]string{"code": "internal", "message": "could not sign"}})
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		writeJSON(w, http.StatusOK, map[string]string{"token": token})
	})
}

func validUID(s string) bool {
	if !strings.HasPrefix(s, "visitor-") || len(s) != len("visitor-")+32 {
		return false
	}
	_, err := hex.DecodeString(s[len("visitor-"):])
	return err == nil
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
