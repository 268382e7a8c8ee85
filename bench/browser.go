package main

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/chromedp/chromedp"
)

// coldTimes is what coldstart.js and hello.js report, in milliseconds
// since navigation start.
type coldTimes struct {
	Module    float64 `json:"module"`
	Ready     float64 `json:"ready"`
	FirstCall float64 `json:"firstCall"`
	// LongTask is the longest main-thread task (the Long Tasks API: 50 ms
	// or more; 0 when there was none) that began before Ready; nil when
	// the browser has no Long Tasks API.
	LongTask *float64 `json:"longTask"`
	// Resources are resource timings by URL fragment: request start and
	// response end, ms since navigation start.
	Resources map[string]struct {
		Start float64 `json:"start"`
		End   float64 `json:"end"`
	} `json:"resources"`
	// Marks are the loader's performance marks (ccaip:compiled,
	// ccaip:go-start, …), ms since navigation start; hello.js sets the same.
	Marks struct {
		Compiled *float64 `json:"compiled"`
		GoStart  *float64 `json:"go-start"`
		// The loader's handshake: new Client(), the iframe appended, its
		// hello accepted, the bridge's answer where the core runs.
		Client *float64 `json:"client"`
		Iframe *float64 `json:"iframe"`
		Hello  *float64 `json:"hello"`
		Mode   *float64 `json:"mode"`
	} `json:"marks"`
	// Worker is a worker core's start on the page's clock (nil in the
	// page): when its global began (Origin), its marks (worker, attach,
	// hello, compiled, go-start, running, joined; core-worker.js) and its
	// resource timings by path.
	Worker *struct {
		Origin    float64            `json:"origin"`
		Marks     map[string]float64 `json:"marks"`
		Resources map[string]struct {
			Start float64 `json:"start"`
			End   float64 `json:"end"`
		} `json:"resources"`
	} `json:"worker"`
}

// visit navigates tab to page (query as for pageURL) and returns the
// timings the page reports.
func (e *env) visit(ctx, tab context.Context, page string, query ...string) (coldTimes, error) {
	var t coldTimes
	if err := chromedp.Do(tab, chromedp.Navigate(e.pageURL(page, query...))); err != nil {
		return t, err
	}
	if err := waitPage(ctx, tab, 30*time.Second, &t); err != nil {
		return t, fmt.Errorf("%s: %w", page, err)
	}
	return t, nil
}

// coldRun opens page in a new Chromium process with a fresh profile (no
// HTTP cache, no wasm code cache) and returns its timings.
func (e *env) coldRun(ctx context.Context, page, user string) (coldTimes, error) {
	tab, cancel, err := e.browser(ctx)
	if err != nil {
		return coldTimes{}, err
	}
	defer cancel()
	var stop func() error
	if e.opt.jsprofile && page == "coldstart.html" && !e.coldProfiled {
		e.coldProfiled = true
		if stop, err = e.jsProfile(tab, "coldstart"); err != nil {
			return coldTimes{}, err
		}
	}
	t, err := e.visit(ctx, tab, page, "user", user)
	if err != nil {
		return t, err
	}
	if stop != nil {
		return t, stop()
	}
	return t, nil
}

