// widget.js: mounts the drop-in widget for the Go test to drive. The test
// clicks and types inside the shadow root; this page only records the
// widget's events on window.__events.
import { Widget } from '/sdk/widget.js'

const q = new URLSearchParams(location.search)
const identifier = q.get('user') || 'widget-user-' + Date.now()
const widget = new Widget({
  companyId: 'demo',
  tenant: 'demo',
  host: q.get('host'),
  authenticate: async () => (await fetch('/token?identifier=' + encodeURIComponent(identifier))).json(),
  // Theme and language from the query, as a site would set them.
  lang: q.get('lang') || 'en',
  theme: q.get('theme') || undefined,
  brandColor: q.get('brand') || undefined,
  position: q.get('position') || undefined,
  launcherLabel: q.get('label') || undefined
})
window.__events = []
// The page's policy forbids inline script and style: record any violation.
window.__csp = []
document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`))
// Downloads (the transcript PDF, attachments) go through object URLs: record them.
window.__blobs = []
const createObjectURL = URL.createObjectURL
URL.createObjectURL = (b) => { window.__blobs.push({ type: b.type, size: b.size }); return createObjectURL(b) }
for (const ev of ['show', 'hide', 'chat', 'message', 'ended', 'survey', 'rated', 'error', 'restored', 'deflection']) {
  widget.on(ev, (d) => window.__events.push({ ev, id: d && (d.$index ?? d.id ?? null) }))
}
widget.mount('body')
window.__widget = widget
window.__outcome = { done: true, result: { identifier } }
