/** Reads the built browser bundle: which files a host page loads first, which load lazily. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { repoRoot } from '../../service/config.js';

/** The rollup output folder. */
export const DIST = join(repoRoot, 'dist');

/** Files reached from dist/switchboard.js through static imports and re-exports (rollup's output form). */
export function firstLoadFiles(): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = readFileSync(join(DIST, file), 'utf8');
    for (const m of code.matchAll(/(?:import|export)(?:[^"'()]*?from)?\s*["']\.\/([^"']+)["']/g)) {
      visit(join(file, '..', m[1]!));
    }
  };
  visit('switchboard.js');
  return [...seen];
}

/** Every JavaScript file of the bundle, relative to dist/. */
export function allFiles(): string[] {
  return ['switchboard.js', ...readdirSync(join(DIST, 'chunks')).filter((f) => f.endsWith('.js')).map((f) => `chunks/${f}`)];
}

/** Files loaded only when a call opens. */
export function lazyFiles(): string[] {
  const first = new Set(firstLoadFiles());
  return allFiles().filter((f) => !first.has(f));
}

/** Raw and gzip (level 9) bytes of some bundle files. */
export function sizeOf(files: string[]): { raw: number; gzip: number } {
  return files.reduce((acc, f) => {
    const buf = readFileSync(join(DIST, f));
    return { raw: acc.raw + buf.length, gzip: acc.gzip + gzipSync(buf, { level: 9 }).length };
  }, { raw: 0, gzip: 0 });
}

/** The concatenated source of some bundle files. */
export function sourceOf(files: string[]): string {
  return files.map((f) => readFileSync(join(DIST, f), 'utf8')).join('\n');
}
