package server

import (
	"net/http"
	"time"

	"github.com/ccaip/headless-go/server/chat"
	"github.com/ccaip/headless-go/server/httpapi"
	"github.com/ccaip/headless-go/server/ratelimit"
)

// The platform's limits on connections, request rates and fields, in one
// place. docs/enduser-api.md ("Limits") and docs/rest-api.md state each,
// with the error past it.

// Timeouts bound every connection of the platform's HTTP server
// (Server.HTTPServer), so that a client that sends its request slowly, or
// keeps an idle connection, cannot hold it for ever. Zero fields take the
// defaults; the long routes of the APIs' route tables (httpapi.Route.Long)
// get longer read and write deadlines.
type Timeouts struct {
	ReadHeader     time.Duration // request line and headers; 0: 10 s
	Read           time.Duration // the whole request, body included; 0: 30 s
	Write          time.Duration // from the end of the headers to the end of the answer; 0: 30 s
	Idle           time.Duration // a keep-alive connection between requests; 0: 60 s
	MaxHeaderBytes int           // request line and headers; 0: 32 KiB
}

func (t Timeouts) withDefaults() Timeouts {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&t.ReadHeader, 10*time.Second)
	def(&t.Read, 30*time.Second)
	def(&t.Write, 30*time.Second)
	def(&t.Idle, 60*time.Second)
	if t.MaxHeaderBytes <= 0 {
		t.MaxHeaderBytes = 32 << 10
	}
	return t
}

// HTTPServer returns an http.Server for h (nil: the platform's Handler)
// with the connection limits of Config.Timeouts. Serve the platform with
// it rather than a bare http.Server.
func (s *Server) HTTPServer(h http.Handler) *http.Server {
	if h == nil {
		h = s.handler
	}
	t := s.cfg.Timeouts.withDefaults()
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: t.ReadHeader,
		ReadTimeout:       t.Read,
		WriteTimeout:      t.Write,
		IdleTimeout:       t.Idle,
		MaxHeaderBytes:    t.MaxHeaderBytes,
	}
}

// Rates is how often a client may call the platform. Zero fields take the
// defaults; a negative rate turns that limit off (a load test from one
// address, say). Past a limit the answer is 429 rate_limited with
// Retry-After.
type Rates struct {
	// EndUser and EndUserBurst bound each end user's requests on the
	// authenticated end-user routes; 0: 50 per second, bursts of 200.
	EndUser      float64
	EndUserBurst int
	// Token and TokenBurst bound token exchanges per client address;
	// 0: 10 per second, bursts of 50.
	Token      float64
	TokenBurst int
	// LoginFailures is how many failed Basic logins (REST API, media,
	// agent sign-in) a client address may make before every Basic login
	// from it is refused; one more is allowed every LoginFailureRefill.
	// 0: 10, one every 6 s.
	LoginFailures      int
	LoginFailureRefill time.Duration
}

// The defaults of Rates.
const (
	defaultEndUserRate, defaultEndUserBurst = 50, 200
	defaultTokenRate, defaultTokenBurst     = 10, 50
	defaultLoginFailures                    = 10
	defaultLoginFailureRefill               = 6 * time.Second
)

// newLimits builds the limiters of rates and of rest, the REST API's rate
// per company (0: the documented 10 per second).
func newLimits(r Rates, rest float64, now func() time.Time) httpapi.Limits {
	mk := func(rate float64, burst int, defRate float64, defBurst int) *ratelimit.Limiter {
		if rate < 0 {
			return nil
		}
		if rate == 0 {
			rate = defRate
		}
		if burst <= 0 {
			burst = defBurst
		}
		return ratelimit.New(rate, burst, now)
	}
	refill := r.LoginFailureRefill
	if refill <= 0 {
		refill = defaultLoginFailureRefill
	}
	n := r.LoginFailures
	if n == 0 {
		n = defaultLoginFailures
	}
	if rest <= 0 {
		rest = 10
	}
	l := httpapi.Limits{
		EndUser: mk(r.EndUser, r.EndUserBurst, defaultEndUserRate, defaultEndUserBurst),
		Token:   mk(r.Token, r.TokenBurst, defaultTokenRate, defaultTokenBurst),
		Company: ratelimit.New(rest, int(max(rest, 1)), now),
	}
	if n > 0 {
		l.LoginFailures = ratelimit.New(1/refill.Seconds(), n, now)
	}
	return l
}

// The message field limits live with the rule that applies them
// (chat.CheckMessageParts); the docs test reads them here.
const (
	maxMetadataBytes = chat.MaxMetadataBytes
	maxJSONDepth     = chat.MaxJSONDepth
	maxJSONArray     = chat.MaxJSONArray
	maxButtons       = chat.MaxButtons
	maxLabelLength   = chat.MaxLabelLength
)

// maxIdentifierLength bounds an end user's identifier (chat.CheckIdentifier).
const maxIdentifierLength = chat.MaxIdentifierLength
