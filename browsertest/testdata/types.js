// types.js: the live client's methods equal the declarations of index.d.ts.
import { run, Client, check } from './lib.js'

run(async () => {
  const dts = await (await fetch('/index.d.ts')).text()
  const body = dts.slice(dts.indexOf('export declare class Client {'))
  const declared = new Set()
  const skip = new Set(['constructor'])
  for (const m of body.matchAll(/^ {2}([a-zA-Z]\w*)\s*(?:<[^>]*>)?\(/gm)) if (!skip.has(m[1])) declared.add(m[1])
  const live = new Set(Object.getOwnPropertyNames(Client.prototype).filter((n) => n !== 'constructor' && !n.startsWith('_')))
  const missing = [...declared].filter((n) => !live.has(n))
  const undeclared = [...live].filter((n) => !declared.has(n))
  check(declared.size >= 40, `declared methods parsed: ${declared.size}`)
  check(missing.length === 0, `declared but not implemented: ${missing}`)
  check(undeclared.length === 0, `implemented but not declared: ${undeclared}`)
  return { methods: [...live].sort() }
})
