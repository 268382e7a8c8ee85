package sdk

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/api/jlexer"
	"github.com/ccaip/headless-go/api/jwriter"
)

// Config is what New needs: the documented client options plus the ports.
type Config struct {
	// CompanyID is the company the end user talks to (required).
	CompanyID string
	// Tenant is the company's tenant (subdomain); it namespaces store keys.
	Tenant string
	// Host is the platform's base URL (http or https). It resolves relative
	// realtime URLs; requests themselves go through Communicator.
	Host string
	// Lang is the default language of methods that take one.
	Lang string
	// Authenticate returns the end-user JWT (required).
	Authenticate Authenticator
	// Communicator carries API requests (required).
	Communicator Communicator
	// Dialer opens realtime WebSockets; nil means long polling only.
	Dialer Dialer
	// Store keeps the current chat and the outbox; nil means a MemoryStore.
	Store Store
	// Clock defaults to SystemClock.
	Clock Clock
	// Logger defaults to NopLogger.
	Logger Logger

	// ReconnectBase and ReconnectMax bound the reconnect and outbox retry
	// backoff (exponential with jitter). Defaults 250ms and 10s.
	ReconnectBase, ReconnectMax time.Duration
	// GapWait is how long a gap in message indexes may stay open, waiting
	// for a late frame, before it is filled from the platform. Default 300ms.
	GapWait time.Duration
	// PollTimeout is the long-poll wait the client asks for. Default 20s.
	PollTimeout time.Duration
	// WSFailuresBeforePolling is how many WebSocket attempts in a row may
	// fail before the client falls back to long polling. Default 2.
	WSFailuresBeforePolling int
	// SaveDelay is how long a moved cursor may wait before the chat record
	// or a changed outbox is written to the Store (see persist.go and
	// outbox.go). Default 100ms.
	SaveDelay time.Duration
}

// Client is the headless chat client. Its methods are safe for concurrent
// use; each takes a context that bounds the call. Close releases it.
type Client struct {
	cfg    Config
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	events *router
	out    *outbox

	authMu  sync.Mutex
	sess    *api.Session
	sessExp time.Time
	ident   atomic.Value // string: the signed-in end user's identifier (chatKey)
	gen     uint64
	readyed bool

	mu      sync.Mutex
	closed  bool
	chat    *api.Chat // current chat, nil when none
	seq     sequencer
	read    int64
	unread  []int64 // indexes of delivered messages from others after read
	rt      *runner
	reason  string
	cobrow  map[int64]string // cobrowse session id → last status seen
	members map[int64]*AgentInfo
	dirty   bool          // the chat record changed since it was written (persist.go)
	saveC   chan struct{} // wakes the chat record's saveLoop
}

// New makes a client. It starts authenticating in the background ("ready"
// follows the first success); methods authenticate on demand as well.
func New(cfg Config) (*Client, error) {
	switch {
	case cfg.CompanyID == "":
		return nil, invalid("CompanyID is required")
	case cfg.Authenticate == nil:
		return nil, invalid("Authenticate is required")
	case cfg.Communicator == nil:
		return nil, invalid("Communicator is required")
	}
	if cfg.Store == nil {
		cfg.Store = NewMemoryStore()
	}
	if cfg.Clock == nil {
		cfg.Clock = SystemClock{}
	}
	if cfg.Logger == nil {
		cfg.Logger = NopLogger{}
	}
	if cfg.ReconnectBase <= 0 {
		cfg.ReconnectBase = 250 * time.Millisecond
	}
	if cfg.ReconnectMax <= 0 {
		cfg.ReconnectMax = 10 * time.Second
	}
	if cfg.GapWait <= 0 {
		cfg.GapWait = 300 * time.Millisecond
	}
	if cfg.PollTimeout <= 0 {
		cfg.PollTimeout = 20 * time.Second
	}
	if cfg.WSFailuresBeforePolling <= 0 {
		cfg.WSFailuresBeforePolling = 2
	}
	if cfg.SaveDelay <= 0 {
		cfg.SaveDelay = 100 * time.Millisecond
	}
	c := &Client{cfg: cfg, events: newRouter(cfg.Logger), cobrow: map[int64]string{}, members: map[int64]*AgentInfo{}, saveC: make(chan struct{}, 1)}
	c.ctx, c.cancel = context.WithCancel(context.Background())
	c.out = newOutbox(c)
	c.goLoop(func() {
		if _, err := c.ensureSession(c.ctx); err != nil && c.ctx.Err() == nil {
			c.cfg.Logger.Logf("sdk: authenticate: %v", err)
			c.events.emit(EventError, err)
		}
	})
	c.goLoop(c.out.run)
	c.goLoop(func() { c.saveLoop(c.out.saveC, c.out.save) })
	c.goLoop(func() { c.saveLoop(c.saveC, c.saveRecord) })
	return c, nil
}

