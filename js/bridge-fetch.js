// bridge-fetch.js: the platform side of the communication iframe, shared by
// the iframe itself (bridge.js, when the Go core runs in the page) and by
// the core's worker (core-worker.js, when it runs in a worker on the
// platform's origin). It exchanges the end user's JWT for a session, keeps
// the session token in the memory of its own realm and sends allow-listed
// end-user API requests with it. The request and answer shapes are the
// bridge protocol's (see bridge.js).

import { ROUTES } from './bridge-routes.js'

const TOKEN_ROUTE = '/enduser/v1/auth/token'
const MAX_TIMEOUT = 120000

// A path segment the bridge forwards: what the platform's ids and route
// names are made of. '%' (escapes), '.' (dot segments) and '' (empty
// segments) are not in it, so nothing the browser normalises gets past.
const SEGMENT = /^[A-Za-z0-9_-]{1,128}$/
const TABLE = ROUTES.map(([method, pattern]) => ({ method, parts: pattern.split('/').slice(1) }))

// allowed reports whether method and path are an allow-listed request,
// checking the path the browser would really send.
export function allowed(method, path) {
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

export function errorAnswer(id, code, message, retryable) {
  return { id, ok: false, error: { code, message, retryable: !!retryable } }
}

function headersOf(resp) {
  const h = {}
  resp.headers.forEach((v, k) => { h[k.toLowerCase()] = v })
  return h
}

// platform returns {answer(req)}: answer resolves the bridge protocol's
// answer to one request ({kind: 'session' | 'fetch', …}), never rejecting.
// The session token lives in this closure only.
export function platform() {
  let token = ''

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

  async function answer(req) {
    let a
    try {
      if (req.kind === 'session') a = await session(req)
      else if (req.kind === 'fetch') a = await request(req)
      else a = errorAnswer(req.id, 'bad_request', `unknown kind ${req.kind}`)
    } catch (err) {
      if (err && err.code) a = errorAnswer(req.id, err.code, err.message, false)
      else if (err && err.name === 'AbortError') a = errorAnswer(req.id, 'timeout', 'the platform did not answer in time', true)
      else a = errorAnswer(req.id, 'unavailable', String(err && err.message || err), true)
    }
    a.id = req.id
    return a
  }

  return { answer }
}
