package sdk

import (
	"context"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// backoff returns the wait before retry number attempt (0 based):
// exponential from base, capped at max, with "equal jitter" (half fixed,
// half random) so that many clients do not retry in lockstep.
func backoff(attempt int, base, max time.Duration) time.Duration {
	d := base
	for i := 0; i < attempt && d < max; i++ {
		d *= 2
	}
	if d > max {
		d = max
	}
	half := d / 2
	return half + rand.N(half+1)
}

// maxRateLimitRetries is how often a request refused with 429 is sent
// again before its caller sees rate_limited.
const maxRateLimitRetries = 3

// retryAfter is the wait a 429 asks for: its Retry-After seconds (1 s
// when it has none), at least 100 ms. ok is false past 10 s: a wait that
// long is the caller's to decide.
func retryAfter(resp *Response) (d time.Duration, ok bool) {
	d = time.Second
	if n, err := strconv.Atoi(strings.TrimSpace(resp.Header["retry-after"])); err == nil {
		d = time.Duration(n) * time.Second
	}
	return max(d, 100*time.Millisecond), d <= 10*time.Second
}

// sleep waits d on the client's clock; false when ctx ended first.
func (c *Client) sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := c.cfg.Clock.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C():
		return true
	case <-ctx.Done():
		return false
	}
}
