// core-worker.js: the Go core of the headless web chat SDK in a worker on
// the platform's origin, started by the communication iframe (bridge.js).
//
// As a SharedWorker it is one core per browser (per top-level site, as the
// browser partitions workers) for one page origin and configuration: every
// tab's iframe connects to it and hands it that tab's port. As a dedicated
// Worker it serves its iframe's tab only. Either way the core signs in,
// fetches and holds the realtime WebSocket itself, on the platform's
// origin: the session token stays in this worker's memory.
//
// Protocol
//
//   iframe → worker (SharedWorker: its connect port; Worker: postMessage)
//     worker → iframe  {t: 'alive'}                  the script runs
//     iframe → worker  {t: 'attach', origin, config} + the tab's port: the
//                      origin is the page's, verified by the iframe
//   tab → worker (on the tab's port)
//     {t: 'hello', url, timeOnPage, store: [[key, value], …], token?}
//                      first: the page, and its localStorage entries of the
//                      SDK (they seed the worker's copy when it starts);
//                      token: the page's authenticate() answer when it
//                      had one (else the worker asks with a request)
//     {t: 'call', id, method, json, files}   one client method call
//     {t: 'respond', id, ok, token | error}  answers an authenticate request
//     {t: 'stats', id}                       debug counters
//     {t: 'beat'}                            every BEAT ms while alive
//     {t: 'detach'}                          destroy() or the page going away
//   worker → tab
//     {t: 'ready', fresh, linkUp, ongoing, events}
//                      the core runs; fresh when this tab started it; linkUp
//                      the chat whose realtime link is up, ongoing the core's
//                      current chat; events the start's ready/authenticated
//     {t: 'settle', id, kind, value}          settles call id
//     {t: 'emit', batch}                      one round of events (to every tab)
//     {t: 'request', id, kind: 'authenticate'} asks the page for a token
//     {t: 'store', key, value}                a write to the page's
//                      localStorage (value null: remove)
//     {t: 'stats', id, stats}
//     {t: 'failed', error, start}             the tab cannot use the core:
//                      start when the core itself could not start
//
// Lifetimes: a tab is dropped on detach or when its beats stop; calls it
// left pending are dropped and an authenticate request it held goes to
// another tab (or fails, retryable, when there is none). When the last tab
// is gone a SharedWorker keeps the core for GRACE ms, so that a reload
// reattaches without signing in again, then stops it and closes.

mark('ccaip:worker')

// The wasm starts downloading and compiling as this script starts (the
// bridge starts the worker while its handshake with the page runs): it is
// public and gives no tab anything. The request handler (bridge-fetch.js)
// loads beside it rather than before this script runs.
const wasmReady = Promise.all([
  import(new URL('/sdk/wasm_exec.js', import.meta.url).href),
  compile(new URL('/sdk/ccaip.wasm', import.meta.url).href).then((m) => { mark('ccaip:compiled'); return m }),
])
wasmReady.catch(() => {}) // reported by start()
const apiReady = import('./bridge-fetch.js').then((m) => m.platform())
apiReady.catch(() => {})

async function answer(req) {
  return (await apiReady).answer(req)
}

const GRACE = 10000
const IDLE = 30000
// A hidden tab's timers may run once a minute (Chrome's intensive
// throttling): a tab is dropped only after this long without a word. A tab
// that closes says detach on pagehide.
const BEAT_TIMEOUT = 150000
const AUTH_TIMEOUT = 60000

const shared = typeof SharedWorkerGlobalScope === 'function' && self instanceof SharedWorkerGlobalScope

const tabs = new Set() // attached tabs: {port, url, timeOnPage, at, beat, hello}
let origin = ''
let config = null
let state = 'idle' // idle → starting → running → stopping
let exports = null
let startError = null
let fresh = null // the tab that started the core
let graceTimer = 0
let beatTimer = 0

const calls = new Map() // core call id → {tab, id}
let nextCall = 1
const mirror = new Map() // the page's localStorage entries of the SDK
let linkUp = 0
let ongoing = 0 // the core's current chat (its last chat.ongoing)
let startEvents = [] // the start's ready/authenticated events, for later tabs
let sessionExchanges = 0

// ---- tabs ----------------------------------------------------------------

