/**
 * `npm start` runs the service compiled (scripts/build-service.mjs → dist-service/start.js on plain node): the service,
 * its SDK bundle and API docs, and the demo with its pages, all found from the bundle as they are from the sources.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../../service/config.js';
import { startStack } from '../support/stack.js';

test('dist-service/start.js runs on plain node (no tsx) and serves the API, /sdk/, /docs and the demo', async (t) => {
  const stack = await startStack({ compiled: true, env: { LOG_LEVEL: 'warn' } });
  t.after(() => stack.stop());
  assert.match(stack.output(), /Switchboard is running/);
  const ok = async (url: string, type: RegExp) => {
    const res = await fetch(url);
    assert.equal(res.status, 200, url);
    assert.match(res.headers.get('content-type') ?? '', type, url);
    return res.text();
  };
  assert.deepEqual(JSON.parse(await ok(`${stack.serviceUrl}/healthz`, /json/)), { status: 'ok' });
  const sdk = await ok(`${stack.serviceUrl}/sdk/switchboard.js`, /javascript/);
  assert.equal(sdk, readFileSync(join(repoRoot, 'dist', 'switchboard.js'), 'utf8'), 'the SDK folder is the repository\'s dist/');
  await ok(`${stack.serviceUrl}/openapi.json`, /json/);
  assert.match(await ok(`${stack.demoUrl}/`, /html/), /<html/i, 'the demo finds demo/public from the bundle');
  const refused = await fetch(`${stack.serviceUrl}/v1/calls`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  assert.equal(refused.status, 401);

});
