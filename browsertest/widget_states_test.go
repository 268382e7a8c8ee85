//go:build browser

package browsertest_test

import (
	"encoding/json"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server"
)

// composer is the widget's composer, for the layout checks.
const composer = ".composer textarea"

// openWidget opens the widget fixture as a new visitor of the shared
// platform (extra: more query parameters) and opens the panel at the topics.
func openWidget(t *testing.T, extra ...string) *page {
	t.Helper()
	return openWidgetOn(t, env.platform.URL, extra...)
}

// openWidgetOn is openWidget against the platform at host.
func openWidgetOn(t *testing.T, host string, extra ...string) *page {
	t.Helper()
	w := openPage(t)
	q := "host=" + host + "&user=" + strings.ReplaceAll(t.Name(), "/", "-") + "-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	for _, e := range extra {
		q += "&" + e
	}
	must(t, "widget page", chromedp.Do(w.ctx, chromedp.Navigate(w.site.URL+"/fixtures/widget.html?"+q)))
	_, err := w.wait("widget.html", 30*time.Second)
	must(t, "widget mounted", err)
	w.do(shadow + `.querySelector('.launcher').click()`)
	must(t, "topics", w.waitFor(shadow+`.querySelector('.menus button.menu')`, 20*time.Second))
	return w
}

// platformWith starts a platform of its own for company and returns its URL.
func platformWith(t *testing.T, company *server.Company) (url, dataDir string) {
	t.Helper()
	dataDir = t.TempDir()
	srv, err := server.New(server.Config{DataDir: dataDir, Company: company, VADelay: 50 * time.Millisecond})
	must(t, "platform", err)
	platform := httptest.NewServer(srv.Handler())
	t.Cleanup(func() { platform.CloseClientConnections(); platform.Close(); srv.Close() })
	return platform.URL, dataDir
}

// startChat picks the topic the demo company routes to its virtual agent
// and waits for the greeting.
func (p *page) startChat() {
	p.t.Helper()
	p.do(`[...` + shadow + `.querySelectorAll('.menus button.menu')].find((b) => b.querySelector('.name').textContent === 'General questions').click()`)
	must(p.t, "greeting", p.waitFor(shadow+`.querySelector('.log li.virtual_agent')`, 20*time.Second))
}

// say types text into the composer and sends it.
func (p *page) say(text string) {
	p.t.Helper()
	p.do(`(() => { const r = ` + shadow + `; r.querySelector('.composer textarea').value = ` + js(text) + `; r.querySelector('.composer').requestSubmit() })()`)
}

// count is the number of elements matching selector in the widget.
func (p *page) count(selector string) int {
	p.t.Helper()
	raw, err := p.eval(shadow + `.querySelectorAll(` + js(selector) + `).length`)
	must(p.t, "count "+selector, err)
	n, _ := strconv.Atoi(string(raw))
	return n
}

// faults sets the platform's fault injection until the test ends.
func faults(t *testing.T, f server.Faults) {
	env.srv.SetFaults(f)
	t.Cleanup(func() { env.srv.SetFaults(server.Faults{}) })
}

