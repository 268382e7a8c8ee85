// bridge.js: the communication iframe of the headless web chat SDK.
//
// The platform serves this page (bridge.html + this script) from its own
// origin with  frame-ancestors <allowed origins>  and  script-src 'self'.
// The loader (loader.js) embeds it hidden; every end-user API request of the
// page goes through it, so that the session token never leaves the
// platform's origin.
//
// Protocol
//
//  1. The loader creates the iframe at
//       <bridge>/bridge/bridge.html#origin=<page origin>&company=<id>&nonce=<n>
//         [&core=<core>&config=<JSON>]
//     where nonce is 128 random bits chosen for this iframe only; core and
//     config as in 6, for a core in a worker, so that the bridge can start
//     the worker (and the worker its wasm) while the handshake runs.
//  2. The bridge checks that it is framed (window.parent !== window) and,
//     where the browser tells (location.ancestorOrigins), that its parent
//     really is <page origin>. It then posts
//       {type: 'ccaip:hello', nonce, cores: ['shared', 'worker']}
//     (cores: the worker cores it can start, see 6)
//     to window.parent with targetOrigin = <page origin>: never '*', so the
//     nonce cannot reach any other origin.
//  3. The loader accepts the hello only if event.source is its iframe's
//     window, event.origin is the bridge origin and the nonce matches. It
//     creates a MessageChannel and posts {type: 'ccaip:connect', nonce} to
//     the iframe with targetOrigin = the bridge origin, transferring port2.
//  4. The bridge accepts the connect only if event.origin is <page origin>,
//     event.source is window.parent and the nonce matches; it then stops
//     listening on window. Any other message on window, before or after,
//     is ignored. From now on only the port carries traffic, and a port
//     cannot be reached by anyone who does not hold it.
//  5. Requests on the port: {id, kind, timeout, ...}; every answer carries
//     the same id. The loader times each request out; the bridge aborts its
//     fetch after the same timeout.
//       {kind: 'session', body}  exchanges the end-user JWT (TokenRequest JSON)
//                                at /enduser/v1/auth/token; the bridge keeps
//                                session_token and answers the Session
//                                without it.
//       {kind: 'fetch', method, path, query, contentType, body?, form?}
//                                one end-user API request, sent same-origin
//                                with Authorization: Bearer <session token>,
//                                only if (method, path) is in the allow-list
//                                (bridge-routes.js, generated from
//                                api.BridgeRoutes) and path is exactly the
//                                path the browser will send: no percent-
//                                escapes, dot or empty segments, backslashes,
//                                query or fragment. Anything else is refused
//                                with code bad_request and never sent.
//     Answers: {id, ok: true, status, headers: {lowercase: value}, body:
//     ArrayBuffer (transferred)} or {id, ok: false, error: {code, message,
//     retryable}} when no HTTP answer was had.
//  6. Where the Go core runs. The connect message may carry
//       core: 'page' (the default) | 'shared' | 'worker' | 'auto'
//     and config: {companyId, tenant, host, lang, debug}. With 'page' the
//     bridge serves the port as in 5 and the core runs in the page. Else the
//     bridge starts the core in a worker on its own origin (core-worker.js):
//     'shared' a SharedWorker, one per browser for the page's origin and
//     that config (its name holds both), reached by every tab of the site;
//     'worker' a dedicated Worker of this iframe; 'auto' the first of those
//     two that starts, else the page. It first answers on the port
//       {t: 'mode', mode: 'shared' | 'worker' | 'page' | '', reason}
//     ('' when a forced mode could not start: reason says why) and then,
//     for a worker, transfers the port to it with the verified page origin:
//     from then on the page talks to the core itself (core-worker.js has
//     that protocol) and the session token lives in the worker's memory.
//     When the fragment named the same core and config, the bridge started
//     that worker at once, before the handshake: starting it hands nothing
//     to anyone (the worker loads its script and compiles the public wasm;
//     it serves a tab only once given its port, which happens only after
//     the connect passed the checks of 4). A fragment whose core or config
//     differs from the connect's is not used.
//
// The page learns the end user and the expiry of the session, never its token.

