//go:build browser

package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	goruntime "runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ccaip/headless-go/internal/wasmbuild"
)

// TestKit proves the kit both ways in headless Chromium against the local
// platform: our loader passes every check, strictly (its @extension fields
// and payloads required too); the broken fixture
// (testdata/broken-loader.js) fails exactly its three faults and nothing
// else; the diff of the two runs names exactly those.
func TestKit(t *testing.T) {
	_, file, _, _ := goruntime.Caller(0)
	repo := filepath.Dir(filepath.Dir(file))
	dist := filepath.Join(t.TempDir(), "dist")
	if err := wasmbuild.Dist(context.Background(), repo, dist); err != nil {
		t.Fatal(err)
	}
	// The schema comes from index.d.ts, @extension tags included.
	raw, err := Schema(context.Background(), repo)
	if err != nil {
		t.Fatal(err)
	}
	var schema struct {
		Types map[string]struct {
			Fields map[string]struct{ Optional, Extension bool }
		}
	}
	if err := json.Unmarshal(raw, &schema); err != nil {
		t.Fatal(err)
	}
	if f := schema.Types["ChatResponse"].Fields; !f["features"].Extension || f["status_text"].Extension || f["id"].Optional {
		t.Errorf("ChatResponse fields from index.d.ts: %+v", f)
	}
	if f := schema.Types["MessageResponse"].Fields; f["signature"].Extension || f["signature"].Optional || !f["content"].Optional {
		t.Errorf("MessageResponse fields from index.d.ts: %+v", f)
	}

	run := func(loader string, strict bool) *Report {
		t.Helper()
		rep, err := Run(context.Background(), Options{Loader: loader, Strict: strict, Repo: repo, Dist: dist, Chromium: os.Getenv("CHROMIUM"), Timeout: 3 * time.Minute, EventTimeout: 8 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		rep.WriteTable(&b)
		t.Logf("%s\n%s", loader, b.String())
		return rep
	}

	ours := run("", true) // ours provides its extensions too
	if ours.Fail != 0 || ours.Pass < 50 {
		t.Fatalf("our loader: %d pass, %d fail: %+v", ours.Pass, ours.Fail, ours.Failed())
	}
	for _, must := range []string{"getChatDeflection()", "createChat(123, {lang: 'en'})", "event chat.updated", "event chat.message", "event chat.connected"} {
		if !slices.ContainsFunc(ours.Results, func(r Result) bool { return r.Name == must && r.Status == "pass" }) {
			t.Errorf("%s not checked and passed", must)
		}
	}

	broken := run("/parity/testdata/broken-loader.js", false)
	var got []string
	for _, r := range broken.Failed() {
		for _, e := range r.Errors {
			got = append(got, r.Name+" "+e.Path+": "+e.Got)
		}
	}
	want := []string{
		`getCompany() languages: null`,
		`getWaitTimes(123) chat: string "60"`,
		`event chat.ended (event): never delivered`,
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("broken loader: the kit reported\n  %s\nwant exactly\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}

	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.json"), filepath.Join(dir, "b.json")
	if err := ours.WriteJSON(a); err != nil {
		t.Fatal(err)
	}
	if err := broken.WriteJSON(b); err != nil {
		t.Fatal(err)
	}
	ra, _ := ReadReport(a)
	rb, _ := ReadReport(b)
	if d := Diff(ra, ra); len(d) != 0 {
		t.Errorf("a report differs from itself: %v", d)
	}
	diffed := map[string]bool{}
	for _, line := range Diff(ra, rb) {
		diffed[line[:strings.Index(line, ":")]] = true
	}
	if len(diffed) != 3 || !diffed["getCompany()"] || !diffed["getWaitTimes(123)"] || !diffed["event chat.ended"] {
		t.Fatalf("diff of ours and the broken loader names %v, want the three faults", diffed)
	}
}
