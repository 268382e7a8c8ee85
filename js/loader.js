// loader.js: the browser entry point of the headless web chat SDK.
//
//   import { Client } from './loader.js'
//   const client = new Client({ companyId, host, authenticate })
//   const company = await client.getCompany()
//
// new Client() returns at once and every method may be called at once: calls
// wait until the Go core (ccaip.wasm) is running and the communication
// iframe is connected. The core talks to the platform only through that
// iframe (see bridge.js for the protocol), which keeps the session token on
// the platform's origin.
//
// Nothing here needs 'unsafe-inline' or 'unsafe-eval': the minimal page policy
// is  script-src 'self' 'wasm-unsafe-eval'  (plus the platform origin in
// frame-src/connect-src when those are restricted). See js/README.md.

const HELLO = 'ccaip:hello'
const CONNECT = 'ccaip:connect'
const HANDSHAKE_TIMEOUT = 15000
const REQUEST_TIMEOUT = 30000
const LINK_WAIT = 5000
const MODE_WAIT = 30000 // the bridge tries each worker for at most 10 s
const BEAT = 2000 // a worker core's tabs say they are alive this often

// Where the Go core may run (the core option; see js/README.md).
const CORES = new Set(['page', 'shared', 'worker', 'auto'])

// Kinds of values Go hands back (see wasm/call.go).
const KIND_UNDEFINED = 0
const KIND_JSON = 1
const KIND_VALUE = 2
const KIND_FILE = 3
const KIND_ERROR = 4
const KIND_JSON_FILE = 5

/** The documented post-session statuses (updatePostSession). */
export const PostSessionStatus = Object.freeze({
  READY: 'ready',
  IN_PROGRESS: 'in_progress',
  WAITING: 'waiting',
  FINISHED: 'finished',
})

/**
 * ClientError is every rejection of the client: an Error with the typed
 * error's code, retryable and status (0 when the error did not come from
 * the platform).
 */
export class ClientError extends Error {
  constructor({ code = 'internal', message = '', retryable = false, status = 0 } = {}) {
    super(message || code)
    this.name = 'ClientError'
    this.code = code
    this.retryable = !!retryable
    this.status = status | 0
  }
}

const destroyedError = () => new ClientError({ code: 'destroyed', message: 'the client was destroyed' })

// Shared across clients of one page: the runtime script and the compiled
// module are loaded once per URL.
const runtimes = new Map()
const modules = new Map()
let bootCounter = 0

// loadRuntime imports wasm_exec.js: from url when an option names it, else
// through the literal import('./wasm_exec.js'), which a bundler follows and
// emits as a hashed chunk (and which resolves next to this file when it is
// served as is).
function loadRuntime(url) {
  if (globalThis.Go) return Promise.resolve()
  if (!runtimes.has(url)) {
    // A dynamic import of the classic wasm_exec.js works as a module (it only
    // sets globalThis.Go) and is allowed by script-src 'self' without any
    // inline script.
    const p = url ? import(/* webpackIgnore: true */ /* @vite-ignore */ url) : import('./wasm_exec.js')
    runtimes.set(url, p.then(() => {
      if (!globalThis.Go) throw new ClientError({ code: 'internal', message: `${url || 'wasm_exec.js'} did not define Go` })
    }))
  }
  return runtimes.get(url)
}

function compileModule(url) {
  if (!modules.has(url)) {
    const p = (async () => {
      if (WebAssembly.compileStreaming) {
        try {
          return await WebAssembly.compileStreaming(fetch(url))
        } catch (err) {
          // Wrong MIME type or no streaming support: fall back below.
        }
      }
      const resp = await fetch(url)
      if (!resp.ok) throw new ClientError({ code: 'unavailable', message: `${url}: HTTP ${resp.status}`, retryable: true, status: resp.status })
      return WebAssembly.compile(await resp.arrayBuffer())
    })()
    p.catch(() => modules.delete(url)) // a failed load may be retried by a new Client
    modules.set(url, p)
  }
  return modules.get(url)
}

// mark records a step of the start on the page's performance timeline
// (ccaip:client, :iframe, :hello, :mode, :compiled, :go-start), for
// profilers and the benchmarks.
function mark(name) {
  try { performance.mark(name) } catch { /* no User Timing: nothing to record */ }
}

function randomHex(bytes) {
  const a = new Uint8Array(bytes)
  crypto.getRandomValues(a)
  return Array.from(a, (b) => b.toString(16).padStart(2, '0')).join('')
}

// reviver turns the documented $timestamp strings into Dates.
function reviver(key, value) {
  if (key === '$timestamp' && typeof value === 'string' && value !== '') {
    const d = new Date(value)
    return Number.isNaN(d.getTime()) ? value : d
  }
  return value
}

function decodeValue(kind, value) {
  switch (kind) {
    case KIND_UNDEFINED: return undefined
    case KIND_JSON: return JSON.parse(value, reviver)
    case KIND_FILE: return new File([value.data], value.name || 'file', { type: value.type || '' })
    case KIND_JSON_FILE: {
      const r = JSON.parse(value.json, reviver)
      r.body = decodeValue(KIND_FILE, value.file)
      return r
    }
    default: return value
  }
}

function isBlob(v) {
  return typeof Blob !== 'undefined' && v instanceof Blob
}

function isFileList(v) {
  return typeof FileList !== 'undefined' && v instanceof FileList
}

// encodeArgs turns call arguments into the JSON array Go reads, with every
// File or Blob replaced by {"$file": n} and read into files[n].
async function encodeArgs(args) {
  const blobs = []
  const json = JSON.stringify(args, (key, value) => {
    if (isFileList(value)) return Array.from(value)
    if (isBlob(value)) {
      blobs.push(value)
      return { $file: blobs.length - 1 }
    }
    if (value === undefined) return null
    return value
  })
  const files = await Promise.all(blobs.map(async (b) => ({
    name: b.name || 'blob',
    type: b.type || 'application/octet-stream',
    data: new Uint8Array(await b.arrayBuffer()),
  })))
  return { json: json === undefined ? '[]' : json, files }
}

