package server

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/coder/websocket"

	"github.com/ccaip/headless-go/api"
)

// ticket authorises one realtime connection to one chat.
type ticket struct {
	chatID    int64
	endUserID int64
	expires   time.Time
}

// Long-poll bounds, in seconds.
const (
	defaultPollTimeout = 25
	maxPollTimeout     = 30
)

// reorderHold is how long a held frame waits for a partner to swap with
// under Faults.Reorder before it is sent alone.
const reorderHold = 100 * time.Millisecond

// baseURL is the platform's public base URL for r.
func (s *Server) baseURL(r *http.Request) string {
	if s.cfg.PublicURL != "" {
		return strings.TrimRight(s.cfg.PublicURL, "/")
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func (s *Server) handleTicket(w http.ResponseWriter, r *http.Request, u *endUser) error {
	c, err := s.pathChat(r, u)
	if err != nil {
		return err
	}
	tok := randomToken(24)
	now := s.now()
	exp := now.Add(s.cfg.TicketTTL)
	s.ticketMu.Lock()
	for k, t := range s.tickets {
		if now.After(t.expires) {
			delete(s.tickets, k)
		}
	}
	s.tickets[string(hashToken(tok))] = ticket{chatID: c.ID, endUserID: u.ID, expires: exp}
	s.ticketMu.Unlock()
	base := s.baseURL(r)
	base = "ws" + strings.TrimPrefix(base, "http")
	writeJSON(w, http.StatusOK, api.RealtimeTicket{
		Ticket:    tok,
		URL:       base + api.RouteRealtime + "?ticket=" + tok,
		ExpiresAt: exp.UTC().Format(timeFormat),
	})
	return nil
}

// useTicket consumes a ticket: each works once, and only before it expires.
func (s *Server) useTicket(tok string) (ticket, error) {
	if tok == "" {
		return ticket{}, api.Errorf(api.CodeUnauthorized, "missing realtime ticket")
	}
	key := string(hashToken(tok))
	s.ticketMu.Lock()
	t, ok := s.tickets[key]
	delete(s.tickets, key)
	s.ticketMu.Unlock()
	if !ok {
		return ticket{}, api.Errorf(api.CodeUnauthorized, "unknown or used realtime ticket")
	}
	if s.now().After(t.expires) {
		return ticket{}, api.Errorf(api.CodeUnauthorized, "the realtime ticket expired")
	}
	return t, nil
}

// checkOrigin allows requests without Origin (non-browser clients, which a
// ticket alone authorises), from the platform's own origin (the bridge
// iframe) and from the company's allowed origins.
func (s *Server) checkOrigin(r *http.Request) error {
	origin := r.Header.Get("Origin")
	if origin == "" || s.sameOrigin(r, origin) || s.originAllowed(origin) {
		return nil
	}
	return api.Errorf(api.CodeForbidden, "origin %q is not allowed", origin)
}

func (s *Server) handleRealtime(w http.ResponseWriter, r *http.Request) error {
	if err := s.checkOrigin(r); err != nil {
		return err
	}
	if s.faults.Load().Offline {
		return errOffline()
	}
	after, err := queryInt(r, "after", 0)
	if err != nil {
		return err
	}
	t, err := s.useTicket(r.URL.Query().Get("ticket"))
	if err != nil {
		return err
	}
	sb := s.hub.subscribe(t.chatID)
	defer s.hub.unsubscribe(sb)
	c, err := s.loadChat(r.Context(), s.db, t.chatID)
	if err != nil {
		return err
	}
	if c.EndUserID != t.endUserID {
		return api.Errorf(api.CodeNotFound, "chat %d not found", t.chatID)
	}
	hello, err := s.apiChat(r.Context(), s.db, c)
	if err != nil {
		return err
	}
	conn, err := websocket.Accept(w, r, &websocket.AcceptOptions{InsecureSkipVerify: true}) // origin checked above
	if err != nil {
		return nil // Accept has answered
	}
	defer conn.CloseNow()
	ctx := conn.CloseRead(s.ctx)
	fw := &frameWriter{s: s, conn: conn, chatID: c.ID, batch: r.URL.Query().Get("batch") == "1"}
	if err := fw.write(ctx, api.Event{Type: api.EventHello, ChatID: c.ID, Chat: &hello}); err != nil {
		return nil
	}
	last := after
	for {
		ms, err := s.messages(ctx, s.db, c.ID, last, 0, maxPageSize)
		if err != nil {
			conn.Close(websocket.StatusInternalError, "storage error")
			return nil
		}
		if err := fw.writeMessages(ctx, ms); err != nil {
			return nil
		}
		if len(ms) > 0 {
			last = ms[len(ms)-1].Index
		}
		if len(ms) < maxPageSize {
			break
		}
	}
	ping := time.NewTicker(s.cfg.PingInterval)
	defer ping.Stop()
	for {
		var flush <-chan time.Time
		if fw.held != nil {
			flush = time.After(reorderHold)
		}
		select {
		case <-ctx.Done():
			conn.Close(websocket.StatusGoingAway, "closing")
			return nil
		case <-sb.gone:
			conn.Close(websocket.StatusTryAgainLater, "resume from your last index")
			return nil
		case <-ping.C:
			err = fw.write(ctx, api.Event{Type: api.EventPing, ChatID: c.ID})
		case <-flush:
			err = fw.flush(ctx)
		case e := <-sb.ch:
			err = fw.forward(ctx, e, sb.ch, &last)
		}
		if err != nil {
			return nil
		}
	}
}

// forward writes e and every event already waiting on more, so that a
// burst of messages leaves in as few frames as the connection allows.
// Messages at or below *last are skipped; *last follows what was sent.
func (fw *frameWriter) forward(ctx context.Context, e api.Event, more <-chan api.Event, last *int64) error {
	var ms []api.Message
	for {
		if e.Type != api.EventMessage {
			if err := fw.writeMessages(ctx, ms); err != nil {
				return err
			}
			ms = ms[:0]
			if err := fw.write(ctx, e); err != nil {
				return err
			}
		} else if e.Message.Index > *last {
			*last = e.Message.Index
			ms = append(ms, *e.Message)
		}
		if len(ms) >= maxBatch {
			return fw.writeMessages(ctx, ms)
		}
		select {
		case e = <-more:
		default:
			return fw.writeMessages(ctx, ms)
		}
	}
}

// errDropped ends a connection on purpose (Faults.DropAfter).
var errDropped = errors.New("dropped by fault injection")

// frameWriter writes events to one connection, applying the server's
// current Faults to message frames.
type frameWriter struct {
	s      *Server
	conn   *websocket.Conn
	chatID int64
	batch  bool // the client asked for EventMessages frames
	sent   int
	held   *api.Event
}

// Bounds of one EventMessages frame: messages, and bytes of their content.
const (
	maxBatch      = 100
	maxBatchBytes = 256 << 10
)

// writeMessages sends ms in order: in EventMessages frames on a batching
// connection without message faults, else one frame each.
func (fw *frameWriter) writeMessages(ctx context.Context, ms []api.Message) error {
	f := fw.s.faults.Load()
	if !fw.batch || f.Reorder || f.Duplicate || f.DropAfter > 0 || fw.held != nil {
		for i := range ms {
			if err := fw.write(ctx, api.Event{Type: api.EventMessage, ChatID: fw.chatID, Message: &ms[i]}); err != nil {
				return err
			}
		}
		return nil
	}
	for len(ms) > 0 {
		n, size := 0, 0
		for n < len(ms) && n < maxBatch && (n == 0 || size+len(ms[n].Content) <= maxBatchBytes) {
			size += len(ms[n].Content)
			n++
		}
		var err error
		if n == 1 {
			err = fw.send(ctx, api.Event{Type: api.EventMessage, ChatID: fw.chatID, Message: &ms[0]}, f)
		} else {
			err = fw.send(ctx, api.Event{Type: api.EventMessages, ChatID: fw.chatID, Messages: ms[:n]}, f)
		}
		if err != nil {
			return err
		}
		fw.sent += n
		ms = ms[n:]
	}
	return nil
}

func (fw *frameWriter) write(ctx context.Context, e api.Event) error {
	f := fw.s.faults.Load()
	if e.Type != api.EventMessage {
		return fw.send(ctx, e, f)
	}
	if f.Reorder && fw.held == nil {
		fw.held = &e
		return nil
	}
	if fw.held != nil {
		h := *fw.held
		fw.held = nil
		if err := fw.sendMessage(ctx, e, f); err != nil {
			return err
		}
		return fw.sendMessage(ctx, h, f)
	}
	return fw.sendMessage(ctx, e, f)
}

// flush sends a held frame that found no partner.
func (fw *frameWriter) flush(ctx context.Context) error {
	if fw.held == nil {
		return nil
	}
	h := *fw.held
	fw.held = nil
	return fw.sendMessage(ctx, h, fw.s.faults.Load())
}

func (fw *frameWriter) sendMessage(ctx context.Context, e api.Event, f *Faults) error {
	n := 1
	if f.Duplicate {
		n = 2
	}
	for range n {
		if err := fw.send(ctx, e, f); err != nil {
			return err
		}
		fw.sent++
		if f.DropAfter > 0 && fw.sent >= f.DropAfter {
			fw.conn.CloseNow()
			return errDropped
		}
	}
	return nil
}

func (fw *frameWriter) send(ctx context.Context, e api.Event, f *Faults) error {
	if f.Delay > 0 && !fw.s.sleep(ctx, f.Delay) {
		return ctx.Err()
	}
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	return fw.conn.Write(wctx, websocket.MessageText, b)
}

// handlePoll is the long-polling form of the realtime channel.
func (s *Server) handlePoll(w http.ResponseWriter, r *http.Request, u *endUser) error {
	if s.faults.Load().Offline {
		return errOffline()
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	after, err := queryInt(r, "after", 0)
	if err != nil {
		return err
	}
	timeout, err := queryInt(r, "timeout", defaultPollTimeout)
	if err != nil {
		return err
	}
	timeout = min(timeout, maxPollTimeout)
	c, err := s.ownChat(r.Context(), s.db, u, id)
	if err != nil {
		return err
	}
	sb := s.hub.subscribe(c.ID)
	defer s.hub.unsubscribe(sb)
	resp := api.PollResponse{Events: []api.Event{}, LastIndex: after}
	add := func(e api.Event) {
		if e.Type == api.EventMessage {
			if e.Message.Index <= resp.LastIndex {
				return
			}
			resp.LastIndex = e.Message.Index
		}
		resp.Events = append(resp.Events, e)
	}
	ms, err := s.messages(r.Context(), s.db, c.ID, after, 0, maxPageSize)
	if err != nil {
		return err
	}
	for i := range ms {
		add(api.Event{Type: api.EventMessage, ChatID: c.ID, Message: &ms[i]})
	}
	if len(resp.Events) == 0 && timeout > 0 {
		timer := time.NewTimer(time.Duration(timeout) * time.Second)
		defer timer.Stop()
		select {
		case e := <-sb.ch:
			add(e)
		drain:
			for {
				select {
				case e := <-sb.ch:
					add(e)
				default:
					break drain
				}
			}
		case <-timer.C:
		case <-sb.gone:
		case <-r.Context().Done():
			return nil
		case <-s.ctx.Done():
		}
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
}
