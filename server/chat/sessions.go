package chat

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"sync"
	"time"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server/store"
)

// sessionCacheMax bounds the session cache; when full it is emptied and
// refilled from the database on demand.
const sessionCacheMax = 100_000

// sessionSweepAfter mirrors NewSession's sweep: sessions expired longer
// than this ago are deleted from the database, so the cache must not
// answer for them either.
const sessionSweepAfter = 24 * time.Hour

// sessionCache keeps end-user sessions resolved by Session in memory,
// so that the lookup behind every end-user request is a map read rather
// than a SQL join. The database stays the source of truth (sessions
// survive a restart through it); the cache is filled on a miss and
// invalidated by every committed write that revokes a session or changes
// an end user's profile (Txn.DropSession, Txn.DropUserSessions).
//
// A fill races with invalidation: a lookup may read the database just
// before a revoking transaction commits and store its stale answer just
// after. The generation counter closes that window: a fill stores only if
// no invalidation happened since the lookup began.
type sessionCache struct {
	mu     sync.Mutex
	gen    uint64
	byTok  map[string]sessionEntry // key: token hash
	byUser map[int64]map[string]struct{}
}

// sessionEntry is one cached session: its end user and expiry (unix ms).
type sessionEntry struct {
	user store.EndUser
	exp  int64
}

func newSessionCache() *sessionCache {
	return &sessionCache{byTok: map[string]sessionEntry{}, byUser: map[int64]map[string]struct{}{}}
}

// get returns the cached session of a token hash.
func (c *sessionCache) get(key string) (sessionEntry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byTok[key]
	return e, ok
}

// generation is read before a database lookup and passed to put.
func (c *sessionCache) generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// put caches a session read from the database, unless an invalidation
// happened since gen was read.
func (c *sessionCache) put(gen uint64, key string, e sessionEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if len(c.byTok) >= sessionCacheMax {
		c.byTok = map[string]sessionEntry{}
		c.byUser = map[int64]map[string]struct{}{}
	}
	c.byTok[key] = e
	m := c.byUser[e.user.ID]
	if m == nil {
		m = map[string]struct{}{}
		c.byUser[e.user.ID] = m
	}
	m[key] = struct{}{}
}

// dropToken forgets one session (revoked).
func (c *sessionCache) dropToken(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	e, ok := c.byTok[key]
	if !ok {
		return
	}
	delete(c.byTok, key)
	if m := c.byUser[e.user.ID]; m != nil {
		delete(m, key)
		if len(m) == 0 {
			delete(c.byUser, e.user.ID)
		}
	}
}

// dropUser forgets every session of an end user (profile changed).
func (c *sessionCache) dropUser(id int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	for key := range c.byUser[id] {
		delete(c.byTok, key)
	}
	delete(c.byUser, id)
}

// DropSession forgets a revoked session once the transaction commits.
func (t *Txn) DropSession(tokenHash []byte) {
	key := string(tokenHash)
	t.Tx.OnCommit(func() { t.s.sessions.dropToken(key) })
}

// DropUserSessions forgets the cached sessions of an end user whose
// profile this transaction changes, once it commits.
func (t *Txn) DropUserSessions(id int64) {
	t.Tx.OnCommit(func() { t.s.sessions.dropUser(id) })
}

