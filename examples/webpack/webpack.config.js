import { copyFileSync, mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const here = (p) => fileURLToPath(new URL(p, import.meta.url))

// The page is static; webpack emits main.js, the wasm_exec.js chunk and
// ccaip.wasm (found through new URL(…, import.meta.url)) with content hashes.
export default {
  mode: 'production',
  context: here('.'),
  entry: './main.js',
  output: {
    path: here('./dist'),
    filename: 'main.js',
    chunkFilename: '[contenthash].js',
    assetModuleFilename: '[contenthash][ext]',
    publicPath: 'auto',
    clean: true,
  },
  performance: { hints: false },
  plugins: [{
    apply: (compiler) => compiler.hooks.afterEmit.tap('page', () => {
      mkdirSync(here('./dist'), { recursive: true })
      copyFileSync(here('./index.html'), here('./dist/index.html'))
    }),
  }],
}
