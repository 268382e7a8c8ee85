// Command gen regenerates api_easyjson.go with easyjson. Run it with
// `go generate ./api`.
//
// The api package marshals through this module's copies of easyjson's
// jlexer and jwriter (api/jlexer, api/jwriter), which do not link
// encoding/json or net into the wasm build. easyjson itself only knows its
// own packages: it decides whether a field type marshals itself by checking
// its methods against easyjson's interfaces. So gen points the hand-written
// files at easyjson's packages while easyjson runs, puts them back, and then
// points the generated code at the copies. It also strips the generated
// code's import of easyjson's root package, which links net/http, and
// compacts the code of scalar fields (see compact).
package main

import (
	"bytes"
	"log"
	"os"
	"os/exec"
	"path/filepath"
)

const out = "api_easyjson.go"

// imports maps this module's packages to the easyjson packages they copy.
var imports = [][2]string{
	{`"github.com/ccaip/headless-go/api/jlexer"`, `"github.com/mailru/easyjson/jlexer"`},
	{`"github.com/ccaip/headless-go/api/jwriter"`, `"github.com/mailru/easyjson/jwriter"`},
}

func main() {
	restore, err := pointAtEasyjson()
	if err == nil {
		err = runEasyjson()
	}
	if rerr := restore(); err == nil {
		err = rerr
	}
	if err != nil {
		log.Fatal(err)
	}
	src, err := os.ReadFile(out)
	if err != nil {
		log.Fatal(err)
	}
	for _, line := range []string{
		"\teasyjson \"github.com/mailru/easyjson\"\n",
		"\t_ easyjson.Marshaler\n",
		"\tjson \"encoding/json\"\n",
		"\t_ *json.RawMessage\n",
	} {
		src = bytes.Replace(src, []byte(line), nil, 1)
	}
	for _, imp := range imports {
		src = bytes.ReplaceAll(src, []byte(imp[1]), []byte(imp[0]))
	}
	if src, err = compact(src); err != nil {
		log.Fatal(err)
	}
	if bytes.Contains(src, []byte("\"github.com/mailru/easyjson")) {
		log.Fatal("generated code still imports an easyjson package")
	}
	if err := os.WriteFile(out, src, 0o644); err != nil {
		log.Fatal(err)
	}
}

func runEasyjson() error {
	cmd := exec.Command("go", "run", "github.com/mailru/easyjson/easyjson", "-pkg", ".")
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	return cmd.Run()
}

// pointAtEasyjson rewrites the hand-written files' imports of the copies to
// easyjson's packages and returns the function that puts them back.
func pointAtEasyjson() (restore func() error, err error) {
	saved := map[string][]byte{}
	restore = func() error {
		var first error
		for name, b := range saved {
			if err := os.WriteFile(name, b, 0o644); err != nil && first == nil {
				first = err
			}
		}
		return first
	}
	names, err := filepath.Glob("*.go")
	if err != nil {
		return restore, err
	}
	for _, name := range names {
		if name == out {
			continue
		}
		b, err := os.ReadFile(name)
		if err != nil {
			return restore, err
		}
		nb := b
		for _, imp := range imports {
			nb = bytes.ReplaceAll(nb, []byte(imp[0]), []byte(imp[1]))
		}
		if bytes.Equal(nb, b) {
			continue
		}
		saved[name] = b
		if err := os.WriteFile(name, nb, 0o644); err != nil {
			return restore, err
		}
	}
	return restore, nil
}
