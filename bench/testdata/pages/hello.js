// The floor of the cold start: the same steps the loader takes for the
// SDK (dynamic import of wasm_exec.js beside a streaming compile, then
// instantiate and run, with the same performance marks) for a Go hello
// world that calls __helloReady as soon as main runs; and the longest
// main-thread task until then.
import { done, fail, resourceTimes, marks, longestTask } from './lib.js'

const t = { module: performance.now(), ready: 0 }
window.__helloReady = () => {
  t.ready = performance.now()
  longestTask(t.ready).then((longTask) => {
    done({ ...t, longTask, resources: resourceTimes(['hello.wasm', 'wasm_exec.js']), marks: marks(['compiled', 'go-start']) })
  }, fail)
}
try {
  const [, module] = await Promise.all([
    import('/sdk/wasm_exec.js'),
    WebAssembly.compileStreaming(fetch('/hello/hello.wasm')).then((m) => { performance.mark('ccaip:compiled'); return m }),
  ])
  performance.mark('ccaip:go-start')
  const go = new globalThis.Go()
  const instance = await WebAssembly.instantiate(module, go.importObject)
  go.run(instance)
} catch (err) {
  fail(err)
}
