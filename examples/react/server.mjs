// The React example: `node examples/react/server.mjs` while `npm start` runs (see README.md).
// React publishes CommonJS only, so the page's code is bundled (esbuild, as Vite would) at start.
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { startHostBackend } from '../host-backend.mjs';

const bundle = await build({
  entryPoints: [fileURLToPath(new URL('./src/main.jsx', import.meta.url))],
  bundle: true,
  format: 'esm',
  jsx: 'automatic',
  minify: true,
  define: { 'process.env.NODE_ENV': '"production"' },
  write: false,
});
startHostBackend({ root: import.meta.dirname, files: { '/app.js': { type: 'text/javascript', body: bundle.outputFiles[0].contents } } });
