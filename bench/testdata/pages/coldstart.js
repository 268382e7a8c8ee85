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
  done({ ...t, longTask, resources: resourceTimes(['ccaip.wasm', 'wasm_exec.js', 'bridge.html', '/token', 'loader.js']), marks: marks(['compiled', 'go-start', 'client', 'iframe', 'hello', 'mode']), worker: await workerTimeline() })
}
client.on('ready', () => { t.ready = performance.now(); finish() })
client.on('error', (err) => fail(err))
client.getCompany().then(() => { t.firstCall = performance.now(); finish() }, fail)

// workerTimeline is the worker core's start on this page's clock (ms since
// navigation start): its marks and resource timings; null in the page.
async function workerTimeline() {
  const mode = client.diagnostics().core
  if (mode !== 'shared' && mode !== 'worker') return null
  const s = await client.__debugWorkerStats()
  const tl = s && s.timeline
  if (!tl) return null
  const shift = tl.origin - performance.timeOrigin
  const out = { origin: shift, marks: {}, resources: {} }
  for (const [k, v] of Object.entries(tl.marks)) out.marks[k.replace(/^ccaip:/, '')] = v + shift
  for (const [k, v] of Object.entries(tl.resources)) out.resources[k] = { start: v.start + shift, end: v.end + shift }
  return out
}
