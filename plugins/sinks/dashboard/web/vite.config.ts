import { defineConfig, type Plugin } from 'vite';

// Each script of the dashboard runs nearly all of its code as soon as it is loaded: the page's
// own with the views a page opens on, each other view's when that view is opened. A comment at
// its top asks Chromium (136 and later) to compile all its functions away from the main thread
// as the script comes in, instead of each on the main thread when it is first called, where the
// first chart and the Insights cards waited for that compiling. Other browsers read a comment.
const compileHints: Plugin = {
  name: 'meterd-compile-hints',
  generateBundle(_options, bundle) {
    for (const file of Object.values(bundle)) {
      if (file.type === 'chunk') file.code = `//# allFunctionsCalledOnLoad\n${file.code}`;
    }
  },
};

// The dashboard sink serves dist/ at "/" and the same index.html at /s/<token>, so assets use
// absolute paths. During development, API calls go to a running meterd.
export default defineConfig({
  base: '/',
  plugins: [compileHints],
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
