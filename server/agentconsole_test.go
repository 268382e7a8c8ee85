package server_test

import (
	"strings"
	"testing"
)

func TestAgentConsolePage(t *testing.T) {
	t.Parallel()
	p := newPlatform(t)
	tests := []struct {
		path, contentType, contains string
	}{
		{"/agent", "text/html", `<script type="module" src="/agent/static/app.js">`},
		{"/agent/static/app.js", "javascript", "textContent"},
		{"/agent/static/style.css", "text/css", "{"},
	}
	for _, tt := range tests {
		res := p.request("GET", tt.path, nil, nil)
		res.wantOK(t)
		if ct := res.header.Get("Content-Type"); !strings.Contains(ct, tt.contentType) {
			t.Errorf("%s: Content-Type %q", tt.path, ct)
		}
		csp := res.header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "style-src 'self'") {
			t.Errorf("%s: CSP %q", tt.path, csp)
		}
		if res.header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: no nosniff", tt.path)
		}
		if !strings.Contains(string(res.body), tt.contains) {
			t.Errorf("%s does not contain %q", tt.path, tt.contains)
		}
	}
	// No inline script or style anywhere in the page.
	page := string(p.request("GET", "/agent", nil, nil).body)
	for _, bad := range []string{"<script>", "style=", "<style", "onclick", "javascript:"} {
		if strings.Contains(page, bad) {
			t.Errorf("the page contains %q", bad)
		}
	}
	if js := string(p.request("GET", "/agent/static/app.js", nil, nil).body); strings.Contains(js, "innerHTML") {
		t.Error("app.js uses innerHTML")
	}
	p.request("GET", "/agent/static/missing.js", nil, nil)
	if res := p.request("GET", "/agent/static/missing.js", nil, nil); res.status != 404 {
		t.Errorf("missing file: %d", res.status)
	}
}
