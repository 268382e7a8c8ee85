//go:build browser

package browsertest_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// TestHarnessCanFail runs deliberately broken pages through the same
// helper as every other test and requires it to report failure.
func TestHarnessCanFail(t *testing.T) {
	t.Parallel()
	tests := []struct {
		mode, want string
		timeout    time.Duration
	}{
		{"throw", "deliberate uncaught error", 20 * time.Second},
		{"assert", "deliberately false", 20 * time.Second},
		{"inline", "CSP violation", 20 * time.Second},
		{"hang", "not done", 2 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.mode, func(t *testing.T) {
			p := openPage(t)
			_, err := p.run("broken.html", tt.timeout, "mode="+tt.mode)
			if err == nil {
				t.Fatalf("a broken page (%s) passed the harness", tt.mode)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %q, want it to mention %q", err, tt.want)
			}
		})
	}
}

// TestPanicBecomesRejection provokes Go panics and checks that they reject
// with code "panic" while the client keeps working.
func TestPanicBecomesRejection(t *testing.T) {
	t.Parallel()
	res, err := openPage(t).run("panic.html", 60*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	var r struct{ Code string }
	json.Unmarshal(res, &r)
	if r.Code != "panic" {
		t.Fatalf("result %s", res)
	}
}

// TestDestroyLeavesNothing checks that destroy() leaves no iframe,
// listener, timer, socket or js.Func.
func TestDestroyLeavesNothing(t *testing.T) {
	t.Parallel()
	res, err := openPage(t).run("destroy.html", 60*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("destroy: %s", res)
}

// TestForgedMessagesIgnored frames a page from a third origin that forges
// handshake messages; the client ignores them and keeps working.
func TestForgedMessagesIgnored(t *testing.T) {
	t.Parallel()
	res, err := openPage(t).run("forged.html", 60*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("forged: %s", res)
}

// TestAuthenticationAtStart runs auth.html: one authenticate() per start
// (the loader signs in while the wasm loads), typed errors for a failing,
// tokenless or forged authenticate(), and a clean destroy() mid-exchange.
func TestAuthenticationAtStart(t *testing.T) {
	t.Parallel()
	res, err := openPage(t).run("auth.html", 60*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	var r struct{ OK, Bad int }
	if err := json.Unmarshal(res, &r); err != nil || r.OK != 1 || r.Bad < 1 {
		t.Fatalf("result %s (%v)", res, err)
	}
}
