package sdk

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"math/rand/v2"
	"strconv"
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

// outbox sends the end user's messages in order, one request at a time: the
// head alone, or the head and the text messages queued behind it as one
// batch (nextLocked), so that a burst costs a round trip per batch. An entry
// stays queued until the platform accepts or rejects it; transient
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
	// dirty: the queue changed since it was last written; stored: what is
	// in the store is not empty. saveC wakes its saveLoop.
	dirty, stored bool
	saveC         chan struct{}
}

func newOutbox(c *Client) *outbox {
	o := &outbox{c: c, wake: make(chan struct{}, 1), kckC: make(chan struct{}, 1), saveC: make(chan struct{}, 1)}
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
		o.persistLocked() // the caller is told "queued": it is stored
	} else {
		o.persistSoonLocked()
	}
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
		batch := o.nextLocked()
		for _, e := range batch {
			e.State = OutSending
			e.Attempts++
		}
		o.mu.Unlock()
		if len(batch) == 0 {
			select {
			case <-o.wake:
			case <-o.kckC:
			case <-c.ctx.Done():
			}
			continue
		}
		o.status(batch)
		msgs, errs, err := o.send(batch)
		if c.ctx.Err() != nil {
			return // stays queued in the store for the next client
		}
		retry := false
		o.mu.Lock()
		for i, e := range batch {
			ae := asAPIError(err, false)
			if err == nil && errs != nil {
				ae = errs[i] // the platform's answer for this one message: final
			}
			switch {
			case ae == nil:
				e.State, e.Err, e.Message = OutSent, nil, msgs[i]
				o.removeLocked(e)
				o.settleLocked(e, nil)
			case err != nil && (ae.Retryable || ae.Status >= 500):
				e.State, e.Err = OutQueued, ae
				retry = true
			default:
				e.State, e.Err = OutFailed, ae
				o.removeLocked(e)
				o.settleLocked(e, ae)
			}
		}
		o.stalled = retry
		if retry {
			for _, x := range o.q {
				if !x.waitSent {
					o.settleLocked(x, nil)
				}
			}
		}
		attempts := batch[0].Attempts
		if retry {
			o.persistLocked() // the callers are told "queued": they are stored
		} else {
			o.persistSoonLocked()
		}
		o.mu.Unlock()
		o.status(batch)
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

// maxBatchBody bounds the encoded messages of one batch, well inside the
// platform's 1 MiB JSON body limit whatever the messages hold.
const maxBatchBody = 256 << 10

// nextLocked returns what to send next: the head alone, or, when the head
// is a text message, it and the text messages of its chat queued right
// behind it (up to api.MaxBatchMessages and maxBatchBody), which go out in
// one request in their order. Files and previews go alone, in their place.
func (o *outbox) nextLocked() []*outEntry {
	if len(o.q) == 0 {
		return nil
	}
	head := o.q[0]
	n, size := 1, 0
	if head.Kind == KindText {
		size = textSize(head)
		for n < len(o.q) && n < api.MaxBatchMessages {
			e := o.q[n]
			if e.Kind != KindText || e.ChatID != head.ChatID || size+textSize(e) > maxBatchBody {
				break
			}
			size += textSize(e)
			n++
		}
	}
	return append([]*outEntry(nil), o.q[:n]...)
}

// textSize is an upper bound of a text message's encoded size: JSON may
// escape a byte of content into six.
func textSize(e *outEntry) int {
	r := &e.req
	n := 256 + len(r.ClientID) + 6*(len(r.Content)+len(r.Payload)+len(r.Event)) + len(r.Metadata) + len(r.Structured)
	for _, b := range r.QuickReplies {
		n += 64 + 6*(len(b.Title)+len(b.Payload))
	}
	return n
}

func (o *outbox) status(batch []*outEntry) {
	o.mu.Lock()
	snaps := make([]Outgoing, len(batch))
	for i, e := range batch {
		snaps[i] = e.Outgoing
	}
	o.mu.Unlock()
	for i := range snaps {
		o.c.events.emit(EventMessageStatus, &snaps[i])
	}
}

func (o *outbox) removeLocked(e *outEntry) {
	for i, x := range o.q {
		if x == e {
			o.q = append(o.q[:i:i], o.q[i+1:]...)
			return
		}
	}
}

// send makes one attempt at batch. err is the request's failure (every
// message's); errs, when set, the platform's answer for each message of a
// batch, and msgs the messages it stored.
func (o *outbox) send(batch []*outEntry) (msgs []*api.Message, errs []*api.Error, err error) {
	if len(batch) > 1 {
		return o.sendBatch(batch)
	}
	m, err := o.sendOne(batch[0])
	return []*api.Message{m}, nil, err
}