// Older call forms (the 2023 reference) put menu_id inside the data.
function splitMenu(first, second, method) {
  if (first !== null && typeof first === 'object') {
    const { menu_id: menuId, ...rest } = first
    if (menuId === undefined) throw new ClientError({ code: 'invalid_argument', message: `${method}: menu_id is required` })
    return [menuId, rest]
  }
  return [first, second === undefined ? {} : second]
}

// Events whose payload is the chat: they carry client.chat, the same
// Chat instance for as long as the chat is the client's (see js/README.md,
// "Compatibility with apps written for the vendor package").
const CHAT_EVENTS = new Set([
  'chat.ongoing', 'chat.updated', 'chat.connected', 'chat.disconnected', 'chat.dismissed',
  'chat.timeout', 'chat.ended', 'chat.destroyed', 'chat.restored',
])

/**
 * Chat is a chat as the vendor package has it: the chat's data fields
 * (id, status, status_text, …) on the object itself, the same record as
 * chat.state, and methods that act on it. The client keeps the current one
 * in client.chat and updates it in place, so an app may hold it.
 */
export class Chat {
  constructor(client, data) {
    Object.defineProperty(this, '_client', { value: client, enumerable: false })
    this._assign(data)
  }

  // _assign replaces the chat's data with a newer state of it.
  _assign(data) {
    for (const k of Object.keys(this)) delete this[k]
    Object.assign(this, data)
    this.state = { ...data }
  }

  // _current rejects when this chat is no longer the client's chat: its
  // methods act on the client's current chat.
  _current(fn) {
    const c = this._client.chat
    if (!c || c.id !== this.id) {
      return Promise.reject(new ClientError({ code: 'no_active_chat', message: `chat ${this.id} is not the client's current chat` }))
    }
    return fn()
  }

  /**
   * sendMessage sends text, or a message object: {type: 'text', content},
   * or a notification {type: 'noti', event: 'formCompleted', content?}
   * (the one an end user sends: a form filled outside the chat).
   */
  sendMessage(message) {
    return this._current(() => {
      if (typeof message === 'string') return this._client.sendTextMessage(message)
      if (!message || typeof message !== 'object') {
        return Promise.reject(new ClientError({ code: 'invalid_argument', message: 'sendMessage(message): a string or a message object' }))
      }
      if (message.type === 'noti') return this._client._call('sendNoti', [message.event, message.content || ''])
      return this._client.sendTextMessage(message.content ?? message.text)
    })
  }

  sendTextMessage(text) { return this._current(() => this._client.sendTextMessage(text)) }
  sendFileMessage(file) { return this._current(() => this._client.sendFileMessage(file)) }
  sendPreviewMessage(content) { return this._current(() => this._client.sendPreviewMessage(content)) }
  /** startTyping tells the agents the end user is typing. */
  startTyping() { return this._current(() => this._client._call('sendTyping', [1])) }
  /** stopTyping tells the agents the end user stopped typing. */
  stopTyping() { return this._current(() => this._client._call('sendTyping', [0])) }
  fetchMessages() { return this._current(() => this._client.fetchMessages()) }
  escalate(data) { return this._current(() => this._client.escalateChat(data)) }
  /** finish ends the chat (status finished), as client.finishChat(). */
  finish() { return this._current(() => this._client.finishChat()) }
  /** end is finish. */
  end() { return this.finish() }
  /** destroy destroys the chat, as client.destroyChat(). */
  destroy() { return this._current(() => this._client.destroyChat()) }
  /** resume resumes this chat when it is dismissed. */
  resume() { return this._client.resumeChat(this.id) }
}

/**
 * Client is the headless chat client. See index.d.ts for every method,
 * option and event.
 */
export class Client {
  constructor(options) {
    if (!options || typeof options !== 'object') throw new ClientError({ code: 'invalid_argument', message: 'options are required' })
    if (options.companyId === undefined || options.companyId === null || options.companyId === '') {
      throw new ClientError({ code: 'invalid_argument', message: 'options.companyId is required' })
    }
    if (typeof options.authenticate !== 'function') {
      throw new ClientError({ code: 'invalid_argument', message: 'options.authenticate must be a function' })
    }
    // The literal new URL('./ccaip.wasm', import.meta.url) is what bundlers
    // rewrite to the emitted, hashed asset (served as is, it is next to this
    // file); sdkBase (a CDN) or a URL option overrides it, and relative
    // options resolve against sdkBase or the wasm's directory.
    const wasm = new URL('./ccaip.wasm', import.meta.url)
    const sdkBase = options.sdkBase ? new URL(options.sdkBase, location.href) : null
    const base = sdkBase || wasm
    this._options = options
    this._wasmURL = new URL(options.wasmUrl || (sdkBase ? 'ccaip.wasm' : wasm), base).href
    this._runtimeURL = options.wasmExecUrl || sdkBase ? new URL(options.wasmExecUrl || 'wasm_exec.js', base).href
      : null // import('./wasm_exec.js'), see loadRuntime
    this._bridgeURL = bridgeURL(options)
    const core = options.core === undefined || options.core === null ? 'auto' : options.core
    if (!CORES.has(core)) {
      throw new ClientError({ code: 'invalid_argument', message: `options.core must be 'auto', 'shared', 'worker' or 'page', got ${String(core).slice(0, 40)}` })
    }
    this._want = core
    this._requested = core
    this._mode = core === 'page' ? 'page' : null // where the core runs, once known
    this._modeReason = ''
    this._fresh = null // in a worker: whether this tab started the core
    this._modeWaiter = null
    this._workerWaiter = null
    this._workerStats = null
    this._earlyToken = null // a worker core's first ask for a token takes it
    this._tokenNow = '' // that token once it has come, for the hello
    this._statsWaiters = new Map()
    this._bridgeOrigin = this._bridgeURL.origin

    this._listeners = new Map() // event → Set<{fn, once}>
    this._calls = new Map() // call id → {resolve, reject}
    this._nextCall = 1
    this._bridgeCalls = new Map() // bridge request id → {resolve, reject, timer}
    this._nextBridge = 1
    this._timers = new Set()
    this._windowListeners = new Set()
    this._triggers = new Map()
    // Trigger callbacks are events named by this number; a core in a
    // worker sends every event to every tab, so tabs number theirs apart.
    this._nextTrigger = 1 + Math.floor(Math.random() * 2 ** 30)
    this._rejected = 0
    this._destroyed = false
    this._go = null
    this._goExports = null
    this._goStats = null
    this._exited = null
    this._iframe = null
    this._port = null
    this._session = null
    this._early = null
    this._sessionExchanges = 0 // token → session requests sent to the bridge
    /** The current chat (a Chat), null when there is none. Apps may assign it. */
    this.chat = null
    // The catch-up pattern (fetchMessages on chat.connected): see
    // _deliverMessage.
    this._fetching = 0
    this._held = []
    this._fetched = { chatId: 0, index: 0 }
    // The chat whose realtime link is up (chat.connected, not yet
    // chat.disconnected), and who waits for it (loadOngoingChat).
    this._linkUp = 0
    this._connectedSeen = 0 // the chat this tab has emitted chat.connected for
    this._ongoingSeen = 0 // the chat this tab has emitted chat.ongoing for
    this._joinedOngoing = 0 // the worker core's current chat when this tab joined
    this._linkWaiters = new Set()

    mark('ccaip:client')
    this._ready = this._start()
    this._ready.catch((err) => this._emit('error', err))
  }