// benchColdStart alternates SDK and hello-world cold starts (the order
// flips every round) so that both see the same machine noise.
func benchColdStart(ctx context.Context, e *env) ([]Result, error) {
	if err := e.servers(ctx); err != nil {
		return nil, err
	}
	runs := e.opt.runs(11, 3)
	var ready, first, hello []float64
	var sdkCompiled, sdkWait, sdkRun, helloCompiled, helloRun []float64
	var sdkLong, helloLong []float64
	for i := range runs {
		order := []string{"coldstart.html", "hello.html"}
		if i%2 == 1 {
			order[0], order[1] = order[1], order[0]
		}
		for _, page := range order {
			t, err := e.coldRun(ctx, page, fmt.Sprintf("cold-%d", i))
			if err != nil {
				return nil, err
			}
			m := t.Marks
			if m.Compiled == nil || m.GoStart == nil {
				return nil, fmt.Errorf("%s: no ccaip:compiled / ccaip:go-start marks", page)
			}
			if t.LongTask == nil {
				return nil, fmt.Errorf("%s: no long task figure (Long Tasks API missing?)", page)
			}
			if page == "hello.html" {
				hello = append(hello, t.Ready)
				helloCompiled = append(helloCompiled, *m.Compiled)
				helloRun = append(helloRun, t.Ready-*m.GoStart)
				helloLong = append(helloLong, *t.LongTask)
			} else {
				ready = append(ready, t.Ready)
				first = append(first, t.FirstCall)
				sdkCompiled = append(sdkCompiled, *m.Compiled)
				sdkWait = append(sdkWait, *m.GoStart-*m.Compiled)
				sdkRun = append(sdkRun, t.Ready-*m.GoStart)
				sdkLong = append(sdkLong, *t.LongTask)
			}
		}
	}
	floor := median(hello)
	note := "fresh --user-data-dir and a new Chromium per run; SDK and floor interleaved. Ready = the documented 'ready' event (first authentication through the bridge iframe done)."
	return []Result{
		Result{Item: "coldstart", Name: "navigation → ready", Unit: "ms", Median: median(ready), Runs: len(ready), Note: note}.
			withBaseline("hello-world", floor).withGoal("ratio", "<=", 1.4),
		Result{Item: "coldstart", Name: "navigation → first queued call resolved", Unit: "ms", Median: median(first), Runs: len(first)}.
			withBaseline("hello-world", floor),
		{Item: "coldstart", Name: "hello-world floor: navigation → main runs", Unit: "ms", Median: floor, Runs: len(hello)},
		// The breakdown, from the loader's performance marks in the same runs.
		Result{Item: "coldstart", Name: "SDK step: navigation → wasm compiled (page, download, streaming compile)", Unit: "ms", Median: median(sdkCompiled), Runs: len(sdkCompiled)}.
			withBaseline("hello.wasm compiled", median(helloCompiled)),
		{Item: "coldstart", Name: "SDK step: compiled → Go starts (waiting for the bridge and wasm_exec.js)", Unit: "ms", Median: median(sdkWait), Runs: len(sdkWait)},
		Result{Item: "coldstart", Name: "SDK step: Go starts → ready (instantiate, Go init, sign-in not yet done)", Unit: "ms", Median: median(sdkRun), Runs: len(sdkRun),
			Note: "authenticate() and the session exchange start with the page, beside the download, so only what is left of them counts here"}.
			withBaseline("hello: Go starts → main runs", median(helloRun)),
		// What the host page feels: a task this long blocks its input and
		// rendering while the SDK starts.
		Result{Item: "coldstart", Name: "host page: longest main-thread task while the SDK starts (navigation → ready)", Unit: "ms", Median: median(sdkLong), Runs: len(sdkLong),
			Note: "PerformanceObserver 'longtask' (buffered), observed by a classic script in <head> (bench/testdata/pages/longtask.js): the longest task on the page's main thread that began before ready; the Long Tasks API reports only tasks of 50 ms or more, so a run without one counts 0"}.
			withBaseline("hello-world page", median(helloLong)).withGoal("median", "<=", 50),
		{Item: "coldstart", Name: "hello-world floor: longest main-thread task (navigation → main runs)", Unit: "ms", Median: median(helloLong), Runs: len(helloLong)},
	}, nil
}

// benchCalls measures getCompany() through the Go core and the bridge
// iframe against a raw fetch of GET /enduser/v1/company in the same page.
func benchCalls(ctx context.Context, e *env) ([]Result, error) {
	if err := e.servers(ctx); err != nil {
		return nil, err
	}
	tab, cancel, err := e.browser(ctx)
	if err != nil {
		return nil, err
	}
	defer cancel()
	n := e.opt.runs(400, 100)
	if err := chromedp.Do(tab, chromedp.Navigate(e.pageURL("calls.html", "n", fmt.Sprint(n)))); err != nil {
		return nil, err
	}
	var times struct {
		SDK []float64 `json:"sdk"`
		Raw []float64 `json:"raw"`
	}
	if err := waitPage(ctx, tab, 3*time.Minute, &times); err != nil {
		return nil, fmt.Errorf("calls.html: %w", err)
	}
	raw := median(times.Raw)
	note := "interleaved call by call, order alternating; the raw fetch is cross-origin with a Bearer token (CORS preflight cached by Access-Control-Max-Age 600), the SDK call goes JS → Go → bridge iframe (MessagePort) → same-origin fetch → Go → JS. performance.now() is coarsened to 0.1 ms in pages that are not cross-origin isolated."
	if math.IsNaN(raw) {
		return nil, fmt.Errorf("calls.html returned no samples")
	}
	return []Result{
		Result{Item: "calls", Name: "getCompany() via wasm + bridge", Unit: "ms", Median: median(times.SDK), Runs: len(times.SDK), Note: note}.
			withDist(times.SDK).withBaseline("raw fetch", raw).withGoal("ratio", "<=", 1.25),
		Result{Item: "calls", Name: "raw fetch GET /enduser/v1/company", Unit: "ms", Median: raw, Runs: len(times.Raw)}.withDist(times.Raw),
	}, nil
}
