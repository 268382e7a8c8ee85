// lib.js: helpers shared by the fixture pages. A page calls run(fn); the
// outcome lands on window.__outcome = {done, error, result}, which the Go
// test polls. Any uncaught error, unhandled rejection or CSP violation fails
// the page.
import { Client, ClientError, PostSessionStatus } from '/sdk/loader.js'

export { Client, ClientError, PostSessionStatus }

const q = new URLSearchParams(location.search)
export const host = q.get('host')
export const evilOrigin = q.get('evil')
export const params = q

window.__outcome = { done: false, error: '', result: null }

export function fail(err) {
  if (window.__outcome.error) return
  const msg = err && err.stack ? `${err.message}\n${err.stack}` : String(err && err.message || err)
  console.error('FAIL', msg)
  window.__outcome = { done: true, error: msg || 'failed', result: window.__outcome.result }
}

export function done(result) {
  if (window.__outcome.error) return
  window.__outcome = { done: true, error: '', result: result === undefined ? null : result }
}

window.addEventListener('error', (e) => fail(e.error || e.message))
window.addEventListener('unhandledrejection', (e) => fail(e.reason))
document.addEventListener('securitypolicyviolation', (e) => fail(new Error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`)))

export function check(cond, msg) {
  if (!cond) throw new Error('check failed: ' + msg)
}

export function run(fn) {
  Promise.resolve().then(fn).then(done, fail)
}

export function newClient(identifier, extra = {}) {
  return new Client({
    companyId: 'demo',
    tenant: 'demo',
    host,
    debug: true,
    ...(q.get('core') ? { core: q.get('core') } : {}),
    ...(q.get('bridge') ? { bridge: q.get('bridge') } : {}),
    authenticate: async () => {
      const r = await fetch('/token?identifier=' + encodeURIComponent(identifier))
      if (!r.ok) throw new Error('token: HTTP ' + r.status)
      return r.json()
    },
    ...extra,
  })
}

// checkCore checks that client's core runs where the page's core
// parameter forced it (the suite runs once per mode: CCAIP_CORE), or where
// the 'auto' client had to fall back to (expectCore: CCAIP_DISABLE), and
// returns client.diagnostics().
export function checkCore(client) {
  const d = client.diagnostics()
  const want = q.get('core')
  if (want && want !== 'auto') check(d.core === want, `core runs in ${d.core}, want ${want} (${d.reason})`)
  const expect = q.get('expectCore')
  if (expect) check(d.core === expect, `core fell back to ${d.core}, want ${expect} (${d.reason})`)
  return d
}

// waitEvent resolves with the first payload of event that satisfies pred.
export function waitEvent(client, event, pred = () => true, timeout = 15000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { off(); reject(new Error(`no ${event} in ${timeout} ms`)) }, timeout)
    const off = client.on(event, (p) => {
      if (!pred(p)) return
      clearTimeout(timer)
      off()
      resolve(p)
    })
  })
}

// until polls cond until it is truthy.
export async function until(cond, what, timeout = 15000) {
  const end = Date.now() + timeout
  for (;;) {
    const v = await cond()
    if (v) return v
    if (Date.now() > end) throw new Error('timed out waiting for ' + what)
    await new Promise((r) => setTimeout(r, 50))
  }
}

// shape checks obj against spec: field → 'string' | 'number' | 'boolean' |
// 'array' | 'object' | 'date'; a leading '?' allows the field to be absent.
export function shape(obj, spec, what) {
  check(obj !== null && typeof obj === 'object', `${what} is an object, got ${JSON.stringify(obj)}`)
  for (const [k, t0] of Object.entries(spec)) {
    const optional = t0.startsWith('?')
    const t = optional ? t0.slice(1) : t0
    const v = obj[k]
    if (v === undefined || v === null) {
      check(optional, `${what}.${k} is present`)
      continue
    }
    const ok = t === 'array' ? Array.isArray(v)
      : t === 'date' ? v instanceof Date && !Number.isNaN(v.getTime())
      : t === 'object' ? typeof v === 'object' && !Array.isArray(v)
      : typeof v === t
    check(ok, `${what}.${k} is ${t}, got ${JSON.stringify(v)}`)
  }
  return obj
}

export async function rejects(p, code, what) {
  try {
    await p
  } catch (err) {
    check(err instanceof ClientError && err instanceof Error, `${what}: rejection is a ClientError, got ${err}`)
    check(typeof err.retryable === 'boolean' && typeof err.status === 'number', `${what}: error carries retryable and status`)
    if (code) check(err.code === code, `${what}: code ${err.code}, want ${code}`)
    return err
  }
  throw new Error(`${what}: resolved, want a rejection${code ? ' with ' + code : ''}`)
}
