package sdk

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/ccaip/headless-go/api"
)

func msg(i int64) *api.Message { return &api.Message{Index: i} }

func TestSequencer(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		cursor    int64
		in        []int64
		want      []int64
		dups, ooo uint64
		gap       [2]int64 // {0,0}: none
	}{
		{"in order", 0, []int64{1, 2, 3}, []int64{1, 2, 3}, 0, 0, [2]int64{}},
		{"duplicates", 0, []int64{1, 1, 2, 2, 1}, []int64{1, 2}, 3, 0, [2]int64{}},
		{"swapped pairs", 0, []int64{2, 1, 4, 3}, []int64{1, 2, 3, 4}, 0, 2, [2]int64{}},
		{"resume after cursor", 5, []int64{3, 4, 5, 6}, []int64{6}, 3, 0, [2]int64{}},
		{"gap stays open", 0, []int64{1, 4, 5, 4}, []int64{1}, 1, 2, [2]int64{2, 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var s sequencer
			s.reset(tt.cursor)
			var got []int64
			for _, i := range tt.in {
				for _, m := range s.offer(msg(i)) {
					got = append(got, m.Index)
				}
			}
			if !equal(got, tt.want) {
				t.Fatalf("delivered %v, want %v", got, tt.want)
			}
			if s.counters.Duplicates != tt.dups || s.counters.OutOfOrder != tt.ooo {
				t.Fatalf("counters %+v, want dups %d out-of-order %d", s.counters, tt.dups, tt.ooo)
			}
			from, to, ok := s.gap()
			if ok != (tt.gap != [2]int64{}) || (ok && (from != tt.gap[0] || to != tt.gap[1])) {
				t.Fatalf("gap %d-%d %v, want %v", from, to, ok, tt.gap)
			}
		})
	}
}

// TestSequencerShuffled feeds 1,000 messages shuffled within windows and
// duplicated, then fills the remaining gap, as the realtime runner would.
func TestSequencerShuffled(t *testing.T) {
	t.Parallel()
	const n = 1000
	var in []int64
	for i := int64(1); i <= n; i++ {
		in = append(in, i)
		if i%7 == 0 {
			in = append(in, i) // duplicate
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i+10 <= len(in); i += 10 {
		r.Shuffle(10, func(a, b int) { in[i+a], in[i+b] = in[i+b], in[i+a] })
	}
	// Lose message 500 on the stream; the gap fill brings it.
	var s sequencer
	s.reset(0)
	var got []int64
	for _, i := range in {
		if i == 500 {
			continue
		}
		for _, m := range s.offer(msg(i)) {
			got = append(got, m.Index)
		}
	}
	from, to, ok := s.gap()
	if !ok || from != 500 || to != 500 {
		t.Fatalf("gap %d-%d %v, want 500-500", from, to, ok)
	}
	for _, m := range s.offer(msg(500)) {
		got = append(got, m.Index)
	}
	if len(got) != n {
		t.Fatalf("delivered %d, want %d", len(got), n)
	}
	for i, v := range got {
		if v != int64(i+1) {
			t.Fatalf("position %d holds %d", i, v)
		}
	}
	if s.counters.Duplicates == 0 || s.counters.OutOfOrder == 0 {
		t.Fatalf("counters not kept: %+v", s.counters)
	}
}

func TestBackoff(t *testing.T) {
	t.Parallel()
	base, max := 100*time.Millisecond, 2*time.Second
	for attempt := 0; attempt < 12; attempt++ {
		want := base << attempt
		if want > max || want <= 0 {
			want = max
		}
		for range 50 {
			d := backoff(attempt, base, max)
			if d < want/2 || d > want {
				t.Fatalf("attempt %d: %v outside [%v, %v]", attempt, d, want/2, want)
			}
		}
	}
}

func equal(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
