// types.js: the live classes' methods equal the declarations of index.d.ts
// (Client, and the Chat that chat methods and events return).
import { run, Client, check } from './lib.js'
import { Chat } from '/sdk/loader.js'

// declaredMethods lists the methods of `export declare class name {…}`.
function declaredMethods(dts, name) {
  const start = dts.indexOf(`export declare class ${name} {`)
  check(start >= 0, `index.d.ts declares class ${name}`)
  const body = dts.slice(start, dts.indexOf('\n}\n', start))
  const declared = new Set()
  for (const m of body.matchAll(/^ {2}([a-zA-Z]\w*)\s*(?:<[^>]*>)?\(/gm)) if (m[1] !== 'constructor') declared.add(m[1])
  return declared
}

function compare(name, declared, cls) {
  const live = new Set(Object.getOwnPropertyNames(cls.prototype).filter((n) => n !== 'constructor' && !n.startsWith('_')))
  const missing = [...declared].filter((n) => !live.has(n))
  const undeclared = [...live].filter((n) => !declared.has(n))
  check(missing.length === 0, `${name}: declared but not implemented: ${missing}`)
  check(undeclared.length === 0, `${name}: implemented but not declared: ${undeclared}`)
  return [...live].sort()
}

run(async () => {
  const dts = await (await fetch('/index.d.ts')).text()
  const client = declaredMethods(dts, 'Client')
  const chat = declaredMethods(dts, 'Chat')
  check(client.size >= 40, `Client methods parsed: ${client.size}`)
  check(chat.size >= 10, `Chat methods parsed: ${chat.size}`)
  return { methods: compare('Client', client, Client), chat: compare('Chat', chat, Chat) }
})
