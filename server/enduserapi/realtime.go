package enduserapi

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/coder/websocket"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server/chat"
	"github.com/ccaip/headless-go/server/httpapi"
	"github.com/ccaip/headless-go/server/realtime"
)

// Long-poll bounds, in seconds.
const (
	defaultPollTimeout = realtime.DefaultPollTimeout
	maxPollTimeout     = realtime.MaxPollTimeout
)

func (s *API) handleTicket(w http.ResponseWriter, r *http.Request, u *endUser) error {
	c, err := s.pathChat(r, u)
	if err != nil {
		return err
	}
	now := s.Now()
	exp := now.Add(s.cfg.TicketTTL)
	tok := s.tickets.Issue(realtime.Ticket{ChatID: c.ID, EndUserID: u.ID, Expires: exp}, now)
	base := s.BaseURL(r)
	base = "ws" + strings.TrimPrefix(base, "http")
	httpapi.WriteJSON(w, http.StatusOK, api.RealtimeTicket{
		Ticket:    tok,
		URL:       base + api.RouteRealtime + "?ticket=" + tok,
		ExpiresAt: exp.UTC().Format(chat.TimeFormat),
	})
	return nil
}

func (s *API) handleRealtime(w http.ResponseWriter, r *http.Request) error {
	if err := s.cfg.CheckOrigin(r); err != nil {
		return err
	}
	if s.faults.Load().Offline {
		return errOffline()
	}
	after, err := httpapi.QueryInt(r, "after", 0)
	if err != nil {
		return err
	}
	t, err := s.tickets.Use(r.URL.Query().Get("ticket"), s.Now())
	if err != nil {
		return err
	}
	sb := s.cfg.Hub.Subscribe(t.ChatID)
	defer s.cfg.Hub.Unsubscribe(sb)
	c, err := s.Chat.LoadChat(r.Context(), s.DB, t.ChatID)
	if err != nil {
		return err
	}
	if c.EndUserID != t.EndUserID {
		return api.Errorf(api.CodeNotFound, "chat %d not found", t.ChatID)
	}
	hello, err := s.Chat.APIChat(r.Context(), s.DB, c)
	if err != nil {
		return err
	}
	conn, err := websocket.Accept(w, r, &websocket.AcceptOptions{InsecureSkipVerify: true}) // origin checked above
	if err != nil {
		return nil // Accept has answered
	}
	defer conn.CloseNow()
	realtime.Stream{
		Conn:     conn,
		Sub:      sb,
		Hello:    api.Event{Type: api.EventHello, ChatID: c.ID, Chat: &hello},
		After:    after,
		Backlog:  s.backlog(c.ID),
		PageSize: httpapi.MaxPageSize,
		Batch:    r.URL.Query().Get("batch") == "1",
		Ping:     s.cfg.PingInterval,
		Faults:   &s.frameFaults,
	}.Serve(conn.CloseRead(s.Chat.Context()))
	return nil
}

// backlog reads a chat's messages for the realtime transports, a page at
// a time.
func (s *API) backlog(chatID int64) realtime.Backlog {
	return func(ctx context.Context, after int64) ([]api.Message, error) {
		return s.Chat.Messages(ctx, s.DB, chatID, after, 0, httpapi.MaxPageSize)
	}
}

// handlePoll is the long-polling form of the realtime channel.
func (s *API) handlePoll(w http.ResponseWriter, r *http.Request, u *endUser) error {
	if s.faults.Load().Offline {
		return errOffline()
	}
	id, err := httpapi.PathID(r, "id")
	if err != nil {
		return err
	}
	after, err := httpapi.QueryInt(r, "after", 0)
	if err != nil {
		return err
	}
	timeout, err := httpapi.QueryInt(r, "timeout", defaultPollTimeout)
	if err != nil {
		return err
	}
	timeout = min(timeout, maxPollTimeout)
	c, err := s.ownChat(r.Context(), s.DB, u, id)
	if err != nil {
		return err
	}
	sb := s.cfg.Hub.Subscribe(c.ID)
	defer s.cfg.Hub.Unsubscribe(sb)
	resp, ok, err := realtime.Poll(r.Context(), s.Chat.Context().Done(), sb, after, time.Duration(timeout)*time.Second, s.backlog(c.ID))
	if err != nil || !ok {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, resp)
	return nil
}
