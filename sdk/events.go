package sdk

import (
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
)

// Documented event names. Payloads are noted after each name.
const (
	EventReady            = "ready"             // nil: the first authentication succeeded
	EventAuthenticated    = "authenticated"     // *api.EndUser: a session was obtained (also after re-authentication)
	EventChatOngoing      = "chat.ongoing"      // *api.Chat: LoadOngoingChat restored a chat
	EventChatUpdated      = "chat.updated"      // *api.Chat: the current chat's state changed
	EventChatMessage      = "chat.message"      // *api.Message: every message once, in $index order, own echoes included
	EventMemberJoined     = "chat.memberJoined" // *api.Identity
	EventMemberLeft       = "chat.memberLeft"   // *api.Identity
	EventTypingStarted    = "chat.typingStarted"
	EventTypingEnded      = "chat.typingEnded"
	EventChatConnected    = "chat.connected"    // *api.Chat: the realtime link is up (WebSocket or polling)
	EventChatDisconnected = "chat.disconnected" // *api.Chat: the realtime link went down
	EventChatDismissed    = "chat.dismissed"    // *api.Chat: status became dismissed or va_dismissed
	EventChatTimeout      = "chat.timeout"      // *api.Chat
	EventChatEnded        = "chat.ended"        // *api.Chat: status became finished or deflected
	EventChatDestroyed    = "chat.destroyed"    // *api.Chat
	EventCobrowseRequest  = "cobrowse.request"  // string: who asks (from)
	EventCobrowseLoaded   = "cobrowse.loaded"   // *api.CobrowseSession
	EventCobrowseUpdated  = "cobrowse.updated"  // *api.CobrowseSession
	EventCobrowseEnded    = "cobrowse.ended"    // *api.CobrowseSession
)

// Events of our own, beyond the documented ones.
const (
	// EventConnectionState reports the realtime link's state as a string:
	// one of the Conn* constants.
	EventConnectionState = "connection.state"
	// EventMessageStatus reports an outgoing message's state (*Outgoing) each
	// time it changes: queued, sending, sent, failed.
	EventMessageStatus = "message.status"
	// EventChatRestored follows chat.ongoing when LoadOngoingChat restored
	// the stored chat (*api.Chat).
	EventChatRestored = "chat.restored"
	// EventChatRestoreFailed says LoadOngoingChat found a stored chat that
	// is over; the payload is the reason (a Restore* constant).
	EventChatRestoreFailed = "chat.restoreFailed"
	// EventError reports a background failure (*api.Error) no method call
	// can return: a failed authentication at start, a realtime error frame.
	EventError = "error"
)

// Connection states carried by EventConnectionState.
const (
	ConnConnecting   = "connecting"   // first connection attempt for the chat
	ConnConnected    = "connected"    // WebSocket up
	ConnReconnecting = "reconnecting" // the link dropped; waiting to retry
	ConnPolling      = "polling"      // WebSocket unavailable; long polling instead
	ConnOffline      = "offline"      // no chat to follow, or the client is closed
)

// Listener receives an event's payload.
type Listener func(payload any)

type listener struct {
	fn   Listener
	once bool
}

type event struct {
	name    string
	payload any
}

// router is the one event router of a client. Emitters update state first,
// then emit; emit only queues, so it never blocks and may be called with
// locks held. One dispatch goroutine calls listeners in emission order, each
// event's listeners in registration order. A panicking listener is
// recovered and logged; delivery goes on.
type router struct {
	log Logger

	mu        sync.Mutex
	listeners map[string][]*listener
	queue     []event
	drained   []*func()
	closed    bool
	wake      chan struct{}
	done      chan struct{}
	// inCall is set by the dispatcher while it runs a listener or a
	// drained hook: the only time close can be called from the dispatcher.
	inCall atomic.Bool
}

func newRouter(log Logger) *router {
	r := &router{log: log, listeners: map[string][]*listener{}, wake: make(chan struct{}, 1), done: make(chan struct{})}
	go r.run()
	return r
}

func (r *router) on(name string, fn Listener, once bool) func() {
	l := &listener{fn: fn, once: once}
	r.mu.Lock()
	r.listeners[name] = append(r.listeners[name], l)
	r.mu.Unlock()
	return func() { r.remove(name, l) }
}

