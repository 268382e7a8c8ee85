//go:build js && wasm

package main

import (
	"sync"

	"github.com/ccaip/headless-go/sdk"
	"github.com/hack-pad/safejs"
)

// webStore is the client's Store: localStorage, falling back to memory for
// good once storage throws (private mode, sandboxed frames, quota), so that
// the client keeps working for the life of the page. In a worker, which has
// no localStorage, the host hands over its own storage object with the same
// three methods (js/core-worker.js: a copy of the page's localStorage kept
// in the worker, each write also sent to the pages).
type webStore struct {
	mu       sync.Mutex
	ls       safejs.Value
	fallback bool
	mem      map[string]string
}

var _ sdk.Store = (*webStore)(nil)

func newWebStore(host safejs.Value) *webStore {
	s := &webStore{mem: map[string]string{}}
	if ls, err := host.Get("storage"); err == nil && !ls.IsUndefined() && !ls.IsNull() {
		s.ls = ls
		return s
	}
	ls, err := safejs.Global().Get("localStorage")
	if err != nil || ls.IsUndefined() || ls.IsNull() {
		s.fallback = true
		return s
	}
	s.ls = ls
	return s
}

// failed switches to memory, carrying over nothing: what was in
// localStorage cannot be read any more either.
func (s *webStore) failed() { s.fallback = true }

func (s *webStore) Get(key string) (string, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.fallback {
		v, err := s.ls.Call("getItem", key)
		if err == nil {
			if v.IsNull() || v.IsUndefined() {
				return "", false, nil
			}
			str, err := v.String()
			return str, err == nil, nil
		}
		s.failed()
	}
	v, ok := s.mem[key]
	return v, ok, nil
}

func (s *webStore) Set(key, value string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.fallback {
		if _, err := s.ls.Call("setItem", key, value); err == nil {
			return nil
		}
		s.failed()
	}
	s.mem[key] = value
	return nil
}

func (s *webStore) Delete(key string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.fallback {
		if _, err := s.ls.Call("removeItem", key); err == nil {
			return nil
		}
		s.failed()
	}
	delete(s.mem, key)
	return nil
}