// goLoop runs fn on a goroutine that Close waits for.
func (c *Client) goLoop(fn func()) {
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		defer func() {
			if p := recover(); p != nil {
				c.cfg.Logger.Logf("sdk: background panic: %v", p)
			}
		}()
		fn()
	}()
}

// Close is the documented destroy(): it stops the realtime link, the
// outbox and every timer, delivers the events already emitted, removes all
// listeners and closes the communicator. The stored chat and outbox stay,
// so a new client on the same store resumes them. Close is idempotent.
func (c *Client) Close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.closed = true
	rt := c.rt
	c.rt = nil
	c.mu.Unlock()
	c.cancel()
	if rt != nil {
		rt.stop()
	}
	c.wg.Wait()
	// Nothing delivers any more: the record's last write is the final one.
	c.SaveState()
	c.events.emit(EventConnectionState, ConnOffline)
	c.events.close()
	return c.cfg.Communicator.Close()
}

// On registers fn for the named event and returns a function removing it.
// Listeners run one at a time on the client's dispatch goroutine, in the
// order events were emitted; state (CurrentChat and friends) is already
// updated when they run. A listener that panics is logged and skipped.
func (c *Client) On(event string, fn Listener) (off func()) { return c.events.on(event, fn, false) }

// Once is On for a single delivery.
func (c *Client) Once(event string, fn Listener) (off func()) { return c.events.on(event, fn, true) }

// OnDrained registers fn to run after each round of deliveries, once the
// listeners have had every event queued so far, on the same goroutine. A
// listener that buffers its work (a UI render, a hand-over to another
// runtime) can flush it there. It also ends with Close and Off("").
func (c *Client) OnDrained(fn func()) (off func()) { return c.events.onDrained(fn) }

// Off removes every listener of event, or of all events when event is "".
// (Go funcs are not comparable; to remove one listener, call what On returned.)
func (c *Client) Off(event string) { c.events.off(event) }

// ListenerCount is the number of registered listeners; zero after Close.
func (c *Client) ListenerCount() int { return c.events.count() }

// Session returns the current session (without its token) and whether
// there is one.
func (c *Client) Session() (api.Session, bool) {
	c.authMu.Lock()
	defer c.authMu.Unlock()
	if c.sess == nil {
		return api.Session{}, false
	}
	return *c.sess, true
}

func (c *Client) isClosed() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closed
}

// join returns a context done when ctx or the client is.
func (c *Client) join(ctx context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(ctx)
	stop := context.AfterFunc(c.ctx, cancel)
	return ctx, func() { stop(); cancel() }
}

// ensureSession authenticates when there is no session or it is about to
// expire, and returns the session generation the caller will use.
func (c *Client) ensureSession(ctx context.Context) (uint64, error) {
	c.authMu.Lock()
	defer c.authMu.Unlock()
	if c.sess != nil && (c.sessExp.IsZero() || c.cfg.Clock.Now().Before(c.sessExp.Add(-5*time.Second))) {
		return c.gen, nil
	}
	token, err := c.cfg.Authenticate(ctx)
	if err != nil {
		if ae := asAPIError(err, false); ae.Code != api.CodeUnavailable || ctx.Err() != nil {
			return 0, ae
		}
		return 0, &api.Error{Code: api.CodeUnauthorized, Message: "authenticate: " + err.Error()}
	}
	s, err := c.cfg.Communicator.Authenticate(ctx, api.TokenRequest{CompanyID: c.cfg.CompanyID, Tenant: c.cfg.Tenant, Token: token})
	if err != nil {
		return 0, asAPIError(err, c.isClosed())
	}
	s.SessionToken = ""
	c.installSessionLocked(s)
	return c.gen, nil
}

