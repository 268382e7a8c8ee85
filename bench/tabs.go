package main

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/chromedp"
)

// tickets counts the realtime tickets the platform gave, by chat: each
// realtime connection takes one.
type tickets struct {
	mu sync.Mutex
	n  map[string]int
}

func (c *tickets) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == "POST" && strings.HasSuffix(r.URL.Path, "/realtime_ticket") {
			id := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/enduser/v1/chats/"), "/realtime_ticket")
			c.mu.Lock()
			if c.n == nil {
				c.n = map[string]int{}
			}
			c.n[id]++
			c.mu.Unlock()
		}
		next.ServeHTTP(w, r)
	})
}

func (c *tickets) of(chatID int64) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[fmt.Sprint(chatID)]
}

// benchTabs opens five tabs of one site on one chat with the shared core
// (one browser), counts the realtime connections the platform saw for
// the chat, and has tab A send 300 messages at 100 msg/s while tab B
// records each one's time from A's send call to B's chat.message listener.
func benchTabs(ctx context.Context, e *env) ([]Result, error) {
	if err := e.servers(ctx); err != nil {
		return nil, err
	}
	tab, cancel, err := e.browser(ctx)
	if err != nil {
		return nil, err
	}
	defer cancel()
	user := fmt.Sprintf("tabs-%d", time.Now().UnixNano())
	url := e.pageURL("tabs.html", "user", user, "core", "shared")
	tabs := []context.Context{tab}
	for i := 1; i < 5; i++ {
		t, c := chromedp.NewContext(tab)
		defer c()
		tabs = append(tabs, t)
	}
	for i, t := range tabs {
		if err := chromedp.Do(t, chromedp.Navigate(url)); err != nil {
			return nil, err
		}
		if err := waitPage(ctx, t, 30*time.Second, nil); err != nil {
			return nil, fmt.Errorf("tab %d: %w", i, err)
		}
	}
	chatID, err := eval[int64](tabs[0], `__create()`)
	if err != nil {
		return nil, fmt.Errorf("create chat: %w", err)
	}
	for i, t := range tabs[1:] {
		id, err := eval[int64](t, `__join()`)
		if err != nil || id != chatID {
			return nil, fmt.Errorf("tab %d joined chat %d (%v), want %d", i+1, id, err, chatID)
		}
	}
	conns := e.tickets.of(chatID)
	const n, rate = 300, 100
	lat, err := sendAndTime(ctx, tabs[0], tabs[1], n, rate)
	if err != nil {
		return nil, err
	}
	p99 := percentile(lat, 99)
	// At a rate where messages rarely queue behind one another (each goes
	// alone), what is left is the path: outbox → platform → the core's one
	// WebSocket → every tab.
	const slowN, slowRate = 100, 10
	slow, err := sendAndTime(ctx, tabs[0], tabs[1], slowN, slowRate)
	if err != nil {
		return nil, err
	}
	note := "one browser, five tabs of one site on one chat (the virtual agent's: it answers every message, so each tab gets two messages, two typing events and three message.status per message sent), core: 'shared'; tab A sends 300 messages at 100 msg/s through the one outbox, tab B's listener times each from A's sendTextMessage() call (one clock: same browser)"
	return []Result{
		Result{Item: "tabs", Name: "5 tabs open on one chat: realtime connections to the platform", Unit: "connections", Median: float64(conns), Runs: 1,
			Note: "realtime tickets the platform issued for the chat (each connection takes one)"}.withGoal("median", "<=", 1),
		Result{Item: "tabs", Name: "message sent in tab A → chat.message in tab B, median at 100 msg/s", Unit: "ms", Median: median(lat), Runs: len(lat), Note: note},
		Result{Item: "tabs", Name: "message sent in tab A → chat.message in tab B, p99 at 100 msg/s", Unit: "ms", Median: p99, Runs: len(lat),
			Note: "the outbox sends what queued behind the request in flight as one batch (sdk/outbox.go, POST …/messages/batch), in order: a round trip per batch, not per message; what remains is the one worker's time per message (fetch, the WebSocket frames, each event round posted to five tabs)"}.withGoal("median", "<=", 10),
		Result{Item: "tabs", Name: "message sent in tab A → chat.message in tab B, median at 10 msg/s", Unit: "ms", Median: median(slow), Runs: len(slow)},
		Result{Item: "tabs", Name: "message sent in tab A → chat.message in tab B, p99 at 10 msg/s", Unit: "ms", Median: percentile(slow, 99), Runs: len(slow)},
	}, nil
}

// sendAndTime has tab from send n messages at rate and returns the times
// tab to recorded for them.
func sendAndTime(ctx context.Context, from, to context.Context, n, rate int) ([]float64, error) {
	if _, err := eval[any](to, `window.__lat = []`); err != nil {
		return nil, err
	}
	if _, err := eval[any](from, fmt.Sprintf(`__send(%d, %d)`, n, rate)); err != nil {
		return nil, fmt.Errorf("send: %w", err)
	}
	var lat []float64
	for range 400 {
		var err error
		lat, err = eval[[]float64](to, `window.__lat`)
		if err != nil {
			return nil, err
		}
		if len(lat) >= n {
			return lat, nil
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
	return nil, fmt.Errorf("the receiving tab got %d of %d messages", len(lat), n)
}
