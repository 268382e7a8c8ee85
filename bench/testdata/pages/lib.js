// lib.js: what every bench page shares. A page's outcome lands on
// window.__bench = {done, error, data}; the Go harness polls it.
import { Client } from '/sdk/loader.js'

export { Client }

export const params = new URLSearchParams(location.search)
export const host = params.get('host')

window.__bench = { done: false, error: '', data: null }

export function fail(err) {
  if (window.__bench.error) return
  const msg = err && err.stack ? `${err.message}\n${err.stack}` : String(err && err.message || err)
  console.error('FAIL', msg)
  window.__bench = { done: true, error: msg || 'failed', data: null }
}

export function done(data) {
  if (window.__bench.error) return
  window.__bench = { done: true, error: '', data }
}

window.addEventListener('error', (e) => fail(e.error || e.message))
window.addEventListener('unhandledrejection', (e) => fail(e.reason))
document.addEventListener('securitypolicyviolation', (e) => fail(new Error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`)))

// token fetches an end-user JWT from the site's backend.
export async function token(identifier) {
  const r = await fetch('/token?identifier=' + encodeURIComponent(identifier))
  if (!r.ok) throw new Error('token: HTTP ' + r.status)
  return r.json()
}

// newClient makes a client of the demo company for identifier; ?wasm=
// picks another build of the core (the bench's profiling build); ?core=
// where the core runs (default 'page': the rows measured before the worker
// cores existed keep their meaning).
export function newClient(identifier) {
  const opts = { companyId: 'demo', tenant: 'demo', host, authenticate: () => token(identifier), core: params.get('core') || 'page' }
  if (params.get('wasm')) opts.wasmUrl = params.get('wasm')
  return new Client(opts)
}

// wallNow is the wall clock in milliseconds with sub-millisecond
// precision, comparable with the Go side's time.Now(). timeOrigin +
// performance.now() is monotonic from page load, so a wall clock that
// stepped since (NTP) puts it off by the step: a latency run read −75 ms
// that way. When the two disagree by more than 2 ms, the wall clock wins
// (at millisecond precision).
export function wallNow() {
  const mono = performance.timeOrigin + performance.now()
  const wall = Date.now()
  return Math.abs(mono - wall) > 2 ? wall : mono
}

// marks reports when the loader's performance marks ccaip:<key> were first
// set (ms since navigation start), or null.
export function marks(keys) {
  const out = {}
  for (const k of keys) {
    const e = performance.getEntriesByName('ccaip:' + k, 'mark')[0]
    out[k] = e ? e.startTime : null
  }
  return out
}

// resourceTimes reports, for the first resource whose URL contains each
// key, when its request started and its response ended (ms since
// navigation start), to break a cold start down into its steps.
export function resourceTimes(keys) {
  const out = {}
  for (const e of performance.getEntriesByType('resource')) {
    for (const k of keys) {
      if (!out[k] && e.name.includes(k)) out[k] = { start: e.startTime, end: e.responseEnd }
    }
  }
  return out
}

// longestTask resolves to the duration of the longest main-thread task
// (see longtask.js) that began before until (ms since navigation start):
// 0 when none reached 50 ms, null without the Long Tasks API. It waits
// for a task to pass first, so that the task that was running at until
// has ended and been reported.
export async function longestTask(until) {
  await new Promise((resolve) => setTimeout(resolve, 0))
  if (!window.__longTasks) return null
  for (const e of window.__longTaskObserver.takeRecords()) window.__longTasks.push({ start: e.startTime, duration: e.duration })
  let longest = 0
  for (const e of window.__longTasks) {
    if (e.start < until) longest = Math.max(longest, e.duration)
  }
  return longest
}
