package archtest

import (
	"bufio"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/ccaip/headless-go/"

// platformImports is the platform's import picture: for each package under
// server/, the other server packages it may import. Dependencies point one
// way: the wiring (server) sees everything, the three HTTP APIs
// (enduserapi, restapi, agentapi, with their helpers in httpapi) sit on the
// chat domain (server/chat), which sits on the store; the realtime
// transports stand beside the domain and the store sits at the bottom; the
// components (jwtauth, media, …) are leaves. A new package under server/ fails
// TestPlatformImportsPointOneWay until it gets its row here, which is
// where its place in the picture is decided.
var platformImports = map[string][]string{
	"server": {
		"server/agentapi", "server/chat", "server/console", "server/enduserapi", "server/httpapi", "server/media",
		"server/ratelimit", "server/realtime", "server/restapi", "server/store", "server/transcript", "server/webhook",
	},
	// One package per HTTP API: each translates requests and errors and
	// calls the domain, the store's reads and the realtime transports. They
	// never import each other.
	"server/enduserapi": {
		"server/chat", "server/httpapi", "server/jwtauth", "server/media", "server/realtime", "server/store", "server/transcript",
	},
	"server/restapi":  {"server/chat", "server/httpapi", "server/jwtauth", "server/media", "server/store"},
	"server/agentapi": {"server/chat", "server/httpapi", "server/realtime", "server/store"},
	// The HTTP APIs' shared helpers: routes and limits, JSON and errors,
	// Basic credentials, files. They see the domain's types, never an API.
	"server/httpapi":             {"server/chat", "server/media", "server/ratelimit", "server/realtime", "server/store"},
	"server/chat":                {"server/jwtauth", "server/store", "server/webhook"},
	"server/realtime":            {},
	"server/store":               {},
	"server/console":             {},
	"server/jwtauth":             {},
	"server/media":               {},
	"server/ratelimit":           {},
	"server/transcript":          {},
	"server/transcript/smtptest": {},
	"server/webhook":             {},
}

// apis are the platform's HTTP APIs. Only the wiring (server) imports
// one: no API leans on another, and nothing below them reaches up.
var apis = []string{"server/agentapi", "server/enduserapi", "server/restapi"}

// noHTTP are platform packages that must not see HTTP at all, not even
// through a dependency: the store is rows and transactions.
var noHTTP = []string{"server/store"}

// storeOnly are the imports only the store may have: every SQL statement
// of the platform lives there, so a handler or a chat rule that wants one
// adds a function to the store.
var storeOnly = []string{"database/sql", "modernc.org/sqlite"}

// noDirectHTTP are platform packages that never see a request or a route:
// the chat domain takes decoded values from the HTTP APIs, and the
// realtime transports get an accepted WebSocket (coder/websocket imports
// net/http, which is fine).
var noDirectHTTP = []string{"server/chat", "server/realtime"}

// TestPlatformImportsPointOneWay holds the platform's layers: each server
// package imports only the server packages its row of platformImports
// names, only server imports an HTTP API, only the store speaks SQL, the store never links net/http, and
// neither the chat domain nor the realtime package imports net/http
// itself.
func TestPlatformImportsPointOneWay(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, p := range goList(t, nil, "./server/...") {
		name := strings.TrimPrefix(p.ImportPath, module)
		seen[name] = true
		allowed, ok := platformImports[name]
		if !ok {
			t.Errorf("%s is not in platformImports: decide which platform packages it may import, and add its row", name)
			continue
		}
		for _, imp := range p.Imports {
			dep, inModule := strings.CutPrefix(imp, module)
			if !inModule || !strings.HasPrefix(dep, "server") {
				continue
			}
			if !slices.Contains(allowed, dep) {
				t.Errorf("%s imports %s, against the platform's directions (platformImports)", name, dep)
			}
			if slices.Contains(apis, dep) && name != "server" {
				t.Errorf("%s imports the HTTP API %s: only server wires the APIs", name, dep)
			}
		}
		if name != "server/store" {
			for _, imp := range storeOnly {
				if slices.Contains(p.Imports, imp) {
					t.Errorf("%s imports %s: SQL belongs to server/store", name, imp)
				}
			}
		}
		if slices.Contains(noDirectHTTP, name) && slices.Contains(p.Imports, "net/http") {
			t.Errorf("%s imports net/http: routes and requests belong to the HTTP APIs", name)
		}
	}
	for name := range platformImports {
		if !seen[name] {
			t.Errorf("platformImports names %s, which no longer exists: drop its row", name)
		}
	}
	for _, name := range noHTTP {
		for _, p := range goList(t, nil, "-deps", "./"+name) {
			if p.ImportPath == "net/http" {
				t.Errorf("%s links net/http: the store knows rows and transactions, not requests", name)
			}
		}
	}
}

// maxFileLines bounds every Go file of the platform: past it a file holds
// more than one concept and is a sign to split.
const maxFileLines = 600

// TestPlatformFilesStaySmall fails when a Go file under server/ grows past
// maxFileLines.
func TestPlatformFilesStaySmall(t *testing.T) {
	t.Parallel()
	root := filepath.Join(repoRoot(t), "server")
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		n := 0
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			if n == 0 && strings.HasPrefix(sc.Text(), "// Code generated") {
				return nil
			}
			n++
		}
		if n > maxFileLines {
			rel, _ := filepath.Rel(filepath.Dir(root), path)
			t.Errorf("%s has %d lines, over %d: split it along its concepts", rel, n, maxFileLines)
		}
		return sc.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
}
