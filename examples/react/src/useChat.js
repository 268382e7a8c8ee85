import { useCallback, useEffect, useState } from 'react'
import { Client } from '@ccaip/headless'

const initial = { phase: 'starting', menus: [], chat: null, messages: [], connection: 'connecting', error: null }

// useChat owns one Client while options (keep them stable: module scope or
// useMemo) stay the same. It restores the ongoing chat after a reload
// (loadOngoingChat) or offers the menus, and keeps the messages, each once
// in $index order, and the realtime link's state: connecting, connected,
// reconnecting, polling or offline.
export function useChat(options) {
  const [client, setClient] = useState(null)
  const [state, setState] = useState(initial)
  const update = useCallback((patch) => setState((s) => ({ ...s, ...(typeof patch === 'function' ? patch(s) : patch) })), [])

  useEffect(() => {
    const c = new Client(options)
    setClient(c)
    setState(initial)
    const offs = [
      c.on('chat.message', (m) => update((s) => ({ messages: merge(s.messages, [m]) }))),
      c.on('connection.state', (connection) => update({ connection })),
      c.on('chat.updated', (chat) => update({ chat })),
      c.on('chat.ended', (chat) => update({ chat, phase: 'ended' })),
      c.on('error', (error) => update({ error })),
    ]
    ;(async () => {
      const chat = await c.loadOngoingChat()
      if (!chat) return update({ phase: 'menus', menus: await chatMenus(c) })
      update({ chat, phase: 'chatting' })
      const history = await c.fetchMessages()
      update((s) => ({ messages: merge(s.messages, history) }))
    })().catch((error) => update({ error }))
    return () => {
      offs.forEach((off) => off())
      c.destroy()
    }
  }, [options, update])

  const run = (fn) => fn().catch((error) => update({ error }))
  return {
    ...state,
    start: (menuId) => run(async () => {
      update({ phase: 'connecting', chat: null, messages: [], error: null })
      const chat = await client.createChat(menuId, { lang: 'en' })
      update({ chat, phase: 'chatting' })
    }),
    send: (text) => run(() => client.sendTextMessage(text)),
    finish: () => run(() => client.finishChat()),
    restart: () => run(async () => update({ phase: 'menus', chat: null, messages: [], menus: await chatMenus(client) })),
  }
}

// chatMenus lists the menu entries that offer chat, children included.
async function chatMenus(client) {
  const { menus } = await client.getMenus()
  return menus.flatMap((m) => [m, ...(m.children || [])]).filter((m) => m.channels?.includes('chat'))
}

// merge adds messages by $index, so a message both fetched and delivered
// by event shows once.
function merge(list, more) {
  const byIndex = new Map(list.map((m) => [m.$index, m]))
  for (const m of more) byIndex.set(m.$index, m)
  return [...byIndex.values()].sort((a, b) => a.$index - b.$index)
}
