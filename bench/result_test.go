package main

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

func TestGoals(t *testing.T) {
	t.Parallel()
	base := Result{Item: "x", Name: "y", Unit: "ms", Median: 14, Runs: 9}
	tests := []struct {
		name string
		r    Result
		want bool
	}{
		{"ratio under", base.withBaseline("floor", 10).withGoal("ratio", "<=", 1.4), true},
		{"ratio equal", base.withBaseline("floor", 10).withGoal("ratio", "<=", 1.4), true},
		{"ratio over", base.withBaseline("floor", 9).withGoal("ratio", "<=", 1.4), false},
		{"median at least", base.withGoal("median", ">=", 14), true},
		{"median short", base.withGoal("median", ">=", 15), false},
		{"p99 strictly under", base.withDist([]float64{1, 2, 3, 49}).withGoal("p99", "<", 50), true},
		{"p99 at the limit", base.withDist([]float64{50, 50}).withGoal("p99", "<", 50), false},
		{"p99 missing", base.withGoal("p99", "<", 50), false},
		{"NaN never meets", Result{Median: math.NaN()}.withGoal("median", ">=", 0), false},
		{"zero baseline: no ratio", base.withBaseline("floor", 0).withGoal("ratio", "<=", 10), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if tt.r.Met == nil || *tt.r.Met != tt.want {
				t.Fatalf("met = %v, want %v (%+v)", tt.r.Met, tt.want, tt.r)
			}
		})
	}
}

func TestNum(t *testing.T) {
	t.Parallel()
	tests := map[float64]string{
		943774:     "943,774",
		1234.6:     "1,235",
		-5000:      "-5,000",
		123.4:      "123",
		12.34:      "12.3",
		1.234:      "1.23",
		0.01234:    "0.012",
		math.NaN(): "—",
	}
	for v, want := range tests {
		if got := num(v); got != want {
			t.Errorf("num(%v) = %q, want %q", v, got, want)
		}
	}
}

func sampleReport() Report {
	return Report{
		Machine: Machine{Cores: 2, GoVersion: "go1.26", Chromium: "Chromium 1", OS: "linux/amd64", Date: "2026-01-01T00:00:00Z"},
		Results: []Result{
			Result{Item: "size", Name: "wasm brotli -11", Unit: "bytes", Median: 943774, Runs: 1}.withBaseline("hello-world", 440043).withGoal("median", "<=", 750000),
			Result{Item: "calls", Name: "getCompany", Unit: "ms", Median: 1.2, Runs: 300, Note: "a | b"}.withDist([]float64{1, 1.2, 3}).withBaseline("raw fetch", 1).withGoal("ratio", "<=", 1.25),
			{Item: "memory", Name: "not run", Unit: "bytes", Median: math.NaN()},
		},
		Errors: []string{"coldstart: boom"},
	}
}

func TestMarkdown(t *testing.T) {
	t.Parallel()
	md := sampleReport().Markdown()
	for _, want := range []string{
		"| item | figure | median | p50 | p99 | unit | runs | baseline | ratio | goal | met |",
		"| size | wasm brotli -11 | 943,774 |  |  | bytes | 1 | hello-world = 440,043 | 2.14 | median ≤ 750,000 | no |",
		"| calls | getCompany | 1.20 | 1.20 | 2.96 | ms | 300 | raw fetch = 1.00 | 1.20 | ratio ≤ 1.25 | yes |",
		"- **calls / getCompany**: a | b",
		"- Chromium: Chromium 1",
		"## Errors\n\n- coldstart: boom",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
}

func TestText(t *testing.T) {
	t.Parallel()
	txt := sampleReport().Text()
	lines := strings.Split(strings.TrimSpace(txt), "\n")
	if len(lines) != 6 { // header, rule, 3 rows, 1 error
		t.Fatalf("%d lines, want 6:\n%s", len(lines), txt)
	}
	if !strings.HasPrefix(lines[1], "----") || !strings.Contains(lines[2], "943,774") || !strings.Contains(txt, "error: coldstart: boom") {
		t.Fatalf("unexpected table:\n%s", txt)
	}
	// Columns are aligned: every row puts "unit" at the same offset.
	at := strings.Index(lines[0], "unit")
	if strings.Index(lines[2], "bytes") != at || strings.Index(lines[3], "ms") != at {
		t.Fatalf("unit column not aligned:\n%s", txt)
	}
}

func TestJSONHasNoNaN(t *testing.T) {
	t.Parallel()
	b, err := sampleReport().JSON()
	if err != nil {
		t.Fatalf("JSON: %v", err)
	}
	var back struct {
		Machine Machine  `json:"machine"`
		Results []Result `json:"results"`
	}
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatalf("round trip: %v\n%s", err, b)
	}
	if len(back.Results) != 3 || back.Results[2].Median != -1 || back.Results[2].Note != "not measured" {
		t.Fatalf("unmeasured figure not marked: %+v", back.Results[2])
	}
	r := back.Results[1]
	if r.Goal == nil || r.Met == nil || !*r.Met || r.Baseline == nil || r.Ratio == nil || r.P99 == nil || back.Machine.Cores != 2 {
		t.Fatalf("fields lost in JSON: %s", b)
	}
}
