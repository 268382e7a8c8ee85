package sdk

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/api/jlexer"
	"github.com/ccaip/headless-go/api/jwriter"
)

// Outgoing message states, reported by EventMessageStatus.
const (
	OutQueued  = "queued"  // waiting to be sent (again)
	OutSending = "sending" // a request is in flight
	OutSent    = "sent"    // the platform accepted it
	OutFailed  = "failed"  // the platform rejected it; it will not be retried
)

// Kinds of outgoing messages.
const (
	KindText    = "text"
	KindFile    = "file"
	KindPreview = "preview"
)

// Outgoing is one message the end user sends, as the outbox tracks it.
// ClientID is its idempotency key: however often it is retried, the
// platform creates one message.
type Outgoing struct {
	ClientID string
	ChatID   int64
	Kind     string
	State    string
	Attempts int
	// Err is the last error: why it failed, or why it is being retried.
	Err *api.Error
	// Message is the platform's message once sent (text and file).
	Message *api.Message
}

type outEntry struct {
	Outgoing
	req         api.SendMessageRequest
	fileName    string
	contentType string
	caption     string
	data        []byte
	preview     string

	// waitSent: the caller waits for sent/failed, not merely queued.
	waitSent bool
	settled  chan struct{}
	done     bool
	err      error
}

// outbox sends the end user's messages in order, one at a time. An entry
// stays at the head until the platform accepts or rejects it; transient
// failures are retried with backoff and jitter, at once when the realtime
// link comes back. Entries are persisted under KeyOutbox until settled.
type outbox struct {
	c    *Client
	mu   sync.Mutex
	q    []*outEntry
	wake chan struct{}
	kckC chan struct{}
	// stalled: the head failed transiently and waits for a retry.
	stalled bool
}

func newOutbox(c *Client) *outbox {
	o := &outbox{c: c, wake: make(chan struct{}, 1), kckC: make(chan struct{}, 1)}
	o.load()
	return o
}

// kick makes a waiting retry happen now (the link came back).
func (o *outbox) kick() {
	select {
	case o.kckC <- struct{}{}:
	default:
	}
}

// newClientID returns a 128-bit random idempotency key. It needs to be
// unique, not secret: math/rand/v2's generator (ChaCha8 seeded from the
// system) is enough, and crypto/rand would pull the whole crypto stack into
// the wasm build (~170 KB brotli).
func newClientID() string {
	var b [16]byte
	binary.LittleEndian.PutUint64(b[:8], rand.Uint64())
	binary.LittleEndian.PutUint64(b[8:], rand.Uint64())
	return hex.EncodeToString(b[:])
}

// add queues e, persists the queue and returns at once.
func (o *outbox) add(e *outEntry) {
	e.settled = make(chan struct{})
	e.State = OutQueued
	o.mu.Lock()
	o.q = append(o.q, e)
	if o.stalled && !e.waitSent {
		o.settleLocked(e, nil)
	}
	o.persistLocked()
	snap := e.Outgoing
	o.mu.Unlock()
	o.c.events.emit(EventMessageStatus, &snap)
	select {
	case o.wake <- struct{}{}:
	default:
	}
}

// wait blocks until e settles or ctx ends.
func (o *outbox) wait(ctx context.Context, e *outEntry) error {
	select {
	case <-e.settled:
		return e.err
	case <-ctx.Done():
		return asAPIError(ctx.Err(), o.c.isClosed())
	case <-o.c.ctx.Done():
		return ErrDestroyed
	}
}

func (o *outbox) settleLocked(e *outEntry, err error) {
	if e.done {
		return
	}
	e.done = true
	e.err = err
	close(e.settled)
}

