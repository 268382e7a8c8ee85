// Command wasmbuild compiles a package for the browser with the shipped
// flags of package wasmbuild.
//
// Usage (from the module root):
//
//	go run ./internal/cmd/wasmbuild -o dist/ccaip.wasm ./wasm
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/ccaip/headless-go/internal/wasmbuild"
)

func main() {
	out := flag.String("o", "", "output file (required)")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: wasmbuild -o file package")
		flag.PrintDefaults()
	}
	flag.Parse()
	if *out == "" || flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	if err := wasmbuild.Build(context.Background(), ".", *out, flag.Arg(0)); err != nil {
		fmt.Fprintf(os.Stderr, "wasmbuild: %v\n", err)
		os.Exit(1)
	}
}
