// esbuild bundles the app (wasm_exec.js becomes a chunk) but does not
// rewrite new URL('./ccaip.wasm', import.meta.url): the wasm is copied next
// to the bundle, where the loader's import.meta.url finds it.
import { build } from 'esbuild'
import { copyFileSync, mkdirSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

const here = (p) => fileURLToPath(new URL(p, import.meta.url))
const require = createRequire(import.meta.url)

rmSync(here('./dist'), { recursive: true, force: true })
mkdirSync(here('./dist'))
await build({
  entryPoints: [here('./main.js')],
  bundle: true, minify: true, format: 'esm', splitting: true,
  entryNames: '[name]', chunkNames: '[name]-[hash]',
  outdir: here('./dist'),
})
copyFileSync(require.resolve('@ccaip/headless/ccaip.wasm'), here('./dist/ccaip.wasm'))
copyFileSync(here('./index.html'), here('./dist/index.html'))
