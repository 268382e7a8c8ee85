//go:build browser

package browsertest_test

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

// tab is one page of tabs.html on a shared site.
type tab struct {
	*page
	name string
}

// openChatTab opens tabs.html for user in a new tab of site (core forced
// to core) and waits until its client is ready.
func openChatTab(t *testing.T, site *httptest.Server, name, core, user string, extra ...string) *tab {
	t.Helper()
	p := openTab(t, site)
	tb := &tab{page: p, name: name}
	tb.load(core, user, extra...)
	return tb
}

func (tb *tab) load(core, user string, extra ...string) {
	tb.t.Helper()
	args := append([]string{"core=" + core, "user=" + user}, extra...)
	if err := chromedpNavigate(tb.page, tb.fixtureURL("tabs.html", args...)); err != nil {
		tb.t.Fatalf("tab %s: %v", tb.name, err)
	}
	for _, a := range extra {
		if a == "hang=1" {
			return
		}
	}
	if err := tb.waitFor(`window.__ready || window.__startError`, 30*time.Second); err != nil {
		tb.t.Fatalf("tab %s: %v", tb.name, err)
	}
	if raw, _ := tb.eval(`window.__startError || ''`); string(raw) != `""` {
		tb.t.Fatalf("tab %s did not start: %s", tb.name, raw)
	}
}

// js evaluates expr in the tab (awaiting a Promise) and decodes it into v.
func (tb *tab) js(expr string, v any) {
	tb.t.Helper()
	raw, err := tb.eval(expr)
	if err != nil {
		tb.t.Fatalf("tab %s: %s: %v", tb.name, expr, err)
	}
	if v != nil {
		if err := json.Unmarshal(raw, v); err != nil {
			tb.t.Fatalf("tab %s: %s: %s: %v", tb.name, expr, raw, err)
		}
	}
}

type diagnostics struct {
	Core   string
	Fresh  *bool
	Reason string
}

func (tb *tab) diagnostics() diagnostics {
	var d diagnostics
	tb.js(`__client.diagnostics()`, &d)
	return d
}

type seen struct {
	I int64
	C string
	U string
}

func (tb *tab) messages() []seen {
	var m []seen
	tb.js(`window.__msgs`, &m)
	return m
}

func (tb *tab) send(text string) {
	tb.t.Helper()
	tb.js(`__client.sendTextMessage(`+strconv.Quote(text)+`).then(() => true)`, nil)
}

// waitText waits until the tab's listeners got a chat.message with text.
func (tb *tab) waitText(text string) {
	tb.t.Helper()
	if err := tb.waitFor(`window.__msgs.some((m) => m.c === `+strconv.Quote(text)+`)`, 20*time.Second); err != nil {
		tb.t.Fatalf("tab %s: %v", tb.name, err)
	}
}

// createChat has the tab create a chat and wait until it is connected.
func (tb *tab) createChat() int64 {
	tb.t.Helper()
	var chatID int64
	tb.js(`(async () => {
		const connected = new Promise((r) => __client.once('chat.connected', r))
		const chat = await __client.createChat(123, { lang: 'en' })
		await connected
		return chat.id
	})()`, &chatID)
	return chatID
}

// joinChat has the tab load the ongoing chat, as a page opened mid-chat
// does, and checks it is chatID.
func (tb *tab) joinChat(chatID int64) {
	tb.t.Helper()
	var id int64
	tb.js(`__client.loadOngoingChat().then((c) => c ? c.id : 0)`, &id)
	if id != chatID {
		tb.t.Fatalf("tab %s: loadOngoingChat() = chat %d, want %d", tb.name, id, chatID)
	}
}

