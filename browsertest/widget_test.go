//go:build browser

package browsertest_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ccaip/headless-go/server"
)

// xss is a message that would run script if any UI rendered content as HTML.
const xss = `<img src=x onerror="window.__xss=1"><b>bold?</b>`

// shadow is the widget's shadow root, as a page expression.
const shadow = `document.querySelector('.ccaip-widget-host').shadowRoot`

// js quotes s as a JavaScript string literal.
func js(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// must fails the test on err.
func must(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// do evaluates expr and fails the test if it throws.
func (p *page) do(expr string) {
	p.t.Helper()
	if _, err := p.eval(expr); err != nil {
		p.t.Fatalf("eval %s: %v", expr, err)
	}
}

// screenshot saves the viewport as browsertest/artifacts/<name>.png.
func (p *page) screenshot(name string) {
	p.t.Helper()
	png, err := chromedp.Run(p.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		p.t.Fatalf("screenshot %s: %v", name, err)
	}
	dir := filepath.Join(env.repo, "browsertest", "artifacts")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		p.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		p.t.Fatal(err)
	}
}

// axeSerious runs axe-core over the whole page (shadow roots included) and
// returns the serious and critical violations. axe-core goes in through
// DevTools, so pages whose policy allows no other script (the agent
// console) are checked too.
func (p *page) axeSerious() []string {
	p.t.Helper()
	if raw, _ := p.eval(`!!window.axe`); string(raw) != "true" {
		src, err := os.ReadFile(filepath.Join(env.repo, "node_modules", "axe-core", "axe.min.js"))
		must(p.t, "axe-core (npm ci)", err)
		_, err = chromedp.Run(p.ctx, chromedp.Evaluate[json.RawMessage](string(src)+";true"))
		must(p.t, "load axe-core", err)
	}
	return p.strings("axe", `axe.run(document, { resultTypes: ['violations'] }).then((r) =>
		r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
			.map((v) => v.id + ': ' + v.help + ' — ' + v.nodes.map((n) => n.target.join(' ')).join(', ')))`)
}

// strings evaluates expr, which yields a list of strings, and fails the test on error.
func (p *page) strings(what, expr string) []string {
	p.t.Helper()
	raw, err := p.eval(expr)
	if err != nil {
		p.t.Fatalf("%s: %v", what, err)
	}
	var out []string
	if err := json.Unmarshal(raw, &out); err != nil {
		p.t.Fatalf("%s: %v", what, err)
	}
	return out
}

func (p *page) noSeriousA11yViolations(stage string) {
	p.t.Helper()
	for _, v := range p.axeSerious() {
		p.t.Errorf("accessibility (%s): %s", stage, v)
	}
}

// TestWidgetEndToEnd drives the drop-in widget as a visitor and the agent
// console as the human agent: menu → chat with the virtual agent →
// escalate → the console accepts and answers → finish → survey → rating.
func TestWidgetEndToEnd(t *testing.T) {
	w := openPage(t)
	_, err := w.run("widget.html", 30*time.Second)
	must(t, "widget page", err)

	w.do(shadow + `.querySelector('.launcher').click()`)
	must(t, "menus", w.waitFor(shadow+`.querySelector('.menus button.menu')`, 20*time.Second))
	w.screenshot("widget-1-menus")

	w.do(`[...` + shadow + `.querySelectorAll('.menus button.menu')].find((b) => b.querySelector('.name').textContent === 'General questions').click()`)
	must(t, "chat view", w.waitFor(shadow+`.querySelector('.log')`, 20*time.Second))
	must(t, "virtual agent greeting", w.waitFor(shadow+`.querySelector('.log li.virtual_agent')`, 20*time.Second))

	// The visitor sends markup; it must arrive as text everywhere.
	w.do(`(() => { const r = ` + shadow + `; r.querySelector('.composer textarea').value = ` + js(xss) + `; r.querySelector('.composer').requestSubmit() })()`)
	must(t, "own message shown", w.waitFor(`[...`+shadow+`.querySelectorAll('.log li.end_user .text')].some((p) => p.textContent === `+js(xss)+`)`, 20*time.Second))
	if raw, _ := w.eval(shadow + `.querySelectorAll('.log img, .log b').length + (window.__xss || 0)`); string(raw) != "0" {
		t.Errorf("the widget rendered message content as HTML (%s elements/handlers)", raw)
	}
	w.checkLayout("widget chat", shadow, composer, widgetWidths)

	w.do(`[...` + shadow + `.querySelectorAll('.actions button')].find((b) => b.textContent === 'Talk to a person').click()`)
	must(t, "escalated", w.waitFor(`window.__widget.state.chat && window.__widget.state.chat.status === 'queued'`, 20*time.Second))
	raw, err := w.eval(`window.__widget.state.chat.id`)
	must(t, "chat id", err)
	chatID, _ := strconv.ParseInt(string(raw), 10, 64)

	// The human agent answers from the console.
	a := openPage(t)
	a.signInConsole()
	a.do(a.queuedChat(chatID) + `.click()`)
	must(t, "accept enabled", a.waitFor(`!document.getElementById('accept').disabled`, 10*time.Second))
	a.do(`document.getElementById('accept').click()`)
	must(t, "customer message in the console", a.waitFor(`[...document.querySelectorAll('#transcript li')].some((li) => li.textContent.includes(`+js(xss)+`))`, 20*time.Second))
	if raw, _ := a.eval(`document.querySelectorAll('#transcript img, #transcript b').length + (window.__xss || 0)`); string(raw) != "0" {
		t.Errorf("the agent console rendered customer content as HTML (%s)", raw)
	}
	// The agent types: the widget shows who is typing.
	a.do(`(() => { const t = document.getElementById('reply-text'); t.value = 'Hel'; t.dispatchEvent(new Event('input')) })()`)
	must(t, "agent typing in the widget", w.waitFor(`(() => { const t = `+shadow+`.querySelector('.log li.typing'); return !t.hidden && t.querySelector('.sr').textContent.endsWith(' is typing') })()`, 20*time.Second))
	w.checkLayout("widget typing", shadow, composer, widgetWidths)
	const reply = "Hello, this is Ada from support."
	a.do(`document.getElementById('reply-text').value = ` + js(reply) + `; document.getElementById('reply').requestSubmit()`)
	a.screenshot("console-1-chat")

	must(t, "agent reply in the widget", w.waitFor(`[...`+shadow+`.querySelectorAll('.log li.agent')].some((li) => li.textContent.includes(`+js(reply)+`))`, 20*time.Second))
	must(t, "typing gone with the reply", w.waitFor(shadow+`.querySelector('.log li.typing').hidden`, 10*time.Second))

	// The visitor types: the console shows it, and a send ends it.
	w.do(`(() => { const t = ` + shadow + `.querySelector('.composer textarea'); t.value = 'Than'; t.dispatchEvent(new Event('input')) })()`)
	must(t, "visitor typing in the console", a.waitFor(`document.getElementById('typing').textContent === 'The customer is typing…'`, 20*time.Second))
	w.do(`(() => { const r = ` + shadow + `; r.querySelector('.composer textarea').value = 'Thanks!'; r.querySelector('.composer').requestSubmit() })()`)
	must(t, "visitor typing ends with the send", a.waitFor(`document.getElementById('typing').textContent !== 'The customer is typing…'`, 20*time.Second))
	w.screenshot("widget-3-agent")

	// The visitor sends a file; the agent opens it from the console.
	const receipt = "order 4711: 2 tents"
	w.do(`(() => {
		const input = ` + shadow + `.querySelector('.composer input[type=file]')
		const dt = new DataTransfer()
		dt.items.add(new File([` + js(receipt) + `], 'receipt.txt', { type: 'text/plain' }))
		input.files = dt.files
		input.dispatchEvent(new Event('change'))
	})()`)
	must(t, "file in the console", a.waitFor(`[...document.querySelectorAll('#transcript button.open-file')].length > 0`, 20*time.Second))
	a.do(`window.__blobs = []; const u = URL.createObjectURL; URL.createObjectURL = (b) => { window.__blobs.push(b.size); return u(b) }; document.querySelector('#transcript button.open-file').click()`)
	must(t, "the agent opened the file", a.waitFor(`window.__blobs.includes(`+strconv.Itoa(len(receipt))+`)`, 10*time.Second))

	// The visitor ends the chat, answers the survey and rates.
	w.do(`[...` + shadow + `.querySelectorAll('.actions button')].find((b) => b.textContent === 'End chat').click()`)
	must(t, "survey shown", w.waitFor(shadow+`.querySelector('.survey-form')`, 20*time.Second))
	for _, part := range []string{".rating", ".survey-form", ".transcript", "button.new-chat"} {
		if w.count(".end "+part) != 1 {
			t.Errorf("the end screen lacks %s", part)
		}
	}
	w.checkLayout("widget end", shadow, "", widgetWidths)
	w.do(`(() => {
		const f = ` + shadow + `.querySelector('.survey-form')
		for (const s of f.querySelectorAll('select')) s.value = s.options[1].value
		for (const i of f.querySelectorAll('input[type=number]')) i.value = '4'
		for (const ta of f.querySelectorAll('textarea')) ta.value = 'fine'
		f.requestSubmit()
	})()`)
	must(t, "survey sent", w.waitFor(`window.__events.some((e) => e.ev === 'survey')`, 20*time.Second))
	w.do(`(() => { const r = ` + shadow + `; r.querySelector('#star5').click(); r.querySelector('.rating textarea').value = 'great'; r.querySelector('.rating').requestSubmit() })()`)
	must(t, "rated", w.waitFor(`window.__events.some((e) => e.ev === 'rated')`, 20*time.Second))

	// The console shows the rating and survey the visitor just sent.
	want := fmt.Sprintf("Chat #%d: rated 5/5", chatID)
	must(t, "rating in the console", a.waitFor(`document.body.textContent.includes(`+js(want)+`)`, 20*time.Second))
	a.screenshot("console-2-feedback")

	raw, err = w.eval(`JSON.stringify(window.__events.filter((e) => e.ev === 'error'))`)
	must(t, "events", err)
	if s := string(raw); s != `"[]"` {
		t.Errorf("the widget reported errors: %s", s)
	}
}

// TestWidgetRestoresAfterReload reloads the page mid-chat: the widget finds
// the ongoing chat and shows each message once.
func TestWidgetRestoresAfterReload(t *testing.T) {
	user := "user=widget-reload-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	w := openPage(t)
	_, err := w.run("widget.html", 30*time.Second, user)
	must(t, "widget page", err)
	w.do(shadow + `.querySelector('.launcher').click()`)
	must(t, "menus", w.waitFor(shadow+`.querySelector('.menus button.menu')`, 20*time.Second))
	w.do(`[...` + shadow + `.querySelectorAll('.menus button.menu')].find((b) => b.querySelector('.name').textContent === 'General questions').click()`)
	must(t, "greeting", w.waitFor(shadow+`.querySelector('.log li.virtual_agent')`, 20*time.Second))
	w.do(`(() => { const r = ` + shadow + `; r.querySelector('.composer textarea').value = 'before reload'; r.querySelector('.composer').requestSubmit() })()`)
	must(t, "sent", w.waitFor(`[...`+shadow+`.querySelectorAll('.log li.end_user .text')].some((p) => p.textContent === 'before reload')`, 20*time.Second))

	_, err = w.run("widget.html", 30*time.Second, user)
	must(t, "reloaded page", err)
	w.do(shadow + `.querySelector('.launcher').click()`)
	must(t, "restored", w.waitFor(`window.__events.some((e) => e.ev === 'restored')`, 20*time.Second))
	must(t, "history shown", w.waitFor(`[...`+shadow+`.querySelectorAll('.log li.end_user .text')].some((p) => p.textContent === 'before reload')`, 20*time.Second))
	raw, err := w.eval(`[...` + shadow + `.querySelectorAll('.log li[data-index]')].map((li) => Number(li.dataset.index))`)
	must(t, "indexes", err)
	var idx []int
	if err := json.Unmarshal(raw, &idx); err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(idx); i++ {
		if idx[i] <= idx[i-1] {
			t.Fatalf("messages after reload not strictly in $index order: %v", idx)
		}
	}
	if len(idx) == 0 || !strings.Contains(string(raw), "1") {
		t.Fatalf("no messages after reload: %v", idx)
	}
}

// TestWidgetDeflection escalates when no human can take the chat: the
// widget says why (no agent online, or the company's after-hours message)
// and offers the company's deflection choices; the visitor continues by
// email, or keeps waiting.
func TestWidgetDeflection(t *testing.T) {
	tomorrow := int(time.Now().UTC().Add(24 * time.Hour).Weekday())
	for _, tc := range []struct {
		name   string
		setup  func(*server.Company)
		reason string
		pick   string
	}{
		{"no agent online", func(c *server.Company) {
			for i := range c.Agents {
				c.Agents[i].Status = "offline"
			}
		}, "No agent is available right now.", "Email us instead"},
		{"after hours", func(c *server.Company) {
			c.AfterHours.Open = []server.OpenHours{{Days: []int{tomorrow}, From: "00:00", To: "00:01"}}
		}, "", "Keep waiting"},
		// Agents online, none takes the chat: after the company's threshold
		// the widget offers the same ways out, without a platform notice.
		{"waited past the threshold", func(c *server.Company) {
			c.Deflection.Threshold = 2
		}, "-", "Keep waiting"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			company := server.DefaultCompany()
			tc.setup(company)
			reason := tc.reason
			if reason == "" {
				reason = company.AfterHours.Messages["en"]
			}
			host, dataDir := platformWith(t, company)
			w := openWidgetOn(t, host)
			if raw, _ := w.eval(shadow + `.querySelector('.body').textContent`); strings.Contains(string(raw), "closed") {
				t.Errorf("the menu view claims the company is closed: %s", raw)
			}
			w.startChat()
			w.do(`[...` + shadow + `.querySelectorAll('.actions button')].find((b) => b.textContent === 'Talk to a person').click()`)

			if reason == "-" {
				// Queued, and nothing offered before the threshold.
				must(t, "queued", w.waitFor(`window.__widget.state.chat?.status === 'queued'`, 20*time.Second))
				queuedAt := time.Now()
				must(t, "deflection choices", w.waitFor(shadow+`.querySelector('.deflection')`, 20*time.Second))
				if waited := time.Since(queuedAt); waited < 1500*time.Millisecond {
					t.Errorf("choices offered after %v in the queue, want the 2 s threshold", waited)
				}
				must(t, "the question", w.waitFor(shadow+`.querySelector('.deflection p').textContent.includes('Thanks for waiting')`, 5*time.Second))
			} else {
				must(t, "deflection choices", w.waitFor(shadow+`.querySelector('.deflection')`, 20*time.Second))
				must(t, "the reason shown", w.waitFor(`[...`+shadow+`.querySelectorAll('.log li.noti')].some((li) => li.textContent === `+js(reason)+`)`, 10*time.Second))
			}
			choices := w.strings("choices", `[...`+shadow+`.querySelectorAll('.deflection button, .deflection a')].map((b) => b.textContent)`)
			for _, want := range []string{"Keep waiting", "Back to the assistant", "Email us instead"} {
				if !strings.Contains(strings.Join(choices, "|"), want) {
					t.Errorf("deflection choices %q lack %q", choices, want)
				}
			}
			if len(choices) < 4 {
				t.Errorf("deflection choices %q: want the external link too", choices)
			}
			if reason == "-" {
				must(t, "queue panel", w.waitFor(`!`+shadow+`.querySelector('.queue').hidden && /Waiting for an agent|in line/.test(`+shadow+`.querySelector('.queue').textContent)`, 5*time.Second))
			}
			w.checkLayout("widget deflection "+tc.name, shadow, composer, widgetWidths)

			switch tc.pick {
			case "Keep waiting":
				w.do(`[...` + shadow + `.querySelectorAll('.deflection button')].find((b) => b.textContent === 'Keep waiting').click()`)
				must(t, "choices gone", w.waitFor(`!`+shadow+`.querySelector('.deflection')`, 10*time.Second))
				time.Sleep(300 * time.Millisecond)
				if raw, _ := w.eval(`window.__widget.state.chat.status`); string(raw) != `"queued"` {
					t.Errorf("after keep waiting the chat is %s, want queued", raw)
				}
				if reason == "-" {
					// Once per escalation: keeping on waiting brings no new offer.
					time.Sleep(2500 * time.Millisecond)
					if raw, _ := w.eval(`!!` + shadow + `.querySelector('.deflection')`); string(raw) != "false" {
						t.Errorf("the offer came back after keep waiting")
					}
				}
			case "Email us instead":
				const question = "Where is my order 4711?"
				w.do(`[...` + shadow + `.querySelectorAll('.deflection button')].find((b) => b.textContent === 'Email us instead').click()`)
				must(t, "email form", w.waitFor(shadow+`.querySelector('.email-form')`, 10*time.Second))
				w.do(`(() => { const r = ` + shadow + `; r.querySelector('#defl-email').value = 'ann@example.com'; r.querySelector('#defl-content').value = ` + js(question) + `; r.querySelector('.email-form').requestSubmit() })()`)
				must(t, "chat deflected", w.waitFor(`window.__widget.state.chat.status === 'deflected'`, 20*time.Second))
				must(t, "thanks shown", w.waitFor(shadow+`.querySelector('.body').textContent.includes('we will answer your email')`, 20*time.Second))
				// The email reached the platform's mail outbox.
				deadline := time.Now().Add(10 * time.Second)
				for {
					emls, _ := filepath.Glob(filepath.Join(dataDir, "outbox", "*.eml"))
					found := false
					for _, f := range emls {
						if b, err := os.ReadFile(f); err == nil && strings.Contains(string(b), "4711") {
							found = true
						}
					}
					if found {
						break
					}
					if time.Now().After(deadline) {
						t.Fatalf("no .eml with the visitor's question in %s/outbox (%d files)", dataDir, len(emls))
					}
					time.Sleep(100 * time.Millisecond)
				}
			}
		})
	}
}

