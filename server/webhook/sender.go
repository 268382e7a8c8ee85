// Package webhook delivers the platform's signed webhooks (chat_created,
// message_received) to a company's endpoint, and verifies them for
// receivers.
//
// Each request is a POST of the JSON envelope
//
//	{"event": "chat_created", "created_at": "2026-01-02T15:04:05Z", "data": {...}}
//
// with the headers X-Signature ("primary=" + base64 HMAC-SHA256(secret,
// timestamp + body)), X-Signature-Timestamp (Unix seconds, re-stamped on
// every attempt) and X-Webhook-Id (stable across retries).
package webhook

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ccaip/headless-go/api"
)

// Documented events.
const (
	EventChatCreated     = "chat_created"
	EventMessageReceived = "message_received"
)

// Defaults of Config.
const (
	DefaultMaxAttempts  = 5
	DefaultBackoff      = 500 * time.Millisecond
	DefaultMaxBackoff   = 30 * time.Second
	DefaultQueueSize    = 1024
	DefaultCloseTimeout = 5 * time.Second
	DefaultTimeout      = 10 * time.Second
)

// Envelope is the body of every webhook request.
type Envelope struct {
	Event     string          `json:"event"`
	CreatedAt string          `json:"created_at"`
	Data      json.RawMessage `json:"data"`
}

// Config configures a Sender. URL and Secret are required; every other
// field has a default.
type Config struct {
	// URL is the company's webhook endpoint (http or https).
	URL string
	// Secret keys the HMAC signature.
	Secret []byte
	// Client sends the requests. nil means a client of the Sender's own
	// with DefaultTimeout that does not follow redirects, and whose idle
	// connections Close releases.
	Client *http.Client
	// MaxAttempts is the number of tries per event, the first included.
	MaxAttempts int
	// Backoff is the wait before the first retry; it doubles on each
	// further retry, up to MaxBackoff. A 429 or 503 answer's Retry-After
	// (in seconds) replaces it when longer, still capped at MaxBackoff.
	Backoff    time.Duration
	MaxBackoff time.Duration
	// QueueSize bounds the events waiting for delivery; Send refuses more.
	QueueSize int
	// CloseTimeout bounds how long Close keeps delivering queued events.
	CloseTimeout time.Duration
	// Now stamps created_at and the signature timestamp; nil means
	// time.Now.
	Now func() time.Time
	// OnDrop, if set, is called (from the Sender's goroutine) for each
	// event given up: after MaxAttempts, on an answer that is not worth
	// retrying (4xx other than 429), or when Close ran out of time.
	OnDrop func(event string, body []byte, err error)
}

// Sender delivers webhooks in order from one goroutine, started by New and
// stopped by Close. Send never blocks.
type Sender struct {
	cfg       Config
	ownClient bool
	ctx       context.Context
	cancel    context.CancelFunc
	queue     chan job
	done      chan struct{}
	dropped   atomic.Int64

	mu     sync.RWMutex
	closed bool
}

type job struct {
	id    string
	event string
	body  []byte
}

