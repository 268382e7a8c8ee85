//go:build js && wasm

package main

import (
	"sync"

	"github.com/hack-pad/safejs"
)

// funcs owns every js.Func the program hands to JavaScript, so that destroy
// can release them all and a test can see that none is left (live).
type funcs struct {
	mu   sync.Mutex
	next int
	live map[int]safejs.Func
}

func newFuncs() *funcs { return &funcs{live: map[int]safejs.Func{}} }

// add wraps fn, which runs with panics recovered (a panic in a callback
// must never kill the runtime), and returns the JS function with a release
// func that is safe to call more than once.
func (f *funcs) add(name string, fn func(this safejs.Value, args []safejs.Value) any) (safejs.Func, func(), error) {
	jsFn, err := safejs.FuncOf(func(this safejs.Value, args []safejs.Value) (out any) {
		defer func() {
			if r := recover(); r != nil {
				logPanic(name, r)
				out = nil
			}
		}()
		return fn(this, args)
	})
	if err != nil {
		return safejs.Func{}, func() {}, err
	}
	f.mu.Lock()
	id := f.next
	f.next++
	f.live[id] = jsFn
	f.mu.Unlock()
	release := func() {
		f.mu.Lock()
		fn, ok := f.live[id]
		delete(f.live, id)
		f.mu.Unlock()
		if ok {
			fn.Release()
		}
	}
	return jsFn, release, nil
}

// count is the number of js.Funcs not yet released.
func (f *funcs) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.live)
}

// releaseAll releases every js.Func still live.
func (f *funcs) releaseAll() {
	f.mu.Lock()
	all := f.live
	f.live = map[int]safejs.Func{}
	f.mu.Unlock()
	for _, fn := range all {
		fn.Release()
	}
}
