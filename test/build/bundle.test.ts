/**
 * The browser bundle's shape (deterministic, so checked here; timings live in `npm run bench`):
 * the first load registers <call-button> and stays small; <call-room> and the direct media
 * engine are in chunks that load only when a call opens; livekit-client is in a chunk of its
 * own that only a LiveKit-mode call loads.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { DIST, firstLoadFiles, lazyFiles, sizeOf, sourceOf } from '../support/bundle.js';

/** Budget for everything a host page downloads before a call starts. */
const FIRST_LOAD_GZIP_BUDGET_BYTES = 20 * 1024;
/**
 * Budget for everything a direct-mode call downloads (first load included). It was 40 KB until the
 * call gained the pre-join, the devices panel, the quality indicators, Ask to share screen, Copy
 * diagnostics and Send the link again (measured 42,039 bytes gzip then).
 */
const DIRECT_CALL_GZIP_BUDGET_BYTES = 44 * 1024;
/** Chunks a call downloads only when asked: another language than English, the user-agent parser (diagnostics, per-browser fixes). */
const ON_DEMAND_CHUNK = /(^|\/)(fr|bowser)-[\w-]+\.js$/;
/** Budget for each on-demand chunk. */
const ON_DEMAND_CHUNK_GZIP_BUDGET_BYTES = 8 * 1024;
/** Budget for the LiveKit chunk (livekit-client 2.23 is ~140 KB gzip). */
const LIVEKIT_CHUNK_GZIP_BUDGET_BYTES = 170 * 1024;
/** String literals of livekit-client that survive minification (its error name, room states, events). */
const LIVEKIT_CLIENT_MARKERS = ['LiveKitError', 'signalReconnecting', 'audioPlaybackChanged'];

/** Files `entries` download through static imports (what loading them costs), in dist/-relative paths. */
function staticClosure(entries: string[]): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = readFileSync(join(DIST, file), 'utf8');
    for (const m of code.matchAll(/(?:import|export)(?:[^"'()]*?from)?\s*["']\.\/([^"']+)["']/g)) visit(posix.join(posix.dirname(file), m[1]!));
  };
  entries.forEach(visit);
  return [...seen];
}

/** Chunks that `files` load with a dynamic import(), minus `files` themselves. */
function dynamicImportsOf(files: string[]): string[] {
  const found = new Set<string>();
  for (const file of files) {
    const code = readFileSync(join(DIST, file), 'utf8');
    for (const m of code.matchAll(/import\(\s*["']\.\/([^"']+)["']\s*\)/g)) found.add(posix.join(posix.dirname(file), m[1]!));
  }
  return [...found].filter((f) => !files.includes(f));
}

/** What a direct-mode call loads: the first load, then <call-room>'s chunk (the direct engine is in it). */
function directCallFiles(): string[] {
  const first = firstLoadFiles();
  return staticClosure([...first, ...dynamicImportsOf(first).filter((f) => !ON_DEMAND_CHUNK.test(f))]);
}

/** What only a LiveKit-mode call loads on top of a direct one. */
function livekitOnlyFiles(): string[] {
  const direct = directCallFiles();
  return staticClosure(dynamicImportsOf(direct)).filter((f) => !direct.includes(f) && !ON_DEMAND_CHUNK.test(f));
}

/** The chunks loaded only when asked for. */
function onDemandFiles(): string[] {
  return [...new Set(dynamicImportsOf([...directCallFiles(), ...livekitOnlyFiles()]))].filter((f) => ON_DEMAND_CHUNK.test(f));
}

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

test('the first load and a direct-mode call hold no livekit-client code', () => {
  for (const [what, files] of [['first load', firstLoadFiles()], ['direct-mode call', directCallFiles()]] as const) {
    const code = sourceOf(files);
    for (const marker of LIVEKIT_CLIENT_MARKERS) assert.equal(code.includes(marker), false, `${marker} (livekit-client) is in the ${what}`);
  }
});

test('livekit-client is in a chunk that only a LiveKit-mode call loads', () => {
  const files = livekitOnlyFiles();
  assert.ok(files.length > 0, 'no chunk beyond a direct-mode call');
  const code = sourceOf(files);
  for (const marker of LIVEKIT_CLIENT_MARKERS) assert.ok(code.includes(marker), `${marker} (livekit-client) is not in the LiveKit chunk`);
  assert.ok(files.some((f) => /livekit-session-[\w-]+\.js$/.test(f)), `the LiveKit chunk is named after livekit-session: ${files.join(', ')}`);
});

test(`a direct-mode call downloads under ${DIRECT_CALL_GZIP_BUDGET_BYTES} bytes gzip, the LiveKit chunk under ${LIVEKIT_CHUNK_GZIP_BUDGET_BYTES}`, () => {
  const direct = sizeOf(directCallFiles()).gzip;
  const livekit = sizeOf(livekitOnlyFiles()).gzip;
  assert.ok(direct <= DIRECT_CALL_GZIP_BUDGET_BYTES, `a direct-mode call is ${direct} bytes gzip`);
  assert.ok(livekit <= LIVEKIT_CHUNK_GZIP_BUDGET_BYTES, `the LiveKit chunk is ${livekit} bytes gzip`);
});

test(`French and the user-agent parser are separate chunks loaded on demand, each under ${ON_DEMAND_CHUNK_GZIP_BUDGET_BYTES} bytes gzip`, () => {
  const files = onDemandFiles();
  assert.deepEqual(files.map((f) => /(fr|bowser)-/.exec(f)?.[1]).sort(), ['bowser', 'fr']);
  for (const file of files) assert.ok(sizeOf([file]).gzip <= ON_DEMAND_CHUNK_GZIP_BUDGET_BYTES, `${file} is ${sizeOf([file]).gzip} bytes gzip`);
  // An English page never downloads French: the first load holds no French string.
  assert.equal(sourceOf(firstLoadFiles()).includes('Appeler'), false, 'French is in the first load');
});

test('dist/preload.json names the first load, the direct-mode call and the LiveKit chunk, as the bundle holds them', () => {
  const manifest = JSON.parse(readFileSync(join(DIST, 'preload.json'), 'utf8')) as { entry: string[]; callRoom: string[]; livekit: string[] };
  const sorted = (files: string[]) => [...files].sort();
  assert.deepEqual(sorted(manifest.entry), sorted(firstLoadFiles()));
  assert.deepEqual(sorted([...manifest.entry, ...manifest.callRoom]), sorted(directCallFiles()));
  assert.deepEqual(sorted(manifest.livekit), sorted(livekitOnlyFiles()));
});