  // ---- lifecycle -------------------------------------------------------

  // _start loads the runtime script and the wasm (compiled while it
  // streams) in parallel, and meanwhile opens the bridge and authenticates:
  // the core's first authenticate and session requests find their answers
  // waiting (see _early), so sign-in costs no time after the wasm starts.
  //
  // With a worker core (options.core other than 'page') the bridge first
  // says where the core runs: in a worker this tab only attaches to it; in
  // the page (the fallback) the start goes on as above.
  async _start() {
    if (this._want === 'page') return this._startInPage(this._connectBridge())
    // authenticate() runs while the iframe loads: the worker asks for a
    // token at once (to sign in, or to check a joining tab's end user), and
    // the first ask takes this one; in the page it is the early token.
    const token = this._callAuthenticate()
    token.then((t) => { this._tokenNow = t }, () => {})
    this._earlyToken = token
    const mode = await this._connectBridge()
    if (this._destroyed) throw destroyedError()
    if (mode === 'page') {
      this._earlyToken = null
      return this._startInPage(Promise.resolve(), token)
    }
    try {
      this._goExports = await new Promise((resolve, reject) => { this._workerWaiter = { resolve, reject } })
    } catch (err) {
      if (this._destroyed) throw err
      // The shared core is another end user's (the site signed someone
      // else in): this tab runs a core of its own. A worker core that
      // could not start (an 'auto' client): the core runs in the page.
      let next = ''
      if (err.code === 'user_mismatch' && this._want !== 'worker') next = 'worker'
      else if (err.coreStart && this._requested === 'auto') next = 'page'
      if (!next) throw err
      this._closeBridge()
      this._want = next
      this._mode = next === 'page' ? 'page' : null
      const reason = err.message
      await this._start()
      this._modeReason = reason
    }
  }

  // _closeBridge removes the iframe and its port, timers and listeners.
  _closeBridge() {
    for (const t of this._timers) clearTimeout(t)
    this._timers.clear()
    for (const remove of this._windowListeners) remove()
    this._windowListeners.clear()
    if (this._port) {
      this._port.postMessage({ t: 'detach' })
      this._port.onmessage = null
      this._port.close()
      this._port = null
    }
    if (this._iframe) {
      this._iframe.remove()
      this._iframe = null
    }
  }

  async _startInPage(bridge, token = this._callAuthenticate()) {
    // authenticate() runs at once; the exchange starts as soon as the
    // bridge is open (early-signin.js, loaded beside the wasm).
    token.catch(() => {})
    const early = import('./early-signin.js').then(({ earlySignIn }) => {
      this._early = earlySignIn({
        token,
        companyId: this._options.companyId,
        tenant: this._options.tenant,
        after: bridge,
        exchange: (body) => this._exchange(body),
      })
    })
    const [, , , module] = await Promise.all([
      bridge,
      early,
      loadRuntime(this._runtimeURL),
      compileModule(this._wasmURL).then((m) => { mark('ccaip:compiled'); return m }),
    ])
    if (this._destroyed) throw destroyedError()
    mark('ccaip:go-start')
    await this._runGo(module)
  }

  // _callAuthenticate runs options.authenticate() and checks its answer.
  _callAuthenticate() {
    return Promise.resolve().then(() => this._options.authenticate()).then((r) => {
      const token = typeof r === 'string' ? r : r && r.token
      if (typeof token !== 'string' || token === '') {
        throw new ClientError({ code: 'unauthorized', message: 'authenticate() must resolve {token: string}' })
      }
      return token
    }, (err) => {
      throw new ClientError({ code: err && err.code || 'unauthorized', message: `authenticate(): ${err && err.message || err}`, retryable: false })
    })
  }

  // _exchange sends one token → session exchange to the bridge.
  _exchange(body) {
    this._sessionExchanges++
    return this._bridgeRequest({ kind: 'session', body })
  }

