//go:build js && wasm

package main

import (
	"errors"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/api/jwriter"
	"github.com/ccaip/headless-go/internal/xfmt"
	"github.com/ccaip/headless-go/sdk"
	"github.com/hack-pad/safejs"
)

// core is the sdk client of one page instance with its method table.
type core struct {
	p       *program
	cfg     config
	client  *sdk.Client
	store   *webStore
	methods map[string]method
	offs    []func()
	hints   []func()

	// The events of one delivery round, as the JSON array the loader's
	// emit takes: [["chat.message",1,{…}],…]. One crossing into
	// JavaScript per round instead of one per event.
	batchMu sync.Mutex
	batch   []byte
	batchN  int
}

// A round's batch leaves early once it holds this many events or bytes,
// so that a long burst reaches the page in steps.
const (
	maxBatchEvents = 256
	maxBatchBytes  = 1 << 20
)

// forwarded are the events the loader receives: the documented ones and
// the client's own.
var forwarded = []string{
	sdk.EventReady, sdk.EventAuthenticated,
	sdk.EventChatOngoing, sdk.EventChatUpdated, sdk.EventChatMessage,
	sdk.EventMemberJoined, sdk.EventMemberLeft, sdk.EventTypingStarted, sdk.EventTypingEnded,
	sdk.EventChatConnected, sdk.EventChatDisconnected, sdk.EventChatDismissed,
	sdk.EventChatTimeout, sdk.EventChatEnded, sdk.EventChatDestroyed,
	sdk.EventCobrowseRequest, sdk.EventCobrowseLoaded, sdk.EventCobrowseUpdated, sdk.EventCobrowseEnded,
	sdk.EventConnectionState, sdk.EventMessageStatus, sdk.EventChatRestored, sdk.EventChatRestoreFailed,
	sdk.EventError,
}

func newCore(p *program, cfg config) (*core, error) {
	c := &core{p: p, cfg: cfg, store: newWebStore(p.host)}
	client, err := sdk.New(sdk.Config{
		CompanyID:    cfg.CompanyID,
		Tenant:       cfg.Tenant,
		Host:         cfg.Host,
		Lang:         cfg.Lang,
		Authenticate: p.authenticator(),
		Communicator: bridgeComm{p: p},
		Dialer:       wsDialer{p: p},
		Store:        c.store,
		Logger:       consoleLogger{debug: cfg.Debug},
	})
	if err != nil {
		return nil, err
	}
	c.client = client
	c.methods = c.table()
	return c, nil
}

// start forwards the client's events to the loader and counts this visit
// for the proactive triggers.
func (c *core) start() {
	for _, name := range forwarded {
		name := name
		c.offs = append(c.offs, c.client.On(name, func(payload any) { c.queue(name, payload) }))
	}
	c.offs = append(c.offs, c.client.OnDrained(c.flush))
	c.countVisit()
	c.watchHints()
}

// close stops the client and removes every listener and hint.
func (c *core) close() {
	for _, off := range c.offs {
		off()
	}
	for _, remove := range c.hints {
		remove()
	}
	_ = c.client.Close()
}

// emit hands one event to the loader at once (with any queued before it).
func (c *core) emit(name string, payload any) {
	c.queue(name, payload)
	c.flush()
}

// queue adds one event to the round's batch; a full batch leaves at once.
func (c *core) queue(name string, payload any) {
	defer func() {
		if r := recover(); r != nil {
			logPanic("event "+name, r)
		}
	}()
	w := jwriter.Writer{Flags: jsFlags}
	w.RawByte('[')
	w.String(name)
	w.RawByte(',')
	writePayload(&w, payload)
	w.RawByte(']')
	b, err := w.BuildBytes()
	if err != nil {
		w = jwriter.Writer{}
		w.RawByte('[')
		w.String(name)
		w.RawString(`,` + strconv.Itoa(kindError) + `,`)
		writeError(&w, api.Errorf(api.CodeInternal, "encode %s: %v", name, err))
		w.RawByte(']')
		b, _ = w.BuildBytes()
	}
	c.batchMu.Lock()
	if c.batchN == 0 {
		c.batch = append(c.batch[:0], '[')
	} else {
		c.batch = append(c.batch, ',')
	}
	c.batch = append(c.batch, b...)
	c.batchN++
	full := c.batchN >= maxBatchEvents || len(c.batch) >= maxBatchBytes
	c.batchMu.Unlock()
	if full {
		c.flush()
	}
}

// flush hands the batch to the loader. The lock is not held across the
// call: a listener may re-enter Go.
func (c *core) flush() {
	c.batchMu.Lock()
	if c.batchN == 0 {
		c.batchMu.Unlock()
		return
	}
	s := string(append(c.batch, ']'))
	c.batch, c.batchN = c.batch[:0], 0
	c.batchMu.Unlock()
	if _, err := c.p.host.Call("emit", s); err != nil {
		logPanic("emit", err)
	}
}

