// A whole chat UI on the headless client, in about sixty lines. Every piece
// of content goes in through textContent, never innerHTML.
import { Client } from '/sdk/loader.js'

// The page is on 127.0.0.1; the platform answers on localhost too, which the
// browser treats as another origin, so the bridge iframe is cross-origin.
const host = location.hostname === '127.0.0.1' ? `http://localhost:${location.port}` : location.origin
const $ = (id) => document.getElementById(id)
$('host').textContent = host

const client = new Client({
  companyId: 'demo',
  tenant: 'demo',
  host,
  authenticate: async () => (await fetch('/demo/token', { method: 'POST' })).json()
})

const seen = new Set()
function show (m) {
  if (seen.has(m.$index)) return
  seen.add(m.$index)
  const li = document.createElement('li')
  li.className = m.type === 'noti' ? 'noti' : m.$userType
  li.textContent = m.type === 'noti' ? `— ${m.event} —` : `${m.$userType}: ${m.content ?? m.card?.title ?? m.file_info?.name ?? m.type}`
  $('log').append(li)
}

client.on('chat.message', show)
client.on('chat.updated', (chat) => { $('state').textContent = `chat ${chat.id}: ${chat.status}` })
client.on('chat.typingStarted', (who) => { $('typing').textContent = `${who.name} is typing…` })
client.on('chat.typingEnded', () => { $('typing').textContent = '' })
client.on('chat.ended', () => { $('state').textContent = 'chat ended'; $('composer').hidden = true })

function openChat (chat) {
  $('menus').replaceChildren()
  $('composer').hidden = false
  $('state').textContent = `chat ${chat.id}: ${chat.status}`
}

const ongoing = await client.loadOngoingChat()
if (ongoing) {
  openChat(ongoing)
  for (const m of await client.fetchMessages()) show(m)
} else {
  const { menus } = await client.getMenus()
  const leaves = (items) => items.flatMap((i) => i.children?.length ? leaves(i.children) : [i])
  for (const item of leaves(menus).filter((i) => i.enabled && i.channels.includes('chat'))) {
    const b = document.createElement('button')
    b.textContent = item.name
    b.onclick = async () => openChat(await client.createChat(item.id, { lang: 'en' }))
    $('menus').append(b)
  }
  $('state').textContent = 'pick a topic'
}

$('composer').onsubmit = (e) => {
  e.preventDefault()
  const text = $('text').value.trim()
  if (text) client.sendTextMessage(text)
  $('text').value = ''
}
$('escalate').onclick = () => client.escalateChat()
$('finish').onclick = () => client.finishChat()
