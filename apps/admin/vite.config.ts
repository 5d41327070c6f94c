import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/** The server `pnpm start` runs; `pnpm --filter @metalyard/admin dev` proxies the API to it. */
const API_SERVER = process.env.METALYARD_API_URL ?? 'http://127.0.0.1:5240';

export default defineConfig({
  plugins: [react()],
  // No source maps: the server would refuse them anyway, and they would publish the app's sources.
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false },
  server: {
    proxy: {
      '/trpc': API_SERVER,
      '/healthz': API_SERVER,
    },
  },
});
