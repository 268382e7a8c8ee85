package main

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Result is one figure of the table: a median over Runs repeated
// measurements (with p50/p99 where a distribution matters), optionally
// compared with a baseline measured in the same run, and checked against
// the goal of issue #7 when there is one.
type Result struct {
	Item     string    `json:"item"` // size, coldstart, calls, throughput, latency, memory, load
	Name     string    `json:"name"`
	Unit     string    `json:"unit"`
	Median   float64   `json:"median"`
	P50      *float64  `json:"p50,omitempty"`
	P99      *float64  `json:"p99,omitempty"`
	Runs     int       `json:"runs"`
	Baseline *Baseline `json:"baseline,omitempty"`
	Ratio    *float64  `json:"ratio,omitempty"`
	Goal     *Goal     `json:"goal,omitempty"`
	Met      *bool     `json:"met,omitempty"`
	Note     string    `json:"note,omitempty"`
}

// Baseline is the figure a Result is divided by (Ratio = Median / Value).
type Baseline struct {
	Name  string  `json:"name"`
	Value float64 `json:"value"`
}

// Goal is a threshold on one field of a Result: Of is "median", "p99" or
// "ratio", Op is "<=", "<" or ">=".
type Goal struct {
	Of    string  `json:"of"`
	Op    string  `json:"op"`
	Value float64 `json:"value"`
}

// String renders the goal as the table shows it, e.g. "ratio ≤ 1.4".
func (g Goal) String() string {
	op := map[string]string{"<=": "≤", ">=": "≥", "<": "<"}[g.Op]
	return fmt.Sprintf("%s %s %s", g.Of, op, num(g.Value))
}

// withBaseline sets the baseline and the ratio Median/base.
func (r Result) withBaseline(name string, base float64) Result {
	r.Baseline = &Baseline{Name: name, Value: base}
	if base != 0 && !math.IsNaN(base) && !math.IsNaN(r.Median) {
		ratio := r.Median / base
		r.Ratio = &ratio
	}
	return r
}

// withGoal sets the goal and whether the measured value meets it. A value
// that could not be measured (NaN or missing) does not meet it.
func (r Result) withGoal(of, op string, value float64) Result {
	r.Goal = &Goal{Of: of, Op: op, Value: value}
	var got float64 = math.NaN()
	switch of {
	case "median":
		got = r.Median
	case "p99":
		if r.P99 != nil {
			got = *r.P99
		}
	case "ratio":
		if r.Ratio != nil {
			got = *r.Ratio
		}
	}
	met := false
	if !math.IsNaN(got) {
		switch op {
		case "<=":
			met = got <= value
		case "<":
			met = got < value
		case ">=":
			met = got >= value
		}
	}
	r.Met = &met
	return r
}

// withDist sets p50 and p99 of samples; Median stays what the caller set.
func (r Result) withDist(samples []float64) Result {
	p50, p99 := percentile(samples, 50), percentile(samples, 99)
	r.P50, r.P99 = &p50, &p99
	return r
}

// Machine describes where the figures were measured.
type Machine struct {
	Cores     int    `json:"cores"`
	GoVersion string `json:"go_version"`
	Chromium  string `json:"chromium,omitempty"`
	OS        string `json:"os"`
	CPU       string `json:"cpu,omitempty"`
	Date      string `json:"date"`
	Quick     bool   `json:"quick"`
	Seconds   int    `json:"seconds"`
}

// Report is the whole run, as written to results.json.
type Report struct {
	Machine Machine  `json:"machine"`
	Results []Result `json:"results"`
	Errors  []string `json:"errors,omitempty"`
}

// MarshalJSON of a NaN is an error in encoding/json; results store NaN as
// null through this helper type.
func (r Report) JSON() ([]byte, error) {
	clean := r
	clean.Results = make([]Result, len(r.Results))
	for i, res := range r.Results {
		if math.IsNaN(res.Median) || math.IsInf(res.Median, 0) {
			res.Median = -1
			if res.Note == "" {
				res.Note = "not measured"
			}
		}
		res.P50 = finite(res.P50)
		res.P99 = finite(res.P99)
		res.Ratio = finite(res.Ratio)
		clean.Results[i] = res
	}
	return json.MarshalIndent(clean, "", "  ")
}

func finite(p *float64) *float64 {
	if p == nil || math.IsNaN(*p) || math.IsInf(*p, 0) {
		return nil
	}
	return p
}

