// One chat fed by the platform's REST API from the Go harness. The page
// only listens: chat.message listeners record the latency of "L:" messages
// and count "T:" messages. The harness drives it through window.__start()
// and window.__destroy() and reads window.__chat.
import { newClient, done, fail, params, wallNow } from './lib.js'

const stats = {
  chatId: 0,
  lat: [], // ms from the platform's $timestamp to this listener
  latSent: [], // ms from the harness's REST call to this listener
  tp: 0,
  tpFirst: 0,
  tpLast: 0,
  backlog: 0,
  backlogFirst: 0,
  backlogLast: 0,
  reattachAt: 0,
  disconnects: 0,
  other: 0,
}
window.__chat = stats
let client = null

function onMessage(m) {
  const now = wallNow()
  const c = typeof m.content === 'string' ? m.content : ''
  if (c.startsWith('T:')) {
    if (stats.tp === 0) stats.tpFirst = now
    stats.tp++
    stats.tpLast = now
  } else if (c.startsWith('B:')) {
    if (stats.backlog === 0) stats.backlogFirst = now
    stats.backlog++
    stats.backlogLast = now
  } else if (c.startsWith('L:')) {
    const ts = m.$timestamp instanceof Date ? m.$timestamp.getTime() : Date.parse(m.$timestamp)
    stats.lat.push(now - ts)
    stats.latSent.push(now - Number(c.slice(2)))
  } else {
    stats.other++
  }
}

// wasmMemory is the Go core's linear memory size; 0 once the core exited
// and the runtime dropped its instance (wasm_exec.js deletes _inst on exit).
function wasmMemory() {
  const inst = client && client._go && client._go._inst
  return inst ? inst.exports.mem.buffer.byteLength : 0
}
window.__wasmMemory = wasmMemory

function attach() {
  client = newClient(params.get('user') || 'chat')
  client.on('chat.message', onMessage)
  client.on('chat.disconnected', () => { stats.disconnects++ })
}

// __detach destroys the client but keeps the chat and its stored cursor,
// as a page navigation would; __reattach makes a new client that restores
// the chat with loadOngoingChat(), so every message posted meanwhile is
// delivered as a backlog.
window.__detach = async () => {
  await client.destroy()
  client = null
  return true
}

window.__reattach = async () => {
  stats.reattachAt = wallNow()
  attach()
  const chat = await client.loadOngoingChat()
  if (!chat) throw new Error('loadOngoingChat: no chat to restore')
  return chat.id
}

window.__start = () => {
  attach()
  client.on('error', (err) => console.warn('client error', err && err.code, err && err.message))
  const connected = new Promise((resolve) => client.once('chat.connected', resolve))
  client.createChat(124, {}).then(async (chat) => {
    stats.chatId = chat.id
    await connected
    done({ chatId: chat.id })
  }, fail)
  return true
}

window.__destroy = async () => {
  await client.destroy()
  const mem = wasmMemory()
  client = null
  return mem
}
