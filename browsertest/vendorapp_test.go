//go:build browser

package browsertest_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server"
)

// TestVendorStyleApp drives a small app written the way the public sample
// apps for the vendor's headless package are (testdata/vendorapp.js: it
// keeps client.chat, reads chat.state, renders fetchMessages() on
// chat.connected, imports the loader from the platform's origin) through
// every flow of its UI: start, send, typing both ways, the virtual agent,
// escalation, a human agent, a form completion, reload and restore (with and without
// loadOngoingChat), the agent ending the chat, a new chat the end user
// ends. Every message is shown once throughout.
func TestVendorStyleApp(t *testing.T) {
	t.Parallel()
	p := openPage(t)
	user := fmt.Sprintf("vendor-app-%d", time.Now().UnixNano())
	appURL := func(extra string) string {
		q := url.Values{"host": {env.platform.URL}, "sdk": {sdkOrigin() + "/sdk/loader.js"}, "user": {user}}
		return p.site.URL + "/app/vendorapp.html?" + q.Encode() + extra
	}
	a := &vendorApp{t: t, p: p}

	a.open(appURL(""))
	a.click("start")
	a.waitFor("the virtual agent's greeting", `document.querySelectorAll('#messages li[data-user-type=virtual_agent]').length >= 1`)
	a.waitFor("chat.state.status on chat.updated", `document.getElementById('status').dataset.status === 'va_assigned' && document.getElementById('status').textContent !== ''`)
	chatID := a.int(`__app.client.chat.id`)
	if got := a.int(`__app.client.chat.state.id`); got != chatID {
		t.Fatalf("client.chat.state.id %d, client.chat.id %d", got, chatID)
	}

	// Send, with typing notifications, to the virtual agent.
	a.typeText("hours")
	a.click("send")
	a.waitFor("the virtual agent's answer", `document.querySelectorAll('#messages li[data-user-type=virtual_agent]').length >= 2`)
	a.waitFor("startTyping and stopTyping resolved", `__app.typing === 2`)
	a.checkOnce()

	// Escalate; a human agent accepts, types and answers.
	a.click("escalate")
	a.waitFor("queued", `document.getElementById('status').dataset.status === 'queued'`)
	agent := signInAgent(t, 1)
	agent.do("POST", fmt.Sprintf("/chats/%d/accept", chatID), nil, nil)
	a.waitFor("assigned", `document.getElementById('status').dataset.status === 'assigned'`)
	agent.do("POST", fmt.Sprintf("/chats/%d/typing", chatID), map[string]bool{"typing": true}, nil)
	a.waitFor("the agent's typing", `document.getElementById('typing').textContent.includes('is typing')`)
	agent.do("POST", fmt.Sprintf("/chats/%d/typing", chatID), map[string]bool{"typing": false}, nil)
	a.waitFor("the agent stopped typing", `document.getElementById('typing').textContent === ''`)
	seq := agent.lastSeq()
	a.typeText("th")
	agent.waitEvent(seq, chatID, api.EventTypingStart)
	a.typeText("thanks")
	a.click("send")
	agentSay(t, chatID, 1, "Alice here, how can I help?")
	a.waitFor("the agent's message", `[...document.querySelectorAll('#messages li')].some((li) => li.textContent === 'Alice here, how can I help?')`)
	a.checkOnce()

	// A form filled outside the chat: the app sends the formCompleted noti
	// with client.chat.sendMessage; the agent sees it in the chat.
	a.eval(`window.postMessage({type: 'form_complete', signature: 'sig', data: {plan: 'gold'}}, location.origin)`)
	a.waitFor("the form noti sent", `__app.forms === 1`)
	var tr server.AgentTranscript
	agent.do("GET", fmt.Sprintf("/chats/%d", chatID), nil, &tr)
	if !slices.ContainsFunc(tr.Messages, func(m api.Message) bool {
		return m.Type == api.MsgNoti && m.Event == api.NotiFormCompleted && m.UserType == api.UserEndUser
	}) {
		t.Errorf("the agent's transcript has no formCompleted noti of the end user")
	}

	// Reload mid-chat; the agent writes meanwhile; the app restores with
	// loadOngoingChat() and client._triggerEvent('chat.connected').
	a.open("about:blank")
	agentSay(t, chatID, 1, "while you were away")
	a.open(appURL(""))
	if got := a.int(`__app.client.chat ? __app.client.chat.id : 0`); got != chatID {
		t.Fatalf("after reload client.chat.id = %d, want %d", got, chatID)
	}
	a.click("start")
	a.waitFor("the history", `[...document.querySelectorAll('#messages li')].some((li) => li.textContent === 'while you were away')`)
	agentSay(t, chatID, 1, "after the reload")
	a.waitFor("a live message after the restore", `[...document.querySelectorAll('#messages li')].some((li) => li.textContent === 'after the reload')`)
	a.checkOnce()
	a.checkAgentMessagesShown(agent, chatID)

	// Reload again; this time the app only calls createChat() on start:
	// it continues the ongoing chat.
	a.open("about:blank")
	a.open(appURL("&noload=1"))
	a.click("start")
	a.waitFor("the ongoing chat taken up by createChat", fmt.Sprintf(`__app.client.chat && __app.client.chat.id === %d && __app.connected >= 1`, chatID))
	a.waitFor("the history", `[...document.querySelectorAll('#messages li')].some((li) => li.textContent === 'after the reload')`)
	a.checkOnce()
	a.checkAgentMessagesShown(agent, chatID)

	// The agent ends the chat.
	a.eval(`window.__oldChat = __app.client.chat, true`)
	agent.do("POST", fmt.Sprintf("/chats/%d/end", chatID), nil, nil)
	a.waitFor("chat.ended from the agent", `__app.ended === 1 && document.getElementById('window').hidden`)

	// A new chat, which the end user ends with the app's End button.
	a.click("start")
	a.waitFor("a new chat", fmt.Sprintf(`__app.client.chat && __app.client.chat.id !== %d && document.querySelectorAll('#messages li[data-user-type=virtual_agent]').length >= 1`, chatID))
	a.checkOnce()
	// The ended chat's object no longer acts: it is not the client's chat.
	if got := a.eval(`__oldChat.sendMessage('late').then(() => 'sent', (err) => err.code)`); string(got) != `"no_active_chat"` {
		t.Errorf("the ended chat's sendMessage: %s, want a no_active_chat rejection", got)
	}
	a.click("end")
	a.waitFor("chat.ended from the end user", `__app.ended === 2 && document.getElementById('status').dataset.status === 'finished'`)

	if errs := a.eval(`__app.errors`); string(errs) != "[]" {
		t.Fatalf("the app saw errors: %s", errs)
	}
}

