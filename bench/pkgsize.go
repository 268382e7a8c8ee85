package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// peers are the SDKs issue #14 compares the package's cost with, pinned in
// bench/peers/package-lock.json.
var peers = []string{"amazon-connect-chatjs", "stream-chat", "@twilio/conversations", "@microsoft/omnichannel-chat-sdk"}

// benchPackage measures what @ccaip/headless costs an app: the files the
// production Vite build of examples/vite emits (./build.sh consumers builds
// it from the tarball), and, measured the way the peers are (esbuild
// --bundle --minify of `export * from '<package>'`, brotli -11), the
// package beside each peer SDK. Sizes are deterministic: one run each.
func benchPackage(ctx context.Context, e *env) ([]Result, error) {
	o := e.opt
	mk := func(name string, v int) Result {
		return Result{Item: "package", Name: name, Unit: "bytes", Median: float64(v), Runs: 1}
	}
	js, err := sumSizes(filepath.Join(o.repo, "examples", "vite", "dist", "assets", "*.js"))
	if err != nil {
		return nil, fmt.Errorf("the Vite build (./build.sh consumers): %w", err)
	}
	wasm, err := sumSizes(filepath.Join(o.repo, "examples", "vite", "dist", "assets", "*.wasm"))
	if err != nil {
		return nil, fmt.Errorf("the Vite build (./build.sh consumers): %w", err)
	}
	res := []Result{
		mk("Vite build: JS raw", js.raw),
		mk("Vite build: JS brotli -11", js.br),
		mk("Vite build: wasm raw", wasm.raw),
		mk("Vite build: wasm brotli -11", wasm.br),
		mk("Vite build: JS + wasm brotli -11", js.br+wasm.br),
	}
	res[0].Note = "every .js file examples/vite's production build emits: the loader, the wasm_exec.js chunk, Vite's preload helper and the app's own examples/flow.js (about 1 KB); sums of per-file sizes, as each file is served alone"

	dir := filepath.Join(o.repo, "bench", "peers")
	if _, err := os.Stat(filepath.Join(dir, "node_modules")); err != nil {
		o.logf("npm ci in bench/peers")
		cmd := exec.CommandContext(ctx, "npm", "ci", "--no-audit", "--no-fund")
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			return res, fmt.Errorf("npm ci in bench/peers: %v\n%s", err, out)
		}
	}
	loader := filepath.Join(o.dist, "npm", "package", "loader.js")
	ours, err := bundleSize(ctx, dir, loader)
	if err != nil {
		return res, err
	}
	// The Vite build only renames the package's wasm; different bytes mean
	// a stale build.
	if err := sameBytes(filepath.Join(o.repo, "examples", "vite", "dist", "assets", "*.wasm"), filepath.Join(o.dist, "npm", "package", "ccaip.wasm")); err != nil {
		return res, err
	}
	total := ours.br + wasm.br
	res = append(res,
		mk("esbuild: @ccaip/headless JS brotli -11", ours.br),
		mk("esbuild: @ccaip/headless JS + wasm brotli -11", total))
	for _, p := range peers {
		s, err := bundleSize(ctx, dir, p)
		if err != nil {
			return res, err
		}
		r := mk(fmt.Sprintf("esbuild: %s@%s brotli -11", p, peerVersion(dir, p)), s.br).withBaseline("@ccaip/headless JS + wasm", float64(total))
		res = append(res, r)
	}
	res[len(res)-len(peers)].Note = "each peer's bundle as `export * from '<package>'` with esbuild --bundle --minify --format=esm --platform=browser (Node's crypto left external, which the Omnichannel SDK asks for), brotli -11; the ratio is the peer over our JS + wasm"
	return res, nil
}

// sumSizes adds up the sizes of the files matching pattern (at least one).
func sumSizes(pattern string) (sizes, error) {
	files, err := filepath.Glob(pattern)
	if err != nil || len(files) == 0 {
		return sizes{}, fmt.Errorf("no file matches %s", pattern)
	}
	var sum sizes
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return sum, err
		}
		s, err := measureSizes(b)
		if err != nil {
			return sum, err
		}
		sum.raw, sum.gz, sum.br = sum.raw+s.raw, sum.gz+s.gz, sum.br+s.br
	}
	return sum, nil
}

// sameBytes fails unless the one file matching pattern has the bytes of file.
func sameBytes(pattern, file string) error {
	files, _ := filepath.Glob(pattern)
	want, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	if len(files) != 1 {
		return fmt.Errorf("want one file matching %s, have %v", pattern, files)
	}
	got, err := os.ReadFile(files[0])
	if err != nil {
		return err
	}
	if !bytes.Equal(got, want) {
		return fmt.Errorf("%s is not %s: the Vite build is stale (./build.sh consumers)", files[0], file)
	}
	return nil
}

// bundleSize bundles `export * from 'spec'` with esbuild in dir (whose
// node_modules resolve spec) and measures the one output file.
func bundleSize(ctx context.Context, dir, spec string) (sizes, error) {
	cmd := exec.CommandContext(ctx, filepath.Join(dir, "node_modules", ".bin", "esbuild"),
		"--bundle", "--minify", "--format=esm", "--platform=browser", "--external:crypto", "--log-level=error")
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader(fmt.Sprintf("export * from %q\n", spec))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return sizes{}, fmt.Errorf("esbuild %s: %v\n%s", spec, err, stderr.String())
	}
	return measureSizes(out)
}

// peerVersion is the installed version of package p in dir.
func peerVersion(dir, p string) string {
	b, err := os.ReadFile(filepath.Join(dir, "node_modules", filepath.FromSlash(p), "package.json"))
	if err != nil {
		return "?"
	}
	var m struct{ Version string }
	if json.Unmarshal(b, &m) != nil {
		return "?"
	}
	return m.Version
}
