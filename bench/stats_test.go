package main

import (
	"math"
	"testing"
)

func TestPercentile(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		xs   []float64
		p    float64
		want float64
	}{
		{"empty is NaN", nil, 50, math.NaN()},
		{"one value", []float64{7}, 99, 7},
		{"odd median", []float64{3, 1, 2}, 50, 2},
		{"even median averages", []float64{4, 1, 3, 2}, 50, 2.5},
		{"p0 is min", []float64{5, 9, 1}, 0, 1},
		{"p100 is max", []float64{5, 9, 1}, 100, 9},
		{"p99 interpolates", seq(1, 101), 99, 99.01},
		{"p90 of ten", seq(1, 11), 90, 9.1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := percentile(tt.xs, tt.p)
			if math.IsNaN(tt.want) {
				if !math.IsNaN(got) {
					t.Fatalf("got %v, want NaN", got)
				}
				return
			}
			if math.Abs(got-tt.want) > 1e-9 {
				t.Fatalf("percentile(%v, %v) = %v, want %v", tt.xs, tt.p, got, tt.want)
			}
		})
	}
}

func TestPercentileLeavesInputAlone(t *testing.T) {
	t.Parallel()
	xs := []float64{3, 1, 2}
	if median(xs) != 2 || xs[0] != 3 || xs[1] != 1 || xs[2] != 2 {
		t.Fatalf("median sorted its input: %v", xs)
	}
}

// seq returns from, from+1, …, to-1.
func seq(from, to int) []float64 {
	var out []float64
	for i := from; i < to; i++ {
		out = append(out, float64(i))
	}
	return out
}
