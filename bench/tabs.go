package main

import (
	"context"
	"fmt"
	"net/http"
	"sort"
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
	if _, err := eval[any](tabs[0], fmt.Sprintf(`__send(%d, %d)`, n, rate)); err != nil {
		return nil, fmt.Errorf("send: %w", err)
	}
	var lat []float64
	for range 200 {
		lat, err = eval[[]float64](tabs[1], `window.__lat`)
		if err != nil {
			return nil, err
		}
		if len(lat) >= n {
			break
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
	if len(lat) < n {
		return nil, fmt.Errorf("tab B got %d of %d messages", len(lat), n)
	}
	sorted := append([]float64(nil), lat...)
	sort.Float64s(sorted)
	p99 := sorted[int(float64(len(sorted))*0.99)]
	note := "one browser, five tabs of one site on one chat, core: 'shared'; tab A sends 300 messages at 100 msg/s through the one outbox, tab B's listener times each from A's sendTextMessage() call (one clock: same browser)"
	return []Result{
		Result{Item: "tabs", Name: "5 tabs open on one chat: realtime connections to the platform", Unit: "connections", Median: float64(conns), Runs: 1,
			Note: "realtime tickets the platform issued for the chat (each connection takes one)"}.withGoal("median", "<=", 1),
		Result{Item: "tabs", Name: "message sent in tab A → chat.message in tab B, median at 100 msg/s", Unit: "ms", Median: median(lat), Runs: len(lat), Note: note},
		Result{Item: "tabs", Name: "message sent in tab A → chat.message in tab B, p99 at 100 msg/s", Unit: "ms", Median: p99, Runs: len(lat)}.withGoal("median", "<=", 10),
	}, nil
}