func (c *Client) installSessionLocked(s api.Session) {
	c.sess = &s
	c.gen++
	c.sessExp = time.Time{}
	if t, ok := parseRFC3339(s.ExpiresAt); ok {
		c.sessExp = t
	}
	user := s.EndUser
	c.ident.Store(user.Identifier)
	c.events.emit(EventAuthenticated, &user)
	if !c.readyed {
		c.readyed = true
		c.events.emit(EventReady, nil)
	}
}

// expireSession drops the session of generation gen so that the next call
// authenticates again; later generations are kept.
func (c *Client) expireSession(gen uint64) {
	c.authMu.Lock()
	defer c.authMu.Unlock()
	if c.gen == gen {
		c.sess = nil
	}
}

// encoder writes one JSON value: a bound MarshalEasyJSON method such as
// req.MarshalEasyJSON. decoder reads one: resp.UnmarshalEasyJSON. They are
// funcs, not interfaces, on purpose: one interface call of MarshalEasyJSON
// anywhere makes the linker keep that method on every api type that ever
// becomes an interface value, so the wasm build would carry the encoder and
// decoder of every type; with method values it keeps only those used.
type (
	encoder = func(w *jwriter.Writer)
	decoder = func(l *jlexer.Lexer)
)

func encode(enc encoder) []byte {
	var w jwriter.Writer
	enc(&w)
	b, _ := w.BuildBytes()
	return b
}

func decode(b []byte, dec decoder) error {
	l := jlexer.Lexer{Data: b}
	dec(&l)
	return l.Error()
}

// route fills a route's {name} placeholders from pairs of name and value.
func route(pattern string, pairs ...any) string {
	for i := 0; i+1 < len(pairs); i += 2 {
		var v string
		switch x := pairs[i+1].(type) {
		case int64:
			v = itoa(x)
		case int:
			v = itoa(int64(x))
		case string:
			v = x
		}
		pattern = strings.Replace(pattern, "{"+pairs[i].(string)+"}", v, 1)
	}
	return pattern
}

// do sends req with the session and decodes a 2xx body into out. A 401
// makes it authenticate again and retry once (the session expired). A 429
// (the platform's rate limits) is retried after its Retry-After, a few
// times: the platform refuses before doing anything, so even a POST is
// safe to send again.
func (c *Client) do(ctx context.Context, req *Request, out decoder) (*Response, error) {
	if c.isClosed() {
		return nil, ErrDestroyed
	}
	ctx, cancel := c.join(ctx)
	defer cancel()
	limited := 0
	for attempt := 0; ; attempt++ {
		gen, err := c.ensureSession(ctx)
		if err != nil {
			return nil, err
		}
		resp, err := c.cfg.Communicator.Do(ctx, req)
		if err != nil {
			return nil, asAPIError(err, c.isClosed())
		}
		if resp.Status == 401 && attempt == 0 {
			c.expireSession(gen)
			continue
		}
		if resp.Status == 429 && limited < maxRateLimitRetries {
			if wait, ok := retryAfter(resp); ok {
				limited++
				attempt--
				if !c.sleep(ctx, wait) {
					return nil, asAPIError(ctx.Err(), c.isClosed())
				}
				continue
			}
		}
		if resp.Status >= 400 {
			return resp, responseError(resp)
		}
		if out != nil && len(resp.Body) > 0 {
			if err := decode(resp.Body, out); err != nil {
				return resp, &api.Error{Code: api.CodeInternal, Message: "decode " + req.Path + ": " + err.Error(), Status: resp.Status}
			}
		}
		return resp, nil
	}
}

func (c *Client) get(ctx context.Context, path, query string, out decoder) error {
	_, err := c.do(ctx, &Request{Method: "GET", Path: path, Query: query}, out)
	return err
}

func (c *Client) post(ctx context.Context, path string, in encoder, out decoder) error {
	req := &Request{Method: "POST", Path: path}
	if in != nil {
		req.ContentType = "application/json"
		req.Body = encode(in)
	}
	_, err := c.do(ctx, req, out)
	return err
}

// lang returns l, or the configured default language when l is empty.
func (c *Client) lang(l string) string {
	if l == "" {
		return c.cfg.Lang
	}
	return l
}
