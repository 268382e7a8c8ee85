// Package server is the local platform: the end-user API the SDK talks to,
// the Chat platform REST API a company's backend uses, the realtime channel
// (WebSocket and long poll), a scripted virtual agent, and SQLite storage in
// a data directory. It is the default platform of the demo and of every
// test, so it behaves like the real one rather than like a mock.
//
// This package is the wiring and the configuration: New builds the store
// (server/store), the chat domain (server/chat), the realtime hub
// (server/realtime) and the three HTTP APIs (server/enduserapi,
// server/restapi, server/agentapi, each with its own route table), and
// Handler serves them with the agent console's and the bridge's files.
package server

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server/agentapi"
	"github.com/ccaip/headless-go/server/chat"
	"github.com/ccaip/headless-go/server/enduserapi"
	"github.com/ccaip/headless-go/server/httpapi"
	"github.com/ccaip/headless-go/server/media"
	"github.com/ccaip/headless-go/server/realtime"
	"github.com/ccaip/headless-go/server/restapi"
	"github.com/ccaip/headless-go/server/store"
	"github.com/ccaip/headless-go/server/transcript"
	"github.com/ccaip/headless-go/server/webhook"
)

// webhookSend queues a webhook when the company has a webhook URL.
func (s *Server) webhookSend(event string, payload any) {
	if s.hooks == nil {
		return
	}
	if err := s.hooks.Send(event, payload); err != nil {
		s.Log.Warn("webhook not queued", "event", event, "err", err)
	}
}

// Config configures a Server. Only DataDir is required; every other field
// has a working zero value.
type Config struct {
	DataDir   string           // required: SQLite database, media, mail outbox
	Company   *Company         // nil: DefaultCompany() (the demo company)
	PublicURL string           // base URL used in realtime/media URLs; "" derives it from each request's Host
	Now       func() time.Time // nil: time.Now; injectable for expiry/dismissal tests
	Logger    *slog.Logger     // nil: discard

	// DismissAfter overrides the company's end-user idle time before an
	// ongoing chat is dismissed (Company.Lifecycle); negative: never.
	DismissAfter time.Duration
	// ChatTimeout overrides the company's cap on a chat's life; negative:
	// none.
	ChatTimeout time.Duration
	// SweepInterval spaces the lifecycle sweeps that apply both against
	// Now; 0 means 5 seconds.
	SweepInterval time.Duration
	// AutoAgent plays a simulated human agent; off by default.
	AutoAgent AutoAgent

	// VADelay is how long the virtual agent "thinks" before each reply.
	VADelay time.Duration
	// SessionTTL is the life of an end-user session; 0 means 30 minutes.
	SessionTTL time.Duration
	// TicketTTL is the life of a realtime ticket; 0 means one minute.
	TicketTTL time.Duration
	// PingInterval spaces realtime ping frames; 0 means 25 seconds.
	PingInterval time.Duration
	// RESTRate is the REST API's requests per second per company; 0
	// means the documented 10.
	RESTRate float64
	// WebhookClient sends webhooks; nil means the webhook package's own.
	WebhookClient *http.Client
	// WebhookBackoff is the first retry delay of webhooks; 0 means the
	// webhook package's default.
	WebhookBackoff time.Duration

	// CallStep is how long each simulated phase of a call lasts (queued,
	// connecting, connected); 0 means 5 seconds.
	CallStep time.Duration
	// SMTP, when set, also delivers transcript emails through an SMTP
	// server; the .eml files in DataDir/outbox are written either way.
	SMTP *transcript.SMTPSender
	// MailFrom is the From address of the platform's emails; "" means
	// the company's support email.
	MailFrom string

	// Timeouts bound the connections of HTTPServer (limits.go).
	Timeouts Timeouts
	// Rates bound how often each end user and client address may call
	// (limits.go); RESTRate above is the REST API's per company.
	Rates Rates
}

// Faults injects delivery faults into realtime connections and end-user
// sends so that the client's resume, dedup and ordering logic, and a UI's
// reconnecting and failed-send states, can be tested against the real
// server. They apply to every chat: tests that set them do not run in
// parallel with others.
type Faults struct {
	DropAfter int           // close each realtime connection after it has sent this many message frames (0: never)
	Duplicate bool          // send every message frame twice
	Reorder   bool          // swap each pair of consecutive message frames
	Delay     time.Duration // delay before each frame
	// RejectSends refuses end-user text and file messages as invalid
	// (not retryable), as a platform rejecting them would.
	RejectSends bool
	// Offline makes the realtime endpoints (WebSocket and long poll)
	// answer unavailable, so clients stay reconnecting.
	Offline bool
}

// Server is one running platform. Create it with New, serve Handler, and
// Close it when done.
type Server struct {
	// Platform is what the HTTP APIs stand on: the company, the chat
	// domain, the read pool, the media store, the limiters.
	*httpapi.Platform

	cfg     Config
	company *Company
	store   *store.DB // SQLite: writes through store.DB.Write (group commit)
	handler http.Handler
	hub     *realtime.Hub   // the chats' events: the store publishes, realtime and the agent feed listen
	hooks   *webhook.Sender // nil when the company has no webhook URL

	// The three HTTP APIs, each with its own route table.
	endUser *enduserapi.API
	rest    *restapi.API
	agents  *agentapi.API // its feed taps the hub

	closed atomic.Bool
}

