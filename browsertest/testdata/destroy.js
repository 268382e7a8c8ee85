// destroy.js: destroy() leaves no iframe, listener, timer, socket or js.Func.
import { run, newClient, check, waitEvent, rejects } from './lib.js'

// Count every WebSocket the page opens and every listener added to window
// and document, before the SDK loads.
const sockets = new Set()
const NativeWS = window.WebSocket
window.WebSocket = class extends NativeWS {
  constructor (...args) {
    super(...args)
    sockets.add(this)
  }
}
const listenerCount = { n: 0 }
for (const target of [window, document]) {
  const add = target.addEventListener.bind(target)
  const remove = target.removeEventListener.bind(target)
  const live = new Set()
  target.addEventListener = (type, fn, opts) => {
    if (!live.has(fn)) { live.add(fn); listenerCount.n++ }
    return add(type, fn, opts)
  }
  target.removeEventListener = (type, fn, opts) => {
    if (live.delete(fn)) listenerCount.n--
    return remove(type, fn, opts)
  }
}

run(async () => {
  const baseline = listenerCount.n
  const iframesBefore = document.querySelectorAll('iframe').length
  const client = newClient('destroy-user-' + Date.now())
  let events = 0
  client.on('chat.message', () => { events++ })
  const connected = waitEvent(client, 'chat.connected')
  const chat = await client.createChat(123, { lang: 'en' })
  check(chat && chat.id > 0, 'chat created')
  await connected
  // In a worker, the core's WebSocket is the worker's: the page opens none.
  const inWorker = client.diagnostics().core !== 'page'
  const open = [...sockets].filter((s) => s.readyState === NativeWS.OPEN).length
  check(open === (inWorker ? 0 : 1), `${inWorker ? 'no' : 'one'} open WebSocket in the page while chatting, got ${open}`)
  const live = client.__debugStats()
  if (inWorker) {
    const w = await client.__debugWorkerStats()
    check(live.iframe === 1 && w.tabs === 1 && w.go.funcs > 0 && w.go.sockets === 1, `live stats ${JSON.stringify(live)}, worker ${JSON.stringify(w)}`)
  } else {
    check(live.iframe === 1 && live.go.funcs > 0 && live.go.sockets === 1, `live stats ${JSON.stringify(live)}`)
  }
  check(listenerCount.n > baseline, 'the client listens while alive')

  await client.destroy()

  const stats = client.__debugStats()
  check(document.querySelectorAll('iframe').length === iframesBefore, 'no iframe left')
  check(stats.iframe === 0 && stats.windowListeners === 0 && stats.timers === 0 && stats.listeners === 0 &&
    stats.calls === 0 && stats.bridgeRequests === 0, `loader stats ${JSON.stringify(stats)}`)
  // A worker core outlives this tab (other tabs, the reload grace); the
  // tab holds nothing of it: no port, no iframe (checked above).
  if (!inWorker) check(stats.goExited && stats.go.funcs === 0 && stats.go.requests === 0 && stats.go.sockets === 0, `go stats ${JSON.stringify(stats.go)}`)
  check(listenerCount.n === baseline, `window/document listeners: ${listenerCount.n - baseline} left`)
  await new Promise((r) => setTimeout(r, 200))
  const notClosed = [...sockets].filter((s) => s.readyState !== NativeWS.CLOSED && s.readyState !== NativeWS.CLOSING).length
  check(notClosed === 0, `${notClosed} WebSocket(s) not closed`)
  await rejects(client.getCompany(), 'destroyed', 'call after destroy')

  // destroy() from inside a chat.message listener while a burst of
  // messages arrives (the core hands them over in rounds): no listener
  // runs after destroy(), and the sends it cut short reject as destroyed.
  const burst = newClient('destroy-burst-' + Date.now())
  await burst.createChat(123, { lang: 'en' })
  let seen = 0
  let after = 0
  let destroyed = false
  const gone = new Promise((resolve) => {
    burst.on('chat.message', () => {
      if (destroyed) { after++; return }
      if (++seen === 5) {
        destroyed = true
        resolve(burst.destroy())
      }
    })
  })
  const sends = []
  for (let i = 0; i < 30; i++) sends.push(burst.sendTextMessage('burst ' + i))
  await gone
  const settled = await Promise.allSettled(sends)
  await new Promise((r) => setTimeout(r, 200))
  check(seen === 5 && after === 0, `destroy() in a listener: ${seen} events before, ${after} after`)
  if (!inWorker) check(burst.__debugStats().goExited, 'the core exited')
  for (const r of settled) {
    check(r.status === 'fulfilled' || (r.reason && r.reason.code === 'destroyed'), `a send after destroy: ${r.reason && r.reason.code}`)
  }
  return { sockets: sockets.size, stats }
})