  async _runGo(module) {
    const go = new globalThis.Go()
    const key = `c${++bootCounter}_${randomHex(4)}`
    const registry = (globalThis.__ccaipBoot ||= {})
    let exited
    this._exited = new Promise((resolve) => { exited = resolve })
    const registered = new Promise((resolve, reject) => {
      const o = this._options
      registry[key] = {
        config: JSON.stringify({
          companyId: o.companyId,
          tenant: o.tenant,
          host: o.host || this._bridgeOrigin,
          lang: o.lang,
          debug: !!o.debug,
        }),
        host: {
          settle: (id, kind, value) => this._settle(id, kind, value),
          request: (id, kind, payload) => this._hostRequest(id, kind, payload),
          emit: (batch) => this._emitFromGo(batch),
          exited: (stats) => { this._goStats = stats; exited(stats) },
          page: () => ({ url: location.href, timeOnPage: performance.now() }),
        },
        register: (exports) => resolve(exports),
      }
      go.argv = ['ccaip', key]
      WebAssembly.instantiate(module, go.importObject).then((instance) => {
        const run = go.run(instance)
        run.then(() => {
          reject(new ClientError({ code: 'internal', message: 'the Go core exited during start' }))
          exited(this._goStats)
        }, reject)
      }, reject)
    })
    this._go = go
    try {
      this._goExports = await registered
    } finally {
      delete registry[key]
    }
  }

  /**
   * destroy removes the communication iframe, every listener, timer and
   * socket, and releases the Go core. Pending and later calls reject with
   * code "destroyed". The returned Promise resolves once the core has
   * released everything; callers may ignore it.
   */
  destroy() {
    if (this._destroyed) return this._exited ? this._exited.then(() => {}) : Promise.resolve()
    this._destroyed = true
    const go = this._goExports
    if (go) go.destroy()
    else if (this._port && this._mode !== 'page') this._port.postMessage({ t: 'detach' })
    if (this._workerWaiter) this._workerWaiter.reject(destroyedError())
    if (this._modeWaiter) this._modeWaiter.reject(destroyedError())
    for (const [, c] of this._bridgeCalls) {
      clearTimeout(c.timer)
      c.reject(destroyedError())
    }
    this._bridgeCalls.clear()
    for (const t of this._timers) clearTimeout(t)
    this._timers.clear()
    for (const remove of this._windowListeners) remove()
    this._windowListeners.clear()
    if (this._port) {
      this._port.onmessage = null
      this._port.close()
      this._port = null
    }
    if (this._iframe) {
      this._iframe.remove()
      this._iframe = null
    }
    this._triggers.clear()
    this._linkWaiters.clear()
    for (const [, w] of this._statsWaiters) w(null)
    this._statsWaiters.clear()
    const done = (go && this._exited ? this._exited : Promise.resolve()).then(() => {
      // The Go runtime keeps its own setTimeout handles; clear what an
      // exited program left behind.
      const g = this._go
      if (g && g._scheduledTimeouts) {
        for (const t of g._scheduledTimeouts.values()) clearTimeout(t)
        g._scheduledTimeouts.clear()
      }
      for (const [, c] of this._calls) c.reject(destroyedError())
      this._calls.clear()
      this._listeners.clear()
      this._goExports = null
    })
    return done
  }

  // ---- events ----------------------------------------------------------

  /** on registers fn for event and returns a function that removes it. */
  on(event, fn) {
    return this._addListener(event, fn, false)
  }

  /** once registers fn for the next delivery of event only. */
  once(event, fn) {
    return this._addListener(event, fn, true)
  }

  /** off removes fn from event, or every listener of event without fn. */
  off(event, fn) {
    const set = this._listeners.get(event)
    if (!set) return
    if (fn === undefined) {
      this._listeners.delete(event)
      return
    }
    for (const l of set) if (l.fn === fn) set.delete(l)
    if (set.size === 0) this._listeners.delete(event)
  }

  _addListener(event, fn, once) {
    if (typeof event !== 'string' || typeof fn !== 'function') {
      throw new ClientError({ code: 'invalid_argument', message: 'on(event: string, fn: function)' })
    }
    if (this._destroyed) return () => {}
    let set = this._listeners.get(event)
    if (!set) this._listeners.set(event, (set = new Set()))
    const entry = { fn, once }
    set.add(entry)
    return () => {
      const s = this._listeners.get(event)
      if (!s) return
      s.delete(entry)
      if (s.size === 0) this._listeners.delete(event)
    }
  }

  _emit(event, payload) {
    const set = this._listeners.get(event)
    if (!set) return
    for (const l of [...set]) {
      if (l.once) set.delete(l)
      try {
        l.fn(payload)
      } catch (err) {
        console.error(`ccaip: listener of ${event} threw`, err)
      }
    }
    if (set.size === 0) this._listeners.delete(event)
  }

  // _emitFromGo receives one round of events from Go: a JSON array of
  // [event, kind, value], parsed at once and emitted in order.
  _emitFromGo(batch) {
    let events
    try {
      events = JSON.parse(batch, reviver)
    } catch (err) {
      console.error('ccaip: bad event batch', err)
      return
    }
    for (const [event, kind, value] of events) {
      if (this._destroyed) return
      let payload
      switch (kind) {
        case KIND_ERROR: payload = new ClientError(value); break
        case KIND_UNDEFINED: payload = undefined; break
        default: payload = value
      }
      if (event.startsWith('$trigger:')) {
        const cb = this._triggers.get(Number(event.slice(9)))
        if (cb) {
          try { cb(payload) } catch (err) { console.error('ccaip: runTrigger callback threw', err) }
        }
        continue
      }
      if (event === 'chat.message') {
        this._deliverMessage(payload)
        continue
      }
      if (CHAT_EVENTS.has(event) && payload && typeof payload === 'object') payload = this._adoptChat(payload)
      if (event === 'chat.connected') this._linkUp = this._connectedSeen = payload && payload.id
      if (event === 'chat.ongoing') this._ongoingSeen = payload && payload.id
      if (event === 'chat.disconnected') this._linkUp = 0
      this._emit(event, payload)
      if (event === 'chat.destroyed' && this.chat === payload) this.chat = null
      if (event === 'chat.connected') for (const w of [...this._linkWaiters]) w()
    }
  }

