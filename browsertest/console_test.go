//go:build browser

package browsertest_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/golang-jwt/jwt/v5"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server"
)

// reply is the console's reply box, for the layout checks.
const reply = "#reply-text"

// signInConsole opens the agent console and signs in as agent 1.
func (p *page) signInConsole() {
	p.t.Helper()
	must(p.t, "console", chromedp.Do(p.ctx, chromedp.Navigate(env.platform.URL+"/agent")))
	must(p.t, "sign-in form", p.waitFor(`document.getElementById('sign-in')`, 10*time.Second))
	p.do(`document.getElementById('api-token').value = ` + js(server.DemoAPIToken) + `; document.getElementById('agent-id').value = '1'; document.getElementById('sign-in').requestSubmit()`)
	must(p.t, "signed in", p.waitFor(`!document.getElementById('desk').hidden`, 10*time.Second))
}

// queuedChat waits for chat id in the console's queue and returns its
// button as a page expression.
func (p *page) queuedChat(id int64) string {
	p.t.Helper()
	b := fmt.Sprintf(`document.querySelector('#queued button[data-chat="%d"]')`, id)
	must(p.t, "chat in the queue", p.waitFor(b, 20*time.Second))
	return b
}

// endUser is a customer talking to the shared platform's end-user API
// directly, so console tests need no widget.
type endUser struct {
	t     *testing.T
	token string
}

// newEndUser signs in as identifier (with a display name) the way the
// SDK does: a JWT signed with the company secret, exchanged for a session.
func newEndUser(t *testing.T, identifier, name string) *endUser {
	t.Helper()
	now := time.Now()
	tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
		"iss": server.DemoCompanyID, "iat": now.Unix(), "exp": now.Add(time.Hour).Unix(), "identifier": identifier, "name": name,
	}).SignedString([]byte(server.DemoSecret))
	must(t, "sign", err)
	u := &endUser{t: t}
	var s api.Session
	u.post(api.RouteToken, api.TokenRequest{CompanyID: server.DemoCompanyID, Tenant: server.DemoTenant, Token: tok}, &s)
	u.token = s.SessionToken
	return u
}

// post sends body to the end-user route and decodes the answer into out.
func (u *endUser) post(route string, body, out any) {
	u.t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", env.platform.URL+route, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	if u.token != "" {
		req.Header.Set("Authorization", "Bearer "+u.token)
	}
	resp, err := http.DefaultClient.Do(req)
	must(u.t, "POST "+route, err)
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		u.t.Fatalf("POST %s: %d %s", route, resp.StatusCode, raw)
	}
	if out != nil {
		must(u.t, "decode "+route, json.Unmarshal(raw, out))
	}
}

// chatPath is route with the chat id filled in.
func chatPath(route string, id int64) string {
	return strings.Replace(route, "{id}", strconv.FormatInt(id, 10), 1)
}

