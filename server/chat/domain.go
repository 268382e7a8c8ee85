// Package chat is the platform's chat domain: the chat state machine
// (create, queue, assign, escalate, deflect, transfer, finish, dismiss,
// time out), the scripted virtual agent, the simulated human agent, agent
// presence and the company's configuration they follow. It keeps its
// state in the store and publishes events through the store's commits; it
// knows nothing of HTTP, which belongs to the API packages in front of it.
package chat

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ccaip/headless-go/server/store"
)

// JWTLeeway tolerates clock skew between the company's backend and us, in
// end-user JWTs and signed custom data alike.
const JWTLeeway = 30 * time.Second

// Config is what the domain needs from the platform's configuration.
type Config struct {
	Company *Company
	Store   *store.DB
	Now     func() time.Time
	Logger  *slog.Logger

	// DismissAfter, ChatTimeout and SweepInterval override the lifecycle
	// timers (Lifecycle); see server.Config.
	DismissAfter  time.Duration
	ChatTimeout   time.Duration
	SweepInterval time.Duration
	// AutoAgent plays a simulated human agent.
	AutoAgent AutoAgent
	// VADelay is how long the virtual agent "thinks" before each reply.
	VADelay time.Duration
	// CallStep is how long each simulated phase of a call lasts; 0 means
	// 5 seconds.
	CallStep time.Duration
	// Webhook queues a webhook event; nil sends none.
	Webhook func(event string, payload any)
	// SessionTTL is the life of an end-user session (NewSession).
	SessionTTL time.Duration
}

// Domain applies the chat rules of one company to the store. Create it
// with New, Start its background work, and Stop then Wait when done.
type Domain struct {
	cfg      Config
	company  *Company
	store    *store.DB
	db       *store.ReadDB
	log      *slog.Logger
	presence *presence
	sessions *sessionCache // end-user sessions in front of the store

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	closed atomic.Bool
}

// New returns a Domain over cfg.Store; cfg.Now and cfg.Logger must be set.
func New(cfg Config) *Domain {
	ctx, cancel := context.WithCancel(context.Background())
	return &Domain{
		cfg: cfg, company: cfg.Company, store: cfg.Store, db: cfg.Store.Reader(), log: cfg.Logger,
		presence: newPresence(), sessions: newSessionCache(), ctx: ctx, cancel: cancel,
	}
}

// Start starts the lifecycle sweeps.
func (s *Domain) Start() { s.runLifecycle() }

// Context is done once Stop was called: background work and long waits
// end with it.
func (s *Domain) Context() context.Context { return s.ctx }

// Stop refuses further writes and cancels background work; Wait waits for
// it to end.
func (s *Domain) Stop() {
	s.closed.Store(true)
	s.cancel()
}

// Wait returns once every goroutine started by Go has returned.
func (s *Domain) Wait() { s.wg.Wait() }

func (s *Domain) now() time.Time { return s.cfg.Now() }

// Now is the platform's clock (Config.Now).
func (s *Domain) Now() time.Time { return s.cfg.Now() }

// webhookSend queues a webhook through Config.Webhook.
func (s *Domain) webhookSend(event string, payload any) {
	if s.cfg.Webhook != nil {
		s.cfg.Webhook(event, payload)
	}
}

// Go runs f on a goroutine that Wait waits for; after Stop it does
// nothing.
func (s *Domain) Go(f func(ctx context.Context)) {
	if s.closed.Load() {
		return
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer func() {
			if p := recover(); p != nil {
				s.log.Error("background panic", "panic", p)
			}
		}()
		f(s.ctx)
	}()
}

// Sleep waits d or until ctx is done; it reports whether d passed.
func Sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
