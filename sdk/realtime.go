package sdk

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/ccaip/headless-go/api"
)

// runner follows one chat's realtime channel: a WebSocket when it can,
// long polling when it cannot, reconnecting with backoff and jitter. It is
// the only writer of the delivery state of its chat; a runner that is no
// longer c.rt changes nothing.
type runner struct {
	c      *Client
	chatID int64
	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{}
	// connected is whether the link is up (chat.connected was emitted).
	connected bool
	final     bool
	gapTimer  Timer
}

// startRunnerLocked starts a runner for chatID; c.mu is held and c is open.
func (c *Client) startRunnerLocked(chatID int64) *runner {
	r := &runner{c: c, chatID: chatID, done: make(chan struct{})}
	r.ctx, r.cancel = context.WithCancel(c.ctx)
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		defer close(r.done)
		defer func() {
			if p := recover(); p != nil {
				c.cfg.Logger.Logf("sdk: realtime panic: %v", p)
			}
		}()
		r.run()
	}()
	return r
}

// stop ends the runner and waits for it. Not for use by the runner itself.
func (r *runner) stop() {
	r.cancel()
	<-r.done
}

// current reports, with c.mu held, whether r still owns the chat state.
func (r *runner) currentLocked() bool {
	return r.c.rt == r && r.c.chat != nil && r.c.chat.ID == r.chatID
}

func (r *runner) setState(s string) {
	r.c.events.emit(EventConnectionState, s)
}

func (r *runner) run() {
	c := r.c
	wsFails, attempt := 0, 0
	r.setState(ConnConnecting)
	for r.ctx.Err() == nil && !r.final {
		var up bool
		var err error
		if c.cfg.Dialer != nil && wsFails < c.cfg.WSFailuresBeforePolling {
			up, err = r.runWS()
			if up {
				wsFails = 0
			} else {
				wsFails++
			}
		} else {
			up, err = r.runPoll()
			wsFails = 0
		}
		r.linkDown()
		if r.ctx.Err() != nil || r.final {
			break
		}
		if up {
			attempt = 0
		}
		if err != nil {
			c.cfg.Logger.Logf("sdk: realtime chat %d: %v", r.chatID, err)
			var ae *api.Error
			if errors.As(err, &ae) && !ae.Retryable && ae.Code != api.CodeUnauthorized && ae.Code != api.CodeInternal && ae.Code != api.CodeBadRequest {
				if ae.Code == api.CodeNotFound || ae.Code == api.CodeForbidden {
					c.events.emit(EventError, ae)
					break
				}
			}
		}
		r.setState(ConnReconnecting)
		if !c.sleep(r.ctx, backoff(attempt, c.cfg.ReconnectBase, c.cfg.ReconnectMax)) {
			break
		}
		attempt++
	}
	r.stopGapTimer()
	r.setState(ConnOffline)
}

// linkUp marks the link as up once per connection.
func (r *runner) linkUp(state string) {
	if r.connected {
		return
	}
	c := r.c
	c.mu.Lock()
	defer c.mu.Unlock()
	if !r.currentLocked() {
		return
	}
	r.connected = true
	c.events.emit(EventConnectionState, state)
	cp := *c.chat
	c.events.emit(EventChatConnected, &cp)
	c.out.kick()
}

func (r *runner) linkDown() {
	if !r.connected {
		return
	}
	r.connected = false
	c := r.c
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.chat != nil && c.chat.ID == r.chatID {
		cp := *c.chat
		c.events.emit(EventChatDisconnected, &cp)
	}
}

func (r *runner) cursor() int64 {
	r.c.mu.Lock()
	defer r.c.mu.Unlock()
	return r.c.seq.cursor()
}

// wsURL resolves a ticket URL against the host and adds the cursor.
func (r *runner) wsURL(u string, after int64) string {
	if strings.HasPrefix(u, "/") {
		h := strings.TrimSuffix(r.c.cfg.Host, "/")
		h = strings.Replace(h, "https://", "wss://", 1)
		h = strings.Replace(h, "http://", "ws://", 1)
		u = h + u
	}
	sep := "?"
	if strings.Contains(u, "?") {
		sep = "&"
	}
	return u + sep + "after=" + strconv.FormatInt(after, 10) + "&batch=1"
}