func (r *router) remove(name string, l *listener) {
	r.mu.Lock()
	defer r.mu.Unlock()
	ls := r.listeners[name]
	for i, x := range ls {
		if x == l {
			r.listeners[name] = append(ls[:i:i], ls[i+1:]...)
			return
		}
	}
}

// onDrained registers fn to run on the dispatch goroutine whenever it has
// delivered every queued event.
func (r *router) onDrained(fn func()) func() {
	h := &fn
	r.mu.Lock()
	r.drained = append(r.drained, h)
	r.mu.Unlock()
	return func() {
		r.mu.Lock()
		defer r.mu.Unlock()
		for i, x := range r.drained {
			if x == h {
				r.drained = append(r.drained[:i:i], r.drained[i+1:]...)
				return
			}
		}
	}
}

// drain runs the drained hooks, recovering panics like listeners.
func (r *router) drain() {
	r.mu.Lock()
	hs := append([]*func(){}, r.drained...)
	r.mu.Unlock()
	for _, h := range hs {
		r.call(event{name: "(drained)"}, func(any) { (*h)() })
	}
}

func (r *router) off(name string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if name == "" {
		r.listeners = map[string][]*listener{}
		r.drained = nil
		return
	}
	delete(r.listeners, name)
}

func (r *router) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := len(r.drained)
	for _, ls := range r.listeners {
		n += len(ls)
	}
	return n
}

func (r *router) emit(name string, payload any) {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return
	}
	r.queue = append(r.queue, event{name, payload})
	r.mu.Unlock()
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// close stops accepting events, lets the dispatcher deliver what is queued,
// then removes every listener. Called from a listener it does not wait:
// the dispatcher finishes once that listener returns.
func (r *router) close() {
	r.mu.Lock()
	already := r.closed
	r.closed = true
	r.mu.Unlock()
	if !already {
		select {
		case r.wake <- struct{}{}:
		default:
		}
	}
	if r.inCall.Load() && fromListener() {
		return
	}
	<-r.done
}

func (r *router) run() {
	defer close(r.done)
	busy := false
	for {
		r.mu.Lock()
		q := r.queue
		r.queue = nil
		closed := r.closed
		r.mu.Unlock()
		for _, ev := range q {
			r.dispatch(ev)
		}
		if len(q) > 0 {
			busy = true
			continue
		}
		if busy {
			busy = false
			r.drain()
		}
		if closed {
			r.off("")
			return
		}
		<-r.wake
	}
}

func (r *router) dispatch(ev event) {
	r.mu.Lock()
	ls := append([]*listener(nil), r.listeners[ev.name]...)
	r.mu.Unlock()
	for _, l := range ls {
		if l.once {
			r.remove(ev.name, l)
		}
		r.call(ev, l.fn)
	}
}

func (r *router) call(ev event, fn Listener) {
	r.inCall.Store(true)
	defer func() {
		r.inCall.Store(false)
		if p := recover(); p != nil {
			r.log.Logf("sdk: listener of %q panicked: %v", ev.name, p)
		}
	}()
	fn(ev.payload)
}

// fromListener reports whether the running goroutine is inside a router's
// call, that is, on a dispatcher running a listener. close asks only while
// its dispatcher is in a call (inCall), so the stack is walked only when
// Close races a listener or comes from one, never at start-up or per
// event. (Go has no goroutine-local state; the call frame on the stack is
// the one mark a dispatcher carries.) A listener of one client that
// closes another client whose dispatcher is busy at that moment does not
// wait for it either: it cannot tell the two dispatchers apart.
func fromListener() bool {
	var pcs [64]uintptr
	for skip := 2; ; skip += len(pcs) {
		n := runtime.Callers(skip, pcs[:])
		frames := runtime.CallersFrames(pcs[:n])
		for {
			f, more := frames.Next()
			if strings.HasSuffix(f.Function, routerCall) {
				return true
			}
			if !more {
				break
			}
		}
		if n < len(pcs) {
			return false
		}
	}
}

// routerCall ends the name of (*router).call as the runtime reports it.
const routerCall = "/sdk.(*router).call"
