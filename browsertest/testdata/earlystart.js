// earlystart.js (fixture): the bridge starts a worker core as soon as its
// fragment asks for one, before the handshake. That must give nothing to a
// page the handshake refuses. Two iframes, each on a platform front of its
// own (host and host2), so that the Go test can tell what each asked for:
//  1. a fragment that lies about the page's origin: the bridge refuses to
//     start (its parent is another origin), so no hello and no worker;
//  2. an honest fragment, then a connect with the wrong nonce: the bridge
//     may have started the worker, but the port sent along never hears a
//     word, and the core never signs in.
import { run, check, params } from './lib.js'

const config = JSON.stringify({ companyId: 'demo', tenant: 'demo', host: '', lang: 'en', debug: false })
const nonce = () => Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('')
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

function frame(host, origin, n) {
  const platform = new URL(host).origin
  const iframe = document.createElement('iframe')
  iframe.hidden = true
  iframe.src = `${platform}/bridge/bridge.html#` + new URLSearchParams({ origin, company: 'demo', nonce: n, core: 'shared', config })
  const hellos = []
  window.addEventListener('message', (e) => {
    if (e.source === iframe.contentWindow && e.origin === platform) hellos.push(e.data)
  })
  document.body.appendChild(iframe)
  return { iframe, platform, hellos }
}

run(async () => {
  // 1. The fragment names another origin than the page's.
  const liar = frame(params.get('host'), location.origin.replace('127.0.0.1', 'localhost'), nonce())
  // 2. An honest fragment; the connect then carries the wrong nonce.
  const n = nonce()
  const honest = frame(params.get('host2'), location.origin, n)
  for (let i = 0; i < 100 && honest.hellos.length === 0; i++) await sleep(50)
  check(honest.hellos.length === 1 && honest.hellos[0].nonce === n, `the honest frame's hello: ${JSON.stringify(honest.hellos)}`)
  const heard = []
  const ch = new MessageChannel()
  ch.port1.onmessage = (e) => heard.push(e.data)
  const o = JSON.parse(config)
  honest.iframe.contentWindow.postMessage({ type: 'ccaip:connect', nonce: nonce(), core: 'shared', config: o }, honest.platform, [ch.port2])
  ch.port1.postMessage({ t: 'hello', url: location.href, timeOnPage: 0, store: [] })
  await sleep(2500)
  check(liar.hellos.length === 0, `the bridge answered a fragment naming another origin: ${JSON.stringify(liar.hellos)}`)
  check(heard.length === 0, `a connect with the wrong nonce got answers: ${JSON.stringify(heard)}`)
  return { liar: liar.hellos.length, heard: heard.length }
})
