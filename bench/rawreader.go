package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/coder/websocket"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server"
)

// rawBacklogRate is the platform's side of the backlog figure: a bare
// coder/websocket reader of the end-user realtime endpoint (no SDK, no
// browser) reads chat's messages from the start and returns how many
// message frames per second the platform sent until it has n whose
// content starts with prefix.
func rawBacklogRate(ctx context.Context, base, identifier string, chat int64, prefix string, n int) (float64, error) {
	jwt, err := endUserToken(identifier)
	if err != nil {
		return 0, err
	}
	var sess api.Session
	if err := postJSON(ctx, base+api.RouteToken, "", api.TokenRequest{CompanyID: server.DemoCompanyID, Tenant: server.DemoTenant, Token: jwt}, &sess); err != nil {
		return 0, err
	}
	start := time.Now()
	var tk api.RealtimeTicket
	path := strings.Replace(api.RouteRealtimeTicket, "{id}", fmt.Sprint(chat), 1)
	if err := postJSON(ctx, base+path, sess.SessionToken, struct{}{}, &tk); err != nil {
		return 0, err
	}
	u := tk.URL
	// The same frames the SDK asks for: the backlog in batches.
	if strings.Contains(u, "?") {
		u += "&after=0&batch=1"
	} else {
		u += "?after=0&batch=1"
	}
	c, _, err := websocket.Dial(ctx, u, nil)
	if err != nil {
		return 0, fmt.Errorf("dial %s: %w", u, err)
	}
	defer c.CloseNow()
	c.SetReadLimit(4 << 20)
	rctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	got := 0
	for got < n {
		_, b, err := c.Read(rctx)
		if err != nil {
			return 0, fmt.Errorf("after %d messages: %w", got, err)
		}
		var ev api.Event
		if err := json.Unmarshal(b, &ev); err != nil {
			return 0, err
		}
		if ev.Type == api.EventMessage && ev.Message != nil && strings.HasPrefix(ev.Message.Content, prefix) {
			got++
		}
		for _, m := range ev.Messages {
			if strings.HasPrefix(m.Content, prefix) {
				got++
			}
		}
	}
	return float64(n) / time.Since(start).Seconds(), nil
}

// newEndUserChat signs identifier in and starts a chat through the
// end-user API, as the SDK would, and returns the chat's id.
func newEndUserChat(ctx context.Context, base, identifier string) (int64, error) {
	jwt, err := endUserToken(identifier)
	if err != nil {
		return 0, err
	}
	var sess api.Session
	if err := postJSON(ctx, base+api.RouteToken, "", api.TokenRequest{CompanyID: server.DemoCompanyID, Tenant: server.DemoTenant, Token: jwt}, &sess); err != nil {
		return 0, err
	}
	var c api.Chat
	if err := postJSON(ctx, base+api.RouteChats, sess.SessionToken, api.ChatRequest{MenuID: 124, Lang: "en"}, &c); err != nil {
		return 0, err
	}
	return c.ID, nil
}

// postJSON posts v as JSON (with a Bearer token when set) and decodes the
// 200 answer into out.
func postJSON(ctx context.Context, url, bearer string, v, out any) error {
	body, err := json.Marshal(v)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, "POST", url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("POST %s: HTTP %d %s", url, resp.StatusCode, b)
	}
	return json.Unmarshal(b, out)
}
