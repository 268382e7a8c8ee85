package realtime

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"sync"
	"time"

	"github.com/ccaip/headless-go/api"
)

// Ticket authorises one realtime connection to one chat of one end user.
type Ticket struct {
	ChatID    int64
	EndUserID int64
	Expires   time.Time
}

// Tickets are the realtime tickets handed out and not used yet, kept by
// the hash of their token.
type Tickets struct {
	mu sync.Mutex
	m  map[string]Ticket
}

// NewTickets returns an empty ticket store.
func NewTickets() *Tickets { return &Tickets{m: map[string]Ticket{}} }

// Issue stores t and returns its token; expired tickets are dropped on
// the way.
func (ts *Tickets) Issue(t Ticket, now time.Time) string {
	b := make([]byte, 24)
	rand.Read(b)
	tok := base64.RawURLEncoding.EncodeToString(b)
	ts.mu.Lock()
	defer ts.mu.Unlock()
	for k, old := range ts.m {
		if now.After(old.Expires) {
			delete(ts.m, k)
		}
	}
	ts.m[key(tok)] = t
	return tok
}

// Use consumes a ticket: each works once, and only before it expires.
func (ts *Tickets) Use(tok string, now time.Time) (Ticket, error) {
	if tok == "" {
		return Ticket{}, api.Errorf(api.CodeUnauthorized, "missing realtime ticket")
	}
	k := key(tok)
	ts.mu.Lock()
	t, ok := ts.m[k]
	delete(ts.m, k)
	ts.mu.Unlock()
	if !ok {
		return Ticket{}, api.Errorf(api.CodeUnauthorized, "unknown or used realtime ticket")
	}
	if now.After(t.Expires) {
		return Ticket{}, api.Errorf(api.CodeUnauthorized, "the realtime ticket expired")
	}
	return t, nil
}

func key(tok string) string {
	h := sha256.Sum256([]byte(tok))
	return string(h[:])
}
