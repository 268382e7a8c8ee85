package main

import (
	"context"
	"fmt"
	"time"

	"github.com/chromedp/chromedp"
)

// benchSharedCore measures the core in a SharedWorker on the platform's
// origin (core: 'shared') against the in-page core and the hello-world
// floor, interleaved round by round in fresh browsers: the first tab's
// cold start and its longest main-thread task, and a second tab of the
// same site opened once the first is ready (it joins the running core).
func benchSharedCore(ctx context.Context, e *env) ([]Result, error) {
	if err := e.servers(ctx); err != nil {
		return nil, err
	}
	runs := e.opt.runs(9, 3)
	var page, shared, second, hello, pageLong, sharedLong []float64
	for i := range runs {
		order := []string{"page", "shared", "hello"}
		for j := 0; j < i%3; j++ {
			order = append(order[1:], order[0])
		}
		for _, kind := range order {
			user := fmt.Sprintf("shared-%d-%s", i, kind)
			switch kind {
			case "hello":
				t, err := e.coldRun(ctx, "hello.html", user)
				if err != nil {
					return nil, err
				}
				hello = append(hello, t.Ready)
			case "page":
				t, err := e.coldRun(ctx, "coldstart.html", user)
				if err != nil {
					return nil, err
				}
				page = append(page, t.Ready)
				if t.LongTask != nil {
					pageLong = append(pageLong, *t.LongTask)
				}
			case "shared":
				first, next, err := e.twoTabs(ctx, user)
				if err != nil {
					return nil, err
				}
				shared = append(shared, first.Ready)
				second = append(second, next.Ready)
				if first.LongTask != nil {
					sharedLong = append(sharedLong, *first.LongTask)
				}
			}
		}
	}
	floor := median(hello)
	note := "fresh --user-data-dir and a new Chromium per run; in-page core, shared core and hello-world floor interleaved (order rotating). Ready = the documented 'ready' event."
	return []Result{
		Result{Item: "sharedcore", Name: "first tab, core in a SharedWorker: navigation → ready", Unit: "ms", Median: median(shared), Runs: len(shared), Note: note}.
			withBaseline("hello-world", floor).withGoal("ratio", "<=", 1.4),
		Result{Item: "sharedcore", Name: "first tab, in-page core (same runs): navigation → ready", Unit: "ms", Median: median(page), Runs: len(page)}.
			withBaseline("hello-world", floor),
		Result{Item: "sharedcore", Name: "second tab of the same site (joins the running core): navigation → ready", Unit: "ms", Median: median(second), Runs: len(second),
			Note: "opened in the same browser once the first tab is ready; its authenticate() runs once to prove the end user, no sign-in"}.
			withGoal("median", "<=", 60),
		Result{Item: "sharedcore", Name: "host page, core in a SharedWorker: longest main-thread task (navigation → ready)", Unit: "ms", Median: median(sharedLong), Runs: len(sharedLong),
			Note: "Long Tasks API (50 ms or more; 0 when none)"}.
			withBaseline("in-page core", median(pageLong)).withGoal("median", "<=", 50),
		{Item: "sharedcore", Name: "hello-world floor: navigation → main runs", Unit: "ms", Median: floor, Runs: len(hello)},
	}, nil
}

// twoTabs opens coldshared.html (coldstart.js without the wasm preloads:
// the page does not load the wasm) with the shared core in a fresh browser,
// then, once it is ready, the same page in a second tab.
func (e *env) twoTabs(ctx context.Context, user string) (coldTimes, coldTimes, error) {
	var first, second coldTimes
	tab, cancel, err := e.browser(ctx)
	if err != nil {
		return first, second, err
	}
	defer cancel()
	url := e.pageURL("coldshared.html", "user", user, "core", "shared")
	if err := chromedp.Do(tab, chromedp.Navigate(url)); err != nil {
		return first, second, err
	}
	if err := waitPage(ctx, tab, 30*time.Second, &first); err != nil {
		return first, second, fmt.Errorf("first tab: %w", err)
	}
	tab2, cancel2 := chromedp.NewContext(tab)
	defer cancel2()
	if err := chromedp.Do(tab2, chromedp.Navigate(url)); err != nil {
		return first, second, err
	}
	if err := waitPage(ctx, tab2, 30*time.Second, &second); err != nil {
		return first, second, fmt.Errorf("second tab: %w", err)
	}
	return first, second, nil
}
