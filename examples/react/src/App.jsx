import { useState } from 'react'
import { useChat } from './useChat.js'

const connectionText = {
  connecting: 'Connecting…',
  connected: 'Connected',
  reconnecting: 'Reconnecting…',
  polling: 'Connected (slow network)',
  offline: 'Offline — messages will be sent when you are back',
}

export function App({ options }) {
  const chat = useChat(options)
  return (
    <main className="chat" aria-busy={chat.phase === 'starting' || chat.phase === 'connecting'}>
      <header>
        <h1>Chat with us</h1>
        {chat.chat && <span className={`conn ${chat.connection}`} role="status">{connectionText[chat.connection]}</span>}
      </header>
      {chat.error && <p className="error" role="alert">{chat.error.message} {chat.error.retryable ? '(try again)' : ''}</p>}
      {chat.phase === 'starting' && <p role="status">Loading…</p>}
      {chat.phase === 'menus' && <Menus menus={chat.menus} onPick={chat.start} />}
      {chat.chat && <Messages messages={chat.messages} />}
      {chat.phase === 'chatting' && <Composer onSend={chat.send} onFinish={chat.finish} />}
      {chat.phase === 'ended' && (
        <p className="ended" role="status">The chat has ended. <button type="button" onClick={chat.restart}>New chat</button></p>
      )}
    </main>
  )
}

function Menus({ menus, onPick }) {
  return (
    <nav aria-label="What can we help you with?">
      {menus.map((m) => <button key={m.id} type="button" data-menu={m.id} onClick={() => onPick(m.id)}>{m.name}</button>)}
    </nav>
  )
}

// Messages renders every message as text (React escapes it), never as HTML.
function Messages({ messages }) {
  return (
    <ol className="messages" aria-live="polite">
      {messages.map((m) => (
        <li key={m.$index} className={m.$userType}>
          <span className="who">{m.$userType === 'end_user' ? 'You' : m.$userType === 'virtual_agent' ? 'Assistant' : 'Agent'}</span>
          {typeof m.content === 'string' ? m.content : `[${m.type || m.event}]`}
        </li>
      ))}
    </ol>
  )
}

function Composer({ onSend, onFinish }) {
  const [text, setText] = useState('')
  const submit = (e) => {
    e.preventDefault()
    if (!text.trim()) return
    onSend(text)
    setText('')
  }
  return (
    <form className="composer" onSubmit={submit}>
      <input aria-label="Message" value={text} onChange={(e) => setText(e.target.value)} placeholder="Type a message" />
      <button type="submit">Send</button>
      <button type="button" className="finish" onClick={onFinish}>End chat</button>
    </form>
  )
}
