package sdk_test

import (
	"sync"
	"testing"

	"github.com/ccaip/headless-go/sdk"
)

// TestStoreContract is the suite every Store must pass; the browser tests
// run it against localStorage.
func TestStoreContract(t *testing.T) {
	t.Parallel()
	for name, s := range map[string]sdk.Store{"memory": sdk.NewMemoryStore(), "zero memory": &sdk.MemoryStore{}} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if _, ok, err := s.Get("k"); ok || err != nil {
				t.Fatalf("empty store: ok %v err %v", ok, err)
			}
			if err := s.Set("k", "v1"); err != nil {
				t.Fatal(err)
			}
			if err := s.Set("k", "v2"); err != nil {
				t.Fatal(err)
			}
			if v, ok, _ := s.Get("k"); !ok || v != "v2" {
				t.Fatalf("got %q %v, want v2", v, ok)
			}
			if err := s.Delete("k"); err != nil {
				t.Fatal(err)
			}
			if err := s.Delete("k"); err != nil {
				t.Fatalf("deleting a missing key: %v", err)
			}
			if _, ok, _ := s.Get("k"); ok {
				t.Fatal("key survived Delete")
			}
		})
	}
}

func TestStoreKey(t *testing.T) {
	t.Parallel()
	if got := sdk.StoreKey("c1", "acme", sdk.KeyChat); got != "ccaip:c1:acme:chat" {
		t.Fatalf("StoreKey = %q", got)
	}
	if got := sdk.StoreKey("c1", "acme", sdk.KeyOutbox); got != "ccaip:c1:acme:outbox" {
		t.Fatalf("StoreKey = %q", got)
	}
}

func TestMemoryStoreConcurrent(t *testing.T) {
	t.Parallel()
	s := sdk.NewMemoryStore()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			k := string(rune('a' + i))
			for range 100 {
				_ = s.Set(k, k)
				_, _, _ = s.Get(k)
			}
		}()
	}
	wg.Wait()
	if v, ok, _ := s.Get("c"); !ok || v != "c" {
		t.Fatalf("got %q %v", v, ok)
	}
}
