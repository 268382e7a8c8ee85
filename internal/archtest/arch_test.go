// Package archtest holds structural tests that keep the house in order: the
// client core stays free of JavaScript, the wasm build stays free of
// net/http, wasm files carry their build tags, and every native test suite
// checks for leaked goroutines.
package archtest

import (
	"bufio"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// pkg is the part of `go list -json` these tests read.
type pkg struct {
	ImportPath                string
	Standard                  bool
	Imports                   []string
	Dir                       string
	TestGoFiles, XTestGoFiles []string
}

// repoRoot is the module root, two levels above this package.
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "go.mod")); err != nil {
		t.Fatalf("no go.mod at %s: %v", dir, err)
	}
	return dir
}

// goList runs `go list -json` with extra environment and decodes every package.
func goList(t *testing.T, env []string, args ...string) []pkg {
	t.Helper()
	cmd := exec.Command("go", append([]string{"list", "-json"}, args...)...)
	cmd.Dir = repoRoot(t)
	cmd.Env = append(os.Environ(), env...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list %v: %v\n%s", args, err, stderr.String())
	}
	var pkgs []pkg
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for {
		var p pkg
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}

var jsWasm = []string{"GOOS=js", "GOARCH=wasm"}

// The core must run and be tested natively: nothing outside the standard
// library in its js/wasm dependency graph may import syscall/js (the standard
// library's own syscall does on js, which is fine). sdk/native, the transport
// for native Go programs, is not part of the core and never of the wasm build.
func TestSDKNeverImportsSyscallJS(t *testing.T) {
	t.Parallel()
	for _, p := range goList(t, jsWasm, "-deps", "./sdk", "./api/...") {
		if p.Standard {
			continue
		}
		for _, imp := range p.Imports {
			if imp == "syscall/js" || strings.HasPrefix(imp, "github.com/hack-pad/safejs") {
				t.Errorf("%s imports %s: the client core must not touch JavaScript; put browser code in wasm/", p.ImportPath, imp)
			}
		}
	}
}

// net/http triples the wasm size and slows its start; coder/websocket and
// easyjson's root package both link it.
func TestWasmBuildLinksNoNetHTTP(t *testing.T) {
	t.Parallel()
	banned := map[string]string{
		"net/http":                   "use fetch through safejs",
		"github.com/coder/websocket": "use the browser WebSocket through safejs",
		"github.com/mailru/easyjson": "generated code must use jlexer/jwriter only (api/internal/gen strips the root import)",
	}
	for _, p := range goList(t, jsWasm, "-deps", "./wasm") {
		if why, ok := banned[p.ImportPath]; ok {
			t.Errorf("the wasm build depends on %s: %s", p.ImportPath, why)
		}
	}
}

// fmt brings reflect and its printing machinery into the wasm (about 54 KB
// of brotli): the browser build formats with internal/xfmt, and the
// safejs fork in third_party/ mentions fmt only for the fmt.State type.
func TestWasmBuildCallsNoFmt(t *testing.T) {
	t.Parallel()
	allowed := map[string]bool{"github.com/hack-pad/safejs/internal/stackerr": true}
	sawSafejs := false
	for _, p := range goList(t, jsWasm, "-deps", "./wasm") {
		if p.Standard {
			continue
		}
		if p.ImportPath == "github.com/hack-pad/safejs" {
			sawSafejs = true
		}
		for _, imp := range p.Imports {
			if imp == "fmt" && !allowed[p.ImportPath] {
				t.Errorf("%s imports fmt in the wasm build: use internal/xfmt, strconv or errors", p.ImportPath)
			}
		}
	}
	if !sawSafejs {
		t.Error("the wasm build no longer depends on safejs: is the list of packages right?")
	}
}

// Every file of wasm/ is for the browser only; a missing tag would make
// native builds of ./... fail in confusing ways.
func TestWasmFilesCarryBuildTag(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join(repoRoot(t), "wasm", "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no Go files in wasm/")
	}
	for _, f := range files {
		if got := buildLine(t, f); got != "//go:build js && wasm" {
			t.Errorf("%s: build constraint is %q, want %q", filepath.Base(f), got, "//go:build js && wasm")
		}
	}
}

// buildLine returns the file's //go:build line, or "" when it has none
// before the package clause.
func buildLine(t *testing.T, path string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		line := strings.TrimSpace(s.Text())
		if strings.HasPrefix(line, "//go:build ") {
			return line
		}
		if strings.HasPrefix(line, "package ") {
			return ""
		}
	}
	return ""
}

// Native suites that start goroutines (the client, the server and its
// components) end with a goroutine-leak check in TestMain.
func TestNativeSuitesCheckForLeaks(t *testing.T) {
	t.Parallel()
	root := repoRoot(t)
	for _, p := range goList(t, nil, "./sdk/...", "./server/...") {
		if len(p.TestGoFiles)+len(p.XTestGoFiles) == 0 {
			continue
		}
		if !dirMentions(t, p.Dir, append(p.TestGoFiles, p.XTestGoFiles...), "goleak.VerifyTestMain") {
			rel, _ := filepath.Rel(root, p.Dir)
			t.Errorf("%s has tests but no goleak.VerifyTestMain in a TestMain", rel)
		}
	}
}

func dirMentions(t *testing.T, dir string, files []string, needle string) bool {
	t.Helper()
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), needle) {
			return true
		}
	}
	return false
}
