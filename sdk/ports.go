package sdk

import (
	"context"
	"time"

	"github.com/ccaip/headless-go/api"
)

// The ports below are what the client needs from its surroundings. The
// browser build (wasm/) implements them over the communication iframe, the
// browser WebSocket, localStorage and JS timers. Native Go users and the
// tests use MemoryStore and SystemClock from this package and the HTTP
// communicator and WebSocket dialer of sdk/native, kept apart so that the
// wasm build never links net/http.

// Communicator carries end-user API requests to the platform and holds the
// session credentials, so that the client itself never sees the session token.
type Communicator interface {
	// Authenticate exchanges the company-signed end-user JWT for a session
	// and keeps its token for later requests.
	Authenticate(ctx context.Context, req api.TokenRequest) (api.Session, error)
	// Do sends one request with the session credentials and returns the
	// answer whatever its status; an error means no answer was had.
	Do(ctx context.Context, req *Request) (*Response, error)
	// Close releases what the communicator holds (the iframe, connections).
	Close() error
}

// Request is one end-user API request. Path is below the platform host and
// starts with api.Prefix; Query is already encoded (no leading '?').
type Request struct {
	Method      string
	Path        string
	Query       string
	ContentType string
	Body        []byte
	// Form, when set, is sent as multipart/form-data instead of Body.
	Form []FormPart
}

// FormPart is one part of a multipart request: a field when FileName is
// empty, a file otherwise.
type FormPart struct {
	Name        string
	FileName    string
	ContentType string
	Data        []byte
}

// Response is an end-user API answer. Header keys are lower case.
type Response struct {
	Status int
	Header map[string]string
	Body   []byte
}

// Dialer opens realtime connections.
type Dialer interface {
	// Dial connects to a realtime URL (api.RealtimeTicket.URL plus the
	// "after" parameter).
	Dial(ctx context.Context, url string) (Conn, error)
}

// Conn is one realtime connection carrying JSON frames (api.Event).
type Conn interface {
	// Read blocks for the next frame; it returns an error once the
	// connection is closed or ctx is done.
	Read(ctx context.Context) ([]byte, error)
	// Close closes the connection; a blocked Read returns.
	Close() error
}

// Store is a small persistent key/value store (localStorage in a browser).
// Keys are namespaced by the client; see StoreKey.
type Store interface {
	Get(key string) (value string, ok bool, err error)
	Set(key, value string) error
	Delete(key string) error
}

// Clock tells time and makes timers; tests may inject a fake one.
type Clock interface {
	Now() time.Time
	NewTimer(d time.Duration) Timer
}

// Timer is a one-shot timer made by a Clock.
type Timer interface {
	C() <-chan time.Time
	Stop() bool
}

// Logger receives the client's diagnostic messages.
type Logger interface {
	Logf(format string, args ...any)
}

// Authenticator returns the end-user JWT the company's backend signed: the
// documented authenticate option.
type Authenticator func(ctx context.Context) (token string, err error)

// SessionStepper is implemented by communicators that can step the session
// up to another identity (the peer SDK's consumer takeover): they post
// api.RouteTakeover with the current session and keep the new session's
// token. Client.Takeover needs it; it is separate from Communicator so that
// existing communicators stay valid.
type SessionStepper interface {
	Takeover(ctx context.Context, req api.TakeoverRequest) (api.Session, error)
}
