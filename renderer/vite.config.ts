// Builds the UI the core serves from renderer/dist. Relative asset URLs (base './') keep the build
// usable from any mount point; no plugins: Vite compiles TSX with React's automatic runtime itself.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Every supported browser (and Electron's Chromium) has modulepreload; skip the polyfill code.
    modulePreload: { polyfill: false },
    sourcemap: true,
  },
});
