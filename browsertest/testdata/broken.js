// broken.js: a page that must make the harness fail. mode=throw throws from
// a script, mode=assert fails an assertion, mode=hang never finishes.
import { run, check, params } from './lib.js'

const mode = params.get('mode')
if (mode === 'throw') {
  setTimeout(() => { throw new Error('deliberate uncaught error') }, 0)
} else if (mode === 'assert') {
  run(async () => { check(1 + 1 === 3, 'deliberately false') })
} else if (mode === 'inline') {
  // An inline script is blocked by the strict CSP: the violation fails the page.
  const s = document.createElement('script')
  s.textContent = 'window.__inlineRan = true'
  document.head.appendChild(s)
}
// mode=hang: nothing