function attach(msg, port) {
  const cfg = msg.config
  if (!config) {
    origin = msg.origin
    config = cfg
  } else if (msg.origin !== origin || JSON.stringify(cfg) !== JSON.stringify(config)) {
    // The iframe names the worker by both: this cannot happen but must not
    // mix two pages' chats.
    port.postMessage({ t: 'failed', error: { code: 'internal', message: 'another page or configuration owns this core' } })
    port.close()
    return
  }
  mark('ccaip:attach')
  const tab = { port, url: '', timeOnPage: 0, at: 0, beat: Date.now(), hello: false, joined: false, token: '' }
  port.onmessage = (e) => onTabMessage(tab, e.data)
  if (graceTimer) {
    clearTimeout(graceTimer)
    graceTimer = 0
  }
}

function onTabMessage(tab, d) {
  if (!d || typeof d !== 'object') return
  tab.beat = Date.now()
  switch (d.t) {
    case 'hello':
      if (tab.hello) return
      tab.hello = true
      mark('ccaip:hello')
      tab.url = String(d.url || '')
      tab.timeOnPage = Number(d.timeOnPage) || 0
      tab.token = typeof d.token === 'string' && d.token ? d.token : ''
      tab.at = performance.now()
      tabs.add(tab)
      watchBeats()
      if (state === 'idle') {
        for (const [k, v] of Array.isArray(d.store) ? d.store : []) {
          if (typeof k === 'string' && k.startsWith('ccaip:') && typeof v === 'string') mirror.set(k, v)
        }
        fresh = tab
        tab.joined = true
        start()
      } else if (state === 'stopping') {
        waiting.push(tab) // the core starts again for it once stopped
      } else if (startError) {
        tab.port.postMessage({ t: 'failed', error: startError, start: true })
      } else {
        join(tab)
      }
      return
    case 'call':
      if (!tab.joined) return
      if (state !== 'running') {
        tab.port.postMessage({ t: 'settle', id: d.id, kind: KIND_ERROR, value: JSON.stringify({ code: 'unavailable', message: 'the core is not running', retryable: true }) })
        return
      }
      call(tab, d)
      return
    case 'respond':
      answered(tab, d)
      return
    case 'stats':
      tab.port.postMessage({ t: 'stats', id: d.id, stats: stats() })
      return
    case 'detach':
      detach(tab)
      return
  }
}

// join lets a tab use the running (or starting) core once its end user is
// the core's: the tab's authenticate() runs once (no sign-in on the
// platform) and its token's identifier must be the one the core signed in
// with. Another end user's tab is told so and starts a core of its own.
async function join(tab) {
  let theirs
  const given = tab.token
  tab.token = '' // used once, as the page's early token is
  try {
    theirs = identifierOf(given || await askToken(tab))
  } catch (err) {
    if (tabs.has(tab)) tab.port.postMessage({ t: 'failed', error: err })
    return
  }
  if (firstToken) await firstToken.catch(() => {})
  if (!tabs.has(tab)) return
  if (coreUser !== undefined && theirs !== coreUser) {
    tab.port.postMessage({ t: 'failed', error: { code: 'user_mismatch', message: 'another end user holds the shared core', retryable: true } })
    return
  }
  flushEvents() // what came before the tab joined is not the tab's
  tab.joined = true
  if (state === 'running') greet(tab)
  else if (startError) tab.port.postMessage({ t: 'failed', error: startError, start: true })
}

// identifierOf reads the identifier claim of an end-user JWT without
// verifying it: only to compare two tokens; the platform verifies each it
// is sent.
function identifierOf(token) {
  try {
    const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')
    const claims = JSON.parse(atob(part + '='.repeat((4 - part.length % 4) % 4)))
    return typeof claims.identifier === 'string' ? claims.identifier : undefined
  } catch {
    return undefined
  }
}

// coreUser is the identifier of the token the core last signed in with;
// firstToken the first tab's, asked for at the start.
let coreUser
let firstToken = null

function greet(tab) {
  mark('ccaip:joined')
  flushEvents()
  tab.port.postMessage({ t: 'ready', fresh: tab === fresh, linkUp, ongoing, events: JSON.stringify(startEvents) })
}

function detach(tab) {
  if (!tabs.delete(tab)) {
    tab.port.close()
    return
  }
  tab.port.onmessage = null
  tab.port.close()
  for (const [id, c] of calls) if (c.tab === tab) calls.delete(id)
  for (const req of authRequests) if (req.tab === tab) dispatchAuth(req)
  if (tabs.size === 0) {
    clearInterval(beatTimer)
    beatTimer = 0
    if (!shared) stop()
    else graceTimer = setTimeout(stop, GRACE)
  }
}