// TestOneCorePerBrowser opens three tabs of one site on one chat with the
// shared core: one sign-in and one realtime connection for all; every tab
// sees every message exactly once and in order, whichever tab sent it; the
// first tab closes and the others go on; destroy() in one leaves the others
// working; a reload reattaches without signing in again; finishChat() in
// one tab ends the chat in the others; and the core stops once its last
// tab has been gone for the grace period.
func TestOneCorePerBrowser(t *testing.T) {
	t.Parallel()
	site := httptest.NewServer(siteHandler())
	t.Cleanup(site.Close)
	user := fmt.Sprintf("tabs-user-%d", time.Now().UnixNano())

	a := openChatTab(t, site, "A", "shared", user)
	if d := a.diagnostics(); d.Core != "shared" || d.Fresh == nil || !*d.Fresh {
		t.Fatalf("first tab: diagnostics %+v, want a fresh shared core", d)
	}
	chatID := a.createChat()

	b := openChatTab(t, site, "B", "shared", user)
	c := openChatTab(t, site, "C", "shared", user)
	for _, tb := range []*tab{b, c} {
		if d := tb.diagnostics(); d.Core != "shared" || d.Fresh == nil || *d.Fresh {
			t.Fatalf("tab %s: diagnostics %+v, want to have joined the running shared core", tb.name, d)
		}
		tb.joinChat(chatID)
		var events []string
		tb.js(`window.__events`, &events)
		if !strings.Contains(strings.Join(events, ","), "chat.connected") {
			t.Fatalf("tab %s: events %v, want chat.connected after loadOngoingChat()", tb.name, events)
		}
	}

	tabs := []*tab{a, b, c}
	var sent []string
	for i := 0; i < 3; i++ {
		for _, tb := range tabs {
			text := fmt.Sprintf("from %s #%d", tb.name, i)
			tb.send(text)
			sent = append(sent, text)
		}
	}
	for _, tb := range tabs {
		for _, text := range sent {
			tb.waitText(text)
		}
	}
	checkSameMessages(t, tabs, sent)
	if n := signIns(user); n != 1 {
		t.Errorf("%d sign-ins for three tabs, want 1", n)
	}
	if n := tickets(chatID); n != 1 {
		t.Errorf("%d realtime connections for three tabs, want 1", n)
	}

	// The tab that started the core closes; the others go on.
	a.close()
	b.send("after A closed")
	c.waitText("after A closed")
	b.waitText("after A closed")

	// destroy() in B releases B only.
	var stats map[string]any
	b.js(`__client.destroy().then(() => __client.__debugStats())`, &stats)
	for _, k := range []string{"iframe", "windowListeners", "timers", "listeners", "calls", "bridgeRequests"} {
		if stats[k] != float64(0) {
			t.Errorf("tab B after destroy(): %s = %v, want 0 (%v)", k, stats[k], stats)
		}
	}
	c.send("after B destroyed")
	c.waitText("after B destroyed")
	time.Sleep(300 * time.Millisecond)
	for _, m := range b.messages() {
		if m.C == "after B destroyed" {
			t.Errorf("tab B's listener ran after destroy()")
		}
	}

	// A reload reattaches to the running core: no second sign-in.
	c.load("shared", user)
	if d := c.diagnostics(); d.Core != "shared" || d.Fresh == nil || *d.Fresh {
		t.Fatalf("reloaded tab: diagnostics %+v, want to have rejoined the running core", d)
	}
	c.joinChat(chatID)
	c.send("after reload")
	c.waitText("after reload")
	if n := signIns(user); n != 1 {
		t.Errorf("%d sign-ins after a reload, want 1", n)
	}

	// finishChat() in one tab ends the chat in the others.
	d := openChatTab(t, site, "D", "shared", user)
	d.joinChat(chatID)
	c.js(`__client.finishChat().then(() => true)`, nil)
	for _, tb := range []*tab{c, d} {
		if err := tb.waitFor(`window.__events.includes('chat.ended')`, 20*time.Second); err != nil {
			t.Fatalf("tab %s: %v", tb.name, err)
		}
	}
	if n := tickets(chatID); n != 1 {
		t.Errorf("%d realtime connections over the test, want 1", n)
	}

	// The last tabs close: after the grace period the core is gone, and
	// the next tab starts (and signs in) anew.
	c.close()
	d.close()
	time.Sleep(12 * time.Second)
	e := openChatTab(t, site, "E", "shared", user)
	if dg := e.diagnostics(); dg.Fresh == nil || !*dg.Fresh {
		t.Fatalf("a tab after the grace period: diagnostics %+v, want a fresh core", dg)
	}
	if n := signIns(user); n != 2 {
		t.Errorf("%d sign-ins after the core stopped, want 2", n)
	}
}

// TestSharedCoreBurst: tab A makes 200 sendTextMessage() calls at once
// (none awaits the one before); with the shared core both tabs see every
// message exactly once and in the order of the calls, and the burst reaches
// the platform in batches: far fewer send requests than messages.
func TestSharedCoreBurst(t *testing.T) {
	t.Parallel()
	site := httptest.NewServer(siteHandler())
	t.Cleanup(site.Close)
	user := fmt.Sprintf("burst-user-%d", time.Now().UnixNano())
	a := openChatTab(t, site, "A", "shared", user)
	chatID := a.createChat()
	b := openChatTab(t, site, "B", "shared", user)
	b.joinChat(chatID)
	before := sends(chatID)

	const n = 200
	a.js(`Promise.all(Array.from({ length: `+strconv.Itoa(n)+` }, (_, i) => __client.sendTextMessage('burst ' + i))).then(() => true)`, nil)
	var sent []string
	for i := range n {
		sent = append(sent, fmt.Sprintf("burst %d", i))
	}
	for _, tb := range []*tab{a, b} {
		tb.waitText(sent[n-1])
	}
	checkSameMessages(t, []*tab{a, b}, sent)
	for _, tb := range []*tab{a, b} {
		last, seen := int64(0), tb.messages()
		for _, text := range sent {
			for _, m := range seen {
				if m.C == text {
					if m.I <= last {
						t.Fatalf("tab %s: %q has $index %d after %d: not in the order of the calls", tb.name, text, m.I, last)
					}
					last = m.I
				}
			}
		}
	}
	got := sends(chatID) - before
	t.Logf("%d messages in %d send requests", n, got)
	if got > n/4 {
		t.Errorf("%d messages took %d send requests: want the burst batched", n, got)
	}
}

