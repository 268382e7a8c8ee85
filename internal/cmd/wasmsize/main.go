// Command wasmsize shows where the bytes of the browser build are: it
// builds a package as internal/wasmbuild does, but keeps the wasm "name"
// section (no -s -w, which changes nothing else in the module), and
// prints the code bytes per package (or per function with -funcs) and the
// sizes of the other sections. `go tool nm` does not read wasm; this does.
//
// Usage (from the module root):
//
//	go run ./internal/cmd/wasmsize [-n 30] [-funcs] [-match substr] [-br=false] [./wasm | file.wasm]
//
// The br column is each package's code compressed on its own with brotli
// -11: a guide to what removing it would save, not an exact share (brotli
// finds matches across packages too).
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/andybalholm/brotli"

	"github.com/ccaip/headless-go/internal/wasmbuild"
)

func main() {
	n := flag.Int("n", 30, "rows to print (0: all)")
	funcs := flag.Bool("funcs", false, "one row per function instead of per package")
	match := flag.String("match", "", "only functions whose name contains this")
	br := flag.Bool("br", true, "compress with brotli -11 (the br column and the shipped size)")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: wasmsize [-n rows] [-funcs] [-match substr] [package | file.wasm]")
		flag.PrintDefaults()
	}
	flag.Parse()
	target := "./wasm"
	if flag.NArg() > 0 {
		target = flag.Arg(0)
	}
	if err := run(os.Stdout, target, options{*n, *funcs, *match, *br}); err != nil {
		fmt.Fprintln(os.Stderr, "wasmsize:", err)
		os.Exit(1)
	}
}

// options are the command's flags.
type options struct {
	n      int
	funcs  bool
	match  string
	brotli bool
}

func run(w io.Writer, target string, o options) error {
	n, funcs, match := o.n, o.funcs, o.match
	brotliSize := brotliSize
	if !o.brotli {
		brotliSize = func([]byte) int { return 0 }
	}
	file := target
	if !strings.HasSuffix(target, ".wasm") {
		dir, err := os.MkdirTemp("", "wasmsize")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		shipped := filepath.Join(dir, "shipped.wasm")
		if err := wasmbuild.Build(context.Background(), ".", shipped, target); err != nil {
			return err
		}
		b, err := os.ReadFile(shipped)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "shipped: raw %d, brotli %d\n", len(b), brotliSize(b))
		file = filepath.Join(dir, "named.wasm")
		// A later -ldflags replaces the shipped "-s -w", which keeps the
		// name section; the code is the same.
		if err := wasmbuild.Build(context.Background(), ".", file, target, "-ldflags="); err != nil {
			return err
		}
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	m, err := parse(b)
	if err != nil {
		return err
	}
	for _, s := range m.sections {
		fmt.Fprintf(w, "section %-26s %9d\n", s.name, s.size)
	}
	type row struct {
		name  string
		size  int
		count int
		code  []byte
	}
	rows := map[string]*row{}
	total := 0
	for _, f := range m.funcs {
		if match != "" && !strings.Contains(f.name, match) {
			continue
		}
		key := f.name
		if !funcs {
			key = pkgOf(f.name)
		}
		r := rows[key]
		if r == nil {
			r = &row{name: key}
			rows[key] = r
		}
		r.size += len(f.body)
		r.count++
		r.code = append(r.code, f.body...)
		total += len(f.body)
	}
	list := make([]*row, 0, len(rows))
	for _, r := range rows {
		list = append(list, r)
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].size != list[j].size {
			return list[i].size > list[j].size
		}
		return list[i].name < list[j].name
	})
	if n > 0 && len(list) > n {
		list = list[:n]
	}
	fmt.Fprintf(w, "%9s %8s %6s  %s (code total %d)\n", "bytes", "br", "funcs", "name", total)
	for _, r := range list {
		fmt.Fprintf(w, "%9d %8d %6d  %s\n", r.size, brotliSize(r.code), r.count, r.name)
	}
	return nil
}

// pkgOf returns the package of a function name of Go's wasm name section,
// where a package path's slashes read as underscores:
// "github.com_ccaip_headless_go_sdk.__Client_.Send" is in
// "github.com_ccaip_headless_go_sdk", "runtime.mallocgc" in "runtime".
// Only a path's first element, a domain, can hold a dot; a dot that ends
// a top-level domain does not end the package.
func pkgOf(sym string) string {
	start := 0
	if u := strings.IndexByte(sym, '_'); u >= 0 {
		for _, tld := range []string{".com", ".org", ".net", ".io", ".dev", ".in"} {
			if strings.HasSuffix(sym[:u], tld) && !strings.Contains(sym[:u-len(tld)], ".") {
				start = u
			}
		}
	}
	if dot := strings.IndexByte(sym[start:], '.'); dot >= 0 {
		return sym[:start+dot]
	}
	return sym
}

func brotliSize(b []byte) int {
	var buf bytes.Buffer
	zw := brotli.NewWriterLevel(&buf, brotli.BestCompression)
	zw.Write(b)
	zw.Close()
	return buf.Len()
}