// watchBeats drops tabs whose beats stopped (a tab that crashed or was
// frozen never says detach).
function watchBeats() {
  if (beatTimer) return
  beatTimer = setInterval(() => {
    const now = Date.now()
    for (const tab of [...tabs]) if (now - tab.beat > BEAT_TIMEOUT) detach(tab)
  }, 1000)
}

// liveTab is the tab to ask for something: the latest attached that uses
// the core.
function liveTab() {
  let last = null
  for (const t of tabs) if (t.joined) last = t
  return last
}

function toAll(msg) {
  for (const t of tabs) if (t.joined) t.port.postMessage(msg)
}

// ---- authenticate(): asked of a live tab ---------------------------------

const authRequests = new Set() // {id, tab, resolve, reject, timer}
let nextAuth = 1

// askToken asks a live tab (only, when given) for a token.
function askToken(only) {
  return new Promise((resolve, reject) => {
    const req = { id: 0, tab: null, only: only || null, resolve, reject, timer: 0 }
    req.timer = setTimeout(() => settleAuth(req, null, { code: 'timeout', message: `authenticate() did not answer in ${AUTH_TIMEOUT} ms`, retryable: true }), AUTH_TIMEOUT)
    authRequests.add(req)
    dispatchAuth(req)
  })
}

// dispatchAuth sends req to a live tab, or fails it when there is none.
function dispatchAuth(req) {
  const tab = req.only ? (tabs.has(req.only) ? req.only : null) : liveTab()
  if (!tab) {
    settleAuth(req, null, { code: 'unavailable', message: 'no page is open to run authenticate()', retryable: true })
    return
  }
  req.tab = tab
  req.id = nextAuth++
  tab.port.postMessage({ t: 'request', id: req.id, kind: 'authenticate' })
}

function answered(tab, d) {
  for (const req of authRequests) {
    if (req.tab === tab && req.id === d.id) {
      if (d.ok && typeof d.token === 'string' && d.token) settleAuth(req, d.token, null)
      else settleAuth(req, null, d.error || { code: 'unauthorized', message: 'authenticate() failed' })
      return
    }
  }
}

function settleAuth(req, token, err) {
  if (!authRequests.delete(req)) return
  clearTimeout(req.timer)
  if (err) req.reject(err)
  else req.resolve(token)
}

// ---- the Go core -----------------------------------------------------------

const KIND_ERROR = 4

// The first sign-in starts while the wasm compiles: a token from the first
// tab and its exchange for a session (early-signin.js, as the loader does
// in the page). They answer the core's first authenticate and session
// requests.
const signinReady = import('./early-signin.js')
signinReady.catch(() => {})
let early = null // a Promise of earlySignIn's answers

function startSignIn() {
  const given = fresh && fresh.token
  if (given) fresh.token = '' // used once, as the page's early token is
  const token = given ? Promise.resolve(given) : askToken()
  firstToken = token.then((t) => { coreUser = identifierOf(t) })
  firstToken.catch(() => {})
  return signinReady.then(({ earlySignIn }) => earlySignIn({
    token,
    companyId: config.companyId,
    tenant: config.tenant,
    exchange,
  }))
}

async function exchange(body) {
  sessionExchanges++
  const a = await answer({ id: 0, kind: 'session', body })
  if (!a.ok) throw a.error
  return a
}

async function compile(url) {
  if (WebAssembly.compileStreaming) {
    try {
      return await WebAssembly.compileStreaming(fetch(url))
    } catch {
      // Wrong MIME type or no streaming: fall back below.
    }
  }
  const resp = await fetch(url)
  if (!resp.ok) throw new Error(`${url}: HTTP ${resp.status}`)
  return WebAssembly.compile(await resp.arrayBuffer())
}

// The core's storage: the worker's copy of the page's localStorage
// entries, each write also sent to every tab to be written there.
const storage = {
  getItem: (k) => (mirror.has(k) ? mirror.get(k) : null),
  setItem: (k, v) => {
    v = String(v)
    mirror.set(k, v)
    toAll({ t: 'store', key: k, value: v })
  },
  removeItem: (k) => {
    mirror.delete(k)
    toAll({ t: 'store', key: k, value: null })
  },
}

