package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"text/tabwriter"
)

// WriteTable prints one line per example and event, then the totals.
func (r *Report) WriteTable(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "STATUS\tEXAMPLE\tDETAIL")
	for _, x := range r.Results {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", x.Status, x.Name, detail(x.Errors))
	}
	tw.Flush()
	total := r.Pass + r.Fail
	pct := 100.0
	if total > 0 {
		pct = 100 * float64(r.Pass) / float64(total)
	}
	fmt.Fprintf(w, "\n%d pass, %d fail, %d skipped (%.1f %% of %d checked) — loader %s, platform %s\n", r.Pass, r.Fail, r.Skipped, pct, total, r.Loader, r.Platform)
}

func detail(ms []Mismatch) string {
	parts := make([]string, len(ms))
	for i, m := range ms {
		parts[i] = fmt.Sprintf("%s: expected %s, got %s", m.Path, m.Expected, m.Got)
	}
	return strings.Join(parts, "; ")
}

// WriteJSON writes the report to path.
func (r *Report) WriteJSON(path string) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// ReadReport reads a report WriteJSON wrote.
func ReadReport(path string) (*Report, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var r Report
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &r, nil
}

// Diff lists how b's results differ from a's: status, mismatches, and the
// fields whose kind differs or that only one has. Empty when they agree.
func Diff(a, b *Report) []string {
	index := func(r *Report) map[string]Result {
		m := map[string]Result{}
		for _, x := range r.Results {
			m[x.Name] = x
		}
		return m
	}
	am, bm := index(a), index(b)
	var names []string
	for n := range am {
		names = append(names, n)
	}
	for n := range bm {
		if _, ok := am[n]; !ok {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	var out []string
	for _, n := range names {
		x, inA := am[n]
		y, inB := bm[n]
		switch {
		case !inA:
			out = append(out, fmt.Sprintf("%s: only in b (%s)", n, y.Status))
			continue
		case !inB:
			out = append(out, fmt.Sprintf("%s: only in a (%s)", n, x.Status))
			continue
		}
		if x.Status != y.Status || detail(x.Errors) != detail(y.Errors) {
			out = append(out, fmt.Sprintf("%s: a %s%s, b %s%s", n, x.Status, paren(detail(x.Errors)), y.Status, paren(detail(y.Errors))))
		}
		if len(x.Shape) == 0 || len(y.Shape) == 0 {
			continue // one has no value at all: the status line says so
		}
		var paths []string
		for p := range x.Shape {
			paths = append(paths, p)
		}
		for p := range y.Shape {
			if _, ok := x.Shape[p]; !ok {
				paths = append(paths, p)
			}
		}
		sort.Strings(paths)
		for _, p := range paths {
			ka, kb := x.Shape[p], y.Shape[p]
			if ka != kb {
				out = append(out, fmt.Sprintf("%s: field %s is %s in a, %s in b", n, p, orAbsent(ka), orAbsent(kb)))
			}
		}
	}
	return out
}

func paren(s string) string {
	if s == "" {
		return ""
	}
	return " (" + s + ")"
}

func orAbsent(k string) string {
	if k == "" {
		return "absent"
	}
	return k
}
