// Command bench is the benchmark suite of issue #7, run by
// `./build.sh bench` (which builds dist/ first) or `go run ./bench`.
//
// It measures, in one run: the wasm size against a Go hello-world wasm,
// what the npm package adds to a production Vite build beside the peer
// SDKs' bundled sizes,
// cold start in fresh headless Chromium profiles against the hello-world
// floor (and the longest main-thread task the host page sees meanwhile),
// getCompany() call overhead against a raw fetch in the same page,
// message throughput and latency to chat.message listeners, wasm and JS
// memory after a 1,000-message chat and after destroy(), and server load
// with N concurrent native chats against a raw coder/websocket echo
// ceiling. Machines here are noisy, so every figure is a median of
// repeated runs, and each comparison is a ratio against a baseline
// measured in the same run, interleaved where it can be.
//
// A full run writes bench/results.json and bench/results.md; -quick and
// -only write to bench/out/ unless -out says otherwise.
//
//	go run ./bench [-quick] [-only size,package,coldstart,sharedcore,tabs,calls,throughput,latency,memory,load] [-out dir] [-cpuprofile file]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"
)

// items are the benchmarks in the order they run and print.
var items = []string{"size", "package", "coldstart", "sharedcore", "tabs", "calls", "throughput", "latency", "memory", "load"}

// options are the command-line settings every benchmark reads.
type options struct {
	quick      bool
	only       map[string]bool
	repo       string // module root
	dist       string // dist/ of ./build.sh build
	out        string // scratch: bench/out
	chromium   string
	cpuprofile string
	loadNs     []int
	verbose    bool
	jsprofile  bool
}

func (o *options) want(item string) bool { return len(o.only) == 0 || o.only[item] }

// runs picks the repetition count: full for the record, quick for
// development.
func (o *options) runs(full, quick int) int {
	if o.quick {
		return quick
	}
	return full
}

func (o *options) logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench: "+format+"\n", args...)
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run() error {
	var o options
	only := flag.String("only", "", "comma-separated subset of "+strings.Join(items, ","))
	outDir := flag.String("out", "", "directory for results.json and results.md (default: bench/ for a full run, bench/out/ otherwise)")
	loadNs := flag.String("load-n", "100,500,2000", "concurrent chats of the load benchmark")
	timeout := flag.Duration("timeout", 10*time.Minute, "abort the whole run after this long")
	flag.BoolVar(&o.quick, "quick", false, "fewer runs and shorter phases, for development")
	flag.StringVar(&o.cpuprofile, "cpuprofile", "", "write a CPU profile of the load benchmark's largest N to this file")
	flag.BoolVar(&o.verbose, "v", false, "log the browser console")
	flag.BoolVar(&o.jsprofile, "jsprofile", false, "profile the first SDK cold start and the throughput backlog (DevTools CPU profiles in bench/out/, wasm with symbols)")
	flag.Parse()

	if *only != "" {
		o.only = map[string]bool{}
		for _, s := range strings.Split(*only, ",") {
			s = strings.TrimSpace(s)
			if !slices.Contains(items, s) {
				return fmt.Errorf("-only: unknown item %q (have %s)", s, strings.Join(items, ","))
			}
			o.only[s] = true
		}
	}
	for _, s := range strings.Split(*loadNs, ",") {
		var n int
		if _, err := fmt.Sscan(strings.TrimSpace(s), &n); err != nil || n <= 0 {
			return fmt.Errorf("-load-n: bad count %q", s)
		}
		o.loadNs = append(o.loadNs, n)
	}
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	o.repo = root
	o.dist = filepath.Join(root, "dist")
	o.out = filepath.Join(root, "bench", "out")
	o.chromium = os.Getenv("CHROMIUM")
	if o.chromium == "" {
		o.chromium = "/usr/bin/chromium"
	}
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return err
	}
	dest := *outDir
	if dest == "" {
		dest = filepath.Join(root, "bench")
		if o.quick || len(o.only) > 0 {
			dest = o.out
		}
	}

	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	start := time.Now()
	rep := Report{Machine: machine(o.chromium, o.quick)}

	e := &env{opt: &o}
	defer e.close()
	steps := []struct {
		items []string
		fn    func(context.Context, *env) ([]Result, error)
	}{
		{[]string{"size"}, benchSize},
		{[]string{"package"}, benchPackage},
		{[]string{"coldstart"}, benchColdStart},
		{[]string{"sharedcore"}, benchSharedCore},
		{[]string{"tabs"}, benchTabs},
		{[]string{"calls"}, benchCalls},
		{[]string{"latency", "memory"}, benchChat},
		{[]string{"throughput"}, benchThroughput},
		{[]string{"load"}, benchLoad},
	}
	for _, s := range steps {
		if !slices.ContainsFunc(s.items, o.want) {
			continue
		}
		t0 := time.Now()
		o.logf("%s …", strings.Join(s.items, "+"))
		res, err := s.fn(ctx, e)
		for _, r := range res {
			if o.want(r.Item) {
				rep.Results = append(rep.Results, r)
			}
		}
		if err != nil {
			rep.Errors = append(rep.Errors, fmt.Sprintf("%s: %v", strings.Join(s.items, "+"), err))
			o.logf("%s: %v", strings.Join(s.items, "+"), err)
		}
		o.logf("%s done in %.1fs", strings.Join(s.items, "+"), time.Since(t0).Seconds())
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			rep.Errors = append(rep.Errors, "the run hit -timeout; later items were skipped")
			break
		}
	}
	rep.Machine.Seconds = int(time.Since(start).Seconds())

	fmt.Print(rep.Text())
	js, err := rep.JSON()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dest, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dest, "results.json"), append(js, '\n'), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dest, "results.md"), []byte(rep.Markdown()), 0o644); err != nil {
		return err
	}
	o.logf("wrote %s and %s", filepath.Join(dest, "results.json"), filepath.Join(dest, "results.md"))
	if len(rep.Errors) > 0 {
		return fmt.Errorf("%d benchmark(s) failed", len(rep.Errors))
	}
	return nil
}

// moduleRoot finds the directory of go.mod from the working directory up.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("go.mod not found: run from inside the module")
		}
		dir = parent
	}
}

// machine describes this machine for the report.
func machine(chromium string, quick bool) Machine {
	m := Machine{
		Cores:     runtime.NumCPU(),
		GoVersion: runtime.Version(),
		OS:        runtime.GOOS + "/" + runtime.GOARCH,
		Date:      time.Now().UTC().Format(time.RFC3339),
		Quick:     quick,
	}
	if out, err := exec.Command(chromium, "--version").Output(); err == nil {
		m.Chromium = strings.TrimSpace(string(out))
	}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if name, ok := strings.CutPrefix(line, "model name"); ok {
				m.CPU = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(name), ":"))
				break
			}
		}
	}
	return m
}
