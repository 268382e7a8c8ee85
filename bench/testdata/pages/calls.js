// Call overhead: client.getCompany() (through the Go core and the bridge
// iframe) against a raw cross-origin fetch of the same endpoint with a
// session token the page obtained itself, interleaved call by call (the
// order alternates) so that both see the same machine noise.
import { newClient, token, host, params, done, fail } from './lib.js'

const n = Number(params.get('n') || 300)
const warmup = Number(params.get('warmup') || 30)

async function rawSession() {
  const { token: jwt } = await token('calls-raw')
  const r = await fetch(host + '/enduser/v1/auth/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ company_id: 'demo', tenant: 'demo', token: jwt }),
  })
  if (!r.ok) throw new Error('auth/token: HTTP ' + r.status)
  return (await r.json()).session_token
}

async function main() {
  const client = newClient('calls-sdk')
  window.__client = client
  const session = await rawSession()
  const raw = async () => {
    const r = await fetch(host + '/enduser/v1/company', { headers: { Authorization: 'Bearer ' + session } })
    if (!r.ok) throw new Error('company: HTTP ' + r.status)
    return r.json()
  }
  const sdk = () => client.getCompany()
  const a = await sdk()
  const b = await raw()
  if (a.subdomain !== b.subdomain) throw new Error('getCompany and the raw fetch disagree')
  const times = { sdk: [], raw: [] }
  for (let i = 0; i < warmup + n; i++) {
    const order = i % 2 ? [['sdk', sdk], ['raw', raw]] : [['raw', raw], ['sdk', sdk]]
    for (const [name, fn] of order) {
      const t0 = performance.now()
      await fn()
      const dt = performance.now() - t0
      if (i >= warmup) times[name].push(dt)
    }
  }
  await client.destroy()
  return times
}

main().then(done, fail)