  /**
   * _triggerEvent delivers event to the page's listeners as if the client
   * had emitted it (a private hook apps written for the vendor package
   * call after restoring a chat: _triggerEvent('chat.connected')). A chat
   * event without a payload carries client.chat.
   */
  _triggerEvent(event, payload) {
    if (payload === undefined && CHAT_EVENTS.has(event)) payload = this.chat
    if (event === 'chat.message') this._deliverMessage(payload)
    else this._emit(event, payload)
  }

  // _adoptChat turns chat data from Go into the Chat instance: client.chat
  // updated in place when it is the same chat, a new client.chat otherwise.
  _adoptChat(data) {
    if (data instanceof Chat) return data
    if (this.chat instanceof Chat && this.chat.id === data.id) {
      this.chat._assign(data)
      return this.chat
    }
    this.chat = new Chat(this, data)
    this._fetched = { chatId: 0, index: 0 }
    return this.chat
  }

  // _deliverMessage emits chat.message so that the documented catch-up
  // pattern shows every message once: a message that a fetchMessages()
  // result of the same chat already returned is not delivered again, and
  // messages arriving while a fetchMessages() call is pending wait until
  // its result has reached the page (then they are checked the same way).
  _deliverMessage(m) {
    if (this._fetching > 0) {
      this._held.push(m)
      return
    }
    const f = this._fetched
    if (m && f.chatId !== 0 && this.chat && this.chat.id === f.chatId && m.$index <= f.index) return
    this._emit('chat.message', m)
  }

  _flushHeld() {
    const held = this._held
    this._held = []
    for (const m of held) {
      if (this._destroyed) return
      this._deliverMessage(m)
    }
  }

  // ---- the promise bridge to Go ------------------------------------------

  _call(method, args) {
    if (this._destroyed) return Promise.reject(destroyedError())
    return this._ready.then(async () => {
      if (this._destroyed) throw destroyedError()
      const { json, files } = await encodeArgs(args)
      if (this._destroyed || !this._goExports) throw destroyedError()
      return new Promise((resolve, reject) => {
        const id = this._nextCall++
        this._calls.set(id, { resolve, reject })
        this._goExports.call(id, method, json, files)
      })
    })
  }

  _settle(id, kind, value) {
    const c = this._calls.get(id)
    if (!c) return
    this._calls.delete(id)
    if (kind === KIND_ERROR) {
      let body
      try { body = JSON.parse(value) } catch { body = { code: 'internal', message: String(value) } }
      c.reject(new ClientError(body))
      return
    }
    try {
      c.resolve(decodeValue(kind, value))
    } catch (err) {
      c.reject(new ClientError({ code: 'internal', message: `decode result: ${err.message}` }))
    }
  }

  // ---- Go's requests to the page -----------------------------------------

  _hostRequest(goID, kind, payload) {
    const respond = (status, value) => {
      if (this._goExports) this._goExports.respond(goID, status, value)
    }
    const fail = (err) => respond(-1, JSON.stringify({
      code: err.code || 'unavailable',
      message: err.message || String(err),
      retryable: err.retryable ?? true,
      status: err.status || 0,
    }))
    let p
    switch (kind) {
      case 'authenticate': {
        // The first request takes the token fetched at start.
        const early = this._early && this._early.takeToken()
        p = (early || this._callAuthenticate()).then((token) => respond(0, token))
        break
      }
      case 'session':
        p = (this._early ? this._early.takeSession(payload.body) : Promise.resolve(null))
          .then((early) => early || this._exchange(payload.body))
          .then((r) => {
            this._session = r.session || null
            respond(r.status, { headers: r.headers, body: new Uint8Array(r.body) })
          })
        break
      case 'fetch':
        p = this._bridgeRequest({
          kind: 'fetch',
          method: payload.method,
          path: payload.path,
          query: payload.query,
          contentType: payload.contentType,
          body: payload.body,
          form: payload.form,
        }).then((r) => respond(r.status, { headers: r.headers, body: new Uint8Array(r.body) }))
        break
      default:
        p = Promise.reject(new ClientError({ code: 'internal', message: `unknown host request ${kind}` }))
    }
    p.catch(fail)
  }

  // ---- the communication iframe ------------------------------------------

  _setTimer(fn, ms) {
    const t = setTimeout(() => {
      this._timers.delete(t)
      fn()
    }, ms)
    this._timers.add(t)
    return t
  }

  _clearTimer(t) {
    clearTimeout(t)
    this._timers.delete(t)
  }

  _addWindowListener(type, fn) {
    window.addEventListener(type, fn)
    const remove = () => {
      window.removeEventListener(type, fn)
      this._windowListeners.delete(remove)
    }
    this._windowListeners.add(remove)
    return remove
  }

