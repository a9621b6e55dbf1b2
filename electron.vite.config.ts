import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

const root = dirname(fileURLToPath(import.meta.url));

// Three bundles: main (Node, ESM), preload (sandboxed, so CommonJS), renderer (browser).
export default defineConfig({
  main: {
    build: {
      rolldownOptions: {
        // The download worker (main/infomaniak/direct-worker.mjs) is loaded as a file next to the
        // code that starts it: `new URL('./direct-worker.mjs', import.meta.url)`.
        input: {
          index: resolve(root, 'main/index.ts'),
          'direct-worker': resolve(root, 'main/infomaniak/direct-worker.mjs'),
        },
        output: { entryFileNames: (chunk) => (chunk.name === 'direct-worker' ? '[name].mjs' : '[name].js') },
      },
    },
  },
  preload: {
    build: {
      rolldownOptions: {
        input: { index: resolve(root, 'preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    plugins: [react()],
    build: {
      rolldownOptions: {
        input: { index: resolve(root, 'renderer/index.html') },
      },
    },
  },
});
