package ratelimit_test

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server/ratelimit"
)

// clock is a fake clock safe for concurrent use.
type clock struct{ ns atomic.Int64 }

func newClock() *clock {
	c := &clock{}
	c.ns.Store(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano())
	return c
}

func (c *clock) Now() time.Time          { return time.Unix(0, c.ns.Load()) }
func (c *clock) Advance(d time.Duration) { c.ns.Add(int64(d)) }

func TestBurstThenRefuse(t *testing.T) {
	t.Parallel()
	c := newClock()
	l := ratelimit.New(10, 10, c.Now)
	for i := range 10 {
		if ok, wait := l.Allow("acme"); !ok {
			t.Fatalf("request %d refused (retry after %v)", i+1, wait)
		}
	}
	ok, wait := l.Allow("acme")
	if ok {
		t.Fatal("11th request allowed")
	}
	// One token comes back after 1/rate = 100ms.
	if wait != 100*time.Millisecond {
		t.Fatalf("retryAfter = %v, want 100ms", wait)
	}
}

func TestRefill(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		advance time.Duration
		allowed int // requests allowed after the burst and the advance
	}{
		{"nothing", 0, 0},
		{"half a token", 50 * time.Millisecond, 0},
		{"one token", 100 * time.Millisecond, 1},
		{"three and a half", 350 * time.Millisecond, 3},
		{"full", time.Second, 10},
		{"capped at burst", time.Hour, 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := newClock()
			l := ratelimit.New(10, 10, c.Now)
			for range 10 {
				l.Allow("k")
			}
			c.Advance(tt.advance)
			n := 0
			for {
				ok, _ := l.Allow("k")
				if !ok {
					break
				}
				n++
			}
			if n != tt.allowed {
				t.Fatalf("allowed %d, want %d", n, tt.allowed)
			}
		})
	}
}

func TestRetryAfterIsAccurate(t *testing.T) {
	t.Parallel()
	c := newClock()
	l := ratelimit.New(2, 1, c.Now)
	l.Allow("k")
	c.Advance(200 * time.Millisecond) // 0.4 tokens
	ok, wait := l.Allow("k")
	if ok || wait != 300*time.Millisecond {
		t.Fatalf("Allow = %v, %v; want false, 300ms", ok, wait)
	}
	c.Advance(wait - time.Millisecond)
	if ok, _ := l.Allow("k"); ok {
		t.Fatal("allowed before retryAfter elapsed")
	}
	c.Advance(time.Millisecond)
	if ok, _ := l.Allow("k"); !ok {
		t.Fatal("refused once retryAfter elapsed")
	}
}

func TestKeysAreIndependent(t *testing.T) {
	t.Parallel()
	c := newClock()
	l := ratelimit.New(1, 3, c.Now)
	for range 3 {
		l.Allow("a")
	}
	if ok, _ := l.Allow("a"); ok {
		t.Fatal("a not limited")
	}
	for i := range 3 {
		if ok, _ := l.Allow("b"); !ok {
			t.Fatalf("b request %d refused because of a", i+1)
		}
	}
}

func TestClockGoingBackDoesNotRefill(t *testing.T) {
	t.Parallel()
	c := newClock()
	l := ratelimit.New(1, 1, c.Now)
	l.Allow("k")
	c.Advance(-time.Hour)
	if ok, _ := l.Allow("k"); ok {
		t.Fatal("allowed after the clock stepped back")
	}
	c.Advance(time.Hour + time.Second)
	if ok, _ := l.Allow("k"); !ok {
		t.Fatal("refused a second after the original request")
	}
}

func TestIdleKeysAreEvicted(t *testing.T) {
	t.Parallel()
	c := newClock()
	l := ratelimit.New(10, 10, c.Now) // a bucket is full again after 1s
	for i := range 1000 {
		l.Allow(fmt.Sprint("user-", i))
	}
	if n := l.Len(); n != 1000 {
		t.Fatalf("Len = %d, want 1000", n)
	}
	c.Advance(999 * time.Millisecond)
	l.Allow("fresh")
	if n := l.Len(); n != 1001 {
		t.Fatalf("Len before refill = %d, want 1001 (nothing evictable yet)", n)
	}
	c.Advance(time.Millisecond)
	l.Allow("fresh")
	if n := l.Len(); n != 1 {
		t.Fatalf("Len after refill = %d, want 1", n)
	}
}