// TestWidgetFilesAndTranscripts checks files before upload, uploads one,
// then ends the chat and takes the transcript by email and as a PDF.
func TestWidgetFilesAndTranscripts(t *testing.T) {
	w := openPage(t)
	_, err := w.run("widget.html", 30*time.Second, "user=widget-files-"+strconv.FormatInt(time.Now().UnixNano(), 36))
	must(t, "widget page", err)
	w.do(shadow + `.querySelector('.launcher').click()`)
	must(t, "menus", w.waitFor(shadow+`.querySelector('.menus button.menu')`, 20*time.Second))
	w.do(`[...` + shadow + `.querySelectorAll('.menus button.menu')].find((b) => b.querySelector('.name').textContent === 'General questions').click()`)
	must(t, "greeting", w.waitFor(shadow+`.querySelector('.log li.virtual_agent')`, 20*time.Second))

	attach := func(name, content string) {
		w.do(`(() => {
			const input = ` + shadow + `.querySelector('.composer input[type=file]')
			const dt = new DataTransfer()
			dt.items.add(new File([` + js(content) + `], ` + js(name) + `, { type: 'application/octet-stream' }))
			input.files = dt.files
			input.dispatchEvent(new Event('change'))
		})()`)
	}
	// A prohibited type is refused before anything is uploaded.
	attach("setup.exe", "MZ")
	must(t, "prohibited file refused", w.waitFor(shadow+`.querySelector('.toast') && `+shadow+`.querySelector('.toast').textContent.includes('.exe files are not allowed')`, 10*time.Second))
	w.do(`(() => {
		const input = ` + shadow + `.querySelector('.composer input[type=file]')
		const dt = new DataTransfer()
		dt.items.add(new File([new Uint8Array(11 << 20)], 'video.mov'))
		input.files = dt.files
		input.dispatchEvent(new Event('change'))
	})()`)
	must(t, "oversized file refused", w.waitFor(`[...`+shadow+`.querySelectorAll('.toast')].some((t) => t.textContent === 'video.mov is larger than 10 MB.')`, 10*time.Second))
	if n := w.count(".log li.end_user"); n != 0 {
		t.Errorf("the refused files left %d messages", n)
	}
	attach("notes.txt", "remember the milk")
	must(t, "file message shown", w.waitFor(`[...`+shadow+`.querySelectorAll('.log li.end_user button.attachment')].some((b) => b.textContent.includes('notes.txt'))`, 20*time.Second))
	if raw, _ := w.eval(`[...` + shadow + `.querySelectorAll('.log li.end_user button.attachment')].length`); string(raw) != "1" {
		t.Errorf("%s attachment messages, want exactly the allowed file", raw)
	}

	// An image dropped on the panel and one pasted into the composer show
	// previews and are sent.
	w.do(`(() => {
		const png = Uint8Array.from(atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=='), (c) => c.charCodeAt(0))
		const files = (name) => { const dt = new DataTransfer(); dt.items.add(new File([png], name, { type: 'image/png' })); return dt }
		const r = ` + shadow + `
		const drop = files('dropped.png')
		r.querySelector('.panel').dispatchEvent(new DragEvent('dragover', { dataTransfer: drop, bubbles: true, cancelable: true }))
		r.querySelector('.panel').dispatchEvent(new DragEvent('drop', { dataTransfer: drop, bubbles: true, cancelable: true }))
		r.querySelector('.composer textarea').dispatchEvent(new ClipboardEvent('paste', { clipboardData: files('pasted.png'), bubbles: true, cancelable: true }))
	})()`)
	for _, name := range []string{"dropped.png", "pasted.png"} {
		must(t, name+" sent with a preview", w.waitFor(`[...`+shadow+`.querySelectorAll('.log li.end_user[data-state=sent][data-index]')].some((li) => li.querySelector('.fname')?.textContent === `+js(name)+` && li.querySelector('img.preview').src.startsWith('blob:'))`, 20*time.Second))
	}

	w.do(`[...` + shadow + `.querySelectorAll('.actions button')].find((b) => b.textContent === 'End chat').click()`)
	must(t, "end view", w.waitFor(shadow+`.querySelector('.transcript')`, 20*time.Second))
	w.do(`(() => { const f = ` + shadow + `.querySelector('.transcript'); f.querySelector('input[type=email]').value = 'ann@example.com'; f.requestSubmit() })()`)
	must(t, "transcript emailed", w.waitFor(`[...`+shadow+`.querySelectorAll('.toast')].some((t) => t.textContent === 'Transcript sent.')`, 20*time.Second))
	w.do(`[...` + shadow + `.querySelectorAll('.transcript button')].find((b) => b.textContent === 'Download PDF').click()`)
	must(t, "PDF downloaded", w.waitFor(`window.__blobs.some((b) => b.type === 'application/pdf' && b.size > 500)`, 30*time.Second))

	// From the end screen, a new chat starts at the topics.
	w.do(shadow + `.querySelector('button.new-chat').click()`)
	must(t, "topics again", w.waitFor(shadow+`.querySelector('.menus button.menu')`, 20*time.Second))
	w.startChat()
}
