/**
 * `npm run build:service`: the service and the demo (scripts/start.ts) as one JavaScript file, dist-service/start.js, for
 * plain `node` — what `npm start` runs. Under tsx the same process holds about 45 MB more at idle (tsx's loader thread
 * and every module's source passing through it; docs/performance.md). Packages stay external (node_modules is read
 * as by the sources). Each module's `import.meta.url` is rewritten to its source file's location, relative to the
 * bundle, so that paths found from it (the repository root, the SDK's dist/, the demo's public/) are what they are
 * under tsx, and the tree stays movable.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const OUT_DIR = join(root, 'dist-service');

/** Gives each bundled module its own source location as import.meta.url (esbuild would give them all the bundle's). */
const sourceLocation = {
  name: 'source-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.[cm]?ts$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (!source.includes('import.meta.url')) return undefined;
      const fromBundle = relative(OUT_DIR, args.path).split(sep).join('/');
      return { contents: source.replaceAll('import.meta.url', `new URL(${JSON.stringify(fromBundle)}, import.meta.url).href`), loader: 'ts' };
    });
  },
};

await build({
  entryPoints: { start: join(root, 'scripts/start.ts') },
  outdir: OUT_DIR,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
  plugins: [sourceLocation],
  banner: { js: '// Built by scripts/build-service.mjs from scripts/start.ts (npm run build:service); do not edit.' },
});
