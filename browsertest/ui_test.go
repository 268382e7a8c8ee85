//go:build browser

package browsertest_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// The widths the UIs are checked at: the widget's phone and desktop, the
// console's smallest supported and a wide desktop.
var (
	widgetWidths  = []size{{360, 740}, {1280, 800}}
	consoleWidths = []size{{1024, 768}, {1440, 900}}
)

type size struct{ w, h int64 }

// viewport resizes the page; widths up to 480 px emulate a phone (touch, mobile).
func (p *page) viewport(s size) {
	p.t.Helper()
	var opts []chromedp.EmulateViewportOption
	if s.w <= 480 {
		opts = append(opts, chromedp.EmulateMobile)
	}
	must(p.t, "viewport", chromedp.Do(p.ctx, chromedp.EmulateViewport(s.w, s.h, opts...)))
	// Let layout and the visualViewport listeners settle.
	p.do(`new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))`)
}

// colorScheme emulates prefers-color-scheme ("dark", "light", or "" for none).
func (p *page) colorScheme(scheme string) {
	p.t.Helper()
	params := emulation.SetEmulatedMediaParams{Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}}
	must(p.t, "emulate media", chromedp.Do(p.ctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, params)
		return err
	})))
}

// networkOffline makes the browser report itself offline (navigator.onLine
// and the online/offline events) or online again; requests still flow.
func (p *page) networkOffline(offline bool) {
	p.t.Helper()
	params := network.OverrideNetworkStateParams{Offline: offline, DownloadThroughput: -1, UploadThroughput: -1}
	must(p.t, "network state", chromedp.Do(p.ctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, network.OverrideNetworkState, params)
		return err
	})))
}

// layoutProblems lists, for the page and every element of scope (a page
// expression: document or a shadow root), horizontal overflow: content
// wider than its box, or a visible element reaching past the viewport.
// When visible is a selector, its element must be fully in view.
func (p *page) layoutProblems(scope, visible string) []string {
	p.t.Helper()
	return p.strings("layout check", `(() => {
		const scope = `+scope+`, out = [], vw = document.documentElement.clientWidth, vh = innerHeight
		if (document.documentElement.scrollWidth > vw) out.push('the page scrolls sideways: ' + document.documentElement.scrollWidth + ' > ' + vw)
		const name = (e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).join('.') : '')
		for (const e of scope.querySelectorAll('*')) {
			const r = e.getBoundingClientRect()
			if (!r.width || !r.height || getComputedStyle(e).visibility === 'hidden') continue
			if (r.right > vw + 1 || r.left < -1) out.push(name(e) + ' reaches past the viewport: ' + Math.round(r.left) + '..' + Math.round(r.right) + ' of ' + vw)
			const ox = getComputedStyle(e).overflowX
			if ((ox === 'auto' || ox === 'scroll') && e.scrollWidth > e.clientWidth + 1) out.push(name(e) + ' scrolls sideways: ' + e.scrollWidth + ' > ' + e.clientWidth)
		}
		const sel = `+js(visible)+`
		if (sel) {
			const e = scope.querySelector(sel), r = e && e.getBoundingClientRect()
			if (!r || !r.width || r.top < 0 || r.bottom > vh + 1 || r.left < 0 || r.right > vw + 1) out.push(sel + ' is not fully visible: ' + (r ? JSON.stringify([r.left, r.top, r.right, r.bottom]) : 'missing') + ' in ' + vw + 'x' + vh)
		}
		return out.slice(0, 8)
	})()`)
}

// checkLayout checks, at each width, that nothing scrolls sideways, that
// the visible selector (the composer) is in view, and that axe-core finds
// nothing serious; it leaves a screenshot per width in artifacts/ and ends
// at the last width.
func (p *page) checkLayout(stage, scope, visible string, widths []size) {
	p.t.Helper()
	for _, s := range widths {
		p.viewport(s)
		at := fmt.Sprintf("%s at %dpx", stage, s.w)
		for _, problem := range p.layoutProblems(scope, visible) {
			p.t.Errorf("layout (%s): %s", at, problem)
		}
		if raw, err := p.eval(`window.__csp || []`); err == nil && string(raw) != "[]" {
			p.t.Errorf("CSP violations (%s): %s", at, raw)
		}
		p.noSeriousA11yViolations(at)
		p.do(`window.__csp && (window.__csp = [])`) // axe-core's own <style> is refused; not the widget's doing
		p.screenshot(fmt.Sprintf("%s-%d", strings.ReplaceAll(stage, " ", "-"), s.w))
	}
}

// readmeScreenshot saves the viewport as docs/img/<name>.png when
// UPDATE_SCREENSHOTS=1 (README's screenshots come from the tests).
func (p *page) readmeScreenshot(name string) {
	p.t.Helper()
	if os.Getenv("UPDATE_SCREENSHOTS") != "1" {
		return
	}
	// No caret or focus ring mid-blink in the picture.
	p.do(`(document.activeElement?.shadowRoot?.activeElement || document.activeElement)?.blur?.()`)
	time.Sleep(300 * time.Millisecond) // animations settle
	png, err := chromedp.Run(p.ctx, chromedp.CaptureScreenshot())
	must(p.t, "screenshot "+name, err)
	must(p.t, "write screenshot", os.WriteFile(filepath.Join(env.repo, "docs", "img", name+".png"), png, 0o644))
}