// TestConsoleLayout: the console's three panes at 1024 and 1440 px with a
// customer whose long identifier must not push anything sideways; the
// keyboard picks, accepts and ends the chat; the customer's markup stays
// text, cards render as components, and the customer's typing shows.
func TestConsoleLayout(t *testing.T) {
	ident := "customer-" + strconv.FormatInt(time.Now().UnixNano(), 36) + "-with-a-very-long-identifier@customers.example.com"
	u := newEndUser(t, ident, "Maximilian Alexander Featherstonehaugh-Montgomery")
	var chat api.Chat
	u.post(api.RouteChats, api.ChatRequest{MenuID: 123, Lang: "en"}, &chat)
	u.post(chatPath(api.RouteMessages, chat.ID), api.SendMessageRequest{Type: api.MsgText, Content: "My order 4711 has not arrived. " + xss}, nil)
	u.post(chatPath(api.RouteEscalations, chat.ID), api.EscalateRequest{Reason: "by_end_user_ask"}, nil)

	// Another customer waits in the queue.
	other := newEndUser(t, "priya-"+strconv.FormatInt(time.Now().UnixNano(), 36), "Priya Natarajan")
	var waiting api.Chat
	other.post(api.RouteChats, api.ChatRequest{MenuID: 123, Lang: "en"}, &waiting)
	other.post(chatPath(api.RouteMessages, waiting.ID), api.SendMessageRequest{Type: api.MsgText, Content: "Can I change the delivery address?"}, nil)
	other.post(chatPath(api.RouteEscalations, waiting.ID), api.EscalateRequest{Reason: "by_end_user_ask"}, nil)

	a := openPage(t)
	a.viewport(consoleWidths[1])
	a.signInConsole()
	item := a.queuedChat(chat.ID)
	if raw, _ := a.eval(`(() => { const b = ` + item + `, n = b.querySelector('.name'); return [n.scrollWidth > n.clientWidth, getComputedStyle(n).textOverflow, b.title.includes(` + js(ident) + `) || b.title.includes('Featherstonehaugh-Montgomery')].join() })()`); string(raw) != `"true,ellipsis,true"` {
		t.Errorf("the long name in the list: %s, want cut with an ellipsis and the full value in title", raw)
	}

	// Alt+N selects the next chat (the queue first), Alt+A accepts it.
	press := func(code string) {
		a.do(`document.dispatchEvent(new KeyboardEvent('keydown', { code: ` + js(code) + `, key: ` + js(strings.ToLower(code[3:])) + `, altKey: true, bubbles: true }))`)
	}
	for i := 0; i < 20; i++ { // other tests' chats may queue before ours
		press("KeyN")
		if a.waitFor(fmt.Sprintf(`document.getElementById('chat-title').textContent.startsWith('Chat #%d ')`, chat.ID), time.Second) == nil {
			break
		}
	}
	must(t, "selected by Alt+N", a.waitFor(fmt.Sprintf(`document.getElementById('chat-title').textContent.startsWith('Chat #%d ')`, chat.ID), 5*time.Second))
	must(t, "accept enabled", a.waitFor(`!document.getElementById('accept').disabled`, 10*time.Second))
	press("KeyA")
	must(t, "accepted by Alt+A", a.waitFor(fmt.Sprintf(`document.querySelector('#mine button[data-chat="%d"]') && !document.getElementById('end').disabled`, chat.ID), 20*time.Second))
	must(t, "customer message", a.waitFor(`[...document.querySelectorAll('#transcript .msg.end_user .text')].some((p) => p.textContent.endsWith(`+js(xss)+`))`, 10*time.Second))
	if raw, _ := a.eval(`document.querySelectorAll('#transcript img, #transcript b').length + (window.__xss || 0)`); string(raw) != "0" {
		t.Errorf("the console rendered customer content as HTML (%s)", raw)
	}
	if raw, _ := a.eval(`document.getElementById('customer').textContent.includes(` + js(ident) + `)`); string(raw) != "true" {
		t.Errorf("the customer pane lacks the identifier")
	}

	// The agent answers with text and a card; the customer types.
	a.do(`document.getElementById('reply-text').value = 'Sorry about that — let me check the shipment.'; document.getElementById('reply').requestSubmit()`)
	a.do(`(() => { document.querySelector('.tools details').open = true; document.getElementById('card-title').value = 'Shipment 4711'; document.getElementById('card-body').value = 'In transit, arriving Friday'; document.getElementById('card-link').value = 'https://track.example/4711'; document.getElementById('card').requestSubmit() })()`)
	must(t, "tool closed after sending", a.waitFor(`!document.querySelector('.tools details').open`, 10*time.Second))
	must(t, "card as a component", a.waitFor(`[...document.querySelectorAll('#transcript .msg.agent .card strong')].some((s) => s.textContent === 'Shipment 4711')`, 10*time.Second))
	u.post(chatPath(api.RouteTyping, chat.ID), api.TypingRequest{Typing: true}, nil)
	must(t, "customer typing", a.waitFor(`document.getElementById('typing').textContent === 'The customer is typing…' && document.querySelector('#typing .dots')`, 10*time.Second))
	a.checkLayout("console chat", "document", reply, consoleWidths)
	a.readmeScreenshot("agent-console")

	// Below 1024 px the panes collapse without scrolling sideways.
	for _, s := range []size{{800, 900}, {600, 900}} {
		a.viewport(s)
		for _, problem := range a.layoutProblems("document", "") {
			t.Errorf("layout at %dpx: %s", s.w, problem)
		}
		a.screenshot(fmt.Sprintf("console-collapsed-%d", s.w))
	}
	a.viewport(consoleWidths[1])

	press("KeyE")
	must(t, "ended by Alt+E", a.waitFor(`document.getElementById('chat-meta').textContent.startsWith('Status: ended') || document.getElementById('chat-meta').textContent.startsWith('Status: finished')`, 20*time.Second))
}
