// The floor of a second tab's start: what the page costs before the SDK
// does anything (its modules, the loader imported: module) and what the
// communication iframe costs on its own (the platform's bridge.html loaded
// cross-site and its bridge.js run: ready), with no client. The iframe is
// refused nothing and starts no worker: its fragment names no core, and no
// page ever says hello to it.
import { done, fail, host, resourceTimes } from './lib.js'

const t = { module: performance.now(), ready: 0 }
const nonce = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('')
const f = document.createElement('iframe')
f.style.display = 'none'
f.onload = () => {
  t.ready = performance.now()
  done({ ...t, resources: resourceTimes(['bridge.html']) })
}
f.onerror = () => fail(new Error('bridge iframe did not load'))
f.src = `${host}/bridge/bridge.html#origin=${encodeURIComponent(location.origin)}&nonce=${nonce}`
document.body.appendChild(f)
