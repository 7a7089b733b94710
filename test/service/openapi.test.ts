import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildApp } from '../../service/app.js';
import { loadConfig } from '../../service/config.js';

test('GET /openapi.json documents every REST route with its request and response schemas', async (t) => {
  const app = await buildApp(loadConfig({ DATA_DIR: 'memory://', LOG_LEVEL: 'silent' }));
  t.after(() => app.close());
  const res = await app.inject({ url: '/openapi.json' });
  assert.equal(res.statusCode, 200);
  const doc = res.json<{ openapi: string; paths: Record<string, Record<string, { requestBody?: unknown; responses: Record<string, unknown> }>> }>();
  assert.match(doc.openapi, /^3\./);
  const expected = [
    ['post', '/v1/calls'], ['get', '/v1/calls/{id}'], ['post', '/v1/calls/{id}/end'], ['post', '/v1/calls/{id}/events'],
    ['post', '/v1/join'], ['get', '/healthz'],
  ] as const;
  for (const [method, path] of expected) {
    const op = doc.paths[path]?.[method];
    assert.ok(op, `${method.toUpperCase()} ${path} is documented`);
    const codes = Object.keys(op.responses);
    assert.ok(codes.some((c) => c.startsWith('2')), `${method.toUpperCase()} ${path} has a success response`);
    if (path !== '/healthz') assert.ok(codes.some((c) => c.startsWith('4')), `${method.toUpperCase()} ${path} documents its errors`);
    if (method === 'post' && path !== '/v1/calls/{id}/end') assert.ok(op.requestBody, `${path} documents its body`);
  }
  assert.equal(doc.paths['/openapi.json'], undefined);
});
