// Package ratelimit is a per-key token bucket limiter, used for the Chat
// platform REST API's documented 10 requests per second per company and for
// end-user endpoints that need a cap.
//
// Memory is bounded: a key that has been idle long enough for its bucket to
// refill completely is forgotten (a fresh bucket behaves the same), and the
// number of keys held is capped; at the cap the least recently used key is
// dropped, which can only make the limiter more lenient for that key, never
// stricter. The limiter starts no goroutines.
package ratelimit

import (
	"container/list"
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/ccaip/headless-go/api"
)

// DefaultMaxKeys is the number of keys a Limiter holds unless WithMaxKeys
// says otherwise.
const DefaultMaxKeys = 100_000

// Limiter hands out tokens per key: each key has a bucket of burst tokens
// refilled at rate tokens per second. It is safe for concurrent use.
type Limiter struct {
	rate    float64
	burst   float64
	now     func() time.Time
	maxKeys int
	// full is how long an untouched bucket takes to refill completely.
	full time.Duration

	mu      sync.Mutex
	buckets map[string]*list.Element // of *bucket
	lru     list.List                // front: most recently used
}

type bucket struct {
	key    string
	tokens float64
	last   time.Time
}

// Option configures a Limiter.
type Option func(*Limiter)

// WithMaxKeys caps the number of keys held at n (n >= 1).
func WithMaxKeys(n int) Option {
	return func(l *Limiter) {
		if n >= 1 {
			l.maxKeys = n
		}
	}
}

// New returns a limiter allowing bursts of burst requests per key and rate
// requests per second on average. now is the clock; nil means time.Now. It
// panics if rate is not positive or burst is below 1, as those are
// programming errors.
func New(rate float64, burst int, now func() time.Time, opts ...Option) *Limiter {
	if !(rate > 0) || math.IsInf(rate, 0) {
		panic(fmt.Sprintf("ratelimit: rate must be positive and finite, got %v", rate))
	}
	if burst < 1 {
		panic(fmt.Sprintf("ratelimit: burst must be at least 1, got %d", burst))
	}
	if now == nil {
		now = time.Now
	}
	l := &Limiter{
		rate:    rate,
		burst:   float64(burst),
		now:     now,
		maxKeys: DefaultMaxKeys,
		full:    time.Duration(math.Ceil(float64(burst) / rate * float64(time.Second))),
		buckets: make(map[string]*list.Element),
	}
	for _, o := range opts {
		o(l)
	}
	return l
}

// Allow takes one token from key's bucket. When the bucket is empty it
// returns false and how long until a token is available, which is what a
// Retry-After header should say.
func (l *Limiter) Allow(key string) (ok bool, retryAfter time.Duration) {
	return l.AllowN(key, 1)
}

// AllowN takes n tokens from key's bucket, or none: a request that stands
// for n (a batch of n messages) counts as n. When the bucket holds fewer it
// returns false and how long until it holds n; n above the burst can never
// be allowed (retryAfter is then how long until the bucket is full).
func (l *Limiter) AllowN(key string, n int) (ok bool, retryAfter time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.bucket(key)
	need := float64(n)
	if b.tokens >= need {
		b.tokens -= need
		return true, 0
	}
	return false, l.wait(b, min(need, l.burst))
}

// Blocked reports whether key's bucket is empty, and for how long, without
// taking a token: a limiter of failures (bad passwords, say) takes a token
// per failure with Allow and refuses every attempt while Blocked.
func (l *Limiter) Blocked(key string) (blocked bool, retryAfter time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.bucket(key)
	if b.tokens >= 1 {
		return false, 0
	}
	return true, l.wait(b, 1)
}

// bucket returns key's bucket refilled up to now, creating it full.
func (l *Limiter) bucket(key string) *bucket {
	now := l.now()
	l.evictIdle(now)
	if e, found := l.buckets[key]; found {
		b := e.Value.(*bucket)
		l.lru.MoveToFront(e)
		if elapsed := now.Sub(b.last); elapsed > 0 {
			b.tokens = math.Min(l.burst, b.tokens+elapsed.Seconds()*l.rate)
		}
		// A clock that steps back must not refill or drain the bucket.
		if now.After(b.last) {
			b.last = now
		}
		return b
	}
	b := &bucket{key: key, tokens: l.burst, last: now}
	l.buckets[key] = l.lru.PushFront(b)
	for l.lru.Len() > l.maxKeys {
		l.remove(l.lru.Back())
	}
	return b
}

// wait is how long until b has need tokens.
func (l *Limiter) wait(b *bucket, need float64) time.Duration {
	return time.Duration(math.Ceil((need - b.tokens) / l.rate * float64(time.Second)))
}

// evictIdle forgets the least recently used buckets that have been idle long
// enough to be full again. Buckets are ordered by last use, so this stops at
// the first one still in use: amortised O(1) per call.
func (l *Limiter) evictIdle(now time.Time) {
	for e := l.lru.Back(); e != nil; e = l.lru.Back() {
		if now.Sub(e.Value.(*bucket).last) < l.full {
			return
		}
		l.remove(e)
	}
}

func (l *Limiter) remove(e *list.Element) {
	delete(l.buckets, e.Value.(*bucket).key)
	l.lru.Remove(e)
}

// Len is the number of keys currently held, for metrics.
func (l *Limiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}

// Error is the rate_limited error to answer when Allow refuses: status 429,
// retryable, with the wait in the message. The Retry-After header (whole
// seconds, rounded up) is the caller's to set; RetryAfterSeconds computes it.
func Error(retryAfter time.Duration) *api.Error {
	e := api.Errorf(api.CodeRateLimited, "too many requests; retry in %s", retryAfter.Round(time.Millisecond))
	e.Status = api.StatusFor(api.CodeRateLimited)
	return e
}

// RetryAfterSeconds is retryAfter in whole seconds rounded up, at least 1,
// as the Retry-After header wants it.
func RetryAfterSeconds(retryAfter time.Duration) int {
	s := int(math.Ceil(retryAfter.Seconds()))
	if s < 1 {
		return 1
	}
	return s
}
