// Bundles the comparison page (DuckDB-WASM needs a bundler) into dist/, served by
// www/serve.mjs at /bench-compare/. The audience-lab package is loaded at run time from
// /pkg/ exactly as a portal would, not bundled.
import { defineConfig } from 'vite';

export default defineConfig({
  base: './',
  build: { target: 'es2022', outDir: 'dist', emptyOutDir: true, assetsInlineLimit: 0, chunkSizeWarningLimit: 100_000 },
  worker: { format: 'es' },
  server: { fs: { allow: ['../../..'] } },
});
