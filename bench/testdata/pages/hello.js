// The floor of the cold start: the same steps the loader takes for the
// SDK (dynamic import of wasm_exec.js, streaming compile, instantiate,
// run) for a Go hello world that calls __helloReady as soon as main runs.
import { done, fail, resourceTimes } from './lib.js'

const t = { module: performance.now(), ready: 0 }
window.__helloReady = () => {
  t.ready = performance.now()
  done({ ...t, resources: resourceTimes(['hello.wasm', 'wasm_exec.js']) })
}
try {
  await import('/sdk/wasm_exec.js')
  const module = await WebAssembly.compileStreaming(fetch('/hello/hello.wasm'))
  const go = new globalThis.Go()
  const instance = await WebAssembly.instantiate(module, go.importObject)
  go.run(instance)
} catch (err) {
  fail(err)
}