// vendorApp drives testdata/vendorapp.html.
type vendorApp struct {
	t *testing.T
	p *page
}

func (a *vendorApp) open(u string) {
	a.t.Helper()
	if err := chromedp.Do(a.p.ctx, chromedp.Navigate(u)); err != nil {
		a.t.Fatalf("open %s: %v", u, err)
	}
	if u != "about:blank" {
		a.waitFor("the app to start", `window.__app && __app.ready`)
	}
}

func (a *vendorApp) eval(expr string) json.RawMessage {
	a.t.Helper()
	v, err := a.p.eval(expr)
	if err != nil {
		a.t.Fatalf("eval %s: %v", expr, err)
	}
	return v
}

func (a *vendorApp) int(expr string) int64 {
	a.t.Helper()
	n, err := strconv.ParseInt(string(a.eval(expr)), 10, 64)
	if err != nil {
		a.t.Fatalf("%s: %v", expr, err)
	}
	return n
}

func (a *vendorApp) click(id string) {
	a.t.Helper()
	a.eval(fmt.Sprintf(`document.getElementById(%q).click()`, id))
}

// typeText puts text into the message input as typing would.
func (a *vendorApp) typeText(text string) {
	a.t.Helper()
	a.eval(fmt.Sprintf(`(() => { const i = document.getElementById('input'); i.value = %q; i.dispatchEvent(new Event('input')) })()`, text))
}