  _connectBridge() {
    return new Promise((resolve, reject) => {
      const nonce = randomHex(16)
      const iframe = document.createElement('iframe')
      iframe.title = 'ccaip communication'
      iframe.setAttribute('aria-hidden', 'true')
      iframe.tabIndex = -1
      iframe.style.cssText = 'display:none!important'
      const url = new URL(this._bridgeURL.href)
      const frag = { origin: location.origin, company: String(this._options.companyId), nonce }
      if (this._want !== 'page') {
        // The bridge starts this core's worker while the handshake runs
        // (bridge.js, 1 and 6); the connect repeats both.
        frag.core = this._want
        frag.config = JSON.stringify(this._coreConfig())
      }
      url.hash = new URLSearchParams(frag).toString()
      iframe.src = url.href
      let removeListener = () => {}
      const timer = this._setTimer(() => {
        removeListener()
        reject(new ClientError({ code: 'unavailable', message: `the communication iframe at ${this._bridgeOrigin} did not answer`, retryable: true }))
      }, this._options.handshakeTimeout || HANDSHAKE_TIMEOUT)
      removeListener = this._addWindowListener('message', (ev) => {
        // Only the bridge we created, on the origin we expect, with the
        // nonce we gave it, may start the channel. Anything else (another
        // frame, another origin, a replay) is ignored and counted.
        const d = ev.data
        if (ev.source !== iframe.contentWindow || ev.origin !== this._bridgeOrigin ||
            !d || d.type !== HELLO || d.nonce !== nonce) {
          this._rejected++
          return
        }
        removeListener()
        this._clearTimer(timer)
        mark('ccaip:hello')
        const channel = new MessageChannel()
        this._port = channel.port1
        this._port.onmessage = (e) => this._onBridgeMessage(e)
        // A bridge that cannot start a worker core (an older platform)
        // does not say so in its hello: the core runs in the page.
        if (this._want !== 'page' && !(Array.isArray(d.cores) && d.cores.length > 0)) {
          this._modeReason = 'the platform\'s bridge runs no worker core'
          if (this._want !== 'auto') {
            reject(new ClientError({ code: 'unavailable', message: `core '${this._want}': ${this._modeReason}` }))
            return
          }
          this._want = 'page'
          this._mode = 'page'
          iframe.contentWindow.postMessage({ type: CONNECT, nonce }, this._bridgeOrigin, [channel.port2])
          resolve('page')
          return
        }
        if (this._want === 'page') {
          iframe.contentWindow.postMessage({ type: CONNECT, nonce }, this._bridgeOrigin, [channel.port2])
          resolve()
          return
        }
        iframe.contentWindow.postMessage({ type: CONNECT, nonce, core: this._want, config: this._coreConfig() }, this._bridgeOrigin, [channel.port2])
        // A worker core reads this first: the page, and the SDK's entries
        // of its localStorage (the worker has none of its own); and the
        // early token when authenticate() has already answered, so that
        // the core need not ask for it (to sign in, or to check that a
        // joining tab's end user is its own).
        const hello = { t: 'hello', url: location.href, timeOnPage: performance.now(), store: storeEntries() }
        if (this._earlyToken && this._tokenNow) {
          hello.token = this._tokenNow
          this._earlyToken = null
        }
        this._port.postMessage(hello)
        const modeTimer = this._setTimer(() => {
          this._modeWaiter = null
          reject(new ClientError({ code: 'unavailable', message: `the communication iframe at ${this._bridgeOrigin} did not say where the core runs`, retryable: true }))
        }, MODE_WAIT)
        this._modeWaiter = {
          resolve: (mode) => { this._modeWaiter = null; this._clearTimer(modeTimer); resolve(mode) },
          reject: (err) => { this._modeWaiter = null; this._clearTimer(modeTimer); reject(err) },
        }
      })
      this._iframe = iframe
      ;(document.body || document.documentElement).appendChild(iframe)
      mark('ccaip:iframe')
    })
  }

  // _coreConfig is what a core in a worker is started with (and named by).
  _coreConfig() {
    const o = this._options
    return { companyId: o.companyId, tenant: o.tenant, host: o.host || this._bridgeOrigin, lang: o.lang, debug: !!o.debug }
  }

  _bridgeRequest(req) {
    if (this._destroyed || !this._port) return Promise.reject(destroyedError())
    return new Promise((resolve, reject) => {
      const id = this._nextBridge++
      const timeout = this._options.requestTimeout || REQUEST_TIMEOUT
      const timer = this._setTimer(() => {
        this._bridgeCalls.delete(id)
        reject(new ClientError({ code: 'timeout', message: `${req.kind} ${req.path || ''}: no answer in ${timeout} ms`, retryable: true }))
      }, timeout)
      this._bridgeCalls.set(id, { resolve, reject, timer })
      this._port.postMessage({ ...req, id, timeout })
    })
  }

  _onBridgeMessage(e) {
    const d = e.data
    if (d && typeof d.t === 'string') {
      this._onCoreMessage(d)
      return
    }
    if (!d || typeof d.id !== 'number') return
    const c = this._bridgeCalls.get(d.id)
    if (!c) return
    this._bridgeCalls.delete(d.id)
    this._clearTimer(c.timer)
    if (d.ok) c.resolve(d)
    else c.reject(new ClientError(d.error || { code: 'unavailable', retryable: true }))
  }

  // ---- a core in a worker (see core-worker.js for the protocol) ----------

  _onCoreMessage(d) {
    if (this._destroyed) return
    switch (d.t) {
      case 'mode': {
        const w = this._modeWaiter
        if (!w) return
        this._modeReason = String(d.reason || '')
        if (d.mode !== 'shared' && d.mode !== 'worker' && d.mode !== 'page') {
          w.reject(new ClientError({ code: 'unavailable', message: `core '${this._want}' is not available here: ${this._modeReason}`, retryable: false }))
          return
        }
        this._mode = d.mode
        mark('ccaip:mode')
        if (d.mode !== 'page') this._beat()
        w.resolve(d.mode)
        return
      }
      case 'ready': {
        const w = this._workerWaiter
        if (!w) return
        this._workerWaiter = null
        this._fresh = !!d.fresh
        if (d.linkUp) this._linkUp = d.linkUp
        this._joinedOngoing = d.fresh ? 0 : d.ongoing || 0
        const port = this._port
        w.resolve({
          call: (id, method, json, files) => port.postMessage({ t: 'call', id, method, json, files }),
          destroy: () => port.postMessage({ t: 'detach' }),
          stats: () => this._workerStats && this._workerStats.go,
        })
        // What the core said at its start, for a tab that came later.
        if (!d.fresh && d.events && d.events !== '[]') this._setTimer(() => this._emitFromGo(d.events), 0)
        return
      }
      case 'settle':
        this._settle(d.id, d.kind, d.value)
        return
      case 'emit':
        this._emitFromGo(d.batch)
        return
      case 'request': {
        if (d.kind !== 'authenticate') return
        const early = this._earlyToken
        this._earlyToken = null
        ;(early || this._callAuthenticate()).then((token) => {
          if (this._port && !this._destroyed) this._port.postMessage({ t: 'respond', id: d.id, ok: true, token })
        }, (err) => {
          if (this._port && !this._destroyed) this._port.postMessage({ t: 'respond', id: d.id, ok: false, error: { code: err.code, message: err.message, retryable: err.retryable } })
        })
        return
      }
      case 'store':
        try {
          if (typeof d.key !== 'string' || !d.key.startsWith('ccaip:')) return
          if (d.value === null) localStorage.removeItem(d.key)
          else localStorage.setItem(d.key, String(d.value))
        } catch { /* no storage: the worker keeps its copy */ }
        return
      case 'stats': {
        const w = this._statsWaiters.get(d.id)
        this._statsWaiters.delete(d.id)
        this._workerStats = d.stats
        if (w) w(d.stats)
        return
      }
      case 'failed': {
        const e = d.error || {}
        const err = new ClientError({ code: e.code || 'unavailable', message: e.message, retryable: e.retryable ?? true, status: e.status })
        if (d.start) err.coreStart = true
        if (this._modeWaiter) this._modeWaiter.reject(err)
        else if (this._workerWaiter) {
          this._workerWaiter.reject(err)
          this._workerWaiter = null
        } else this._emit('error', err)
      }
    }
  }