// RandomToken returns n random bytes, base64url without padding: the
// platform's session tokens and made-up identifiers.
func RandomToken(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// HashToken is how a session token is stored: its SHA-256, so that the
// database never holds a usable token.
func HashToken(t string) []byte {
	h := sha256.Sum256([]byte(t))
	return h[:]
}

// UpsertEndUser finds or creates the end user (company, identifier) and
// refreshes the profile fields the JWT carries.
func (t *Txn) UpsertEndUser(identifier, name, email, phone string) (*store.EndUser, error) {
	u, err := t.Tx.UpsertEndUser(t.s.company.ID, identifier, name, email, phone, t.s.now().UnixMilli())
	if err != nil {
		return nil, err
	}
	// The profile may have changed: cached sessions would show the old one.
	t.DropUserSessions(u.ID)
	return u, nil
}

// NewSession opens a session of end user u for Config.SessionTTL.
func (t *Txn) NewSession(u *store.EndUser) (api.Session, error) {
	tok := RandomToken(32)
	exp := t.s.now().Add(t.s.cfg.SessionTTL)
	// Expired sessions are swept as new ones are made.
	sweep := t.s.now().Add(-sessionSweepAfter).UnixMilli()
	if err := t.Tx.InsertSession(HashToken(tok), u.ID, exp.UnixMilli(), sweep); err != nil {
		return api.Session{}, err
	}
	return api.Session{SessionToken: tok, ExpiresAt: exp.UTC().Format(TimeFormat), EndUser: u.API()}, nil
}

// Session resolves a session token to its end user: from the cache, else
// from the store. An unknown token is unauthorized, an expired one
// session_expired.
func (s *Domain) Session(ctx context.Context, token string) (*store.EndUser, error) {
	hash := HashToken(token)
	key := string(hash)
	now := s.now()
	e, ok := s.sessions.get(key)
	if ok && e.exp < now.Add(-sessionSweepAfter).UnixMilli() {
		ok = false // the database may have swept it: ask it
	}
	if !ok {
		gen := s.sessions.generation()
		var err error
		e.user, e.exp, err = store.SessionUser(ctx, s.db, s.company.ID, hash)
		if errors.Is(err, store.ErrNoRows) {
			return nil, api.Errorf(api.CodeUnauthorized, "unknown session token")
		}
		if err != nil {
			return nil, err
		}
		s.sessions.put(gen, key, e)
	}
	u := &e.user
	if now.UnixMilli() >= e.exp {
		return nil, api.Errorf(api.CodeSessionExpired, "the session expired; authenticate again")
	}
	return u, nil
}

// StepUp hands end user u's chats to the identity of a new end-user JWT
// (consumerTakeover): the new identity takes over u's chats, the ongoing
// one with its history included, the ongoing chat gets an endUserStepUp
// noti, u's session oldToken is revoked, and a session of the new
// identity is returned. The new identity must not have an ongoing chat of
// its own when u has one.
func (t *Txn) StepUp(u *store.EndUser, identifier, name, email, phone, oldToken string) (api.Session, error) {
	s := t.s
	nu, err := t.UpsertEndUser(identifier, name, email, phone)
	if err != nil {
		return api.Session{}, err
	}
	cur, err := s.OngoingChat(t.Ctx, t.Tx, u.ID)
	if err != nil {
		return api.Session{}, err
	}
	if cur != nil {
		theirs, err := s.OngoingChat(t.Ctx, t.Tx, nu.ID)
		if err != nil {
			return api.Session{}, err
		}
		if theirs != nil {
			return api.Session{}, api.Errorf(api.CodeChatAlreadyActive, "%s already has ongoing chat %d", nu.Identifier, theirs.ID)
		}
	}
	if err := t.Tx.MoveEndUser(s.company.ID, u.ID, nu.ID); err != nil {
		return api.Session{}, err
	}
	if cur != nil {
		c, err := s.LoadChat(t.Ctx, t.Tx, cur.ID)
		if err != nil {
			return api.Session{}, err
		}
		shown := nu.Name
		if shown == "" {
			shown = nu.Identifier
		}
		if _, err := t.AddMessage(c, api.Message{UserType: api.UserSystem, Type: api.MsgNoti, Event: api.NotiEndUserStepUp,
			Content: shown + " signed in", UserID: nu.ID, UserName: nu.Name}); err != nil {
			return api.Session{}, err
		}
		if err := t.ChatEvent(c); err != nil {
			return api.Session{}, err
		}
	}
	if err := t.Tx.DeleteSession(HashToken(oldToken)); err != nil {
		return api.Session{}, err
	}
	t.DropSession(HashToken(oldToken))
	return t.NewSession(nu)
}