// sendBatch sends text messages in one request (api.RouteMessageBatch:
// api.SendMessagesRequest → api.SendMessagesResponse). Encoded and decoded
// here rather than by the generated methods of those types, which would
// add their code to the wasm build.
func (o *outbox) sendBatch(batch []*outEntry) ([]*api.Message, []*api.Error, error) {
	c := o.c
	ctx, cancel := context.WithTimeout(c.ctx, 30*time.Second)
	defer cancel()
	body := func(w *jwriter.Writer) {
		w.RawString(`{"messages":[`)
		for i, e := range batch {
			if i > 0 {
				w.RawByte(',')
			}
			e.req.MarshalEasyJSON(w)
		}
		w.RawString(`]}`)
	}
	msgs := make([]*api.Message, 0, len(batch))
	errs := make([]*api.Error, 0, len(batch))
	results := func(l *jlexer.Lexer) {
		l.Delim('{')
		for !l.IsDelim('}') {
			k := l.UnsafeString()
			l.WantColon()
			if k != "results" {
				l.SkipRecursive()
				l.WantComma()
				continue
			}
			l.Delim('[')
			for !l.IsDelim(']') {
				var m *api.Message
				var eb *api.ErrorBody
				status := 0
				l.Delim('{')
				for !l.IsDelim('}') {
					k := l.UnsafeString()
					l.WantColon()
					switch k {
					case "message":
						m = &api.Message{}
						m.UnmarshalEasyJSON(l)
					case "error":
						eb = &api.ErrorBody{}
						eb.UnmarshalEasyJSON(l)
					case "status":
						status = l.Int()
					default:
						l.SkipRecursive()
					}
					l.WantComma()
				}
				l.Delim('}')
				l.WantComma()
				var ae *api.Error
				switch {
				case eb != nil:
					ae = &api.Error{Code: eb.Code, Message: eb.Message, Retryable: eb.Retryable, Status: status}
				case m == nil:
					ae = &api.Error{Code: api.CodeInternal, Message: "batch result without message or error"}
				}
				msgs, errs = append(msgs, m), append(errs, ae)
			}
			l.Delim(']')
			l.WantComma()
		}
		l.Delim('}')
	}
	if err := c.post(ctx, route(api.RouteMessageBatch, "id", batch[0].ChatID), body, results); err != nil {
		return nil, nil, err
	}
	if len(msgs) != len(batch) {
		return nil, nil, &api.Error{Code: api.CodeInternal, Message: "batch answered " + strconv.Itoa(len(msgs)) + " results for " + strconv.Itoa(len(batch)) + " messages", Retryable: true}
	}
	return msgs, errs, nil
}

// sendOne makes one attempt at e alone.
func (o *outbox) sendOne(e *outEntry) (*api.Message, error) {
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
	for _, e := range o.q {
		if e.ChatID == chatID && e.State != OutSending {
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

// The queue is written to the Store behind the sends, not before each:
// in a browser every write is a localStorage write (with a shared core,
// one posted to every tab), and writing the whole queue per message made a
// burst O(n²). A change marks the queue dirty and its saveLoop writes it
// Config.SaveDelay later, by which time most messages have been accepted
// and need no write at all. It is written at once whenever a caller is
// told its message is queued rather than sent (the platform cannot be
// reached), by SaveState (the page going away) and last thing in Close.
// So a message whose send call returned is on the platform or in the
// store; a crash within SaveDelay of a send call that had not returned
// may lose that message, never duplicate one (a stored message the
// platform already has is resent with its client_id, which the platform
// answers with the first copy).

// persistSoonLocked marks the queue dirty and wakes its saveLoop. o.mu is
// held.
func (o *outbox) persistSoonLocked() {
	o.dirty = true
	select {
	case o.saveC <- struct{}{}:
	default:
	}
}

// save writes the queue now if it changed since the last write.
func (o *outbox) save() {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.dirty {
		o.persistLocked()
	}
}

// persistLocked writes the queue (an empty one: removes the key). o.mu is
// held.
func (o *outbox) persistLocked() {
	o.dirty = false
	key := o.c.key(KeyOutbox)
	if len(o.q) == 0 {
		if !o.stored {
			return
		}
		if err := o.c.cfg.Store.Delete(key); err != nil {
			o.c.cfg.Logger.Logf("sdk: store outbox: %v", err)
			return
		}
		o.stored = false
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
		return
	}
	o.stored = true
}

// load reads the queue a previous client left in the store.
func (o *outbox) load() {
	s, ok, err := o.c.cfg.Store.Get(o.c.key(KeyOutbox))
	if err != nil || !ok {
		return
	}
	o.stored = true // even unreadable: the next write replaces it
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