// checkSameMessages checks that each tab got the messages from the first
// one sent on exactly once, in order, and that they all got the same.
func checkSameMessages(t *testing.T, tabs []*tab, sent []string) {
	t.Helper()
	time.Sleep(time.Second) // the virtual agent's last answers
	var lists [][]seen
	for _, tb := range tabs {
		var from []seen
		for _, m := range tb.messages() {
			if len(from) > 0 || m.C == sent[0] {
				from = append(from, m)
			}
		}
		for i := 1; i < len(from); i++ {
			if from[i].I <= from[i-1].I {
				t.Fatalf("tab %s: message %d after %d: repeated or out of order (%v)", tb.name, from[i].I, from[i-1].I, from)
			}
		}
		for _, text := range sent {
			n := 0
			for _, m := range from {
				if m.C == text {
					n++
				}
			}
			if n != 1 {
				t.Fatalf("tab %s: %q seen %d times", tb.name, text, n)
			}
		}
		lists = append(lists, from)
	}
	short := len(lists[0])
	for _, l := range lists {
		short = min(short, len(l))
	}
	for i, l := range lists[1:] {
		for j := 0; j < short; j++ {
			if l[j] != lists[0][j] {
				t.Fatalf("tab %s saw %v where tab %s saw %v", tabs[i+1].name, l[j], tabs[0].name, lists[0][j])
			}
		}
	}
}

// TestSharedCoreAuthenticateTabGone: the first tab's authenticate() never
// answers and the tab closes while the core waits for it; a second tab's
// calls do not hang: the core asks the tab that is left.
func TestSharedCoreAuthenticateTabGone(t *testing.T) {
	t.Parallel()
	site := httptest.NewServer(siteHandler())
	t.Cleanup(site.Close)
	user := fmt.Sprintf("tabs-gone-%d", time.Now().UnixNano())
	a := openChatTab(t, site, "A", "shared", user, "hang=1")
	time.Sleep(500 * time.Millisecond) // the core asks A for a token
	p := openTab(t, site)
	b := &tab{page: p, name: "B"}
	if err := chromedpNavigate(p, p.fixtureURL("tabs.html", "core=shared", "user="+user)); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	a.close()
	if err := b.waitFor(`window.__ready || window.__startError`, 20*time.Second); err != nil {
		t.Fatalf("tab B hangs after tab A went away mid-authenticate: %v", err)
	}
	if raw, _ := b.eval(`window.__startError || ''`); string(raw) != `""` {
		t.Fatalf("tab B: %s", raw)
	}
	if n := signIns(user); n != 1 {
		t.Errorf("%d sign-ins, want 1", n)
	}
}

// TestSharedCoreOtherUser: a tab of the same site signed in as another end
// user never joins the running shared core. Its identity check (its
// token's identifier against the core's, answered from the tab's hello
// when authenticate() was quick) fails, so it runs a dedicated core of its
// own, and nothing of the first user's chat reaches its listeners: not the
// ready of the shared core, no chat event, no message sent meanwhile.
func TestSharedCoreOtherUser(t *testing.T) {
	t.Parallel()
	site := httptest.NewServer(siteHandler())
	t.Cleanup(site.Close)
	stamp := time.Now().UnixNano()
	a := openChatTab(t, site, "A", "shared", fmt.Sprintf("tabs-owner-%d", stamp))
	a.js(`(async () => {
		const connected = new Promise((r) => __client.once('chat.connected', r))
		await __client.createChat(123, { lang: 'en' })
		await connected
		return true
	})()`, nil)
	a.send("before B")

	b := openChatTab(t, site, "B", "shared", fmt.Sprintf("tabs-other-%d", stamp))
	if d := b.diagnostics(); d.Core != "worker" || !strings.Contains(d.Reason, "another end user") {
		t.Fatalf("tab B (another end user): diagnostics %+v, want a dedicated worker core of its own", d)
	}
	a.send("after B")
	a.waitText("after B")
	time.Sleep(500 * time.Millisecond)
	if m := b.messages(); len(m) != 0 {
		t.Errorf("tab B (another end user) got the first user's messages: %v", m)
	}
	var events []string
	b.js(`window.__events`, &events)
	if len(events) != 0 {
		t.Errorf("tab B (another end user) got chat events %v", events)
	}
}