function hostRequest(goID, kind, payload) {
  const respond = (status, value) => { if (exports) exports.respond(goID, status, value) }
  const fail = (err) => respond(-1, JSON.stringify({
    code: err && err.code || 'unavailable',
    message: err && err.message || String(err),
    retryable: err && err.retryable !== undefined ? !!err.retryable : true,
    status: err && err.status || 0,
  }))
  let p
  switch (kind) {
    case 'authenticate': {
      p = (early || Promise.resolve(null)).then((e) => (e && e.takeToken()) || askToken()).then((token) => {
        coreUser = identifierOf(token)
        respond(0, token)
      })
      break
    }
    case 'session':
      p = (early || Promise.resolve(null)).then((e) => e && e.takeSession(payload.body))
        .then((s) => s || exchange(payload.body))
        .then((a) => respond(a.status, { headers: a.headers, body: new Uint8Array(a.body) }))
      break
    case 'fetch':
      p = answer({
        id: 0,
        kind: 'fetch',
        method: payload.method,
        path: payload.path,
        query: payload.query,
        contentType: payload.contentType,
        body: payload.body,
        form: payload.form,
      }).then((a) => {
        if (!a.ok) throw a.error
        respond(a.status, { headers: a.headers, body: new Uint8Array(a.body) })
      })
      break
    default:
      p = Promise.reject({ code: 'internal', message: `unknown host request ${kind}` })
  }
  p.catch(fail)
}

// onEvents fans the core's rounds of events out to every tab, in order,
// and keeps what a tab attaching later must know. The rounds of one task
// and of the tasks already queued behind it leave as one batch (a posted
// message costs each tab about as much whatever it holds, and a burst
// makes rounds of one event each); anything else posted to a tab (a call
// settled, a new tab greeted) flushes them first, so order holds.
let pending = []
const flusher = new MessageChannel()
flusher.port1.onmessage = flushEvents

function flushEvents() {
  if (pending.length === 0) return
  const batch = pending.length === 1 ? pending[0] : '[' + pending.map((b) => b.slice(1, -1)).filter((b) => b).join(',') + ']'
  pending = []
  toAll({ t: 'emit', batch })
}

function onEvents(batch) {
  if (pending.length === 0) flusher.port2.postMessage(0)
  pending.push(batch)
  if (!batch.includes('"chat.connected"') && !batch.includes('"chat.disconnected"') &&
      !batch.includes('"chat.ongoing"') && !batch.includes('"chat.destroyed"') &&
      !batch.includes('"ready"') && !batch.includes('"authenticated"')) return
  let events
  try { events = JSON.parse(batch) } catch { return }
  for (const ev of events) {
    const [name, , value] = ev
    if (name === 'chat.connected') linkUp = ongoing = value && value.id || 0
    else if (name === 'chat.disconnected') linkUp = 0
    else if (name === 'chat.ongoing') ongoing = value && value.id || 0
    else if (name === 'chat.destroyed') ongoing = 0
    else if (name === 'ready' || name === 'authenticated') startEvents = startEvents.filter((e) => e[0] !== name).concat([ev])
  }
}

async function start() {
  state = 'starting'
  early = startSignIn()
  early.catch(() => {})
  try {
    const [, module] = await wasmReady
    if (state !== 'starting') return
    mark('ccaip:go-start')
    const go = new globalThis.Go()
    const key = 'w' + Math.random().toString(36).slice(2)
    const registry = (globalThis.__ccaipBoot ||= {})
    const registered = new Promise((resolve, reject) => {
      registry[key] = {
        // The core in the worker talks to this origin only (its policy is
        // connect-src 'self'), whatever host the page named.
        config: JSON.stringify({ ...config, host: location.origin }),
        host: {
          settle: (id, kind, value) => {
            const c = calls.get(id)
            if (!c) return
            calls.delete(id)
            flushEvents()
            c.tab.port.postMessage({ t: 'settle', id: c.id, kind, value })
          },
          request: hostRequest,
          emit: onEvents,
          exited: () => {
            exports = null
            if (exitWaiter) exitWaiter()
            exitWaiter = null
          },
          page: () => {
            const t = liveTab()
            return t ? { url: t.url, timeOnPage: t.timeOnPage + performance.now() - t.at } : { url: '', timeOnPage: 0 }
          },
          storage,
        },
        register: resolve,
      }
      go.argv = ['ccaip', key]
      WebAssembly.instantiate(module, go.importObject).then((instance) => {
        go.run(instance).then(() => reject(new Error('the Go core exited during start')), reject)
      }, reject)
    })
    try {
      exports = await registered
    } finally {
      delete registry[key]
    }
    if (state !== 'starting') {
      exports.destroy()
      return
    }
    state = 'running'
    mark('ccaip:running')
    for (const t of tabs) if (t.joined) greet(t)
  } catch (err) {
    state = 'failed'
    startError = { code: 'unavailable', message: `the core did not start: ${err && err.message || err}`, retryable: true }
    for (const t of tabs) t.port.postMessage({ t: 'failed', error: startError, start: true })
  }
}