// New opens the data directory and returns a ready Server.
func New(cfg Config) (*Server, error) {
	if cfg.DataDir == "" {
		return nil, errors.New("server: Config.DataDir is required")
	}
	if err := os.MkdirAll(cfg.DataDir, 0o755); err != nil {
		return nil, fmt.Errorf("server: data dir: %w", err)
	}
	if cfg.Company == nil {
		cfg.Company = DefaultCompany()
	}
	if err := cfg.Company.Validate(); err != nil {
		return nil, fmt.Errorf("server: %w", err)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.SessionTTL <= 0 {
		cfg.SessionTTL = 30 * time.Minute
	}
	if cfg.TicketTTL <= 0 {
		cfg.TicketTTL = time.Minute
	}
	if cfg.PingInterval <= 0 {
		cfg.PingInterval = 25 * time.Second
	}
	h := realtime.NewHub()
	st, err := store.Open(cfg.DataDir, store.Options{Publish: h.Publish, Logger: cfg.Logger})
	if err != nil {
		return nil, fmt.Errorf("server: %w", err)
	}
	ms, err := media.NewStore(filepath.Join(cfg.DataDir, "media"))
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("server: media: %w", err)
	}
	s := &Server{cfg: cfg, company: cfg.Company, store: st, hub: h}
	dom := chat.New(chat.Config{
		Company: cfg.Company, Store: st, Now: cfg.Now, Logger: cfg.Logger,
		DismissAfter: cfg.DismissAfter, ChatTimeout: cfg.ChatTimeout, SweepInterval: cfg.SweepInterval,
		AutoAgent: cfg.AutoAgent, VADelay: cfg.VADelay, CallStep: cfg.CallStep, Webhook: s.webhookSend,
		SessionTTL: cfg.SessionTTL,
	})
	s.Platform = &httpapi.Platform{
		Company: cfg.Company, Chat: dom, DB: st.Reader(), Media: ms, Log: cfg.Logger, Now: cfg.Now, PublicURL: cfg.PublicURL,
		Limits: newLimits(cfg.Rates, cfg.RESTRate, cfg.Now),
	}
	s.newAPIs()
	s.startDesk()
	if u := s.Company.WebhookURL; u != "" {
		secret := s.Company.WebhookSecret
		if secret == "" {
			secret = s.Company.Secret
		}
		h, err := webhook.New(webhook.Config{
			URL: u, Secret: []byte(secret), Client: cfg.WebhookClient, Backoff: cfg.WebhookBackoff, Now: cfg.Now,
			OnDrop: func(event string, _ []byte, err error) {
				s.Log.Warn("webhook dropped", "event", event, "err", err)
			},
		})
		if err != nil {
			dom.Stop()
			ms.Close()
			st.Close()
			return nil, fmt.Errorf("server: webhook: %w", err)
		}
		s.hooks = h
	}
	if err := s.startChannels(); err != nil {
		s.Close()
		return nil, fmt.Errorf("server: %w", err)
	}
	s.handler = s.routes()
	return s, nil
}

// startDesk wires the agent side into the hub (the console's feed and the
// simulated agent) and starts the domain's lifecycle sweeps; New calls it
// once, before serving.
func (s *Server) startDesk() {
	s.hub.SetTap(func(e api.Event) {
		s.agents.Observe(e)
		s.Chat.Observe(e)
	})
	s.Chat.Start()
}

// Handler is the platform's whole HTTP surface: the end-user API, the REST
// API, the realtime endpoints, the bridge files and /healthz.
func (s *Server) Handler() http.Handler { return s.handler }

// SetFaults replaces the realtime fault injection; it applies to existing
// connections from their next frame and to new ones.
func (s *Server) SetFaults(f Faults) {
	s.endUser.SetFaults(enduserapi.Faults{
		RejectSends: f.RejectSends, Offline: f.Offline,
		Frames: realtime.Faults{DropAfter: f.DropAfter, Duplicate: f.Duplicate, Reorder: f.Reorder, Delay: f.Delay},
	})
}

// Close stops background work, closes realtime connections and the
// database. Everything committed stays in DataDir for a later New.
func (s *Server) Close() error {
	if !s.closed.CompareAndSwap(false, true) {
		return nil
	}
	s.Chat.Stop()
	s.hub.CloseAll()
	s.Chat.Wait()
	var errs []error
	if s.hooks != nil {
		errs = append(errs, s.hooks.Close())
	}
	if s.Media != nil {
		errs = append(errs, s.Media.Close())
	}
	errs = append(errs, s.store.Close())
	return errors.Join(errs...)
}

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	s.mount(mux) // the three APIs' route tables (routes.go)
	s.consoleRoutes(mux)
	s.bridgeRoutes(mux)
	// Anything else answers in the error shape too.
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, api.Errorf(api.CodeNotFound, "no route %s %s", r.Method, r.URL.Path))
	})
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		if err := s.DB.PingContext(r.Context()); err != nil {
			writeError(w, api.Errorf(api.CodeUnavailable, "database unavailable"))
			return
		}
		httpapi.WriteJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	return s.recoverer(s.cors(mux))
}

// recoverer turns a handler panic into a 500 in the error shape.
func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.Log.Error("handler panic", "path", r.URL.Path, "panic", p)
				writeError(w, api.Errorf(api.CodeInternal, "internal error"))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// writeError answers err in the one error shape (httpapi.WriteError), for
// the bridge and SDK files.
func writeError(w http.ResponseWriter, err error) { httpapi.WriteError(w, err) }
