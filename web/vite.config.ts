// Vite config for the admin console: root web/, output web/dist (served as static files by the box).
// Run from the repo root: npx vite build --config web/vite.config.ts
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));
const backend = process.env.CCBOX_DEV_BACKEND ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // The console, and the click-to-call SDK's call bar (served as /sdk/frame).
    rollupOptions: { input: { index: fileURLToPath(new URL('./index.html', import.meta.url)), workbench: fileURLToPath(new URL('./workbench.html', import.meta.url)) } },
  },
  server: {
    proxy: {
      '/api': { target: backend, changeOrigin: false },
      '/healthz': { target: backend, changeOrigin: false },
    },
  },
});