// num formats a figure with three significant digits at most for small
// values and thousands separators for large ones.
func num(v float64) string {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return "—"
	case v == math.Trunc(v) && math.Abs(v) >= 1000:
		return thousands(int64(v))
	case math.Abs(v) >= 1000:
		return thousands(int64(math.Round(v)))
	case math.Abs(v) >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case math.Abs(v) >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	case math.Abs(v) >= 1:
		return strconv.FormatFloat(v, 'f', 2, 64)
	default:
		return strconv.FormatFloat(v, 'f', 3, 64)
	}
}

func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

func opt(p *float64) string {
	if p == nil {
		return ""
	}
	return num(*p)
}

// rows renders every result as table cells, in the column order of
// header.
var header = []string{"item", "figure", "median", "p50", "p99", "unit", "runs", "baseline", "ratio", "goal", "met"}

func rows(results []Result) [][]string {
	out := make([][]string, 0, len(results))
	for _, r := range results {
		base := ""
		if r.Baseline != nil {
			base = r.Baseline.Name + " = " + num(r.Baseline.Value)
		}
		goal, met := "", ""
		if r.Goal != nil {
			goal = r.Goal.String()
			met = "no"
			if r.Met != nil && *r.Met {
				met = "yes"
			}
		}
		out = append(out, []string{r.Item, r.Name, num(r.Median), opt(r.P50), opt(r.P99), r.Unit, strconv.Itoa(r.Runs), base, opt(r.Ratio), goal, met})
	}
	return out
}

// Text renders the report as an aligned plain-text table for the terminal.
func (r Report) Text() string {
	all := append([][]string{header}, rows(r.Results)...)
	width := make([]int, len(header))
	for _, row := range all {
		for i, c := range row {
			width[i] = max(width[i], len([]rune(c)))
		}
	}
	var b strings.Builder
	for n, row := range all {
		for i, c := range row {
			pad := width[i] - len([]rune(c))
			if i > 0 {
				b.WriteString("  ")
			}
			if i >= 2 && i <= 4 || i == 6 || i == 8 { // numbers right-aligned
				b.WriteString(strings.Repeat(" ", pad) + c)
			} else {
				b.WriteString(c + strings.Repeat(" ", pad))
			}
		}
		b.WriteString("\n")
		if n == 0 {
			for i := range row {
				if i > 0 {
					b.WriteString("  ")
				}
				b.WriteString(strings.Repeat("-", width[i]))
			}
			b.WriteString("\n")
		}
	}
	for _, e := range r.Errors {
		fmt.Fprintf(&b, "error: %s\n", e)
	}
	return b.String()
}

// Markdown renders the report as results.md: machine info, the table with
// the goal column, the notes of each figure and any errors.
func (r Report) Markdown() string {
	var b strings.Builder
	m := r.Machine
	b.WriteString("# Benchmark results\n\n")
	b.WriteString("Generated by `./build.sh bench` (`go run ./bench`); do not edit by hand. ")
	b.WriteString("Every figure is a median of repeated runs; ratios are against a baseline measured in the same run.\n\n")
	fmt.Fprintf(&b, "- date: %s\n- machine: %d cores, %s", m.Date, m.Cores, m.OS)
	if m.CPU != "" {
		fmt.Fprintf(&b, ", %s", m.CPU)
	}
	fmt.Fprintf(&b, "\n- Go: %s\n", m.GoVersion)
	if m.Chromium != "" {
		fmt.Fprintf(&b, "- Chromium: %s\n", m.Chromium)
	}
	mode := "full"
	if m.Quick {
		mode = "quick (-quick: fewer runs, not for the record)"
	}
	fmt.Fprintf(&b, "- mode: %s, %d s\n\n", mode, m.Seconds)
	b.WriteString("| " + strings.Join(header, " | ") + " |\n")
	b.WriteString("|" + strings.Repeat(" --- |", len(header)) + "\n")
	for _, row := range rows(r.Results) {
		for i := range row {
			row[i] = strings.ReplaceAll(row[i], "|", "\\|")
		}
		b.WriteString("| " + strings.Join(row, " | ") + " |\n")
	}
	notes := false
	for _, res := range r.Results {
		if res.Note == "" {
			continue
		}
		if !notes {
			b.WriteString("\n## Notes\n\n")
			notes = true
		}
		fmt.Fprintf(&b, "- **%s / %s**: %s\n", res.Item, res.Name, res.Note)
	}
	if len(r.Errors) > 0 {
		b.WriteString("\n## Errors\n\n")
		for _, e := range r.Errors {
			fmt.Fprintf(&b, "- %s\n", e)
		}
	}
	return b.String()
}
