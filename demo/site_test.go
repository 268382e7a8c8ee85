package main

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/golang-jwt/jwt/v5"

	"github.com/ccaip/headless-go/server"
)

// newTestSite serves the demo site over loopback with a real platform behind it.
func newTestSite(t *testing.T, dist string) *httptest.Server {
	t.Helper()
	platform, err := server.New(server.Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { platform.Close() })
	ts := httptest.NewServer(newSite(dist, platform.Handler(), slog.New(slog.NewTextHandler(io.Discard, nil))))
	t.Cleanup(ts.Close)
	return ts
}

// identifierOf asks the token endpoint for a token and returns its verified identifier.
func identifierOf(t *testing.T, c *http.Client, url, body string) string {
	t.Helper()
	res, err := c.Post(url+"/demo/token", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("token endpoint: %s", res.Status)
	}
	var out struct{ Token string }
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	claims := jwt.MapClaims{}
	_, err = jwt.ParseWithClaims(out.Token, claims, func(*jwt.Token) (any, error) { return []byte(server.DemoSecret), nil },
		jwt.WithValidMethods([]string{"HS256"}), jwt.WithExpirationRequired())
	if err != nil {
		t.Fatalf("token does not verify with the demo secret: %v", err)
	}
	id, _ := claims["identifier"].(string)
	if id == "" {
		t.Fatal("token has no identifier")
	}
	return id
}

func TestTokenEndpointBindsIdentityToCookie(t *testing.T) {
	ts := newTestSite(t, t.TempDir())
	jar, _ := cookiejar.New(nil)
	alice := &http.Client{Jar: jar}

	first := identifierOf(t, alice, ts.URL, `{"name":"Alice"}`)
	again := identifierOf(t, alice, ts.URL, `{}`)
	if first != again {
		t.Errorf("same visitor got two identities: %q then %q", first, again)
	}
	// A visitor cannot ask for somebody else's identity.
	forged := identifierOf(t, &http.Client{}, ts.URL, `{"identifier":"`+first+`"}`)
	if forged == first {
		t.Errorf("a request without the cookie obtained the cookie owner's identity %q", first)
	}
	res, err := http.Post(ts.URL+"/demo/token", "application/json", strings.NewReader("{not json"))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusBadRequest {
		t.Errorf("malformed body: status %d, want 400", res.StatusCode)
	}
}

func TestSDKFilesNegotiateEncoding(t *testing.T) {
	dist := t.TempDir()
	write := func(name, content string) {
		if err := os.WriteFile(filepath.Join(dist, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("ccaip.wasm", "raw-wasm")
	write("ccaip.wasm.br", "brotli-wasm")
	write("ccaip.wasm.gz", "gzip-wasm")
	ts := newTestSite(t, dist)

	for _, tc := range []struct{ accept, wantEnc, wantBody string }{
		{"gzip, deflate, br", "br", "brotli-wasm"},
		{"gzip", "gzip", "gzip-wasm"},
		{"", "", "raw-wasm"},
	} {
		req, _ := http.NewRequest("GET", ts.URL+"/sdk/ccaip.wasm", nil)
		req.Header.Set("Accept-Encoding", tc.accept)
		// A transport that leaves decoding to us, so the body is what was sent.
		res, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if got := res.Header.Get("Content-Encoding"); got != tc.wantEnc {
			t.Errorf("Accept-Encoding %q: Content-Encoding %q, want %q", tc.accept, got, tc.wantEnc)
		}
		if string(body) != tc.wantBody {
			t.Errorf("Accept-Encoding %q: body %q, want %q", tc.accept, body, tc.wantBody)
		}
		if ct := res.Header.Get("Content-Type"); ct != "application/wasm" {
			t.Errorf("Content-Type %q, want application/wasm (instantiateStreaming needs it)", ct)
		}
		// Pages on other origins import the SDK from the platform.
		if got := res.Header.Get("Access-Control-Allow-Origin"); got != "*" {
			t.Errorf("Access-Control-Allow-Origin %q, want *", got)
		}
		if got := res.Header.Get("Cross-Origin-Resource-Policy"); got != "cross-origin" {
			t.Errorf("Cross-Origin-Resource-Policy %q, want cross-origin", got)
		}
	}
	// Nothing outside dist/ is reachable.
	for _, p := range []string{"/sdk/../go.mod", "/sdk/%2e%2e/go.mod", "/sdk/nothing.js"} {
		res, err := http.Get(ts.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode == 200 && strings.Contains(string(body), "module ") {
			t.Errorf("%s served a file outside dist/", p)
		}
	}
}

func TestPagesRunUnderStrictCSP(t *testing.T) {
	ts := newTestSite(t, t.TempDir())
	for _, p := range []string{"/", "/demo/custom.html", "/demo/widget.html"} {
		res, err := http.Get(ts.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 200 {
			t.Errorf("%s: %s", p, res.Status)
			continue
		}
		csp := res.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self' 'wasm-unsafe-eval';") {
			t.Errorf("%s: CSP %q lacks the strict script-src", p, csp)
		}
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "'unsafe-eval'") {
			t.Errorf("%s: CSP %q allows inline script or eval", p, csp)
		}
	}
}

func TestPlatformIsMountedBehindTheSite(t *testing.T) {
	ts := newTestSite(t, t.TempDir())
	res, err := http.Get(ts.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Errorf("/healthz through the site: %s", res.Status)
	}
	res, err = http.Get(ts.URL + "/enduser/v1/company")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusUnauthorized {
		t.Errorf("end-user API without a session: %s, want 401", res.Status)
	}
}

// TestLandingPageShowsItsPort: the landing page's snippet names the port
// the demo listens on, not a fixed one.
func TestLandingPageShowsItsPort(t *testing.T) {
	t.Parallel()
	ts := newTestSite(t, t.TempDir())
	res, err := http.Get(ts.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	port := ts.URL[strings.LastIndex(ts.URL, ":")+1:]
	for _, want := range []string{"'http://127.0.0.1:" + port + "/sdk/loader.js'", "'http://localhost:" + port + "'"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("landing page lacks %s:\n%s", want, body)
		}
	}
	if port != "8080" && strings.Contains(string(body), "8080") {
		t.Errorf("landing page names port 8080, the demo listens on %s", port)
	}
}
