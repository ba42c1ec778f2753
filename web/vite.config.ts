// The console UI: plain TypeScript modules, bundled by Vite into web/dist (served by `voc serve`).
// No CDN, no remote fonts: everything the page needs is in the bundle, so it works offline.
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', sourcemap: false },
  server: { proxy: { '/api': 'http://127.0.0.1:8080', '/admin': 'http://127.0.0.1:8080' } },
});
