// reload.js: a reload mid-chat restores the chat through loadOngoingChat()
// with no message lost or repeated. Phase 1 starts a chat; the Go test posts
// an agent message while no page is open, then loads phase 2.
import { run, newClient, check, waitEvent, until, params } from './lib.js'

const phase = params.get('phase')
const user = params.get('user')

run(async () => {
  const client = newClient(user)
  const events = []
  client.on('chat.message', (m) => events.push(m))
  if (phase === '1') {
    const connected = waitEvent(client, 'chat.connected')
    const chat = await client.createChat(123, { lang: 'en' })
    await connected
    await client.sendTextMessage('before reload')
    await until(() => events.some((m) => m.content === 'before reload'), 'own echo')
    await until(() => events.some((m) => m.$userType === 'virtual_agent'), 'bot reply')
    await client.escalateChat()
    return { chatId: chat.id, seen: events.map((m) => m.$index) }
  }
  const connected = waitEvent(client, 'chat.connected')
  const chat = await client.loadOngoingChat()
  check(chat !== null, 'loadOngoingChat found the chat')
  check(String(chat.id) === params.get('chat'), `restored chat ${chat.id}, want ${params.get('chat')}`)
  await connected
  const fetched = await client.fetchMessages()
  const idx = fetched.map((m) => m.$index)
  check(idx.length > 0 && idx.every((v, i) => v === i + 1), `fetched indexes contiguous from 1: ${idx}`)
  check(fetched.some((m) => m.content === 'before reload'), 'message from before the reload kept')
  check(fetched.some((m) => m.content === 'while you were away'), 'message sent during the reload delivered')
  await client.sendTextMessage('after reload')
  await until(() => events.some((m) => m.content === 'after reload'), 'echo after reload')
  const evIdx = events.map((m) => m.$index)
  check(new Set(evIdx).size === evIdx.length, `no event repeated: ${evIdx}`)
  check(evIdx.every((v, i) => i === 0 || v > evIdx[i - 1]), `events in order: ${evIdx}`)
  const all = await client.fetchMessages()
  const allIdx = all.map((m) => m.$index)
  check(allIdx.every((v, i) => v === i + 1), `final indexes contiguous: ${allIdx}`)
  check(all.filter((m) => m.content === 'after reload').length === 1, 'sent once')
  await client.finishChat()
  await client.destroy()
  return { fetched: idx.length, events: evIdx.length }
})
