//go:build !(js && wasm)

package sdk_test

import (
	"errors"
	"testing"
	"time"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server"
)

// TestRateLimitedCallsWait: calls the platform refuses with 429 are sent
// again after its Retry-After, so a burst over the end user's rate
// succeeds, just later; a limit that does not lift within the retries
// reaches the caller as rate_limited.
func TestRateLimitedCallsWait(t *testing.T) {
	t.Parallel()
	p := newPlatform(t, server.Config{Rates: server.Rates{EndUser: 2, EndUserBurst: 2}})
	c, _ := newClient(t, p, "hasty")
	ctx := ctxT(t)
	start := time.Now()
	for i := range 6 {
		if _, err := c.GetCompany(ctx); err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	if d := time.Since(start); d < time.Second {
		t.Errorf("6 calls at 2/s took %v: the limit did not apply", d)
	}

	slow := newPlatform(t, server.Config{Rates: server.Rates{EndUser: 0.01, EndUserBurst: 1}})
	c2, _ := newClient(t, slow, "very-hasty")
	c2.GetCompany(ctx) // the one token
	_, err := c2.GetCompany(ctx)
	var ae *api.Error
	if !errors.As(err, &ae) || ae.Code != api.CodeRateLimited || !ae.Retryable {
		t.Fatalf("after the retries: %v, want a retryable rate_limited", err)
	}
}