function call(tab, d) {
  const id = nextCall++
  calls.set(id, { tab, id: d.id })
  try {
    exports.call(id, String(d.method), String(d.json), Array.isArray(d.files) ? d.files : [])
  } catch (err) {
    calls.delete(id)
    tab.port.postMessage({ t: 'settle', id: d.id, kind: KIND_ERROR, value: JSON.stringify({ code: 'internal', message: String(err && err.message || err) }) })
  }
}

function stats() {
  let go = null
  if (exports) {
    const s = exports.stats()
    go = { funcs: s.funcs, requests: s.requests, sockets: s.sockets }
  }
  return { shared, state, tabs: tabs.size, calls: calls.size, sessionExchanges, go, timeline: timeline() }
}

// mark records a step of the worker's start (ccaip:worker, :attach,
// :hello, :compiled, :go-start, :running, :joined) on its performance
// timeline, for profilers and the benchmarks.
function mark(name) {
  try {
    performance.clearMarks(name) // the latest only: tabs come and go
    performance.mark(name)
  } catch { /* no User Timing */ }
}

// timeline reports the worker's marks (the latest of each name) and the
// resource timings of its own files (/sdk/, /bridge/: never an API request,
// whose path may name a chat, since any attached tab may ask), in ms since
// the worker's timeOrigin (also given), so that a page can place them on
// its own clock.
function timeline() {
  const marks = {}
  const resources = {}
  try {
    for (const e of performance.getEntriesByType('mark')) marks[e.name] = e.startTime
    for (const e of performance.getEntriesByType('resource')) {
      const name = new URL(e.name).pathname
      if (name.startsWith('/sdk/') || name.startsWith('/bridge/')) resources[name] = { start: e.startTime, end: e.responseEnd }
    }
  } catch { /* no timeline */ }
  return { origin: performance.timeOrigin, marks, resources }
}

// stop releases the core once no tab is left and closes the worker; a tab
// that came while the core was stopping starts it again instead.
async function stop() {
  graceTimer = 0
  if (tabs.size > 0) return
  state = 'stopping'
  for (const req of [...authRequests]) settleAuth(req, null, { code: 'destroyed', message: 'the core stopped' })
  if (exports) {
    const gone = new Promise((resolve) => { exitWaiter = resolve })
    exports.destroy()
    // The Go program releases everything, then says exited.
    await Promise.race([gone, new Promise((resolve) => setTimeout(resolve, 2000))])
  }
  exports = null
  const next = waiting.filter((t) => tabs.has(t))
  waiting = []
  if (next.length === 0) {
    self.close()
    return
  }
  state = 'idle'
  startError = null
  linkUp = ongoing = 0
  startEvents = []
  calls.clear()
  early = firstToken = null
  coreUser = undefined
  fresh = next[0]
  fresh.joined = true
  start()
  for (const t of next.slice(1)) join(t)
}

let exitWaiter = null
let waiting = [] // tabs that came while the core was stopping

// ---- entry -----------------------------------------------------------------

function onControl(e) {
  const d = e.data
  if (d && d.t === 'attach' && e.ports && e.ports.length === 1 && typeof d.origin === 'string') attach(d, e.ports[0])
}

// A worker started early whose tab never attached (the page's handshake
// failed or was refused) closes after IDLE ms, as one whose tabs left.
graceTimer = setTimeout(stop, IDLE)

if (shared) {
  self.onconnect = (e) => {
    const control = e.ports[0]
    control.onmessage = onControl
    control.postMessage({ t: 'alive' })
  }
} else {
  self.onmessage = onControl
  self.postMessage({ t: 'alive' })
}