// writePayload writes an event payload as `kind,value` for the loader.
// The api types are named one by one (see jsonOf for why).
func writePayload(w *jwriter.Writer, payload any) {
	kind := func(k int) {
		w.Int(k)
		w.RawByte(',')
	}
	switch v := payload.(type) {
	case nil:
		kind(kindUndefined)
		w.RawString("null")
	case *api.Error:
		kind(kindError)
		writeError(w, v)
	case error:
		kind(kindError)
		var ae *api.Error
		if !asAPIError(v, &ae) {
			ae = &api.Error{Code: api.CodeInternal, Message: v.Error()}
		}
		writeError(w, ae)
	case *api.Chat:
		kind(kindJSON)
		v.MarshalEasyJSON(w)
	case *api.Message:
		kind(kindJSON)
		v.MarshalEasyJSON(w)
	case *api.EndUser:
		kind(kindJSON)
		v.MarshalEasyJSON(w)
	case *api.Identity:
		kind(kindJSON)
		v.MarshalEasyJSON(w)
	case *api.CobrowseSession:
		kind(kindJSON)
		v.MarshalEasyJSON(w)
	case *api.TriggerItem:
		kind(kindJSON)
		v.MarshalEasyJSON(w)
	case *sdk.Outgoing:
		kind(kindJSON)
		v.MarshalEasyJSON(w)
	case string:
		kind(kindValue)
		w.String(v)
	case int:
		kind(kindValue)
		w.Int(v)
	case int64:
		kind(kindValue)
		w.Int64(v)
	case float64:
		kind(kindValue)
		w.Float64(v)
	case bool:
		kind(kindValue)
		w.Bool(v)
	default:
		kind(kindUndefined)
		w.RawString("null")
	}
}

// visitsKey is where the visit counter of the triggers lives.
func (c *core) visitsKey() string { return sdk.StoreKey(c.cfg.CompanyID, c.cfg.Tenant, "visits") }

func (c *core) countVisit() {
	n := c.visits()
	_ = c.store.Set(c.visitsKey(), itoa(int64(n+1)))
}

func (c *core) visits() int {
	v, ok, _ := c.store.Get(c.visitsKey())
	if !ok {
		return 0
	}
	n := 0
	for _, r := range v {
		if r < '0' || r > '9' {
			return 0
		}
		n = n*10 + int(r-'0')
	}
	return n
}

// page describes the current page for the triggers: its URL, the visits
// counted in the store (this one included) and the time since it loaded.
func (c *core) page() sdk.PageContext {
	pc := sdk.PageContext{Visits: c.visits()}
	pc.Returning = pc.Visits > 1
	info, err := c.p.host.Call("page")
	if err != nil {
		return pc
	}
	if u, err := info.Get("url"); err == nil {
		pc.URL, _ = u.String()
	}
	if t, err := info.Get("timeOnPage"); err == nil {
		ms, _ := t.Float()
		pc.TimeOnPage = time.Duration(ms * float64(time.Millisecond))
	}
	return pc
}

// watchHints listens to the browser's online/offline, visibility and
// pagehide events, released on destroy. Hiding or leaving the page saves
// the chat record; the others are logged.
func (c *core) watchHints() {
	for _, target := range []string{"window", "document"} {
		obj, err := safejs.Global().Get(target)
		if err != nil || obj.IsUndefined() {
			continue
		}
		events := []string{"online", "offline", "pagehide"}
		if target == "document" {
			events = []string{"visibilitychange"}
		}
		for _, ev := range events {
			ev := ev
			fn, release, err := c.p.funcs.add("hint."+ev, func(safejs.Value, []safejs.Value) any {
				c.hint(ev)
				return nil
			})
			if err != nil {
				continue
			}
			if _, err := obj.Call("addEventListener", ev, fn.Value()); err != nil {
				release()
				continue
			}
			c.hints = append(c.hints, func() {
				_, _ = obj.Call("removeEventListener", ev, fn.Value())
				release()
			})
		}
	}
}

// consoleLogger writes the client's diagnostics to the console in debug
// mode (the Go runtime maps stdout to console.log).
type consoleLogger struct{ debug bool }

func (l consoleLogger) Logf(format string, args ...any) {
	if l.debug {
		os.Stdout.WriteString("ccaip: " + xfmt.Sprintf(format, args...) + "\n")
	}
}

// jsonList returns items as a JSON array result, each written by enc (a
// method expression such as api.Message.MarshalEasyJSON).
func jsonList[T any](items []T, enc func(T, *jwriter.Writer)) result {
	w := jwriter.Writer{Flags: jsFlags}
	w.RawByte('[')
	for i := range items {
		if i > 0 {
			w.RawByte(',')
		}
		enc(items[i], &w)
	}
	w.RawByte(']')
	b, err := w.BuildBytes()
	if err != nil {
		return result{kind: kindError, value: errorJSON(api.Errorf(api.CodeInternal, "encode result: %v", err))}
	}
	return result{kind: kindJSON, value: string(b)}
}

// jsonStrings returns a []string as a JSON array result.
func jsonStrings(items []string) result {
	var w jwriter.Writer
	w.RawByte('[')
	for i, s := range items {
		if i > 0 {
			w.RawByte(',')
		}
		w.String(s)
	}
	w.RawByte(']')
	b, _ := w.BuildBytes()
	return result{kind: kindJSON, value: string(b)}
}

// hint reacts to a browser hint. The core reconnects on its own backoff;
// the hint is logged in debug mode so a page author can correlate.
func (c *core) hint(event string) {
	consoleLogger{debug: c.cfg.Debug}.Logf("browser hint: %s", event)
	// The page may be going away without destroy(): write the cursor now
	// (see sdk/persist.go).
	if (event == "pagehide" || event == "visibilitychange") && c.client != nil {
		c.client.SaveState()
	}
}

func asAPIError(err error, target **api.Error) bool { return errors.As(err, target) }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