// TestWidgetStates walks the widget through the states a visitor meets:
// components from the assistant, a send the platform refuses and its
// retry, a dropped realtime link, unread messages while minimised, the
// "new messages" pill, the phone sheet and dark mode. It sets the
// platform's faults, so it does not run in parallel.
func TestWidgetStates(t *testing.T) {
	w := openWidget(t)
	w.checkLayout("widget topics", shadow, "", widgetWidths)
	w.readmeScreenshot("widget-topics")
	w.startChat()

	// Components: inline buttons, then a card picked from them.
	w.say("What are your opening hours?")
	must(t, "hours", w.waitFor(`[...`+shadow+`.querySelectorAll('.log li.virtual_agent .text')].some((p) => p.textContent.includes('around the clock'))`, 20*time.Second))
	w.say("Show me the options")
	must(t, "buttons", w.waitFor(shadow+`.querySelector('.log li.virtual_agent .buttons button')`, 20*time.Second))
	w.do(`[...` + shadow + `.querySelectorAll('.log .buttons button')].find((b) => b.textContent === 'Show a card').click()`)
	must(t, "card", w.waitFor(shadow+`.querySelector('.log li.virtual_agent .card strong')`, 20*time.Second))
	must(t, "own messages grouped with a delivery state", w.waitFor(shadow+`.querySelector('.log li.end_user.last-own[data-state=sent] .delivery').textContent === 'Sent'`, 10*time.Second))
	if n := w.count(".log li.virtual_agent.first .avatar"); n < 1 {
		t.Errorf("no avatar on the assistant's message groups")
	}
	w.checkLayout("widget components", shadow, composer, widgetWidths)
	w.readmeScreenshot("widget-desktop")
	w.colorScheme("dark")
	w.readmeScreenshot("widget-dark")
	w.colorScheme("")
	w.viewport(widgetWidths[0])
	w.readmeScreenshot("widget-phone")
	w.viewport(widgetWidths[1])

	// The platform refuses a send: the message says so and offers a retry,
	// which succeeds once the fault is gone, with one message, not two.
	const question = "Is the tent waterproof?"
	faults(t, server.Faults{RejectSends: true})
	w.say(question)
	must(t, "failed send", w.waitFor(shadow+`.querySelector('.log li.end_user[data-state=failed] .delivery button.retry')`, 20*time.Second))
	w.checkLayout("widget failed send", shadow, composer, widgetWidths)
	env.srv.SetFaults(server.Faults{})
	w.do(shadow + `.querySelector('.log li.end_user[data-state=failed] button.retry').click()`)
	must(t, "sent on retry", w.waitFor(`[...`+shadow+`.querySelectorAll('.log li.end_user[data-state=sent][data-index]')].some((li) => li.querySelector('.text').textContent === `+js(question)+`)`, 20*time.Second))
	if raw, _ := w.eval(`[...` + shadow + `.querySelectorAll('.log li.end_user .text')].filter((p) => p.textContent === ` + js(question) + `).length`); string(raw) != "1" {
		t.Errorf("%s copies of the retried message, want 1", raw)
	}

	// A form from the assistant is answered in place.
	w.say("Can I fill in a form?")
	must(t, "form", w.waitFor(shadow+`.querySelector('.log li.virtual_agent .agent-form input')`, 20*time.Second))
	w.do(`(() => { const f = ` + shadow + `.querySelector('.log .agent-form'); f.querySelector('input').value = 'ann@example.com'; f.requestSubmit() })()`)
	must(t, "form answered", w.waitFor(`[...`+shadow+`.querySelectorAll('.log li.end_user[data-state=sent] .text')].some((p) => p.textContent === 'ann@example.com') && `+shadow+`.querySelector('.log li.virtual_agent em').textContent === 'Form sent.'`, 20*time.Second))

	// The realtime link drops and cannot come back: the header says so; it
	// recovers when the platform is reachable again.
	faults(t, server.Faults{DropAfter: 1, Offline: true})
	w.say("hours")
	must(t, "reconnecting", w.waitFor(shadow+`.querySelector('header').dataset.conn === 'reconnecting' && `+shadow+`.querySelector('.conn').textContent === 'Reconnecting…'`, 20*time.Second))
	w.checkLayout("widget reconnecting", shadow, composer, widgetWidths)
	env.srv.SetFaults(server.Faults{})
	must(t, "connected again", w.waitFor(shadow+`.querySelector('header').dataset.conn === 'connected'`, 40*time.Second))

	// The browser says it is offline: so does the header, until it is back.
	w.networkOffline(true)
	must(t, "offline", w.waitFor(shadow+`.querySelector('header').dataset.conn === 'offline' && `+shadow+`.querySelector('.conn').textContent === 'Offline'`, 10*time.Second))
	w.screenshot("widget-offline")
	w.networkOffline(false)
	must(t, "online again", w.waitFor(shadow+`.querySelector('header').dataset.conn === 'connected'`, 40*time.Second))

	// Minimised: the assistant's answer counts on the launcher.
	w.do(shadow + `.querySelector('header .close').click()`)
	w.do(`window.__widget.client.sendTextMessage('opening hours?')`)
	must(t, "unread badge", w.waitFor(`(() => { const b = `+shadow+`.querySelector('.launcher .badge'); return !b.hidden && b.textContent === '1' })()`, 20*time.Second))
	if raw, _ := w.eval(shadow + `.querySelector('.launcher').getAttribute('aria-label')`); string(raw) != `"Chat with us, 1 unread"` {
		t.Errorf("launcher label %s, want the unread count in it", raw)
	}
	w.checkLayout("widget unread", shadow, "", widgetWidths)
	w.do(shadow + `.querySelector('.launcher').click()`)
	must(t, "badge cleared", w.waitFor(shadow+`.querySelector('.launcher .badge').hidden`, 5*time.Second))

	// Scrolled up: a new message does not pull the reader down; a pill offers to.
	w.viewport(size{1280, 800})
	w.do(`(() => { const log = ` + shadow + `.querySelector('.log'); log.scrollTop = 0; log.dispatchEvent(new Event('scroll')) })()`)
	if raw, _ := w.eval(`(() => { const l = ` + shadow + `.querySelector('.log'); return l.scrollHeight > l.clientHeight + 50 })()`); string(raw) != "true" {
		t.Fatalf("the conversation does not overflow its log; the pill cannot be tested")
	}
	w.do(`window.__widget.client.sendTextMessage('options')`)
	must(t, "new messages pill", w.waitFor(`!`+shadow+`.querySelector('.pill').hidden`, 20*time.Second))
	if raw, _ := w.eval(shadow + `.querySelector('.log').scrollTop`); string(raw) != "0" {
		t.Errorf("the log scrolled to %s while the reader was up", raw)
	}
	w.do(shadow + `.querySelector('.pill').click()`)
	must(t, "at the bottom", w.waitFor(`(() => { const l = `+shadow+`.querySelector('.log'); return `+shadow+`.querySelector('.pill').hidden && l.scrollHeight - l.scrollTop - l.clientHeight < 2 })()`, 5*time.Second))

	// The phone sheet covers the screen; dark mode follows the system.
	w.viewport(widgetWidths[0])
	if raw, _ := w.eval(`(() => { const r = ` + shadow + `.querySelector('.panel').getBoundingClientRect(); return r.width === innerWidth && r.height === innerHeight })()`); string(raw) != "true" {
		t.Errorf("the panel is not a full-screen sheet at 360 px")
	}
	// The sheet's height follows the visual viewport (what the keyboard leaves).
	if raw, _ := w.eval(`document.querySelector('.ccaip-widget-host').style.getPropertyValue('--ccaip-vh') === Math.round(visualViewport.height) + 'px'`); string(raw) != "true" {
		t.Errorf("the sheet does not follow visualViewport.height")
	}
	w.colorScheme("dark")
	w.checkLayout("widget dark", shadow, composer, widgetWidths)
	if raw, _ := w.eval(`getComputedStyle(` + shadow + `.querySelector('.panel')).backgroundColor`); string(raw) == `"rgb(255, 255, 255)"` {
		t.Errorf("the panel stays white under prefers-color-scheme: dark")
	}
}