// New validates cfg, fills in defaults and starts the delivery goroutine.
func New(cfg Config) (*Sender, error) {
	u, err := url.Parse(cfg.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, api.Errorf(api.CodeInvalidArgument, "webhook: URL %q is not an absolute http(s) URL", cfg.URL)
	}
	if len(cfg.Secret) == 0 {
		return nil, api.Errorf(api.CodeInvalidArgument, "webhook: empty secret")
	}
	s := &Sender{cfg: cfg}
	if s.cfg.Client == nil {
		s.cfg.Client = &http.Client{
			Timeout:   DefaultTimeout,
			Transport: http.DefaultTransport.(*http.Transport).Clone(),
			// A webhook endpoint that redirects is misconfigured; following
			// would turn the POST into a GET and lose the body.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}
		s.ownClient = true
	}
	if s.cfg.MaxAttempts < 1 {
		s.cfg.MaxAttempts = DefaultMaxAttempts
	}
	if s.cfg.Backoff <= 0 {
		s.cfg.Backoff = DefaultBackoff
	}
	if s.cfg.MaxBackoff <= 0 {
		s.cfg.MaxBackoff = DefaultMaxBackoff
	}
	if s.cfg.MaxBackoff < s.cfg.Backoff {
		s.cfg.MaxBackoff = s.cfg.Backoff
	}
	if s.cfg.QueueSize < 1 {
		s.cfg.QueueSize = DefaultQueueSize
	}
	if s.cfg.CloseTimeout <= 0 {
		s.cfg.CloseTimeout = DefaultCloseTimeout
	}
	if s.cfg.Now == nil {
		s.cfg.Now = time.Now
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.queue = make(chan job, s.cfg.QueueSize)
	s.done = make(chan struct{})
	go s.run()
	return s, nil
}

// Send queues event with payload as its data and returns at once. payload
// is encoded now, so later changes to it do not leak into the webhook. It
// fails with an unavailable error when the queue is full or the Sender is
// closed, and with invalid_argument when payload cannot be encoded.
func (s *Sender) Send(event string, payload any) error {
	if event == "" {
		return api.Errorf(api.CodeInvalidArgument, "webhook: empty event name")
	}
	data, err := json.Marshal(payload)
	if err != nil {
		return api.Errorf(api.CodeInvalidArgument, "webhook %s: encode payload: %v", event, err)
	}
	body, err := json.Marshal(Envelope{
		Event:     event,
		CreatedAt: s.cfg.Now().UTC().Format(time.RFC3339),
		Data:      data,
	})
	if err != nil {
		return api.Errorf(api.CodeInvalidArgument, "webhook %s: encode envelope: %v", event, err)
	}
	j := job{id: newID(), event: event, body: body}

	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return api.Errorf(api.CodeUnavailable, "webhook %s: sender is closed", event)
	}
	select {
	case s.queue <- j:
		return nil
	default:
		return api.Errorf(api.CodeUnavailable, "webhook %s: queue is full (%d events waiting)", event, s.cfg.QueueSize)
	}
}

// Close stops accepting events and keeps delivering the queued ones for up
// to CloseTimeout; then it aborts the request in flight, drops what is left
// and returns an error saying how many events were dropped. When Close
// returns, the Sender's goroutine has ended. Close is idempotent.
func (s *Sender) Close() error {
	s.mu.Lock()
	already := s.closed
	if !already {
		s.closed = true
		close(s.queue)
	}
	s.mu.Unlock()

	timer := time.NewTimer(s.cfg.CloseTimeout)
	defer timer.Stop()
	select {
	case <-s.done:
	case <-timer.C:
		s.cancel()
		<-s.done
	}
	s.cancel()
	if s.ownClient {
		s.cfg.Client.CloseIdleConnections()
	}
	if already {
		return nil
	}
	if n := s.dropped.Load(); n > 0 {
		return api.Errorf(api.CodeUnavailable, "webhook: %d events were not delivered", n)
	}
	return nil
}

func (s *Sender) run() {
	defer close(s.done)
	for j := range s.queue {
		if err := s.deliver(j); err != nil {
			s.dropped.Add(1)
			if s.cfg.OnDrop != nil {
				s.cfg.OnDrop(j.event, j.body, err)
			}
		}
	}
}

// deliver tries j up to MaxAttempts times and returns why it gave up.
func (s *Sender) deliver(j job) error {
	var last error
	for attempt := 1; attempt <= s.cfg.MaxAttempts; attempt++ {
		if err := s.ctx.Err(); err != nil {
			return fmt.Errorf("webhook %s: sender closed before delivery: %w", j.event, errClosed)
		}
		retry, wait, err := s.attempt(j)
		if err == nil {
			return nil
		}
		last = fmt.Errorf("webhook %s: attempt %d of %d: %w", j.event, attempt, s.cfg.MaxAttempts, err)
		if !retry || attempt == s.cfg.MaxAttempts {
			break
		}
		delay := s.backoff(attempt)
		if wait > delay {
			delay = min(wait, s.cfg.MaxBackoff)
		}
		t := time.NewTimer(delay)
		select {
		case <-t.C:
		case <-s.ctx.Done():
			t.Stop()
			return fmt.Errorf("%w (then the sender closed)", last)
		}
	}
	return last
}

var errClosed = errors.New("sender closed")

// backoff is the wait after the given failed attempt (1-based).
func (s *Sender) backoff(attempt int) time.Duration {
	d := s.cfg.Backoff
	for i := 1; i < attempt; i++ {
		d *= 2
		if d >= s.cfg.MaxBackoff {
			return s.cfg.MaxBackoff
		}
	}
	return d
}

// attempt posts j once. retry says whether another attempt may succeed;
// wait is the server's Retry-After, if it gave one.
func (s *Sender) attempt(j job) (retry bool, wait time.Duration, err error) {
	req, err := http.NewRequestWithContext(s.ctx, http.MethodPost, s.cfg.URL, bytes.NewReader(j.body))
	if err != nil {
		return false, 0, err
	}
	ts := strconv.FormatInt(s.cfg.Now().Unix(), 10)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "ccaip-headless-webhook/1")
	req.Header.Set(HeaderTimestamp, ts)
	req.Header.Set(HeaderSignature, Sign(s.cfg.Secret, ts, j.body))
	req.Header.Set(HeaderID, j.id)
	resp, err := s.cfg.Client.Do(req)
	if err != nil {
		return true, 0, err
	}
	// Drain a little so the connection can be reused.
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		return false, 0, nil
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		if secs, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && secs > 0 {
			wait = time.Duration(secs) * time.Second
		}
		return true, wait, fmt.Errorf("endpoint answered %s", resp.Status)
	}
	return false, 0, fmt.Errorf("endpoint answered %s; not retried", resp.Status)
}

func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
