// ssr.js: importing the package (as a server renderer does) has no side
// effects: no throw in Node, which has no window, document or localStorage,
// and no global defined; the exports are there.
import assert from 'node:assert/strict'

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
console.log('ssr: imported @ccaip/headless and @ccaip/headless/widget with no side effects')
