//go:build !(js && wasm)

package sdk_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/sdk"
	"github.com/ccaip/headless-go/server"
)

// countingStore counts writes per key; in a browser each is a
// localStorage.setItem on the delivery path.
type countingStore struct {
	sdk.Store
	mu     sync.Mutex
	writes map[string]int
}

func (s *countingStore) Set(k, v string) error {
	s.mu.Lock()
	s.writes[k]++
	s.mu.Unlock()
	return s.Store.Set(k, v)
}

func (s *countingStore) count(k string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.writes[k]
}

// A burst of messages moves the cursor without a store write per message;
// SaveState and Close write the latest cursor.
func TestCursorWritesAreCoalesced(t *testing.T) {
	t.Parallel()
	p := newPlatform(t, server.Config{})
	store := &countingStore{Store: sdk.NewMemoryStore(), writes: map[string]int{}}
	c, rec := newClient(t, p, "coalesce", withStore(store), func(cfg *sdk.Config) { cfg.SaveDelay = time.Hour })
	ctx := ctxT(t)
	chat, err := c.CreateChat(ctx, 124, api.ChatRequest{Lang: "en"}) // a queue: no virtual agent talks in between
	if err != nil {
		t.Fatal(err)
	}
	rec.waitEvent(t, sdk.EventChatConnected, 1)
	key := sdk.ChatKey(server.DemoCompanyID, server.DemoTenant, "coalesce")
	agentSay(t, p, chat.ID, 1, "warm up") // the first agent message assigns the chat
	rec.waitMessage(t, "warm up")
	time.Sleep(200 * time.Millisecond)
	before := store.count(key)

	const n = 50
	for i := range n {
		agentSay(t, p, chat.ID, 1, fmt.Sprintf("burst %d", i))
	}
	last := rec.waitMessage(t, fmt.Sprintf("burst %d", n-1))
	if w := store.count(key) - before; w > 2 {
		t.Errorf("%d store writes of the chat record for %d messages, want them coalesced", w, n)
	}
	c.SaveState()
	v, ok, _ := store.Get(key)
	if !ok || !strings.Contains(v, fmt.Sprintf(`"cursor":%d`, last.Index)) {
		t.Errorf("after SaveState the record is %s, want cursor %d", v, last.Index)
	}

	agentSay(t, p, chat.ID, 1, "after save")
	last = rec.waitMessage(t, "after save")
	c.Close()
	if v, _, _ := store.Get(key); !strings.Contains(v, fmt.Sprintf(`"cursor":%d`, last.Index)) {
		t.Errorf("after Close the record is %s, want cursor %d", v, last.Index)
	}
}
