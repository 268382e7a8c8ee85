// Command compress writes <file>.br (brotli, quality 11) and <file>.gz
// (gzip -9) next to each file named on the command line, so that a static
// server can hand browsers precompressed SDK files. The build script and the
// wasm size budget test use it, so the budget measures exactly what ships.
//
// Usage:
//
//	go run ./internal/cmd/compress [-v] file...
//
// With -v it prints "<file> raw=<n> br=<n> gz=<n>" for each file.
package main

import (
	"compress/gzip"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/andybalholm/brotli"
)

func main() {
	verbose := flag.Bool("v", false, "print the sizes of each file")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: compress [-v] file...")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	for _, name := range flag.Args() {
		sizes, err := compressFile(name)
		if err != nil {
			fmt.Fprintln(os.Stderr, "compress:", err)
			os.Exit(1)
		}
		if *verbose {
			fmt.Printf("%s raw=%d br=%d gz=%d\n", name, sizes.raw, sizes.br, sizes.gz)
		}
	}
}

type sizes struct{ raw, br, gz int64 }

// compressFile writes name.br and name.gz and reports the three sizes.
func compressFile(name string) (sizes, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return sizes{}, err
	}
	s := sizes{raw: int64(len(data))}
	if s.br, err = writeCompressed(name+".br", data, func(w io.Writer) (io.WriteCloser, error) {
		return brotli.NewWriterLevel(w, brotli.BestCompression), nil
	}); err != nil {
		return s, err
	}
	if s.gz, err = writeCompressed(name+".gz", data, func(w io.Writer) (io.WriteCloser, error) {
		return gzip.NewWriterLevel(w, gzip.BestCompression)
	}); err != nil {
		return s, err
	}
	return s, nil
}

// writeCompressed compresses data into dst through the writer newW makes,
// writing to a temporary file first so a failed run never leaves a
// truncated file behind.
func writeCompressed(dst string, data []byte, newW func(io.Writer) (io.WriteCloser, error)) (int64, error) {
	f, err := os.CreateTemp(dirOf(dst), ".compress-*")
	if err != nil {
		return 0, err
	}
	tmp := f.Name()
	defer os.Remove(tmp) // no-op after a successful rename
	zw, err := newW(f)
	if err == nil {
		if _, err = zw.Write(data); err == nil {
			err = zw.Close()
		}
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, fmt.Errorf("%s: %w", dst, err)
	}
	info, err := os.Stat(tmp)
	if err != nil {
		return 0, err
	}
	if err := os.Chmod(tmp, 0o644); err != nil {
		return 0, err
	}
	if err := os.Rename(tmp, dst); err != nil {
		return 0, err
	}
	return info.Size(), nil
}

func dirOf(name string) string {
	for i := len(name) - 1; i >= 0; i-- {
		if os.IsPathSeparator(name[i]) {
			return name[:i+1]
		}
	}
	return "."
}