(() => {
  'use strict'

  const WORKER_START = 10000 // ms for a worker to say it is alive

  const params = new URLSearchParams(location.hash.slice(1))
  const parentOrigin = params.get('origin') || ''
  const nonce = params.get('nonce') || ''

  function valid() {
    if (window.parent === window) return 'not framed'
    if (!/^https?:\/\/[^/]+$/.test(parentOrigin)) return 'bad origin parameter'
    if (nonce.length < 16) return 'bad nonce'
    const ancestors = location.ancestorOrigins
    if (ancestors && ancestors.length > 0 && ancestors[0] !== parentOrigin) return 'parent origin mismatch'
    return ''
  }

  const problem = valid()
  if (problem) {
    console.warn('ccaip bridge: refusing to start:', problem)
    return
  }

  // The in-page core's request handler is loaded beside the rest, not
  // before it: a worker core does not need it here, and a static import
  // would hold back everything this script does until it arrived.
  const fetchModule = import('./bridge-fetch.js')
  fetchModule.catch(() => {})

  async function serve(port) {
    let api
    try {
      api = (await fetchModule).platform()
    } catch (err) {
      console.warn('ccaip bridge: bridge-fetch.js did not load:', err)
      port.close()
      return
    }
    port.onmessage = async (e) => {
      const req = e.data
      if (!req || typeof req.id !== 'number') return
      const answer = await api.answer(req)
      port.postMessage(answer, answer.body ? [answer.body] : [])
    }
  }

  // cleanConfig keeps the fields the core reads, as strings and booleans.
  function cleanConfig(c) {
    c = c && typeof c === 'object' ? c : {}
    const str = (v) => (v === undefined || v === null ? '' : String(v).slice(0, 512))
    return { companyId: str(c.companyId), tenant: str(c.tenant), host: str(c.host), lang: str(c.lang), debug: !!c.debug }
  }

  // startWorker starts the core in a worker of kind 'shared' or 'worker'
  // and resolves {post(msg, transfer)} once its script runs, or rejects
  // with the reason it could not (no such API, blocked by a policy, the
  // script failed).
  function startWorker(kind, config) {
    return new Promise((resolve, reject) => {
      // Next to this script: under the platform's versioned /bridge/v/<hash>/,
      // so that a deploy starts a new worker rather than joining an old one.
      const url = new URL('core-worker.js', import.meta.url)
      // One core per page origin and configuration: two configurations,
      // or two sites' pages, never share one.
      const name = 'ccaip-core:' + JSON.stringify([parentOrigin, config.companyId, config.tenant, config.host, config.lang, config.debug])
      let w
      let target
      try {
        if (kind === 'shared') {
          if (typeof SharedWorker !== 'function') throw new Error('SharedWorker is not available')
          w = new SharedWorker(url, { name, type: 'module', extendedLifetime: true })
          target = w.port
        } else {
          if (typeof Worker !== 'function') throw new Error('Worker is not available')
          w = new Worker(url, { name, type: 'module' })
          target = w
        }
      } catch (err) {
        reject(new Error(`${kind}: ${err && err.message || err}`))
        return
      }
      const timer = setTimeout(() => reject(new Error(`${kind}: the worker did not start`)), WORKER_START)
      w.onerror = () => {
        clearTimeout(timer)
        reject(new Error(`${kind}: the worker failed to start (blocked or failed to load)`))
      }
      target.onmessage = (e) => {
        if (!e.data || e.data.t !== 'alive') return
        clearTimeout(timer)
        target.onmessage = null
        w.onerror = null
        resolve({ post: (msg, transfer) => target.postMessage(msg, transfer), worker: w })
      }
    })
  }

  let core = null // the worker this iframe started or joined: kept alive with it

  // launch starts the core for want ('shared' | 'worker' | 'auto') and
  // config, and resolves {kind, core, reason}: kind null when no worker
  // started (reason says why).
  async function launch(want, config) {
    const order = want === 'auto' ? ['shared', 'worker'] : [want]
    const reasons = []
    for (const kind of order) {
      try {
        const c = await startWorker(kind, config)
        return { kind, core: c, reason: reasons.join('; ') }
      } catch (err) {
        reasons.push(err.message)
      }
    }
    return { kind: null, core: null, reason: reasons.join('; ') }
  }

  // early is the worker the fragment asked for, started before the
  // handshake (see 6), or null.
  const early = (() => {
    const want = params.get('core')
    if (want !== 'shared' && want !== 'worker' && want !== 'auto') return null
    let config
    try {
      config = cleanConfig(JSON.parse(params.get('config') || '{}'))
    } catch {
      return null
    }
    return { want, key: JSON.stringify(config), started: launch(want, config) }
  })()

  async function startCore(want, config, port) {
    const key = JSON.stringify(config)
    const started = early && early.want === want && early.key === key ? early.started : launch(want, config)
    const { kind, core: c, reason } = await started
    if (kind) {
      core = c
      port.postMessage({ t: 'mode', mode: kind, reason })
      core.post({ t: 'attach', origin: parentOrigin, config }, [port])
      return
    }
    if (want !== 'auto') {
      port.postMessage({ t: 'mode', mode: '', reason })
      port.close()
      return
    }
    port.postMessage({ t: 'mode', mode: 'page', reason })
    serve(port)
  }

  function onMessage(e) {
    const d = e.data
    if (e.origin !== parentOrigin || e.source !== window.parent || !d || d.type !== 'ccaip:connect' ||
        d.nonce !== nonce || !e.ports || e.ports.length !== 1) {
      return // forged, replayed or foreign: ignored
    }
    window.removeEventListener('message', onMessage)
    const want = d.core
    if (want === 'shared' || want === 'worker' || want === 'auto') {
      startCore(want, cleanConfig(d.config), e.ports[0])
      return
    }
    serve(e.ports[0])
  }

  window.addEventListener('message', onMessage)
  window.parent.postMessage({ type: 'ccaip:hello', nonce, cores: ['shared', 'worker'] }, parentOrigin)
})()
