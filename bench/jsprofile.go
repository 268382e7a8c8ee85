package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/profiler"
	"github.com/chromedp/chromedp"
)

// jsProfile starts the DevTools CPU profiler in tab; the returned stop
// writes the profile (open it in Chrome DevTools) to bench/out/name.cpuprofile
// and logs where the self time went, by script and by function.
func (e *env) jsProfile(tab context.Context, name string) (stop func() error, err error) {
	if _, err := chromedp.Call(tab, profiler.Enable, cdp.Empty{}); err != nil {
		return nil, err
	}
	if _, err := chromedp.Call(tab, profiler.SetSamplingInterval, profiler.SetSamplingIntervalParams{Interval: 200}); err != nil {
		return nil, err
	}
	if _, err := chromedp.Call(tab, profiler.Start, cdp.Empty{}); err != nil {
		return nil, err
	}
	return func() error {
		res, err := chromedp.Call(tab, profiler.Stop, cdp.Empty{})
		if err != nil {
			return err
		}
		file := filepath.Join(e.opt.out, name+".cpuprofile")
		b, err := json.Marshal(res.Profile)
		if err != nil {
			return err
		}
		if err := os.WriteFile(file, b, 0o644); err != nil {
			return err
		}
		e.opt.logf("JS profile written to %s\n%s", file, summarizeProfile(res.Profile, 25))
		return nil
	}, nil
}

// summarizeProfile reports the share of samples per script and the top
// functions by self time.
func summarizeProfile(p *profiler.Profile, top int) string {
	if p == nil {
		return "(no profile)"
	}
	var total int64
	byScript := map[string]int64{}
	byFunc := map[string]int64{}
	for _, n := range p.Nodes {
		total += n.HitCount
		script := path.Base(n.CallFrame.URL)
		if n.CallFrame.URL == "" {
			script = "(native)"
		}
		fn := n.CallFrame.FunctionName
		if fn == "" {
			fn = "(anonymous)"
		}
		byScript[script] += n.HitCount
		byFunc[fn+" "+script] += n.HitCount
	}
	if total == 0 {
		return "(no samples)"
	}
	var b strings.Builder
	write := func(title string, m map[string]int64, limit int) {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		slices.SortFunc(keys, func(x, y string) int { return int(m[y] - m[x]) })
		fmt.Fprintf(&b, "%s:\n", title)
		for i, k := range keys {
			if i == limit {
				break
			}
			fmt.Fprintf(&b, "  %5.1f%%  %s\n", 100*float64(m[k])/float64(total), k)
		}
	}
	write("self time by script", byScript, 10)
	write("self time by function", byFunc, top)
	return b.String()
}
