// One of several tabs on one chat with the shared core. The harness makes
// the first tab create the chat (window.__create), the others join it
// (window.__join), then has one tab send at a fixed rate (window.__send)
// while the others record, for each "X:<sent at>" chat.message, the time
// from the send call to their listener (same browser: one clock).
import { newClient, done, fail, params, wallNow } from './lib.js'

const client = newClient(params.get('user') || 'tabs')
window.__lat = []
client.on('chat.message', (m) => {
  const c = typeof m.content === 'string' ? m.content : ''
  if (c.startsWith('X:')) window.__lat.push(wallNow() - Number(c.slice(2)))
})
client.on('error', (err) => fail(err))
window.__create = async () => {
  const connected = new Promise((resolve) => client.once('chat.connected', resolve))
  const chat = await client.createChat(123, { lang: 'en' })
  await connected
  return chat.id
}
window.__join = async () => {
  const chat = await client.loadOngoingChat()
  return chat ? chat.id : 0
}
// __send sends n messages, one every 1000/rate ms, without waiting for
// each to be accepted (the outbox orders them).
window.__send = async (n, rate) => {
  const sends = []
  const t0 = performance.now()
  for (let i = 0; i < n; i++) {
    const due = t0 + (i * 1000) / rate
    const wait = due - performance.now()
    if (wait > 0) await new Promise((r) => setTimeout(r, wait))
    sends.push(client.sendTextMessage('X:' + wallNow()))
  }
  await Promise.all(sends)
  return client.diagnostics()
}
client.getCompany().then(() => done(client.diagnostics()), fail)
