// The Vue example: `node examples/vue/server.mjs` while `npm start` runs (see README.md).
// No build step: the page imports `vue` through an import map pointing at Vue's browser build.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { startHostBackend } from '../host-backend.mjs';

const vue = readFileSync(createRequire(import.meta.url).resolve('vue/dist/vue.esm-browser.prod.js'));
startHostBackend({ root: import.meta.dirname, files: { '/vendor/vue.esm-browser.prod.js': { type: 'text/javascript', body: vue } } });
