package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/andybalholm/brotli"

	"github.com/ccaip/headless-go/internal/wasmbuild"
	jsfiles "github.com/ccaip/headless-go/js"
)

// maxWidgetBrotli is the size goal of issue #17 for the widget's own JS+CSS.
const maxWidgetBrotli = 40_000

// maxBrotli is the size goal of issue #15 (issue #7's was 750 KB): brotli
// ≤ 650 KB (decimal kB, the stricter reading).
const maxBrotli = 650_000

// buildWasm compiles pkg for js/wasm into out as shipped (package
// wasmbuild), with extra flags after the shipped ones.
func buildWasm(ctx context.Context, repo, pkg, out string, extra ...string) error {
	return wasmbuild.Build(ctx, repo, out, pkg, extra...)
}

// sizes are the raw, gzip -9 and brotli -11 byte counts of one file.
type sizes struct{ raw, gz, br int }

func measureSizes(data []byte) (sizes, error) {
	s := sizes{raw: len(data)}
	var gz bytes.Buffer
	zw, err := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	if err != nil {
		return s, err
	}
	if _, err := zw.Write(data); err != nil {
		return s, err
	}
	if err := zw.Close(); err != nil {
		return s, err
	}
	s.gz = gz.Len()
	var br bytes.Buffer
	bw := brotli.NewWriterLevel(&br, brotli.BestCompression)
	if _, err := io.Copy(bw, bytes.NewReader(data)); err != nil {
		return s, err
	}
	if err := bw.Close(); err != nil {
		return s, err
	}
	s.br = br.Len()
	return s, nil
}

// benchSize measures dist/ccaip.wasm (what ships) and a hello-world wasm
// built in the same run. Sizes are deterministic: one run each.
func benchSize(ctx context.Context, e *env) ([]Result, error) {
	sdkWasm, err := e.sdkWasm(ctx)
	if err != nil {
		return nil, err
	}
	helloWasm, err := e.helloWasm(ctx)
	if err != nil {
		return nil, err
	}
	var got [2]sizes
	for i, f := range []string{sdkWasm, helloWasm} {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		if got[i], err = measureSizes(b); err != nil {
			return nil, fmt.Errorf("compress %s: %w", filepath.Base(f), err)
		}
	}
	sdk, hello := got[0], got[1]
	mk := func(name string, v, floor int) Result {
		return Result{Item: "size", Name: name, Unit: "bytes", Median: float64(v), Runs: 1}.withBaseline("hello-world", float64(floor))
	}
	widget, err := widgetBrotli(e.opt.repo)
	if err != nil {
		return nil, err
	}
	return []Result{
		mk("wasm raw", sdk.raw, hello.raw),
		mk("wasm gzip -9", sdk.gz, hello.gz),
		mk("wasm brotli -11", sdk.br, hello.br).withGoal("median", "<=", maxBrotli),
		Result{Item: "size", Name: "widget JS+CSS brotli -11", Unit: "bytes", Median: float64(widget), Runs: 1,
			Note: "js/widget.js, widget-strings.js, widget.css, each compressed"}.withGoal("median", "<=", maxWidgetBrotli),
	}, nil
}

// widgetBrotli is the brotli size of the widget's files, each compressed
// on its own as a server sends them.
func widgetBrotli(repo string) (int, error) {
	total := 0
	for _, name := range jsfiles.WidgetFiles {
		b, err := os.ReadFile(filepath.Join(repo, "js", name))
		if err != nil {
			return 0, err
		}
		s, err := measureSizes(b)
		if err != nil {
			return 0, fmt.Errorf("compress %s: %w", name, err)
		}
		total += s.br
	}
	return total, nil
}
