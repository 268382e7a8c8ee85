package sdk

import "sync"

// Store keys. Every key the client writes is namespaced by company and
// tenant, so that two clients of different companies on one origin never see
// each other's state, and the chat record also by end user (ChatKey), so
// that two people signing in on one browser each keep their own chat:
//
//	ccaip:<companyId>:<tenant>:chat:<identifier>  the end user's current chat: {"chat_id":1,"cursor":42,"read":40}
//	ccaip:<companyId>:<tenant>:outbox             messages not yet accepted by the platform (JSON array)
//
// Records an older client kept under ccaip:<companyId>:<tenant>:chat (no
// identifier) are taken over by the first LoadOngoingChat and removed.
//
// "cursor" is the $index of the last message handed to chat.message
// listeners; after a reload the client asks the platform only for messages
// after it. "read" is the index MarkRead last recorded.
const (
	KeyChat   = "chat"
	KeyOutbox = "outbox"
)

// StoreKey returns the namespaced store key for name (KeyChat or KeyOutbox).
func StoreKey(companyID, tenant, name string) string {
	return "ccaip:" + companyID + ":" + tenant + ":" + name
}

// ChatKey returns the store key of an end user's chat record.
func ChatKey(companyID, tenant, identifier string) string {
	return StoreKey(companyID, tenant, KeyChat+":"+identifier)
}

// MemoryStore is a Store kept in memory: the store of native programs and
// tests. Sharing one MemoryStore between two clients one after the other
// stands in for a page reload. It is safe for concurrent use.
type MemoryStore struct {
	mu sync.Mutex
	m  map[string]string
}

// NewMemoryStore returns an empty MemoryStore.
func NewMemoryStore() *MemoryStore { return &MemoryStore{m: map[string]string{}} }

// Get returns the value stored under key.
func (s *MemoryStore) Get(key string) (string, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.m[key]
	return v, ok, nil
}

// Set stores value under key.
func (s *MemoryStore) Set(key, value string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = map[string]string{}
	}
	s.m[key] = value
	return nil
}

// Delete removes key; removing a missing key is not an error.
func (s *MemoryStore) Delete(key string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, key)
	return nil
}
