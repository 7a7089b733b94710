/**
 * The browser bundle's shape (deterministic, so checked here; timings live in `npm run bench`):
 * the first load registers <call-button> and stays small; <call-room> and the media engine
 * are in chunks that load only when a call opens.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { repoRoot } from '../../service/config.js';

const DIST = join(repoRoot, 'dist');
/** Budget for everything a host page downloads before a call starts. */
const FIRST_LOAD_GZIP_BUDGET_BYTES = 20 * 1024;

/** Files reached from dist/switchboard.js through static imports only. */
function firstLoadFiles(): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = readFileSync(join(DIST, file), 'utf8');
    for (const m of code.matchAll(/import(?:[^"'()]*?from)?\s*["']\.\/([^"']+)["']/g)) {
      visit(join(file, '..', m[1]!));
    }
  };
  visit('switchboard.js');
  return [...seen];
}

test('npm run build wrote dist/switchboard.js', () => {
  assert.ok(existsSync(join(DIST, 'switchboard.js')), 'run `npm run build` first');
});

test('the first load holds no WebRTC, screen capture or audio code', () => {
  const code = firstLoadFiles().map((f) => readFileSync(join(DIST, f), 'utf8')).join('\n');
  for (const api of ['RTCPeerConnection', 'getDisplayMedia', 'AudioContext', 'getUserMedia']) {
    assert.equal(code.includes(api), false, `${api} is in the first load`);
  }
  assert.ok(code.includes('call-button'), 'the first load registers <call-button>');
});

test(`the first load stays under ${FIRST_LOAD_GZIP_BUDGET_BYTES} bytes gzip`, () => {
  const gzip = firstLoadFiles().reduce((n, f) => n + gzipSync(readFileSync(join(DIST, f)), { level: 9 }).length, 0);
  assert.ok(gzip <= FIRST_LOAD_GZIP_BUDGET_BYTES, `first load is ${gzip} bytes gzip`);
});

test('<call-room> and the media engine are in a lazily loaded chunk', () => {
  const first = new Set(firstLoadFiles());
  const lazy = readdirSync(join(DIST, 'chunks')).filter((f) => f.endsWith('.js')).map((f) => `chunks/${f}`).filter((f) => !first.has(f));
  const code = lazy.map((f) => readFileSync(join(DIST, f), 'utf8')).join('\n');
  assert.ok(code.includes('call-room'), 'call-room is lazy');
  assert.ok(code.includes('RTCPeerConnection'), 'the media engine is lazy');
});
