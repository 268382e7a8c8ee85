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
//     where nonce is 128 random bits chosen for this iframe only.
//  2. The bridge checks that it is framed (window.parent !== window) and,
//     where the browser tells (location.ancestorOrigins), that its parent
//     really is <page origin>. It then posts
//       {type: 'ccaip:hello', nonce}
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
//
// The page learns the end user and the expiry of the session, never its token.

import { ROUTES } from './bridge-routes.js'

(() => {
  'use strict'

  const TOKEN_ROUTE = '/enduser/v1/auth/token'
  const MAX_TIMEOUT = 120000

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

  let token = ''

  // A path segment the bridge forwards: what the platform's ids and route
  // names are made of. '%' (escapes), '.' (dot segments) and '' (empty
  // segments) are not in it, so nothing the browser normalises gets past.
  const SEGMENT = /^[A-Za-z0-9_-]{1,128}$/
  const TABLE = ROUTES.map(([method, pattern]) => ({ method, parts: pattern.split('/').slice(1) }))

  // allowed reports whether method and path are an allow-listed request,
  // checking the path the browser would really send.
  function allowed(method, path) {
    if (typeof path !== 'string' || path[0] !== '/') return false
    let url
    try {
      url = new URL(path, location.origin)
    } catch {
      return false
    }
    if (url.origin !== location.origin || url.pathname !== path || url.search || url.hash) return false
    const parts = path.split('/').slice(1)
    if (!parts.every((p) => SEGMENT.test(p))) return false
    return TABLE.some((r) => r.method === method && r.parts.length === parts.length &&
      r.parts.every((p, i) => p[0] === '{' || p === parts[i]))
  }

  function refuse(message) {
    return Object.assign(new Error(message), { code: 'bad_request' })
  }

  function errorAnswer(id, code, message, retryable) {
    return { id, ok: false, error: { code, message, retryable: !!retryable } }
  }

  function headersOf(resp) {
    const h = {}
    resp.headers.forEach((v, k) => { h[k.toLowerCase()] = v })
    return h
  }

  async function send(req, url, init) {
    const ctrl = new AbortController()
    const timeout = Math.min(Math.max(Number(req.timeout) || 30000, 1000), MAX_TIMEOUT)
    const timer = setTimeout(() => ctrl.abort(), timeout)
    try {
      return await fetch(url, { ...init, signal: ctrl.signal, credentials: 'omit', cache: 'no-store', redirect: 'error' })
    } finally {
      clearTimeout(timer)
    }
  }

  async function session(req) {
    const resp = await send(req, TOKEN_ROUTE, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: typeof req.body === 'string' ? req.body : '',
    })
    let body = await resp.arrayBuffer()
    if (resp.status === 200) {
      const s = JSON.parse(new TextDecoder().decode(body))
      token = s.session_token || ''
      delete s.session_token
      body = new TextEncoder().encode(JSON.stringify(s)).buffer
    }
    return { ok: true, status: resp.status, headers: headersOf(resp), body }
  }

  async function request(req) {
    const method = typeof req.method === 'string' ? req.method : 'GET'
    const path = req.path
    if (!allowed(method, path)) throw refuse(`${String(method).slice(0, 10)} ${String(path).slice(0, 200)} is not an end-user API request the bridge sends`)
    const url = new URL(path, location.origin)
    // The query can only be the query: the URL's setter escapes anything
    // that would end it.
    const query = typeof req.query === 'string' ? req.query.replace(/^\?/, '') : ''
    if (query) url.search = query
    const headers = {}
    if (token) headers.Authorization = 'Bearer ' + token
    let body
    if (Array.isArray(req.form) && req.form.length > 0) {
      body = new FormData()
      for (const part of req.form) {
        if (part.fileName) {
          body.append(part.name, new Blob([part.data], { type: part.contentType || 'application/octet-stream' }), part.fileName)
        } else {
          body.append(part.name, new TextDecoder().decode(part.data))
        }
      }
    } else if (req.body !== undefined && req.body !== null && method !== 'GET') {
      body = req.body
      headers['Content-Type'] = req.contentType || 'application/json'
    }
    const resp = await send(req, url, { method, headers, body })
    return { ok: true, status: resp.status, headers: headersOf(resp), body: await resp.arrayBuffer() }
  }

  function serve(port) {
    port.onmessage = async (e) => {
      const req = e.data
      if (!req || typeof req.id !== 'number') return
      let answer
      try {
        if (req.kind === 'session') answer = await session(req)
        else if (req.kind === 'fetch') answer = await request(req)
        else answer = errorAnswer(req.id, 'bad_request', `unknown kind ${req.kind}`)
      } catch (err) {
        if (err && err.code) answer = errorAnswer(req.id, err.code, err.message, false)
        else if (err && err.name === 'AbortError') answer = errorAnswer(req.id, 'timeout', 'the platform did not answer in time', true)
        else answer = errorAnswer(req.id, 'unavailable', String(err && err.message || err), true)
      }
      answer.id = req.id
      port.postMessage(answer, answer.body ? [answer.body] : [])
    }
  }

  function onMessage(e) {
    const d = e.data
    if (e.origin !== parentOrigin || e.source !== window.parent || !d || d.type !== 'ccaip:connect' ||
        d.nonce !== nonce || !e.ports || e.ports.length !== 1) {
      return // forged, replayed or foreign: ignored
    }
    window.removeEventListener('message', onMessage)
    serve(e.ports[0])
  }

  window.addEventListener('message', onMessage)
  window.parent.postMessage({ type: 'ccaip:hello', nonce }, parentOrigin)
})()
