// Package wasmbuild is the one definition of how the browser build is
// compiled. build.sh (through internal/cmd/wasmbuild), the size test of
// browsertest and the benchmarks all build with it, so that what they
// measure is what ships.
package wasmbuild

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Flags are the go build flags of the shipped wasm:
//
//   - -trimpath: no paths of the build machine in the binary;
//   - -ldflags=-s -w: no symbol table and no DWARF;
//   - -gcflags=all=-l: no inlining. Go's wasm code for an inlined call is
//     larger than the call, and the wasm is smaller for it by about 54 KB
//     of brotli (about 6 %); the price, measured by ./build.sh bench in
//     one run, is about 7 % of backlog throughput and no visible change in
//     call overhead or latency.
var Flags = []string{"-trimpath", "-ldflags=-s -w", "-gcflags=all=-l"}

// Env is the build's environment on top of the caller's:
//
//   - GOOS=js GOARCH=wasm;
//   - GOEXPERIMENT=nogreenteagc: Go 1.26's default Green Tea collector
//     is built for many cores; the classic collector it keeps beside it is
//     about 10 KB of brotli smaller, and the wasm heap is single-threaded.
//     (The experiment goes away when Go drops the classic collector; then
//     this line goes too.)
var Env = []string{"GOOS=js", "GOARCH=wasm", "GOEXPERIMENT=nogreenteagc"}

// Build compiles pkg into out as shipped: the go build of Command, then
// MergeSegments on the result (see segmentGap).
func Build(ctx context.Context, dir, out, pkg string, extra ...string) error {
	if b, err := Command(ctx, dir, out, pkg, extra...).CombinedOutput(); err != nil {
		return fmt.Errorf("go build %s: %v\n%s", pkg, err, b)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		return err
	}
	if b, err = MergeSegments(b, segmentGap); err != nil {
		return fmt.Errorf("%s: %w", out, err)
	}
	return os.WriteFile(out, b, 0o755)
}

// Command returns the go build of pkg into out, run in dir (the module
// root), with the shipped flags followed by extra. Build runs it; on its
// own it gives the wasm before MergeSegments.
func Command(ctx context.Context, dir, out, pkg string, extra ...string) *exec.Cmd {
	args := append([]string{"build"}, Flags...)
	args = append(args, extra...)
	args = append(args, "-o", out, pkg)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), Env...)
	return cmd
}

// Dist builds what a platform serves at /sdk/ into dir, as build.sh does
// without the compressed twins: ccaip.wasm, the Go toolchain's
// wasm_exec.js and the browser files of js/ (scripts, styles,
// declarations, pages). Tests that need a served SDK
// (the browser tests, the parity kit's) build with it.
func Dist(ctx context.Context, repo, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := Build(ctx, repo, filepath.Join(dir, "ccaip.wasm"), "./wasm"); err != nil {
		return fmt.Errorf("build wasm: %w", err)
	}
	goroot, err := exec.CommandContext(ctx, "go", "env", "GOROOT").Output()
	if err != nil {
		return err
	}
	copies := map[string]string{"wasm_exec.js": filepath.Join(strings.TrimSpace(string(goroot)), "lib", "wasm", "wasm_exec.js")}
	// The same files build.sh copies: js/'s scripts, styles, declarations
	// and pages, without the type-check fixture.
	for _, pattern := range []string{"*.js", "*.css", "*.d.ts", "*.html"} {
		names, _ := filepath.Glob(filepath.Join(repo, "js", pattern))
		for _, src := range names {
			if name := filepath.Base(src); !strings.HasPrefix(name, "usage-test.") {
				copies[name] = src
			}
		}
	}
	for name, src := range copies {
		b, err := os.ReadFile(src)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}