func (o *outbox) run() {
	c := o.c
	for c.ctx.Err() == nil {
		o.mu.Lock()
		var e *outEntry
		if len(o.q) > 0 {
			e = o.q[0]
			e.State = OutSending
			e.Attempts++
		}
		o.mu.Unlock()
		if e == nil {
			select {
			case <-o.wake:
			case <-o.kckC:
			case <-c.ctx.Done():
			}
			continue
		}
		o.status(e)
		msg, err := o.send(e)
		if c.ctx.Err() != nil {
			return // stays queued in the store for the next client
		}
		ae := asAPIError(err, false)
		retry := ae != nil && (ae.Retryable || ae.Status >= 500)
		o.mu.Lock()
		switch {
		case ae == nil:
			e.State, e.Err, e.Message = OutSent, nil, msg
			o.removeLocked(e)
			o.stalled = false
			o.settleLocked(e, nil)
		case retry:
			e.State, e.Err = OutQueued, ae
			o.stalled = true
			for _, x := range o.q {
				if !x.waitSent {
					o.settleLocked(x, nil)
				}
			}
		default:
			e.State, e.Err = OutFailed, ae
			o.removeLocked(e)
			o.settleLocked(e, ae)
		}
		attempts := e.Attempts
		o.persistLocked()
		o.mu.Unlock()
		o.status(e)
		if retry {
			t := c.cfg.Clock.NewTimer(backoff(attempts-1, c.cfg.ReconnectBase, c.cfg.ReconnectMax))
			select {
			case <-t.C():
			case <-o.kckC:
			case <-c.ctx.Done():
			}
			t.Stop()
		}
	}
}

func (o *outbox) status(e *outEntry) {
	o.mu.Lock()
	snap := e.Outgoing
	o.mu.Unlock()
	o.c.events.emit(EventMessageStatus, &snap)
}

func (o *outbox) removeLocked(e *outEntry) {
	for i, x := range o.q {
		if x == e {
			o.q = append(o.q[:i:i], o.q[i+1:]...)
			return
		}
	}
}

// send makes one attempt at e.
func (o *outbox) send(e *outEntry) (*api.Message, error) {
	c := o.c
	ctx, cancel := context.WithTimeout(c.ctx, 30*time.Second)
	defer cancel()
	switch e.Kind {
	case KindFile:
		req := &Request{Method: "POST", Path: route(api.RouteFiles, "id", e.ChatID), Form: []FormPart{
			{Name: "client_id", Data: []byte(e.ClientID)},
			{Name: "caption", Data: []byte(e.caption)},
			{Name: "file", FileName: e.fileName, ContentType: e.contentType, Data: e.data},
		}}
		var r api.FileMessageResponse
		if _, err := c.do(ctx, req, r.UnmarshalEasyJSON); err != nil {
			return nil, err
		}
		m := r.Message
		if m.Index == 0 && r.MessageID != 0 {
			m.Index = r.MessageID
		}
		return &m, nil
	case KindPreview:
		return nil, c.post(ctx, route(api.RoutePreview, "id", e.ChatID), (&api.PreviewRequest{Content: e.preview}).MarshalEasyJSON, nil)
	default:
		var m api.Message
		if err := c.post(ctx, route(api.RouteMessages, "id", e.ChatID), e.req.MarshalEasyJSON, m.UnmarshalEasyJSON); err != nil {
			return nil, err
		}
		return &m, nil
	}
}

// dropChat removes the queued messages of a chat that is gone.
func (o *outbox) dropChat(chatID int64) {
	o.mu.Lock()
	defer o.mu.Unlock()
	keep := o.q[:0:0]
	for i, e := range o.q {
		if e.ChatID == chatID && !(i == 0 && e.State == OutSending) {
			e.State = OutFailed
			e.Err = ErrNoActiveChat
			o.settleLocked(e, ErrNoActiveChat)
			snap := e.Outgoing
			o.c.events.emit(EventMessageStatus, &snap)
			continue
		}
		keep = append(keep, e)
	}
	o.q = keep
	o.persistLocked()
}

// pending returns snapshots of the queued messages.
func (o *outbox) pending() []Outgoing {
	o.mu.Lock()
	defer o.mu.Unlock()
	out := make([]Outgoing, len(o.q))
	for i, e := range o.q {
		out[i] = e.Outgoing
	}
	return out
}

// Outbox returns the end user's messages not yet accepted by the platform,
// in sending order.
func (c *Client) Outbox() []Outgoing { return c.out.pending() }

