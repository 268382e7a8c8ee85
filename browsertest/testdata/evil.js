// evil.js: runs on a third origin, framed by the fixture page. It tries to
// talk the client and the bridge into using its own MessagePort.
const h = new URLSearchParams(location.hash.slice(1))
const site = h.get('site')
const bridge = h.get('bridge')
let portMessages = 0
let hellos = 0

function trap() {
  const ch = new MessageChannel()
  ch.port1.onmessage = () => { portMessages++ }
  return ch.port2
}

window.addEventListener('message', (e) => {
  if (e.data && e.data.type === 'ccaip:hello') hellos++
})

// 1. Fake hellos to the page, with and without a guessed nonce, for as long
// as the page may be shaking hands with its bridge.
const flood = setInterval(() => {
  window.parent.postMessage({ type: 'ccaip:hello', nonce: '' }, '*')
  window.parent.postMessage({ type: 'ccaip:hello', nonce: 'guess' }, site)
}, 20)
// 2. A fake connect to every frame of the page (the real bridge among them).
for (let i = 0; i < window.parent.frames.length; i++) {
  try { window.parent.frames[i].postMessage({ type: 'ccaip:connect', nonce: 'guess' }, '*', [trap()]) } catch (err) { /* cross-origin */ }
}
// 3. Frame the bridge ourselves while claiming to be the site.
const f = document.createElement('iframe')
f.src = `${bridge}/bridge/bridge.html#origin=${encodeURIComponent(site)}&company=demo&nonce=0123456789abcdef0123456789abcdef`
document.body.appendChild(f)
f.addEventListener('load', () => {
  f.contentWindow.postMessage({ type: 'ccaip:connect', nonce: '0123456789abcdef0123456789abcdef', id: 1, kind: 'fetch', path: '/enduser/v1/company' }, '*', [trap()])
})
setTimeout(() => {
  clearInterval(flood)
  window.parent.postMessage({ type: 'evil-report', portMessages, hellos }, site)
}, 2500)
