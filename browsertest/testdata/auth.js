// Authentication at start: the loader calls authenticate() while the wasm
// loads and exchanges the token through the bridge; the core's first
// requests use those answers. authenticate() runs once per start, a
// failing or malformed authenticate() is a typed error (never a hang), and
// destroy() during the early exchange leaves no unhandled rejection.
import { run, newClient, check, rejects, waitEvent } from './lib.js'

// siteToken is the site's own token endpoint, as lib.js uses it.
const siteToken = (identifier) => async () => {
  const r = await fetch('/token?identifier=' + encodeURIComponent(identifier))
  if (!r.ok) throw new Error('token: HTTP ' + r.status)
  return r.json()
}

// counting starts a client whose authenticate() counts its calls.
function counting(identifier, authenticate = siteToken(identifier)) {
  const calls = { n: 0, beforeCompiled: false }
  const client = newClient(identifier, {
    authenticate: () => {
      // The loader marks ccaip:compiled when the wasm is compiled.
      if (calls.n++ === 0) calls.beforeCompiled = performance.getEntriesByName('ccaip:compiled').length === 0
      return authenticate()
    },
  })
  return { client, calls }
}

run(async () => {
  // A normal start: one authenticate(), then ready and a working client.
  const ok = counting('auth-ok')
  const user = await waitEvent(ok.client, 'authenticated')
  check(user && user.identifier === 'auth-ok', `authenticated payload ${JSON.stringify(user)}`)
  const company = await ok.client.getCompany()
  check(typeof company.name === 'string', 'getCompany after start')
  check(ok.calls.n === 1, `authenticate() ran ${ok.calls.n} times at start, want 1`)
  check(ok.calls.beforeCompiled, 'authenticate() ran only after the wasm compiled: sign-in should overlap the download')
  // In a worker the core makes the exchange itself (the page none).
  const inWorker = ok.client.diagnostics().core !== 'page'
  const exchanges = inWorker ? (await ok.client.__debugWorkerStats()).sessionExchanges : ok.client.__debugStats().sessionExchanges
  check(exchanges === 1, `${exchanges} session exchanges at start, want 1 (the early one, taken by the core)`)
  if (inWorker) check(ok.client.__debugStats().sessionExchanges === 0, 'the page exchanged no token itself')
  await ok.client.destroy()

  // authenticate() rejects: calls reject with unauthorized, not a hang.
  const bad = counting('auth-bad', async () => { throw new Error('no session on the site') })
  const errEvent = waitEvent(bad.client, 'error')
  const err = await rejects(bad.client.getCompany(), 'unauthorized', 'getCompany with a failing authenticate()')
  check(/no session on the site/.test(err.message), `message carries the cause: ${err.message}`)
  const ev = await errEvent
  check(ev && ev.code === 'unauthorized', `error event ${ev && ev.code}`)
  await bad.client.destroy()

  // authenticate() resolves without a token.
  const empty = counting('auth-empty', async () => ({}))
  const err2 = await rejects(empty.client.getCompany(), 'unauthorized', 'getCompany with a tokenless authenticate()')
  check(/token/.test(err2.message), `message names the token: ${err2.message}`)
  await empty.client.destroy()

  // A forged token: the platform refuses the early exchange, and the core
  // reports it as it would its own.
  const forged = counting('auth-forged', async () => ({ token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.forged' }))
  await rejects(forged.client.getCompany(), 'unauthorized', 'getCompany with a forged token')
  await forged.client.destroy()

  // destroy() while the early exchange is in flight.
  const quick = counting('auth-quick')
  await quick.client.destroy()
  await new Promise((r) => setTimeout(r, 300))
  return { ok: ok.calls.n, bad: bad.calls.n }
})
