import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildTestApp, fastConfig } from './helper.js';

test('GET /sdk/* serves the browser bundle from config.sdkDir with CORS for any origin', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-sdk-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'switchboard.js'), 'export const loadCallRoom = async () => {};\n');
  const app = await buildTestApp(t, { ...fastConfig(), sdkDir: dir });
  const res = await app.inject({ url: '/sdk/switchboard.js', headers: { origin: 'https://helpdesk.example' } });
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-type']), /javascript/);
  assert.equal(res.headers['access-control-allow-origin'], '*');
  assert.ok(res.body.includes('loadCallRoom'));
  const missing = await app.inject({ url: '/sdk/nope.js' });
  assert.equal(missing.statusCode, 404);
  assert.equal(missing.json<{ code: string }>().code, 'not_found');
});
