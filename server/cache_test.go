package server_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ccaip/headless-go/server"
)

// TestBridgeCaching: bridge.html is revalidated on every use (no-cache, an
// ETag, 304 when unchanged) and loads its script from a versioned path
// whose files are cached for good; a path of another version gets today's
// file, not cached; the unversioned paths stay, revalidated.
func TestBridgeCaching(t *testing.T) {
	t.Parallel()
	p := newPlatform(t)
	res := p.request("GET", "/bridge/bridge.html", nil, nil)
	res.wantOK(t)
	tag := res.header.Get("ETag")
	if cc := res.header.Get("Cache-Control"); cc != "no-cache" || tag == "" {
		t.Fatalf("bridge.html: Cache-Control %q, ETag %q; want no-cache and an ETag", cc, tag)
	}
	m := regexp.MustCompile(`src="v/([0-9a-f]{16})/bridge.js"`).FindSubmatch(res.body)
	if m == nil {
		t.Fatalf("bridge.html does not load a versioned bridge.js:\n%s", res.body)
	}
	version := string(m[1])
	if again := p.request("GET", "/bridge/bridge.html", nil, map[string]string{"If-None-Match": tag}); again.status != http.StatusNotModified {
		t.Errorf("bridge.html revalidated with its ETag: %d, want 304", again.status)
	}

	for _, f := range []string{"bridge.js", "bridge-fetch.js", "bridge-routes.js", "core-worker.js", "early-signin.js"} {
		res := p.request("GET", "/bridge/v/"+version+"/"+f, nil, nil)
		res.wantOK(t)
		if cc := res.header.Get("Cache-Control"); !strings.Contains(cc, "immutable") || !strings.Contains(cc, "max-age=31536000") {
			t.Errorf("%s (this version): Cache-Control %q, want a year, immutable", f, cc)
		}
		plain := p.request("GET", "/bridge/"+f, nil, nil)
		plain.wantOK(t)
		if string(plain.body) != string(res.body) || plain.header.Get("Cache-Control") != "no-cache" {
			t.Errorf("/bridge/%s: Cache-Control %q; want the same file, no-cache", f, plain.header.Get("Cache-Control"))
		}
		wantCSP := "script-src 'self'"
		if f == "core-worker.js" {
			wantCSP = "script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'"
		}
		if csp := res.header.Get("Content-Security-Policy"); !strings.Contains(csp, wantCSP) {
			t.Errorf("%s: CSP %q, want %q", f, csp, wantCSP)
		}
	}
	old := p.request("GET", "/bridge/v/0123456789abcdef/bridge.js", nil, nil)
	old.wantOK(t)
	if cc := old.header.Get("Cache-Control"); cc != "no-cache" {
		t.Errorf("another version's bridge.js: Cache-Control %q, want no-cache", cc)
	}
	if res := p.request("GET", "/bridge/v/"+version+"/secret.go", nil, nil); res.status != http.StatusNotFound {
		t.Errorf("a file that is not the bridge's: %d, want 404", res.status)
	}
}

// TestSDKFilesRevalidate: the SDK's files carry an ETag of their content
// (one per encoding), so a returning visitor's cache gets a 304 while the
// build is the same, and a deploy of a new wasm is picked up at once, even
// one whose file is older than the cached one (a rollback).
func TestSDKFilesRevalidate(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	wasm := filepath.Join(dir, "ccaip.wasm")
	write := func(body string, mod time.Time) {
		if err := os.WriteFile(wasm, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(wasm+".br", []byte("br:"+body), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, f := range []string{wasm, wasm + ".br"} {
			if err := os.Chtimes(f, mod, mod); err != nil {
				t.Fatal(err)
			}
		}
	}
	now := time.Now()
	write("build one", now)
	h := server.SDKFiles(dir)
	get := func(hdr map[string]string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("GET", "/ccaip.wasm", nil)
		for k, v := range hdr {
			r.Header.Set(k, v)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	first := get(nil)
	tag := first.Header().Get("ETag")
	if first.Code != 200 || tag == "" || first.Header().Get("Cache-Control") != "no-cache" {
		t.Fatalf("first load: %d, ETag %q, Cache-Control %q", first.Code, tag, first.Header().Get("Cache-Control"))
	}
	br := get(map[string]string{"Accept-Encoding": "br"})
	if br.Header().Get("Content-Encoding") != "br" || br.Header().Get("ETag") == tag || br.Header().Get("ETag") == "" {
		t.Errorf("brotli twin: encoding %q, ETag %q (identity %q); want its own ETag", br.Header().Get("Content-Encoding"), br.Header().Get("ETag"), tag)
	}
	if again := get(map[string]string{"If-None-Match": tag}); again.Code != http.StatusNotModified {
		t.Errorf("same build revalidated: %d, want 304", again.Code)
	}

	// A deploy whose file is older than the one cached (a rollback).
	write("build two", now.Add(-time.Hour))
	next := get(map[string]string{"If-None-Match": tag, "If-Modified-Since": now.UTC().Format(http.TimeFormat)})
	if next.Code != 200 || next.Body.String() != "build two" || next.Header().Get("ETag") == tag {
		t.Errorf("after a deploy: %d %q ETag %q; want the new build with a new ETag", next.Code, next.Body.String(), next.Header().Get("ETag"))
	}
}
