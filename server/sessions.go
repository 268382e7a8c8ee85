package server

import (
	"sync"
	"time"
)

// sessionCacheMax bounds the session cache; when full it is emptied and
// refilled from the database on demand.
const sessionCacheMax = 100_000

// sessionSweepAfter mirrors newSession's sweep: sessions expired longer
// than this ago are deleted from the database, so the cache must not
// answer for them either.
const sessionSweepAfter = 24 * time.Hour

// sessionCache keeps end-user sessions resolved by authenticate in memory,
// so that the lookup behind every end-user request is a map read rather
// than a SQL join. The database stays the source of truth (sessions
// survive a restart through it); the cache is filled on a miss and
// invalidated by every committed write that revokes a session or changes
// an end user's profile (txn.dropSession, txn.dropUserSessions).
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
	user endUser
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

// dropSession forgets a revoked session once the transaction commits.
func (t *txn) dropSession(tokenHash []byte) {
	key := string(tokenHash)
	t.tx.OnCommit(func() { t.s.sessions.dropToken(key) })
}

// dropUserSessions forgets the cached sessions of an end user whose
// profile this transaction changes, once it commits.
func (t *txn) dropUserSessions(id int64) {
	t.tx.OnCommit(func() { t.s.sessions.dropUser(id) })
}
