import { defineConfig } from 'vite';

// The dashboard sink serves dist/ at "/" and the same index.html at /s/<token>, so assets use
// absolute paths. During development, API calls go to a running meterd.
export default defineConfig({
  base: '/',
  build: {
    target: 'es2020',
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    sourcemap: false,
  },
  server: {
    proxy: {
      '/api': process.env.METERD_URL ?? 'http://127.0.0.1:8081',
      '^/s/[^/]+/api': process.env.METERD_URL ?? 'http://127.0.0.1:8081',
    },
  },
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
  },
} as never);
