// Bytes of the SDK's first load against what loads lazily when a call opens.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DIST, firstLoadFiles, lazyFiles, sizeOf } from '../support/bundle.js';

/** Prints the bundle figures (dist/ must be built). */
export function bundleFigures(): void {
  if (!existsSync(join(DIST, 'switchboard.js'))) {
    console.log('bundle: dist/ is missing, run `npm run build` first');
    return;
  }
  const first = firstLoadFiles();
  const lazy = lazyFiles();
  const [f, l] = [sizeOf(first), sizeOf(lazy)];
  console.log(`bundle first load (${first.length} file(s)): ${f.raw} B raw, ${f.gzip} B gzip`);
  console.log(`bundle lazy on call open (${lazy.length} file(s)): ${l.raw} B raw, ${l.gzip} B gzip`);
}
