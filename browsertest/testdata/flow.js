// flow.js: menus → create chat → virtual agent replies → escalate → an agent
// replies through the REST API (the Go test, when window.__phase is
// 'escalated') → finish → survey → rating.
import { run, newClient, check, shape, waitEvent, until, checkCore } from './lib.js'

run(async () => {
  const client = newClient('flow-user-' + Date.now())
  const messages = []
  client.on('chat.message', (m) => messages.push(m))
  const statuses = []
  client.on('message.status', (s) => statuses.push(s))

  const menus = await client.getMenus()
  checkCore(client)
  shape(menus, { menus: 'array', direct: 'object' }, 'menus')
  const leaf = menus.menus.flatMap((m) => m.children || []).find((c) => c.channels.includes('chat') && c.id === 123)
  check(leaf, 'menu 123 offers chat')

  const connected = waitEvent(client, 'chat.connected')
  const chat = await client.createChat(leaf.id, { lang: 'en' })
  shape(chat, { id: 'number', status: 'string', menu_id: 'number', end_user: 'object' }, 'chat')
  await connected
  await client.sendTextMessage('hello bot')
  await until(() => messages.find((m) => m.$userType === 'virtual_agent'), 'a virtual agent reply')
  // The virtual agent's greeting may come before the echo: wait for it.
  await until(() => messages.some((m) => m.$userType === 'end_user' && m.content === 'hello bot'), 'own message echoed')
  const sent = await until(() => statuses.find((s) => s.kind === 'text' && s.state === 'sent'), 'message.status sent')
  shape(sent, { client_id: 'string', chat_id: 'number', kind: 'string', state: 'string', attempts: 'number', message: 'object' }, 'message.status')
  check(sent.chat_id === chat.id && sent.message.content === 'hello bot' && sent.message.client_id === sent.client_id, 'the sent status carries the echoed message and its idempotency key')

  await client.escalateChat({ reason: 'need a human' })
  window.__chatId = chat.id
  window.__phase = 'escalated'
  const agentMsg = await until(() => messages.find((m) => m.$userType === 'agent'), 'the agent reply', 20000)
  shape(agentMsg, { $index: 'number', $sid: 'string', $timestamp: 'date', $userType: 'string', type: 'string' }, 'agent message')

  const ended = waitEvent(client, 'chat.ended')
  await client.finishChat()
  const endedChat = await ended
  check(endedChat.status === 'finished', `ended status ${endedChat.status}`)

  const survey = await client.getChatSurvey()
  shape(survey, { sign_off_display_text: 'string', questions: 'array' }, 'survey')
  const answers = {}
  for (const q of survey.questions) {
    answers[q.id] = q.valid_answers && q.valid_answers.length ? q.valid_answers[0].key : 'fine'
  }
  await client.sendChatSurvey(answers)
  await client.sendChatRate({ rating: 5, feedback: 'Very good service' })

  const indexes = messages.map((m) => m.$index)
  check(new Set(indexes).size === indexes.length, 'no message repeated')
  check(indexes.every((v, i) => i === 0 || v > indexes[i - 1]), 'messages in order')
  await client.destroy()
  return { chatId: chat.id, messages: messages.length, agent: agentMsg.content }
})
