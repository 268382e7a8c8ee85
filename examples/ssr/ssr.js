// ssr.js: importing the package (as a server renderer does) has no side
// effects: no throw in Node, which has no window, document or localStorage,
// and no global defined; the exports are there, and every method the
// package's declarations give Client and Widget exists.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

const before = new Set(Object.getOwnPropertyNames(globalThis))
const sdk = await import('@ccaip/headless')
const { Widget } = await import('@ccaip/headless/widget')
assert.equal(typeof sdk.Client, 'function')
assert.equal(typeof sdk.ClientError, 'function')
assert.equal(sdk.PostSessionStatus.FINISHED, 'finished')
assert.equal(typeof Widget, 'function')
const added = Object.getOwnPropertyNames(globalThis).filter((k) => !before.has(k))
assert.deepEqual(added, [], 'importing the package defined globals')
assert.throws(() => new sdk.Client({}), (err) => err instanceof sdk.ClientError && err.code === 'invalid_argument')

const require = createRequire(import.meta.url)
for (const [file, cls, impl] of [['index.d.ts', 'Client', sdk.Client], ['widget.d.ts', 'Widget', Widget]]) {
  const dts = readFileSync(require.resolve(`@ccaip/headless/package.json`).replace(/package\.json$/, file), 'utf8')
  const body = dts.slice(dts.indexOf(`export declare class ${cls} {`))
  const declared = [...body.slice(0, body.indexOf('\n}')).matchAll(/^ {2}([a-zA-Z]\w*)\s*(?:<[^>]*>)?\(/gm)].map((m) => m[1]).filter((n) => n !== 'constructor')
  assert.ok(declared.length >= 5, `${file}: parsed ${declared.length} methods of ${cls}`)
  const missing = declared.filter((n) => typeof impl.prototype[n] !== 'function')
  assert.deepEqual(missing, [], `${file} declares ${cls} methods the package lacks`)
}
console.log('ssr: imported @ccaip/headless and @ccaip/headless/widget with no side effects; declared methods exist')