func (a *vendorApp) waitFor(what, expr string) {
	a.t.Helper()
	if err := a.p.waitFor(expr, 30*time.Second); err != nil {
		errs, _ := a.p.eval(`window.__app ? __app.errors : null`)
		log, _ := a.p.eval(`[...document.querySelectorAll('#messages li')].map((li) => (li.dataset.index || '-') + ' ' + li.textContent)`)
		a.t.Fatalf("waiting for %s: %v\napp errors: %s\nmessages: %s", what, err, errs, log)
	}
}

// checkOnce fails when a message is shown twice: the same $index, or the
// same text among those without one (the app's own optimistic messages).
func (a *vendorApp) checkOnce() {
	a.t.Helper()
	dups := a.eval(`(() => { const seen = new Set(); const dups = []
		for (const li of document.querySelectorAll('#messages li')) {
			const k = li.dataset.index ? '#' + li.dataset.index : li.textContent
			if (seen.has(k)) dups.push(k + ' ' + li.textContent)
			seen.add(k)
		}
		return dups })()`)
	if string(dups) != "[]" {
		a.t.Fatalf("messages shown twice: %s", dups)
	}
}

// checkAgentMessagesShown: every message of the human agent the platform
// has for the chat is on the page.
func (a *vendorApp) checkAgentMessagesShown(agent *agentClient, chatID int64) {
	a.t.Helper()
	var tr server.AgentTranscript
	agent.do("GET", fmt.Sprintf("/chats/%d", chatID), nil, &tr)
	shown := map[string]bool{}
	var idx []string
	json.Unmarshal(a.eval(`[...document.querySelectorAll('#messages li[data-index]')].map((li) => li.dataset.index)`), &idx)
	for _, i := range idx {
		shown[i] = true
	}
	n := 0
	for _, m := range tr.Messages {
		if m.UserType != api.UserAgent {
			continue
		}
		n++
		if !shown[strconv.FormatInt(m.Index, 10)] {
			a.t.Errorf("agent message %d %q is not shown", m.Index, m.Content)
		}
	}
	if n == 0 {
		a.t.Fatal("the transcript has no agent message")
	}
}

// agentClient calls the agent console API as one signed-in agent.
type agentClient struct {
	t     *testing.T
	token string
}

func signInAgent(t *testing.T, id int) *agentClient {
	t.Helper()
	body, _ := json.Marshal(map[string]int{"agent_id": id})
	req, _ := http.NewRequest("POST", env.platform.URL+"/agent/v1/session", bytes.NewReader(body))
	req.SetBasicAuth(server.DemoTenant, server.DemoAPIToken)
	req.Header.Set("Content-Type", "application/json")
	var s server.AgentSession
	doJSON(t, req, &s)
	return &agentClient{t: t, token: s.Token}
}

func (c *agentClient) do(method, path string, in, out any) {
	c.t.Helper()
	var body io.Reader
	if in != nil {
		b, _ := json.Marshal(in)
		body = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, env.platform.URL+"/agent/v1"+path, body)
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Content-Type", "application/json")
	doJSON(c.t, req, out)
}

type agentFeed struct {
	Events []struct {
		Seq   int64     `json:"seq"`
		Event api.Event `json:"event"`
	} `json:"events"`
	LastSeq int64 `json:"last_seq"`
}

func (c *agentClient) lastSeq() int64 {
	var f agentFeed
	c.do("GET", "/events?after=0&timeout=0", nil, &f)
	return f.LastSeq
}

// waitEvent waits for an event of type typ on the chat in the agent feed.
func (c *agentClient) waitEvent(after, chatID int64, typ string) {
	c.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		var f agentFeed
		c.do("GET", fmt.Sprintf("/events?after=%d&timeout=5", after), nil, &f)
		for _, e := range f.Events {
			if e.Event.ChatID == chatID && e.Event.Type == typ {
				return
			}
		}
		after = f.LastSeq
	}
	c.t.Fatalf("no %s event of chat %d in the agent feed", typ, chatID)
}

func doJSON(t *testing.T, req *http.Request, out any) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		t.Fatalf("%s %s: %d %s", req.Method, req.URL.Path, resp.StatusCode, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: %v in %s", req.Method, req.URL.Path, err, b)
		}
	}
}
