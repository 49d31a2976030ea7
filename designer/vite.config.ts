// Builds the designer (React + @xyflow/react) into designer/dist, which the Tandem server serves
// (server/http/web.ts). Block definitions come straight from ../flows, so the palette, the forms and
// the simulator run the same code as the server.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const here = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  root: here,
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    // No source maps in the build: the server would publish the whole source to anyone (and it
    // refuses to serve .map files anyway, server/http/web.ts). `npm run dev:designer` has its own.
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    // `npx vite --config designer/vite.config.ts` for development, with the API of a running node.
    fs: { allow: [repoRoot] },
    proxy: {
      '/api': process.env.TANDEM_API_URL ?? 'http://127.0.0.1:8080',
      '/socket.io': { target: process.env.TANDEM_API_URL ?? 'http://127.0.0.1:8080', ws: true },
    },
  },
});
