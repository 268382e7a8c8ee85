//go:build browser

package browsertest_test

import (
	"strings"
	"testing"
	"time"
)

// TestSmoke loads the SDK on a strict-CSP page and makes one call through
// the bridge.
func TestSmoke(t *testing.T) {
	p := openPage(t)
	res, err := p.run("smoke.html", 60*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("smoke: %s", res)
	if !strings.Contains(string(res), "Demo") {
		t.Fatalf("result %s, want the demo company's name", res)
	}
}
