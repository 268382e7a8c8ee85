// vendorapp.js: a small chat app written the way the public sample apps
// for the vendor's headless package are (Vite apps, vanilla JS): it keeps
// the current chat in client.chat, reads chat.state on chat.updated,
// renders fetchMessages() on chat.connected and appends each chat.message,
// restores with loadOngoingChat() + client._triggerEvent('chat.connected'),
// and imports the SDK from another origin (the platform's). Ported by
// changing only the import and the token backend. ?noload=1 plays the
// apps that never call loadOngoingChat() and just createChat() on start.
const q = new URLSearchParams(location.search)
const app = { ready: false, errors: [], typing: 0, ended: 0, connected: 0 }
window.__app = app
window.addEventListener('unhandledrejection', (e) => app.errors.push(String(e.reason && e.reason.message || e.reason)))
window.addEventListener('error', (e) => app.errors.push(String(e.message)))

const { Client } = await import(q.get('sdk'))

async function authenticate() {
  const resp = await fetch('/token?identifier=' + encodeURIComponent(q.get('user')))
  if (!resp.ok) throw new Error('Failed to fetch auth token')
  return await resp.json()
}

const client = new Client({ companyId: 'demo', tenant: 'demo', host: q.get('host'), authenticate })
app.client = client

const $ = (id) => document.getElementById(id)
const messagesDiv = $('messages')

function appendMessage(message) {
  const li = document.createElement('li')
  if (message.$index !== undefined) li.dataset.index = String(message.$index)
  li.dataset.userType = message.$userType || (message.mine ? 'end_user' : '')
  li.dataset.type = message.type || 'text'
  li.textContent = message.text || message.content || message.event || ''
  messagesDiv.appendChild(li)
}

const queue = await client.getMenus()
// The first menu item that offers chat (the samples take menus[0] of a
// direct menu key).
const chatMenu = (function first(items) {
  for (const m of items) {
    if (m.channels.includes('chat')) return m
    const c = first(m.children || [])
    if (c) return c
  }
  return null
})(queue.menus)
let isOngoingChat = false
if (q.get('noload') !== '1') {
  client.chat = await client.loadOngoingChat()
  isOngoingChat = !!client.chat
}

client.on('chat.connected', () => {
  app.connected++
  messagesDiv.innerHTML = ''
  client.fetchMessages().then((messages) => messages.forEach(appendMessage))
})

client.on('chat.message', (message) => {
  if (message.$userType === 'end_user') return // the app shows its own messages at once
  if (message.type === 'noti') return
  appendMessage(message)
})

client.on('chat.updated', (chat) => {
  $('status').dataset.status = chat.state.status
  $('status').textContent = chat.state.status_text
})

client.on('chat.typingStarted', (identity) => { $('typing').textContent = `${identity.name} is typing` })
client.on('chat.typingEnded', () => { $('typing').textContent = '' })

client.on('chat.ended', () => {
  app.ended++
  isOngoingChat = false
  $('status').dataset.status = client.chat ? client.chat.state.status : 'finished'
  $('window').hidden = true
  $('start').hidden = false
})

function startChat() {
  $('window').hidden = false
  $('start').hidden = true
  messagesDiv.innerHTML = '<li>Connecting...</li>'
  if (isOngoingChat) {
    client._triggerEvent('chat.connected')
  } else {
    client.createChat(chatMenu.id, {}).catch((err) => app.errors.push('createChat: ' + err.message))
  }
}

let typing = false
$('input').addEventListener('input', () => {
  if (!client.chat || typing) return
  typing = true
  client.chat.startTyping().then(() => app.typing++, (err) => app.errors.push('startTyping: ' + err.message))
})

function sendMessage() {
  const text = $('input').value.trim()
  if (!text) return
  appendMessage({ text, mine: true })
  $('input').value = ''
  client.sendTextMessage(text).catch((err) => app.errors.push('send: ' + err.message))
  if (typing && client.chat) {
    typing = false
    client.chat.stopTyping().then(() => app.typing++, (err) => app.errors.push('stopTyping: ' + err.message))
  }
}

// A form filled in an embedded page reports back with postMessage; the
// app tells the agent through client.chat.sendMessage, as the samples do.
window.addEventListener('message', (event) => {
  const message = event.data
  if (event.origin !== location.origin || !message || message.type !== 'form_complete') return
  const ongoingChatInstance = client.chat
  if (!ongoingChatInstance) return
  ongoingChatInstance.sendMessage({ type: 'noti', content: '', event: 'formCompleted', signature: message.signature, form_data: message.data })
    .then(() => { app.forms = (app.forms || 0) + 1 }, (err) => app.errors.push('form noti: ' + err.message))
})

$('start').addEventListener('click', startChat)
$('send').addEventListener('click', sendMessage)
$('escalate').addEventListener('click', () => client.escalateChat().catch((err) => app.errors.push('escalate: ' + err.message)))
$('end').addEventListener('click', async () => {
  if (client.chat) await client.finishChat()
})

app.ready = true
