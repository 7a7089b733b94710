// The hosted join page preloads the call's chunks named by the build's dist/preload.json.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readJoinPagePreloads } from '../../service/routes/join-page-preload.js';
import { buildTestApp, createCall, fastConfig } from './helper.js';

const MANIFEST = { entry: ['switchboard.js', 'chunks/define-A1.js'], callRoom: ['chunks/define-call-room-B2.js'], livekit: ['chunks/livekit-session-C3.js'] };

function sdkDirWith(manifest: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'sb-sdk-'));
  writeFileSync(join(dir, 'preload.json'), typeof manifest === 'string' ? manifest : JSON.stringify(manifest));
  return dir;
}

test('the preloads are the first load and <call-room>, plus the LiveKit chunk in LiveKit mode', () => {
  const dir = sdkDirWith(MANIFEST);
  assert.deepEqual(readJoinPagePreloads(dir, false), ['/sdk/switchboard.js', '/sdk/chunks/define-A1.js', '/sdk/chunks/define-call-room-B2.js']);
  assert.deepEqual(readJoinPagePreloads(dir, true), ['/sdk/switchboard.js', '/sdk/chunks/define-A1.js', '/sdk/chunks/define-call-room-B2.js', '/sdk/chunks/livekit-session-C3.js']);
});

test('a missing or malformed manifest gives no preloads (null), never a path outside the bundle', () => {
  assert.equal(readJoinPagePreloads(mkdtempSync(join(tmpdir(), 'sb-sdk-')), false), null);
  assert.equal(readJoinPagePreloads(sdkDirWith('{not json'), false), null);
  assert.equal(readJoinPagePreloads(sdkDirWith({ ...MANIFEST, callRoom: 'chunks/x.js' }), false), null);
  assert.equal(readJoinPagePreloads(sdkDirWith({ ...MANIFEST, callRoom: ['../secrets.js'] }), false), null);
  assert.equal(readJoinPagePreloads(sdkDirWith({ ...MANIFEST, callRoom: ['https://evil.example/x.js'] }), false), null);
  assert.equal(readJoinPagePreloads(sdkDirWith({ ...MANIFEST, callRoom: ['"><script>.js'] }), false), null);
});

test('GET /join/:callId links every preload as a modulepreload in its head', async (t) => {
  const config = { ...fastConfig(), sdkDir: sdkDirWith(MANIFEST) };
  const app = await buildTestApp(t, config);
  const { body } = await createCall(app, config);
  const res = await app.inject({ url: `/join/${body.call.id}` });
  assert.equal(res.statusCode, 200);
  const head = res.body.slice(0, res.body.indexOf('</head>'));
  const preloads = [...head.matchAll(/<link rel="modulepreload" href="([^"]+)">/g)].map((m) => m[1]);
  assert.deepEqual(preloads, ['/sdk/switchboard.js', '/sdk/chunks/define-A1.js', '/sdk/chunks/define-call-room-B2.js'], 'direct mode: no LiveKit chunk');
});
