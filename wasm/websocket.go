//go:build js && wasm

package main

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/sdk"
	"github.com/hack-pad/safejs"
)

// sockets counts open browser WebSockets, for the destroy test's stats.
var sockets atomic.Int64

func openSockets() int { return int(sockets.Load()) }

// wsDialer opens realtime connections with the browser's WebSocket through
// safejs, so the wasm build links neither net/http nor coder/websocket.
type wsDialer struct{ p *program }

var _ sdk.Dialer = wsDialer{}

// wsConn is one browser WebSocket. Its handlers never block the event loop:
// frames go into an unbounded queue that Read drains.
type wsConn struct {
	ws       safejs.Value
	releases []func()

	mu      sync.Mutex
	frames  [][]byte
	closed  bool
	err     error
	wake    chan struct{} // capacity 1: "something changed"
	opened  chan struct{}
	openErr chan error
	once    sync.Once
}

func (d wsDialer) Dial(ctx context.Context, url string) (sdk.Conn, error) {
	ctor, err := safejs.Global().Get("WebSocket")
	if err != nil {
		return nil, api.Errorf(api.CodeUnavailable, "no WebSocket: %v", err)
	}
	ws, err := ctor.New(url)
	if err != nil {
		return nil, api.Errorf(api.CodeUnavailable, "websocket %s: %v", url, err)
	}
	sockets.Add(1)
	c := &wsConn{
		ws:      ws,
		wake:    make(chan struct{}, 1),
		opened:  make(chan struct{}),
		openErr: make(chan error, 1),
	}
	_ = ws.Set("binaryType", "arraybuffer")
	handlers := map[string]func(safejs.Value, []safejs.Value) any{
		"onopen":    c.onOpen,
		"onmessage": c.onMessage,
		"onerror":   c.onError,
		"onclose":   c.onClose,
	}
	for name, h := range handlers {
		fn, release, err := d.p.funcs.add("websocket."+name, h)
		if err != nil {
			c.Close()
			return nil, api.Errorf(api.CodeInternal, "websocket handler: %v", err)
		}
		c.releases = append(c.releases, release)
		if err := ws.Set(name, fn.Value()); err != nil {
			c.Close()
			return nil, api.Errorf(api.CodeInternal, "websocket handler: %v", err)
		}
	}
	select {
	case <-c.opened:
		return c, nil
	case err := <-c.openErr:
		c.Close()
		return nil, err
	case <-ctx.Done():
		c.Close()
		return nil, ctx.Err()
	}
}

func (c *wsConn) onOpen(safejs.Value, []safejs.Value) any {
	select {
	case <-c.opened:
	default:
		close(c.opened)
	}
	return nil
}

func (c *wsConn) onMessage(_ safejs.Value, args []safejs.Value) any {
	if len(args) == 0 {
		return nil
	}
	data, err := args[0].Get("data")
	if err != nil {
		return nil
	}
	var frame []byte
	if data.Type() == safejs.TypeString {
		s, _ := data.String()
		frame = []byte(s)
	} else {
		u8, err := safejs.Global().Get("Uint8Array")
		if err != nil {
			return nil
		}
		arr, err := u8.New(data)
		if err != nil {
			return nil
		}
		n, _ := arr.Length()
		frame = make([]byte, n)
		_, _ = safejs.CopyBytesToGo(frame, arr)
	}
	c.mu.Lock()
	c.frames = append(c.frames, frame)
	c.mu.Unlock()
	c.signal()
	return nil
}

func (c *wsConn) onError(safejs.Value, []safejs.Value) any {
	select {
	case c.openErr <- api.Errorf(api.CodeUnavailable, "websocket error"):
	default:
	}
	return nil
}

func (c *wsConn) onClose(_ safejs.Value, args []safejs.Value) any {
	code := 0
	reason := ""
	if len(args) > 0 {
		if v, err := args[0].Get("code"); err == nil {
			code, _ = v.Int()
		}
		if v, err := args[0].Get("reason"); err == nil {
			reason, _ = v.String()
		}
	}
	err := api.Errorf(api.CodeUnavailable, "websocket closed (%d) %s", code, reason)
	select {
	case c.openErr <- err:
	default:
	}
	c.mu.Lock()
	if c.err == nil {
		c.err = err
	}
	c.closed = true
	c.mu.Unlock()
	c.signal()
	c.Close()
	return nil
}

func (c *wsConn) signal() {
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// Read returns the next frame, in order; frames that arrived before the
// socket closed are still returned first.
func (c *wsConn) Read(ctx context.Context) ([]byte, error) {
	for {
		c.mu.Lock()
		if len(c.frames) > 0 {
			f := c.frames[0]
			c.frames[0] = nil
			c.frames = c.frames[1:]
			c.mu.Unlock()
			return f, nil
		}
		if c.closed {
			err := c.err
			c.mu.Unlock()
			if err == nil {
				err = api.Errorf(api.CodeUnavailable, "websocket closed")
			}
			return nil, err
		}
		c.mu.Unlock()
		select {
		case <-c.wake:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// Close closes the socket, detaches and releases its handlers, and wakes a
// blocked Read. It is safe to call more than once.
func (c *wsConn) Close() error {
	c.once.Do(func() {
		for _, name := range []string{"onopen", "onmessage", "onerror", "onclose"} {
			_ = c.ws.Set(name, safejs.Null())
		}
		_, _ = c.ws.Call("close", 1000)
		for _, release := range c.releases {
			release()
		}
		c.mu.Lock()
		c.closed = true
		c.mu.Unlock()
		c.signal()
		sockets.Add(-1)
	})
	return nil
}
