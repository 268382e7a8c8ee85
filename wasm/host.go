//go:build js && wasm

package main

import (
	"context"
	"sync"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/api/jlexer"
	"github.com/hack-pad/safejs"
)

// Host request kinds: what Go asks the loader to do for it.
const (
	// reqAuthenticate calls the page's authenticate() option; the answer
	// is the JWT string.
	reqAuthenticate = "authenticate"
	// reqSession exchanges that JWT for a session inside the bridge,
	// which keeps the session token; the answer is the Session without it.
	reqSession = "session"
	// reqFetch is one end-user API request, sent by the bridge with the
	// session token.
	reqFetch = "fetch"
)

// hostRequests are Go's asynchronous requests to the loader:
// host.request(goID, kind, payload) returns at once and the loader answers
// later through the exported respond(goID, status, value), so that no
// js.Func is made per request.
type hostRequests struct {
	p       *program
	mu      sync.Mutex
	next    float64
	pending map[float64]chan hostReply
	closed  bool
}

// hostReply is an answer as Go data, copied out of JS while respond runs.
type hostReply struct {
	status int // HTTP status; -1 with err set when no answer was had
	header map[string]string
	body   []byte
	text   string
	err    *api.Error
}

func newHostRequests(p *program) *hostRequests {
	return &hostRequests{p: p, pending: map[float64]chan hostReply{}}
}

// do sends one request to the loader and waits for its answer or ctx.
func (h *hostRequests) do(ctx context.Context, kind string, payload map[string]any) (hostReply, error) {
	ch := make(chan hostReply, 1)
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return hostReply{}, api.Errorf(api.CodeDestroyed, "the client was destroyed")
	}
	h.next++
	id := h.next
	h.pending[id] = ch
	h.mu.Unlock()
	defer func() {
		h.mu.Lock()
		delete(h.pending, id)
		h.mu.Unlock()
	}()
	if payload == nil {
		payload = map[string]any{}
	}
	if _, err := h.p.host.Call("request", id, kind, payload); err != nil {
		return hostReply{}, api.Errorf(api.CodeInternal, "%s: %v", kind, err)
	}
	select {
	case rep := <-ch:
		if rep.err != nil {
			return rep, rep.err
		}
		return rep, nil
	case <-ctx.Done():
		return hostReply{}, ctx.Err()
	}
}

// jsRespond is respond(goID, status, value): value is a string (the JWT,
// or an error JSON when status is -1) or {headers, body: Uint8Array}.
func (h *hostRequests) jsRespond(_ safejs.Value, args []safejs.Value) any {
	if len(args) < 3 {
		return nil
	}
	id, err := args[0].Float()
	if err != nil {
		return nil
	}
	h.mu.Lock()
	ch, ok := h.pending[id]
	delete(h.pending, id)
	h.mu.Unlock()
	if !ok {
		return nil // answered after its context ended
	}
	ch <- readReply(args[1], args[2])
	return nil
}

func readReply(statusV, v safejs.Value) hostReply {
	status, err := statusV.Int()
	if err != nil {
		return hostReply{status: -1, err: api.Errorf(api.CodeInternal, "bad status from host")}
	}
	rep := hostReply{status: status}
	if status < 0 {
		text, _ := v.String()
		rep.err = parseErrorJSON(text)
		return rep
	}
	if v.Type() == safejs.TypeString {
		rep.text, _ = v.String()
		return rep
	}
	if headers, err := v.Get("headers"); err == nil && !headers.IsUndefined() && !headers.IsNull() {
		rep.header = map[string]string{}
		object, _ := safejs.Global().Get("Object")
		keys, err := object.Call("keys", headers)
		if err == nil {
			n, _ := keys.Length()
			for i := 0; i < n; i++ {
				k, _ := keys.Index(i)
				ks, _ := k.String()
				hv, _ := headers.Get(ks)
				hs, _ := hv.String()
				rep.header[ks] = hs
			}
		}
	}
	if body, err := v.Get("body"); err == nil && !body.IsUndefined() && !body.IsNull() {
		n, err := body.Length()
		if err == nil {
			rep.body = make([]byte, n)
			if _, err := safejs.CopyBytesToGo(rep.body, body); err != nil {
				rep.status, rep.err = -1, api.Errorf(api.CodeInternal, "copy body: %v", err)
			}
		}
	}
	return rep
}

// parseErrorJSON reads {code, message, retryable?, status?}; anything else
// becomes an "unavailable" error carrying the text.
func parseErrorJSON(s string) *api.Error {
	e := &api.Error{Code: api.CodeUnavailable, Retryable: true, Message: s}
	l := jlexer.Lexer{Data: []byte(s)}
	if l.CurrentToken() != jlexer.TokenDelim {
		return e
	}
	var code, msg string
	retry, hasRetry := false, false
	status := 0
	l.Delim('{')
	for !l.IsDelim('}') && l.Ok() {
		key := l.UnsafeString()
		l.WantColon()
		switch key {
		case "code":
			code = l.String()
		case "message":
			msg = l.String()
		case "retryable":
			retry, hasRetry = l.Bool(), true
		case "status":
			status = l.Int()
		default:
			l.SkipRecursive()
		}
		l.WantComma()
	}
	l.Delim('}')
	if l.Error() != nil || code == "" {
		return e
	}
	if !hasRetry {
		retry = api.RetryableCode(code)
	}
	return &api.Error{Code: code, Message: msg, Retryable: retry, Status: status}
}

// count is the number of requests waiting for an answer.
func (h *hostRequests) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.pending)
}

// failAll answers every waiting request with "destroyed" and refuses new
// ones.
func (h *hostRequests) failAll() {
	h.mu.Lock()
	h.closed = true
	all := h.pending
	h.pending = map[float64]chan hostReply{}
	h.mu.Unlock()
	for _, ch := range all {
		ch <- hostReply{status: -1, err: api.Errorf(api.CodeDestroyed, "the client was destroyed")}
	}
}