// runWS runs one WebSocket connection until it drops. up says whether it
// was established.
func (r *runner) runWS() (up bool, err error) {
	c := r.c
	var t api.RealtimeTicket
	if err := c.post(r.ctx, route(api.RouteRealtimeTicket, "id", r.chatID), nil, t.UnmarshalEasyJSON); err != nil {
		return false, err
	}
	conn, err := c.cfg.Dialer.Dial(r.ctx, r.wsURL(t.URL, r.cursor()))
	if err != nil {
		return false, err
	}
	ctx, cancel := context.WithCancel(r.ctx)
	frames := make(chan []byte, 64)
	readErr := make(chan error, 1)
	readerDone := make(chan struct{})
	go func() {
		defer close(readerDone)
		for {
			b, err := conn.Read(ctx)
			if err != nil {
				readErr <- err
				return
			}
			select {
			case frames <- b:
			case <-ctx.Done():
				return
			}
		}
	}()
	defer func() {
		cancel()
		conn.Close()
		<-readerDone
	}()
	for {
		var gapC <-chan time.Time
		if r.gapTimer != nil {
			gapC = r.gapTimer.C()
		}
		select {
		case <-r.ctx.Done():
			return true, nil
		case err := <-readErr:
			// Frames read before the error still count.
			for {
				select {
				case b := <-frames:
					r.frame(b)
					continue
				default:
				}
				break
			}
			return true, err
		case b := <-frames:
			r.linkUp(ConnConnected)
			if stop := r.frame(b); stop != nil {
				return true, stop
			}
			if r.final {
				return true, nil
			}
		case <-gapC:
			r.gapTimer = nil
			r.fillGap()
		}
		r.armGap()
	}
}

// runPoll long-polls until an error, the chat's end, or (with a Dialer)
// a minute has passed, so that the WebSocket is tried again.
func (r *runner) runPoll() (up bool, err error) {
	c := r.c
	start := c.cfg.Clock.Now()
	for r.ctx.Err() == nil && !r.final {
		if c.cfg.Dialer != nil && c.cfg.Clock.Now().Sub(start) > time.Minute {
			return up, nil
		}
		secs := int64(c.cfg.PollTimeout / time.Second)
		q := c.query("after", strconv.FormatInt(r.cursor(), 10), "timeout", strconv.FormatInt(max(secs, 1), 10))
		ctx, cancel := context.WithTimeout(r.ctx, c.cfg.PollTimeout+10*time.Second)
		var pr api.PollResponse
		err := c.get(ctx, route(api.RoutePoll, "id", r.chatID), q, pr.UnmarshalEasyJSON)
		cancel()
		if err != nil {
			return up, err
		}
		up = true
		r.linkUp(ConnPolling)
		for i := range pr.Events {
			if stop := r.event(&pr.Events[i]); stop != nil {
				return up, stop
			}
		}
		if _, _, gap := r.gap(); gap {
			r.fillGap()
		}
	}
	return up, nil
}

func (r *runner) gap() (int64, int64, bool) {
	r.c.mu.Lock()
	defer r.c.mu.Unlock()
	return r.c.seq.gap()
}

// armGap starts the gap timer when a gap opened and none runs.
func (r *runner) armGap() {
	if _, _, ok := r.gap(); ok && r.gapTimer == nil {
		r.gapTimer = r.c.cfg.Clock.NewTimer(r.c.cfg.GapWait)
	} else if !ok {
		r.stopGapTimer()
	}
}

func (r *runner) stopGapTimer() {
	if r.gapTimer != nil {
		r.gapTimer.Stop()
		r.gapTimer = nil
	}
}

// fillGap asks the platform for the messages of the open gap.
func (r *runner) fillGap() {
	from, to, ok := r.gap()
	if !ok {
		return
	}
	c := r.c
	c.mu.Lock()
	c.seq.counters.GapFills++
	c.mu.Unlock()
	limit := min(to-from+1, 500)
	var page api.MessagePage
	q := c.query("after", strconv.FormatInt(from-1, 10), "limit", strconv.FormatInt(limit, 10))
	if err := c.get(r.ctx, route(api.RouteMessages, "id", r.chatID), q, page.UnmarshalEasyJSON); err != nil {
		c.cfg.Logger.Logf("sdk: fill gap %d-%d of chat %d: %v", from, to, r.chatID, err)
		return
	}
	for i := range page.Messages {
		r.message(&page.Messages[i])
	}
}

