package httpapi

import (
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server/chat"
	"github.com/ccaip/headless-go/server/media"
	"github.com/ccaip/headless-go/server/ratelimit"
	"github.com/ccaip/headless-go/server/store"
)

// Platform is what every HTTP API stands on: the company, its chat
// domain, the store's read pool, the media store and the limiters. The
// server builds one and hands it to each API, which embeds it.
type Platform struct {
	Company   *chat.Company
	Chat      *chat.Domain
	DB        *store.ReadDB // reads: a pool that never waits for the writer
	Media     *media.Store  // chat files, email attachments, PDF transcripts
	Log       *slog.Logger
	Now       func() time.Time
	PublicURL string // base URL of media and realtime URLs; "" derives it from each request's Host
	Limits    Limits
}

// Limits are the limiters the rate classes draw from; nil ones are off.
type Limits struct {
	EndUser       *ratelimit.Limiter // RateEndUser, per end user
	Token         *ratelimit.Limiter // RateToken, per client address
	Company       *ratelimit.Limiter // RateREST and RateAgentSignIn, per company
	LoginFailures *ratelimit.Limiter // failed Basic logins, per client address
}

// Handle adapts a handler that returns an error: the error is answered in
// the one error shape, and logged when it is not an *api.Error.
func (p *Platform) Handle(h func(w http.ResponseWriter, r *http.Request) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			var e *api.Error
			if !errors.As(err, &e) {
				p.Log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
			}
			WriteError(w, err)
		}
	}
}

// Take takes a token of class rc for r; who is the end user of
// RateEndUser.
func (p *Platform) Take(w http.ResponseWriter, r *http.Request, rc RateClass, who int64) error {
	return p.TakeN(w, r, rc, who, 1)
}

// TakeN takes n tokens of class rc for r at once, or none: a request that
// stands for n (a batch of messages) after its route's adapter took one
// takes the n-1 others.
func (p *Platform) TakeN(w http.ResponseWriter, r *http.Request, rc RateClass, who int64, n int) error {
	if n <= 0 {
		return nil
	}
	switch rc {
	case RateNone:
		return nil
	case RateEndUser:
		return takeToken(w, p.Limits.EndUser, strconv.FormatInt(who, 10), n)
	case RateToken:
		return takeToken(w, p.Limits.Token, ClientAddr(r), n)
	case RateREST:
		return takeToken(w, p.Limits.Company, p.Company.ID, n)
	case RateAgentSignIn:
		return takeToken(w, p.Limits.Company, "agent-sign-in:"+p.Company.ID, n)
	}
	panic("server: no limiter for rate class " + strconv.Itoa(int(rc)))
}

// takeToken takes n tokens of key from l (nil: no limit), answering 429
// with Retry-After when there are fewer.
func takeToken(w http.ResponseWriter, l *ratelimit.Limiter, key string, n int) error {
	if l == nil {
		return nil
	}
	if ok, wait := l.AllowN(key, n); !ok {
		w.Header().Set("Retry-After", strconv.Itoa(ratelimit.RetryAfterSeconds(wait)))
		return ratelimit.Error(wait)
	}
	return nil
}

// ClientAddr is the address a request came from, for the per-address
// limits. Forwarding headers are not trusted: the platform is reached
// directly.
func ClientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// Open adapts a route without a session: it takes its token first.
func (p *Platform) Open(h func(w http.ResponseWriter, r *http.Request) error) Guarded {
	return func(rt Route) http.HandlerFunc {
		MustRate(rt, RateNone, RateToken, RateAgentSignIn)
		return p.Handle(func(w http.ResponseWriter, r *http.Request) error {
			if err := p.Take(w, r, rt.Rate, 0); err != nil {
				return err
			}
			return h(w, r)
		})
	}
}

// Plain adapts a handler that answers by itself (the media uploader).
func Plain(h http.HandlerFunc) Guarded {
	return func(rt Route) http.HandlerFunc {
		MustRate(rt, RateNone)
		return h
	}
}

// CheckBasic verifies HTTP Basic credentials (subdomain : API token) in
// constant time. Both sides are hashed first so that lengths leak nothing.
// A client address that failed too often (Rates.LoginFailures) is refused
// with 429 before its credentials are even looked at, so they cannot be
// guessed quickly.
func (p *Platform) CheckBasic(w http.ResponseWriter, r *http.Request) error {
	user, pass, ok := r.BasicAuth()
	if !ok {
		return api.Errorf(api.CodeUnauthorized, "missing Basic credentials (company subdomain : API token)")
	}
	addr := ClientAddr(r)
	if l := p.Limits.LoginFailures; l != nil {
		if blocked, wait := l.Blocked(addr); blocked {
			w.Header().Set("Retry-After", strconv.Itoa(ratelimit.RetryAfterSeconds(wait)))
			return api.Errorf(api.CodeRateLimited, "too many failed logins from this address; retry in %d s", ratelimit.RetryAfterSeconds(wait))
		}
	}
	hu, wu := sha256.Sum256([]byte(user)), sha256.Sum256([]byte(p.Company.Subdomain))
	hp, wp := sha256.Sum256([]byte(pass)), sha256.Sum256([]byte(p.Company.APIToken))
	okUser := subtle.ConstantTimeCompare(hu[:], wu[:])
	okPass := subtle.ConstantTimeCompare(hp[:], wp[:])
	if okUser&okPass != 1 {
		if l := p.Limits.LoginFailures; l != nil {
			l.Allow(addr)
		}
		return api.Errorf(api.CodeUnauthorized, "bad Basic credentials")
	}
	return nil
}

// BaseURL is the platform's public base URL for r.
func (p *Platform) BaseURL(r *http.Request) string {
	if p.PublicURL != "" {
		return strings.TrimRight(p.PublicURL, "/")
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// PathAnyChat loads the chat the path's {id} names, whoever's it is: for
// agents and the REST API.
func (p *Platform) PathAnyChat(r *http.Request) (*chat.Row, error) {
	id, err := PathID(r, "id")
	if err != nil {
		return nil, err
	}
	return p.Chat.LoadChat(r.Context(), p.DB, id)
}

// WriteChat answers chat c as the APIs show it.
func (p *Platform) WriteChat(w http.ResponseWriter, r *http.Request, c *chat.Row) error {
	ac, err := p.Chat.APIChat(r.Context(), p.DB, c)
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, ac)
	return nil
}
