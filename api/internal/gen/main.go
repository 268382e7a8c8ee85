// Command gen regenerates api_easyjson.go with easyjson and strips the
// generated code's import of easyjson's root package, which links net/http
// and would bloat the wasm build. Run it with `go generate ./api`.
package main

import (
	"bytes"
	"log"
	"os"
	"os/exec"
)

const out = "api_easyjson.go"

func main() {
	cmd := exec.Command("go", "run", "github.com/mailru/easyjson/easyjson", "-pkg", ".")
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		log.Fatalf("easyjson: %v", err)
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
	if bytes.Contains(src, []byte("easyjson.")) && bytes.Contains(src, []byte("\"github.com/mailru/easyjson\"")) {
		log.Fatal("generated code still imports easyjson's root package")
	}
	if err := os.WriteFile(out, src, 0o644); err != nil {
		log.Fatal(err)
	}
}