func (o *outbox) persistLocked() {
	key := o.c.key(KeyOutbox)
	if len(o.q) == 0 {
		if err := o.c.cfg.Store.Delete(key); err != nil {
			o.c.cfg.Logger.Logf("sdk: store outbox: %v", err)
		}
		return
	}
	var w jwriter.Writer
	w.RawByte('[')
	for i, e := range o.q {
		if i > 0 {
			w.RawByte(',')
		}
		w.RawString(`{"client_id":`)
		w.String(e.ClientID)
		w.RawString(`,"chat_id":`)
		w.Int64(e.ChatID)
		w.RawString(`,"kind":`)
		w.String(e.Kind)
		w.RawString(`,"attempts":`)
		w.Int(e.Attempts)
		switch e.Kind {
		case KindFile:
			w.RawString(`,"file_name":`)
			w.String(e.fileName)
			w.RawString(`,"content_type":`)
			w.String(e.contentType)
			w.RawString(`,"caption":`)
			w.String(e.caption)
			w.RawString(`,"data":`)
			w.Base64Bytes(e.data)
		case KindPreview:
			w.RawString(`,"preview":`)
			w.String(e.preview)
		default:
			w.RawString(`,"request":`)
			e.req.MarshalEasyJSON(&w)
		}
		w.RawByte('}')
	}
	w.RawByte(']')
	b, _ := w.BuildBytes()
	if err := o.c.cfg.Store.Set(key, string(b)); err != nil {
		o.c.cfg.Logger.Logf("sdk: store outbox: %v", err)
	}
}

// load reads the queue a previous client left in the store.
func (o *outbox) load() {
	s, ok, err := o.c.cfg.Store.Get(o.c.key(KeyOutbox))
	if err != nil || !ok {
		return
	}
	l := jlexer.Lexer{Data: []byte(s)}
	var q []*outEntry
	l.Delim('[')
	for !l.IsDelim(']') {
		e := &outEntry{settled: make(chan struct{}), done: true}
		close(e.settled)
		e.State = OutQueued
		l.Delim('{')
		for !l.IsDelim('}') {
			k := l.UnsafeString()
			l.WantColon()
			switch k {
			case "client_id":
				e.ClientID = l.String()
			case "chat_id":
				e.ChatID = l.Int64()
			case "kind":
				e.Kind = l.String()
			case "attempts":
				e.Attempts = l.Int()
			case "file_name":
				e.fileName = l.String()
			case "content_type":
				e.contentType = l.String()
			case "caption":
				e.caption = l.String()
			case "data":
				e.data = l.Bytes()
			case "preview":
				e.preview = l.String()
			case "request":
				e.req.UnmarshalEasyJSON(&l)
			default:
				l.SkipRecursive()
			}
			l.WantComma()
		}
		l.Delim('}')
		l.WantComma()
		if e.ClientID != "" && e.ChatID != 0 {
			q = append(q, e)
		}
	}
	l.Delim(']')
	if err := l.Error(); err != nil {
		o.c.cfg.Logger.Logf("sdk: stored outbox unreadable, dropped: %v", err)
		return
	}
	o.q = q
}

// MarshalEasyJSON writes o as the payload of the message.status event:
// {client_id, chat_id, kind, state, attempts, error?, message?}.
func (o *Outgoing) MarshalEasyJSON(w *jwriter.Writer) {
	w.RawString(`{"client_id":`)
	w.String(o.ClientID)
	w.RawString(`,"chat_id":`)
	w.Int64(o.ChatID)
	w.RawString(`,"kind":`)
	w.String(o.Kind)
	w.RawString(`,"state":`)
	w.String(o.State)
	w.RawString(`,"attempts":`)
	w.Int(o.Attempts)
	if o.Err != nil {
		w.RawString(`,"error":{"code":`)
		w.String(o.Err.Code)
		w.RawString(`,"message":`)
		w.String(o.Err.Message)
		w.RawString(`,"retryable":`)
		w.Bool(o.Err.Retryable)
		w.RawString(`,"status":`)
		w.Int(o.Err.Status)
		w.RawByte('}')
	}
	if o.Message != nil {
		w.RawString(`,"message":`)
		o.Message.MarshalEasyJSON(w)
	}
	w.RawByte('}')
}
