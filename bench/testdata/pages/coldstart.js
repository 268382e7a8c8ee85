// Cold start of the SDK: navigation start (performance.now() = 0) until the
// documented 'ready' event, and until the first call queued at once
// (getCompany) resolves; and the longest main-thread task until 'ready'.
import { newClient, done, fail, params, resourceTimes, marks, longestTask } from './lib.js'

const t = { module: performance.now(), ready: 0, firstCall: 0 }
const client = newClient(params.get('user') || 'cold')
window.__client = client
let finishing = false
const finish = async () => {
  if (!t.ready || !t.firstCall || finishing) return
  finishing = true
  const longTask = await longestTask(t.ready)
  done({ ...t, longTask, resources: resourceTimes(['ccaip.wasm', 'wasm_exec.js', 'bridge.html', '/token']), marks: marks(['compiled', 'go-start']) })
}
client.on('ready', () => { t.ready = performance.now(); finish() })
client.on('error', (err) => fail(err))
client.getCompany().then(() => { t.firstCall = performance.now(); finish() }, fail)
