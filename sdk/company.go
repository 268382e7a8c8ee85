package sdk

import (
	"context"
	"strings"
	"time"

	"github.com/ccaip/headless-go/api"
)

// PageContext describes the page a trigger is evaluated for. The browser
// layer fills it (location.href, a visit counter in the store, time since
// load); native callers set it themselves.
type PageContext struct {
	URL        string
	Visits     int
	Returning  bool
	TimeOnPage time.Duration
}

// matches reports whether t's conditions hold for p; with waiting, a stay
// time not yet reached does not count against it.
func triggerMatches(t *api.TriggerItem, p PageContext, waiting bool) bool {
	if len(t.URLKeywords) > 0 {
		hit := false
		for _, k := range t.URLKeywords {
			if k != "" && strings.Contains(strings.ToLower(p.URL), strings.ToLower(k)) {
				hit = true
				break
			}
		}
		if !hit {
			return false
		}
	}
	switch t.Visitor {
	case "new":
		if p.Returning {
			return false
		}
	case "returning":
		if !p.Returning {
			return false
		}
	}
	if p.Visits < t.MinVisits {
		return false
	}
	return waiting || p.TimeOnPage >= time.Duration(t.StaySeconds)*time.Second
}

func (c *Client) triggers(ctx context.Context) ([]api.TriggerItem, error) {
	var items []api.TriggerItem
	if err := c.get(ctx, api.RouteTriggers, "", listOf(&items, (*api.TriggerItem).UnmarshalEasyJSON)); err != nil {
		return nil, err
	}
	return items, nil
}

// GetTrigger returns the first proactive trigger matching the page now, or
// nil when none does.
func (c *Client) GetTrigger(ctx context.Context, page PageContext) (*api.TriggerItem, error) {
	ts, err := c.triggers(ctx)
	if err != nil {
		return nil, err
	}
	for i := range ts {
		if triggerMatches(&ts[i], page, false) {
			return &ts[i], nil
		}
	}
	return nil, nil
}

// RunTrigger calls fn once with the first trigger whose conditions hold,
// waiting for stay times still to come (page.TimeOnPage is the time spent
// so far). It returns a function that cancels the wait; Close cancels it too.
func (c *Client) RunTrigger(ctx context.Context, page PageContext, fn func(*api.TriggerItem)) (stop func(), err error) {
	ts, err := c.triggers(ctx)
	if err != nil {
		return nil, err
	}
	var best *api.TriggerItem
	var wait time.Duration
	for i := range ts {
		t := &ts[i]
		if !triggerMatches(t, page, true) {
			continue
		}
		w := max(time.Duration(t.StaySeconds)*time.Second-page.TimeOnPage, 0)
		if best == nil || w < wait {
			best, wait = t, w
		}
	}
	done := make(chan struct{})
	var once bool
	stop = func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		if !once {
			once = true
			close(done)
		}
	}
	if best == nil {
		stop()
		return stop, nil
	}
	if c.isClosed() {
		return nil, ErrDestroyed
	}
	c.goLoop(func() {
		t := c.cfg.Clock.NewTimer(wait)
		defer t.Stop()
		select {
		case <-t.C():
			fn(best)
		case <-done:
		case <-c.ctx.Done():
		}
	})
	return stop, nil
}

// GetCompany returns the company's settings.
func (c *Client) GetCompany(ctx context.Context) (*api.CompanyResponse, error) {
	var r api.CompanyResponse
	if err := c.get(ctx, api.RouteCompany, "", r.UnmarshalEasyJSON); err != nil {
		return nil, err
	}
	return &r, nil
}

// GetAfterHourMessage returns the after-hours deflection message.
func (c *Client) GetAfterHourMessage(ctx context.Context, lang string) (string, error) {
	var r api.AfterHourMessage
	if err := c.get(ctx, api.RouteAfterHours, c.query("lang", c.lang(lang)), r.UnmarshalEasyJSON); err != nil {
		return "", err
	}
	return r.Message, nil
}

// GetMenus returns the menu tree, for a direct-access key when key is set.
func (c *Client) GetMenus(ctx context.Context, key, lang string) (*api.MenuResponse, error) {
	var r api.MenuResponse
	if err := c.get(ctx, api.RouteMenus, c.query("key", key, "lang", c.lang(lang)), r.UnmarshalEasyJSON); err != nil {
		return nil, err
	}
	return &r, nil
}

// GetWaitTimes returns a menu's expected waits in seconds.
func (c *Client) GetWaitTimes(ctx context.Context, menuID int64, lang string) (*api.WaitTimeResponse, error) {
	if menuID <= 0 {
		return nil, invalid("menu id must be positive")
	}
	var r api.WaitTimeResponse
	if err := c.get(ctx, route(api.RouteWaitTimes, "menu", menuID), c.query("lang", c.lang(lang)), r.UnmarshalEasyJSON); err != nil {
		return nil, err
	}
	return &r, nil
}

// GetProhibitedFileTypes lists file types that may not be sent.
func (c *Client) GetProhibitedFileTypes(ctx context.Context) ([]api.FileTypeItem, error) {
	var items []api.FileTypeItem
	if err := c.get(ctx, api.RouteFileTypes, "", listOf(&items, (*api.FileTypeItem).UnmarshalEasyJSON)); err != nil {
		return nil, err
	}
	if items == nil {
		items = []api.FileTypeItem{}
	}
	return items, nil
}

// query encodes name/value pairs, leaving out empty values, exactly as
// url.Values.Set and Encode would (a later pair replaces an earlier one of
// the same name; names sorted). It does not use net/url, which links
// net/netip and unique into the wasm build.
func (c *Client) query(pairs ...string) string {
	var kv [][2]string
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] == "" {
			continue
		}
		j := 0
		for j < len(kv) && kv[j][0] != pairs[i] {
			j++
		}
		if j == len(kv) {
			kv = append(kv, [2]string{})
		}
		kv[j] = [2]string{pairs[i], pairs[i+1]}
	}
	// Insertion sort: a handful of pairs, and no sort package to link.
	for i := 1; i < len(kv); i++ {
		for j := i; j > 0 && kv[j][0] < kv[j-1][0]; j-- {
			kv[j], kv[j-1] = kv[j-1], kv[j]
		}
	}
	var b []byte
	for i, p := range kv {
		if i > 0 {
			b = append(b, '&')
		}
		b = appendQueryEscape(b, p[0])
		b = append(b, '=')
		b = appendQueryEscape(b, p[1])
	}
	return string(b)
}

// appendQueryEscape appends s escaped as url.QueryEscape does: unreserved
// bytes as they are, space as '+', everything else as %XX.
func appendQueryEscape(b []byte, s string) []byte {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
			c == '-', c == '_', c == '.', c == '~':
			b = append(b, c)
		case c == ' ':
			b = append(b, '+')
		default:
			b = append(b, '%', hex[c>>4], hex[c&15])
		}
	}
	return b
}
