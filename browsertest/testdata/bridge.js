// bridge.js (fixture): drives the communication iframe directly, as a
// hostile script on the embedding page could, and checks that it sends
// exactly the requests of its allow-list and never hands out the session
// token. The allow-list is the one the bridge itself imports
// (bridge-routes.js, generated from api.BridgeRoutes). The Go test then
// checks what reached the platform.
import { run, check, host } from './lib.js'
import { ROUTES } from '/sdk/bridge-routes.js'

const platform = new URL(host).origin

function connect() {
  const nonce = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('')
  const iframe = document.createElement('iframe')
  iframe.hidden = true
  iframe.src = `${platform}/bridge/bridge.html#origin=${encodeURIComponent(location.origin)}&company=demo&nonce=${nonce}`
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no hello from the bridge')), 10000)
    window.addEventListener('message', function onHello(e) {
      if (e.source !== iframe.contentWindow || e.origin !== platform || !e.data || e.data.nonce !== nonce) return
      window.removeEventListener('message', onHello)
      clearTimeout(timer)
      const ch = new MessageChannel()
      iframe.contentWindow.postMessage({ type: 'ccaip:connect', nonce }, platform, [ch.port2])
      resolve(ch.port1)
    })
    document.body.appendChild(iframe)
  })
}

let nextID = 1
function ask(port, req) {
  const id = nextID++
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer to ${JSON.stringify(req)}`)), 20000)
    const onAnswer = (e) => {
      if (e.data.id !== id) return
      port.removeEventListener('message', onAnswer)
      clearTimeout(timer)
      resolve(e.data)
    }
    port.addEventListener('message', onAnswer)
    port.postMessage({ id, timeout: 15000, ...req })
  })
}

const text = (answer) => answer.body ? new TextDecoder().decode(answer.body) : ''

// Requests the bridge must refuse without sending anything: ways out of the
// end-user API through what the browser normalises, routes that hand out
// tokens, other methods, and paths that are not plain paths.
const ATTACKS = [
  ['GET', '/enduser/v1/%2e%2e/%2e%2e/apps/api/v1/chats/1'],
  ['GET', '/enduser/v1/%2E%2E/%2E%2E/agent/v1/me'],
  ['GET', '/enduser/v1/../../agent/v1/me'],
  ['GET', '/enduser/v1/chats/../../../demo/token'],
  ['POST', '/enduser/v1/%2e%2e/%2e%2e/demo/token'],
  ['GET', '/enduser/v1/chats/1%2f..%2f..%2f..%2fagent%2fv1%2fme'],
  ['GET', '/enduser/v1/chats/%31'],
  ['POST', '/enduser/v1/auth/%74oken'],
  ['POST', '/enduser/v1/auth/token'],
  ['POST', '/enduser/v1/auth/takeover'],
  ['GET', '/enduser/v1/realtime'],
  ['GET', '/agent/v1/me'],
  ['POST', '/demo/token'],
  ['GET', '/apps/api/v1/chats/1'],
  ['GET', '/healthz'],
  ['GET', '/enduser/v1/company/'],
  ['GET', '/enduser/v1//company'],
  ['GET', '//enduser/v1/company'],
  ['GET', '/enduser/v1/./company'],
  ['GET', '\\enduser\\v1\\company'],
  ['GET', '/enduser/v1\\..\\..\\agent/v1/me'],
  ['GET', `//${new URL(host).host}/agent/v1/me`],
  ['GET', `${platform}/enduser/v1/company`],
  ['GET', 'https://evil.example/enduser/v1/company'],
  ['GET', '/enduser/v1/company?x=1'],
  ['GET', '/enduser/v1/company#x'],
  ['GET', '/enduser/v1/company;x'],
  ['GET', '/enduser/v1/compan\u0443'],
  ['GET', '/enduser/v1/chats/1\t'],
  ['GET', '/enduser/v1/chats/1%00'],
  ['GET', 'enduser/v1/company'],
  ['DELETE', '/enduser/v1/chats/1'],
  ['PUT', '/enduser/v1/chats'],
  ['GET', '/enduser/v1/chats/1/finish'],
  ['get', '/enduser/v1/company'],
  ['GET', new String('/enduser/v1/company')],
  ['GET', { path: '/enduser/v1/company' }],
  ['GET', ['/enduser/v1/company']],
  ['GET', null],
]

run(async () => {
  const port = await connect()
  port.start()

  // The session: the bridge exchanges the token and keeps it.
  const tok = await (await fetch('/token?identifier=bridge-attacker')).json()
  const session = await ask(port, { kind: 'session', body: JSON.stringify({ company_id: 'demo', tenant: 'demo', token: tok.token }) })
  check(session.ok && session.status === 200, `session: ${JSON.stringify(session)}`)
  const s = JSON.parse(text(session))
  check(!('session_token' in s) && !text(session).includes('session_token'), `the session answer carries the token: ${text(session)}`)
  check(s.end_user && s.end_user.identifier === 'bridge-attacker', `session end user ${text(session)}`)

  const refused = []
  for (const [method, path] of ATTACKS) {
    const a = await ask(port, { kind: 'fetch', method, path, query: '' })
    check(!a.ok && a.error && a.error.code === 'bad_request', `${method} ${String(path)} was not refused: ${a.ok ? a.status + ' ' + text(a) : JSON.stringify(a.error)}`)
    refused.push(`${method} ${String(path)}`)
  }

  // A query cannot change the path: it is only ever the query.
  const q = await ask(port, { kind: 'fetch', method: 'GET', path: '/enduser/v1/company', query: 'x=1#/../../../agent/v1/me' })
  check(q.ok && q.status === 200 && JSON.parse(text(q)).name, `company with an odd query: ${JSON.stringify(q.ok ? q.status : q.error)}`)

  // Every allow-listed request is sent (any HTTP answer will do: ids are
  // made up), and no answer has a token in it.
  const sent = []
  for (const [method, pattern] of ROUTES) {
    const path = pattern.replace(/\{[a-z]+\}/g, '999999')
    const a = await ask(port, { kind: 'fetch', method, path, query: '', contentType: 'application/json', body: method === 'GET' ? undefined : '{}' })
    check(a.ok && a.status > 0, `${method} ${path} was refused: ${JSON.stringify(a.error)}`)
    check(!text(a).includes('session_token'), `${method} ${path} answered a token`)
    sent.push(`${method} ${path}`)
  }
  return { refused: refused.length, sent, marker: 'bridge-attacker' }
})
