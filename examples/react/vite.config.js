import { defineConfig } from 'vite'

export default defineConfig({
  base: './',
  build: { outDir: 'dist', emptyOutDir: true },
  // Pre-bundling would move the loader away from its ccaip.wasm (dev server only).
  optimizeDeps: { exclude: ['@ccaip/headless'] },
})