// TestWidgetRightToLeft: an Arabic chat reads right to left with the
// Arabic strings, themed through the options (brand colour, left side, a
// launcher label), and still fits the phone and the desktop.
func TestWidgetRightToLeft(t *testing.T) {
	t.Parallel()
	company := server.DefaultCompany()
	company.Languages = append(company.Languages, api.LanguageOption{Lang: "ar", Label: "العربية"})
	host, _ := platformWith(t, company)
	w := openWidgetOn(t, host, "lang=ar", "brand=%23ffd166", "position=left", "label=Chat")
	w.startChat()
	raw, err := w.eval(`(() => { const r = ` + shadow + `; return [r.querySelector('.frame').dir, r.querySelector('.composer textarea').placeholder, r.querySelector('h2').textContent, getComputedStyle(r.querySelector('.launcher')).color, r.host.dataset.position].join('|') })()`)
	must(t, "direction", err)
	var got string
	_ = json.Unmarshal(raw, &got)
	if want := "rtl|اكتب رسالة…|تحدث معنا|rgb(17, 20, 24)|left"; got != want {
		t.Errorf("frame: %q, want %q (dir, placeholder, title, text colour on the light brand, position)", got, want)
	}
	w.say("مرحبا")
	must(t, "sent", w.waitFor(shadow+`.querySelector('.log li.end_user[data-state=sent]')`, 20*time.Second))
	w.checkLayout("widget rtl", shadow, composer, widgetWidths)
}