  // _beat tells a worker core, every BEAT ms, that this tab is alive, and
  // says goodbye when the page goes away.
  _beat() {
    const tick = () => {
      if (this._destroyed || !this._port) return
      this._port.postMessage({ t: 'beat' })
      this._setTimer(tick, BEAT)
    }
    this._setTimer(tick, BEAT)
    this._addWindowListener('pagehide', () => {
      if (this._port && !this._destroyed) this._port.postMessage({ t: 'detach' })
    })
  }

  /**
   * diagnostics reports where the Go core runs: core is 'shared' (a
   * SharedWorker on the platform's origin, one per browser), 'worker' (a
   * dedicated worker of this tab's iframe), 'page' (this page's main
   * thread) or null until known; requested is the core option; reason why
   * an 'auto' client fell back; fresh whether this tab started a worker
   * core (null in the page).
   */
  diagnostics() {
    return { core: this._mode, requested: this._want, reason: this._modeReason, fresh: this._fresh }
  }

  /** __debugWorkerStats resolves the worker core's counters (null in the page). */
  __debugWorkerStats() {
    if (this._mode === 'page' || !this._port || this._destroyed) return Promise.resolve(null)
    return new Promise((resolve) => {
      const id = this._nextBridge++
      this._statsWaiters.set(id, resolve)
      this._port.postMessage({ t: 'stats', id })
    })
  }

  // ---- debugging -------------------------------------------------------

  /**
   * __debugStats reports what the client holds, for tests: iframes, window
   * listeners, timers, pending calls, messages rejected by the origin check
   * and the Go core's live js.Funcs, pending requests and open sockets.
   */
  __debugStats() {
    let goStats = this._goStats
    if (!goStats && this._goExports) goStats = this._goExports.stats()
    let listeners = 0
    for (const s of this._listeners.values()) listeners += s.size
    return {
      iframe: this._iframe ? 1 : 0,
      windowListeners: this._windowListeners.size,
      timers: this._timers.size,
      calls: this._calls.size,
      bridgeRequests: this._bridgeCalls.size,
      listeners,
      rejectedMessages: this._rejected,
      sessionExchanges: this._sessionExchanges,
      goExited: !!this._goStats,
      core: this._mode,
      go: goStats ? { funcs: goStats.funcs, requests: goStats.requests, sockets: goStats.sockets } : null,
    }
  }

  /** __debugCall calls a core method by name (debug builds: "debug.panic"). */
  __debugCall(method, ...args) {
    return this._call(method, args)
  }

  // ---- company and menus -------------------------------------------------

  getTrigger() { return this._call('getTrigger', []) }

  runTrigger(cb) {
    if (typeof cb !== 'function') return Promise.reject(new ClientError({ code: 'invalid_argument', message: 'runTrigger(cb): cb must be a function' }))
    const n = this._nextTrigger++
    this._triggers.set(n, cb)
    return this._call('runTrigger', [n]).then(() => undefined, (err) => {
      this._triggers.delete(n)
      throw err
    })
  }

  getCompany() { return this._call('getCompany', []) }
  getAfterHourMessage(lang) { return this._call('getAfterHourMessage', [lang]) }
  getMenus(key, lang) { return this._call('getMenus', [key, lang]) }
  getWaitTimes(menuId, lang) { return this._call('getWaitTimes', [menuId, lang]) }

  // ---- calls -----------------------------------------------------------

  createCall(menuIdOrData, data) {
    try {
      const [menuId, rest] = splitMenu(menuIdOrData, data, 'createCall')
      return this._call('createCall', [menuId, rest])
    } catch (err) {
      return Promise.reject(err)
    }
  }

  loadCall(callId) { return this._call('loadCall', [callId]) }
  cancelCall(callId) { return this._call('cancelCall', [callId]) }
  getTimeSlots(menuId, lang) { return this._call('getTimeSlots', [menuId, lang]) }

  // ---- chat ------------------------------------------------------------

  createChat(menuIdOrData, dataOrCustomData) {
    if (menuIdOrData !== null && typeof menuIdOrData === 'object') {
      // Older form: createChat({menu_id, lang, …}, customData?)
      const { menu_id: menuId, ...rest } = menuIdOrData
      if (menuId === undefined) return Promise.reject(new ClientError({ code: 'invalid_argument', message: 'createChat: menu_id is required' }))
      if (dataOrCustomData !== undefined && dataOrCustomData !== null) rest.custom_data = dataOrCustomData
      return this._call('createChat', [menuId, rest]).then((c) => this._adoptChat(c), (err) => this._continueChat(err))
    }
    return this._call('createChat', [menuIdOrData, dataOrCustomData ?? {}]).then((c) => this._adoptChat(c), (err) => this._continueChat(err))
  }

  // _continueChat: createChat() in a tab with no chat of its own, while the
  // worker core it joined holds the end user's ongoing chat, continues that
  // chat (as createChat() after a reload does in the page).
  _continueChat(err) {
    if (err.code !== 'chat_already_active' || this.chat || this._mode === 'page' || !this._joinedOngoing) throw err
    return this.loadOngoingChat().then((c) => {
      if (!c) throw err
      return c
    })
  }

