package sdk

import (
	"testing"
	"time"
)

// Close from a listener returns at once (it cannot wait for the dispatcher
// that runs it); the dispatcher then delivers what was queued before and
// removes every listener.
func TestRouterCloseFromListener(t *testing.T) {
	t.Parallel()
	r := newRouter(NopLogger{})
	closed := make(chan struct{})
	var got []string
	r.on("a", func(any) {
		got = append(got, "a")
		r.close()
		close(closed)
	}, false)
	r.on("b", func(any) { got = append(got, "b") }, false)
	r.emit("a", nil)
	r.emit("b", nil)
	select {
	case <-closed:
	case <-time.After(10 * time.Second):
		t.Fatal("close from a listener did not return")
	}
	select {
	case <-r.done:
	case <-time.After(10 * time.Second):
		t.Fatal("the dispatcher did not finish after close")
	}
	if len(got) != 2 || got[1] != "b" {
		t.Fatalf("delivered %v, want [a b]: what was queued before close", got)
	}
	if n := r.count(); n != 0 {
		t.Fatalf("%d listeners after close", n)
	}
	r.emit("a", nil) // closed: dropped, no panic
}

// Close from another goroutine while a listener runs waits for that
// listener and for the rest of the queue.
func TestRouterCloseWaitsForRunningListener(t *testing.T) {
	t.Parallel()
	r := newRouter(NopLogger{})
	running, release := make(chan struct{}), make(chan struct{})
	after := false
	r.on("slow", func(any) {
		close(running)
		<-release
	}, false)
	r.on("next", func(any) { after = true }, false)
	r.emit("slow", nil)
	r.emit("next", nil)
	<-running
	returned := make(chan struct{})
	go func() {
		r.close()
		close(returned)
	}()
	select {
	case <-returned:
		t.Fatal("close returned while a listener was still running")
	case <-time.After(100 * time.Millisecond):
	}
	close(release)
	select {
	case <-returned:
	case <-time.After(10 * time.Second):
		t.Fatal("close did not return after the listener did")
	}
	if !after {
		t.Fatal("close returned before the queued event was delivered")
	}
	if n := r.count(); n != 0 {
		t.Fatalf("%d listeners after close", n)
	}
}
