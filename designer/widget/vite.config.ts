// Builds the website chat widget into one IIFE file, designer/dist-widget/tandem-chat.js, which the
// Tandem server serves at GET /chat/tandem-chat.js (server/http/widget-asset.ts). No framework: the
// customer's page pays only for our DOM code plus the socket.io client (budget: 50 KB gzipped).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  publicDir: false,
  build: {
    outDir: fileURLToPath(new URL('../dist-widget', import.meta.url)),
    emptyOutDir: true,
    // Never a source map: the widget is loaded by customers' public pages.
    sourcemap: false,
    target: 'es2019',
    lib: {
      entry: fileURLToPath(new URL('./src/main.ts', import.meta.url)),
      name: 'TandemChat',
      formats: ['iife'],
      fileName: () => 'tandem-chat.js',
    },
  },
});