// frame handles one WebSocket frame; a non-nil error asks for a reconnect.
func (r *runner) frame(b []byte) error {
	var ev api.Event
	if err := decode(b, ev.UnmarshalEasyJSON); err != nil {
		r.c.cfg.Logger.Logf("sdk: bad realtime frame: %v", err)
		return nil
	}
	return r.event(&ev)
}

func (r *runner) message(m *api.Message) {
	c := r.c
	c.mu.Lock()
	defer c.mu.Unlock()
	if !r.currentLocked() {
		return
	}
	for _, d := range c.seq.offer(m) {
		c.deliverLocked(d)
	}
}

// messages applies the messages of one EventMessages frame in order, as
// if each had come in its own frame.
func (r *runner) messages(ms []api.Message) {
	c := r.c
	c.mu.Lock()
	defer c.mu.Unlock()
	if !r.currentLocked() {
		return
	}
	for i := range ms {
		for _, d := range c.seq.offer(&ms[i]) {
			c.deliverLocked(d)
		}
	}
}

// deliverLocked hands one in-order message to listeners, after moving the
// chat's last index and the stored cursor. c.mu is held.
func (c *Client) deliverLocked(m *api.Message) {
	if m.Index > c.chat.LastIndex {
		c.chat.LastIndex = m.Index
	}
	if m.UserType != api.UserEndUser && m.Index > c.read {
		c.unread = append(c.unread, m.Index)
	}
	c.markDirtyLocked()
	vendorFields(m)
	c.events.emit(EventChatMessage, m)
}

// event applies one realtime event; a non-nil error asks for a reconnect.
func (r *runner) event(ev *api.Event) error {
	c := r.c
	switch ev.Type {
	case api.EventMessage:
		if ev.Message != nil {
			r.message(ev.Message)
		}
		return nil
	case api.EventMessages:
		r.messages(ev.Messages)
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !r.currentLocked() {
		return nil
	}
	switch ev.Type {
	case api.EventHello, api.EventChat:
		if ev.Chat != nil {
			if c.applyChatLocked(ev.Chat) {
				r.final = true
			}
		}
	case api.EventQueue:
		if c.chat.QueuePosition != ev.Position {
			c.chat.QueuePosition = ev.Position
			cp := *c.chat
			c.events.emit(EventChatUpdated, &cp)
		}
	case api.EventMemberJoined, api.EventMemberLeft, api.EventTypingStart, api.EventTypingEnd:
		if ev.Identity == nil {
			return nil
		}
		id := *ev.Identity
		name := map[string]string{
			api.EventMemberJoined: EventMemberJoined,
			api.EventMemberLeft:   EventMemberLeft,
			api.EventTypingStart:  EventTypingStarted,
			api.EventTypingEnd:    EventTypingEnded,
		}[ev.Type]
		switch ev.Type {
		case api.EventMemberJoined:
			c.memberJoinedLocked(&id)
		case api.EventMemberLeft:
			c.memberLeftLocked(&id)
		}
		c.events.emit(name, &id)
	case api.EventCobrowse:
		if ev.Cobrowse != nil {
			c.cobrowseLocked(ev.Cobrowse)
		}
	case api.EventError:
		if ev.Error != nil {
			ae := &api.Error{Code: ev.Error.Code, Message: ev.Error.Message, Retryable: ev.Error.Retryable}
			c.events.emit(EventError, ae)
			return ae
		}
	}
	return nil
}

// cobrowseLocked maps a screen-share session's status changes to the
// documented cobrowse events.
func (c *Client) cobrowseLocked(s *api.CobrowseSession) {
	prev := c.cobrow[s.ID]
	c.cobrow[s.ID] = s.Status
	cp := *s
	switch s.Status {
	case api.CobrowsePending:
		if prev == "" {
			c.events.emit(EventCobrowseRequest, s.From)
		}
	case api.CobrowseActive:
		if prev != api.CobrowseActive {
			c.events.emit(EventCobrowseLoaded, &cp)
		} else {
			c.events.emit(EventCobrowseUpdated, &cp)
		}
	case api.CobrowseEnded:
		if prev != api.CobrowseEnded {
			c.events.emit(EventCobrowseEnded, &cp)
		}
	default:
		c.events.emit(EventCobrowseUpdated, &cp)
	}
}

// Counters returns the delivery counters of the current chat.
func (c *Client) Counters() Counters {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.seq.counters
}