func TestEvictionKeepsLimits(t *testing.T) {
	t.Parallel()
	c := newClock()
	l := ratelimit.New(1, 2, c.Now)
	l.Allow("k")
	l.Allow("k")
	c.Advance(1500 * time.Millisecond) // 1.5 tokens: not full, must not be forgotten
	l.Allow("other")
	if ok, _ := l.Allow("k"); !ok {
		t.Fatal("refused with 1.5 tokens")
	}
	if ok, _ := l.Allow("k"); ok {
		t.Fatal("the bucket was evicted before it was full, granting a fresh burst")
	}
}

func TestMaxKeys(t *testing.T) {
	t.Parallel()
	c := newClock()
	l := ratelimit.New(1, 1, c.Now, ratelimit.WithMaxKeys(3))
	for _, k := range []string{"a", "b", "c", "a", "d"} {
		l.Allow(k)
	}
	if n := l.Len(); n != 3 {
		t.Fatalf("Len = %d, want 3", n)
	}
	// b was least recently used and was dropped: it gets a fresh bucket.
	// a was used recently and is still limited.
	if ok, _ := l.Allow("a"); ok {
		t.Error("a was evicted although recently used")
	}
	if ok, _ := l.Allow("b"); !ok {
		t.Error("b still limited: the least recently used key was not dropped")
	}
}

func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	c := newClock()
	l := ratelimit.New(10, 10, c.Now)
	var allowed [4]atomic.Int64
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			key := g % 4
			for range 100 {
				if ok, _ := l.Allow(fmt.Sprint("k", key)); ok {
					allowed[key].Add(1)
				}
			}
		}()
	}
	wg.Wait()
	// The clock did not move: exactly a burst per key, whatever the
	// interleaving.
	for k := range allowed {
		if n := allowed[k].Load(); n != 10 {
			t.Errorf("key %d: %d allowed, want 10", k, n)
		}
	}
}

func TestError(t *testing.T) {
	t.Parallel()
	e := ratelimit.Error(1500 * time.Millisecond)
	if e.Code != api.CodeRateLimited || e.Status != 429 || !e.Retryable {
		t.Fatalf("Error = %+v", e)
	}
	for _, tt := range []struct {
		d    time.Duration
		want int
	}{{0, 1}, {time.Millisecond, 1}, {time.Second, 1}, {1001 * time.Millisecond, 2}, {1500 * time.Millisecond, 2}} {
		if got := ratelimit.RetryAfterSeconds(tt.d); got != tt.want {
			t.Errorf("RetryAfterSeconds(%v) = %d, want %d", tt.d, got, tt.want)
		}
	}
}

func TestNewPanicsOnNonsense(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		rate  float64
		burst int
	}{{0, 1}, {-1, 1}, {1, 0}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("New(%v, %d) did not panic", tt.rate, tt.burst)
				}
			}()
			ratelimit.New(tt.rate, tt.burst, nil)
		}()
	}
}

func TestBlockedTakesNothing(t *testing.T) {
	t.Parallel()
	c := newClock()
	l := ratelimit.New(1, 3, c.Now)
	for i := range 5 {
		if blocked, _ := l.Blocked("ip"); blocked {
			t.Fatalf("blocked after %d looks and no failure", i)
		}
	}
	for range 3 {
		l.Allow("ip") // three failures
	}
	blocked, wait := l.Blocked("ip")
	if !blocked || wait != time.Second {
		t.Fatalf("after the burst of failures: blocked %v, retry after %v", blocked, wait)
	}
	c.Advance(time.Second)
	if blocked, _ := l.Blocked("ip"); blocked {
		t.Fatal("still blocked after a token came back")
	}
	if blocked, _ := l.Blocked("other"); blocked {
		t.Fatal("another key is blocked")
	}
}

// A request that stands for n takes n tokens or none, and is told how long
// until the bucket holds n.
func TestAllowNTakesAllOrNone(t *testing.T) {
	t.Parallel()
	c := newClock()
	l := ratelimit.New(10, 10, c.Now)
	if ok, _ := l.AllowN("acme", 7); !ok {
		t.Fatal("7 of 10 refused")
	}
	ok, wait := l.AllowN("acme", 5)
	if ok {
		t.Fatal("5 more allowed with 3 left")
	}
	if wait != 200*time.Millisecond {
		t.Errorf("retry after %v, want 200ms (2 tokens at 10/s)", wait)
	}
	for i := range 3 {
		if ok, _ := l.Allow("acme"); !ok {
			t.Fatalf("token %d of the 3 left was taken by the refused request", i+1)
		}
	}
	if ok, _ := l.Allow("acme"); ok {
		t.Fatal("an 11th token")
	}
	if ok, wait := l.AllowN("acme", 50); ok || wait != time.Second {
		t.Errorf("50 of a burst of 10: %v, retry after %v; want refused, 1s (until full)", ok, wait)
	}
}