  loadChat(chatId) {
    return this._call('loadChat', [chatId]).then((c) => {
      if (this.chat && this.chat.id === c.id) return this._adoptChat(c)
      return new Chat(this, c) // another chat: not the client's
    })
  }

  // loadOngoingChat resolves once the restored chat's realtime link is up
  // (its chat.connected has gone out), at most LINK_WAIT ms later: apps
  // attach their chat.connected listener after it and then run it
  // themselves (_triggerEvent), so a second, real chat.connected racing
  // that one would render the history twice.
  loadOngoingChat() {
    return this._call('loadOngoingChat', []).then((c) => {
      if (!c) return null
      const chat = this._adoptChat(c)
      // A tab that joined a worker core already on this chat: the core's
      // chat.ongoing, chat.restored and chat.connected went out before the
      // tab came, so the tab hears them now, as a page of its own would.
      if (this._joinedOngoing === chat.id && this._ongoingSeen !== chat.id && !this._destroyed) {
        this._ongoingSeen = chat.id
        this._emit('chat.ongoing', chat)
        this._emit('chat.restored', chat)
      }
      if (this._linkUp === chat.id && this._connectedSeen !== chat.id && !this._destroyed) {
        this._connectedSeen = chat.id
        this._emit('chat.connected', chat)
      }
      if (this._linkUp === chat.id || this._destroyed) return chat
      return new Promise((resolve) => {
        let timer = 0
        const done = () => {
          this._linkWaiters.delete(waiter)
          if (timer) this._clearTimer(timer)
          resolve(chat)
        }
        const waiter = () => { if (this._linkUp === chat.id) done() }
        this._linkWaiters.add(waiter)
        timer = this._setTimer(done, LINK_WAIT)
      })
    })
  }
  resumeChat(chatId) { return this._call('resumeChat', [chatId]).then((c) => this._adoptChat(c)) }
  finishChat() { return this._call('finishChat', []) }

  destroyChat() {
    const chat = this.chat
    return this._call('destroyChat', []).then(() => {
      if (this.chat === chat) this.chat = null
    })
  }

  fetchMessages() {
    const chatId = this.chat ? this.chat.id : 0
    this._fetching++
    const settled = (messages) => {
      if (chatId !== 0 && Array.isArray(messages) && messages.length > 0 && this.chat && this.chat.id === chatId) {
        const top = messages[messages.length - 1].$index
        const f = this._fetched
        this._fetched = { chatId, index: f.chatId === chatId ? Math.max(f.index, top) : top }
      }
      // Held messages go out after the page has had the result.
      if (--this._fetching === 0 && this._held.length > 0 && !this._destroyed) this._setTimer(() => this._flushHeld(), 0)
    }
    return this._call('fetchMessages', []).then((messages) => {
      settled(messages)
      return messages
    }, (err) => {
      settled(null)
      throw err
    })
  }
  sendTextMessage(rawContent) { return this._call('sendTextMessage', [rawContent]) }
  sendFileMessage(file) { return this._call('sendFileMessage', [file]) }
  sendPreviewMessage(content) { return this._call('sendPreviewMessage', [content]) }
  getChatDeflection() { return this._call('getChatDeflection', []) }
  sendChatTranscripts(emails) { return this._call('sendChatTranscripts', [emails]) }
  downloadChatTranscript() { return this._call('downloadChatTranscript', []) }

  getPdfStatus(id) {
    return this._call('getPdfStatus', [id]).then((r) => {
      if (r && r.body) r.data.body = r.body // the PDF, once ready
      if (r) delete r.body
      return r
    })
  }

  getChatSurvey() { return this._call('getChatSurvey', []) }
  sendChatSurvey(answers) { return this._call('sendChatSurvey', [answers]) }
  sendChatRate(data) { return this._call('sendChatRate', [data]) }
  escalateChat(data) { return this._call('escalateChat', [data]) }
  trackChatEscalation(escalationId, channel) { return this._call('trackChatEscalation', [escalationId, channel]) }
  trackChatEndUserEvent(data) { return this._call('trackChatEndUserEvent', [data]) }
  getChatHistory(page) { return this._call('getChatHistory', [page]) }

  // ---- email -----------------------------------------------------------

  createEmail(menuIdOrData, data) {
    try {
      const [menuId, rest] = splitMenu(menuIdOrData, data, 'createEmail')
      return this._call('createEmail', [menuId, rest])
    } catch (err) {
      return Promise.reject(err)
    }
  }

  getProhibitedFileTypes() { return this._call('getProhibitedFileTypes', []) }

  // ---- screen share and post-session -------------------------------------

  createCobrowseCode(lang, customData) { return this._call('createCobrowseCode', [lang, customData]) }
  startCobrowse(from) { return this._call('startCobrowse', [from]) }
  getMessageAttachment(message) { return this._call('getMessageAttachment', [message]) }
  updatePostSession(postSessionStatus) { return this._call('updatePostSession', [postSessionStatus]) }
}

// storeEntries returns the SDK's entries of the page's localStorage.
function storeEntries() {
  const out = []
  try {
    for (let i = 0; i < localStorage.length; i++) {
      const k = localStorage.key(i)
      if (k && k.startsWith('ccaip:')) out.push([k, localStorage.getItem(k)])
    }
  } catch { /* no storage */ }
  return out
}

function bridgeURL(options) {
  if (options.bridge) {
    const u = new URL(options.bridge, location.href)
    if (!u.pathname.endsWith('.html')) {
      u.pathname = u.pathname.replace(/\/?$/, '/') + 'bridge/bridge.html'
    }
    return u
  }
  if (!options.host) {
    throw new ClientError({ code: 'invalid_argument', message: 'options.host or options.bridge is required' })
  }
  return new URL('/bridge/bridge.html', options.host)
}
