/**
 * The browser bundle's shape (deterministic, so checked here; timings live in `npm run bench`):
 * the first load registers <call-button> and stays small; <call-room> and the media engine
 * are in chunks that load only when a call opens.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DIST, firstLoadFiles, lazyFiles, sizeOf, sourceOf } from '../support/bundle.js';

/** Budget for everything a host page downloads before a call starts. */
const FIRST_LOAD_GZIP_BUDGET_BYTES = 20 * 1024;

test('npm run build wrote dist/switchboard.js', () => {
  assert.ok(existsSync(join(DIST, 'switchboard.js')), 'run `npm run build` first');
});

test('the first load registers <call-button> and holds no WebRTC, screen capture or audio code', () => {
  const code = sourceOf(firstLoadFiles());
  assert.ok(code.includes('call-button'), 'the first load registers <call-button>');
  for (const api of ['RTCPeerConnection', 'getDisplayMedia', 'AudioContext', 'getUserMedia']) {
    assert.equal(code.includes(api), false, `${api} is in the first load`);
  }
});

test(`the first load stays under ${FIRST_LOAD_GZIP_BUDGET_BYTES} bytes gzip`, () => {
  const { gzip } = sizeOf(firstLoadFiles());
  assert.ok(gzip <= FIRST_LOAD_GZIP_BUDGET_BYTES, `first load is ${gzip} bytes gzip`);
});

test('<call-room> and the media engine are in a lazily loaded chunk', () => {
  const code = sourceOf(lazyFiles());
  assert.ok(code.includes('call-room'), 'call-room is lazy');
  assert.ok(code.includes('RTCPeerConnection'), 'the media engine is lazy');
});
