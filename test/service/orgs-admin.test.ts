import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildTestApp, fastConfig, goodClaims, sharedApp } from './helper.js';
import { bearer, createOrgCall, orgToken } from './orgs-helper.js';

const OPERATOR_API_KEY = 'operator-key-for-the-admin-tests';
const shared = sharedApp(fastConfig({ OPERATOR_API_KEY }));
const operator = bearer(OPERATOR_API_KEY);

interface NewOrgBody {
  org: { id: string; name: string; webhookUrl: string | null; allowedOrigins: string[]; linkTtlSeconds: number; apiKeys: { id: string }[]; signingKeys: { kid: string }[] };
  signingKey: { kid: string; secret: string };
  apiKey: { id: string; key: string; prefix: string };
  webhookSecret: string;
}

test('without OPERATOR_API_KEY the admin routes do not exist (404), and are not documented', async (t) => {
  const app = await buildTestApp(t, fastConfig());
  for (const [method, url] of [['GET', '/v1/admin/orgs'], ['POST', '/v1/admin/orgs'], ['POST', '/v1/admin/orgs/demo/signing-keys']] as const) {
    const res = await app.inject({ method, url, headers: bearer('anything-at-all-here'), payload: { name: 'x' } });
    assert.deepEqual([res.statusCode, res.json<{ code: string }>().code], [404, 'not_found'], url);
  }
  const doc = (await app.inject({ url: '/openapi.json' })).json<{ paths: Record<string, unknown> }>();
  assert.ok(!Object.keys(doc.paths).some((p) => p.startsWith('/v1/admin')));
});

test('with OPERATOR_API_KEY the admin routes are in the OpenAPI document, behind the operator key', async () => {
  const doc = (await shared.app().inject({ url: '/openapi.json' })).json<{ paths: Record<string, Record<string, { security?: unknown[] }>> }>();
  assert.deepEqual(doc.paths['/v1/admin/orgs']?.post?.security, [{ operatorKey: [] }]);
  assert.ok(doc.paths['/v1/admin/orgs/{orgId}/signing-keys/{kid}/revoke']?.post);
});

test('the admin routes want the operator key: none, a wrong one, or an org\'s API key is 401', async () => {
  const app = shared.app();
  for (const headers of [{}, bearer('not-the-operator-key-at-all'), bearer(shared.config.org.apiKey)]) {
    const res = await app.inject({ url: '/v1/admin/orgs', headers });
    assert.deepEqual([res.statusCode, res.json<{ code: string }>().code], [401, 'unauthorized']);
  }
});

test('POST /v1/admin/orgs makes an org and shows its secrets once; listings never show them; its keys work at once', async () => {
  const app = shared.app();
  const res = await app.inject({
    method: 'POST', url: '/v1/admin/orgs', headers: operator,
    payload: { name: 'Acme Support', webhookUrl: 'https://hooks.acme.example/switchboard', allowedOrigins: ['https://desk.acme.example'], linkTtlSeconds: 3600 },
  });
  assert.equal(res.statusCode, 201);
  assert.equal(res.headers['cache-control'], 'no-store');
  const made = res.json<NewOrgBody>();
  assert.match(made.org.id, /^org_/);
  assert.deepEqual([made.org.name, made.org.webhookUrl, made.org.allowedOrigins, made.org.linkTtlSeconds],
    ['Acme Support', 'https://hooks.acme.example/switchboard', ['https://desk.acme.example'], 3600]);
  assert.match(made.apiKey.key, /^sk_/);
  assert.equal(made.apiKey.prefix, made.apiKey.key.slice(0, 10));
  assert.match(made.webhookSecret, /^whsec_/);

  const listed = await app.inject({ url: '/v1/admin/orgs', headers: operator });
  const one = await app.inject({ url: `/v1/admin/orgs/${made.org.id}`, headers: operator });
  for (const body of [listed.body, one.body]) {
    for (const secret of [made.apiKey.key, made.signingKey.secret, made.webhookSecret]) assert.ok(!body.includes(secret), 'no secret after creation');
  }
  assert.ok(listed.json<{ orgs: { id: string }[] }>().orgs.some((o) => o.id === made.org.id));

  const org = { id: made.org.id, kid: made.signingKey.kid, signingSecret: made.signingKey.secret };
  const call = await createOrgCall(app, await orgToken(org), { origin: 'https://desk.acme.example' });
  assert.equal(call.res.statusCode, 201);
  assert.equal((await app.inject({ url: `/v1/calls/${call.body.call.id}`, headers: bearer(made.apiKey.key) })).statusCode, 200);
});

test('admin routes change an org, add and revoke keys, rotate signing keys; each change holds at once', async () => {
  const app = shared.app();
  const made = (await app.inject({ method: 'POST', url: '/v1/admin/orgs', headers: operator, payload: { name: 'Rotating', id: 'rotating-org' } })).json<NewOrgBody>();
  const base = `/v1/admin/orgs/${made.org.id}`;
  const org = { id: made.org.id, kid: made.signingKey.kid, signingSecret: made.signingKey.secret };

  const patched = await app.inject({ method: 'PATCH', url: base, headers: operator, payload: { allowedOrigins: ['https://new.example'], webhookUrl: null } });
  assert.equal(patched.statusCode, 200);
  assert.deepEqual(patched.json<NewOrgBody['org']>().allowedOrigins, ['https://new.example']);
  const refused = await createOrgCall(app, await orgToken(org), { origin: 'https://old.example' });
  assert.equal(refused.res.statusCode, 403, 'the new origins apply at once on this instance');

  const rotated = await app.inject({ method: 'POST', url: `${base}/signing-keys`, headers: operator });
  assert.equal(rotated.statusCode, 201);
  const next = rotated.json<{ kid: string; secret: string; revokedAt: null }>();
  assert.equal((await createOrgCall(app, await orgToken({ ...org, kid: next.kid, signingSecret: next.secret }, goodClaims()))).res.statusCode, 201);
  const revoked = await app.inject({ method: 'POST', url: `${base}/signing-keys/${org.kid}/revoke`, headers: operator });
  assert.equal(revoked.statusCode, 200);
  assert.ok(revoked.json<{ revokedAt: string | null }>().revokedAt);
  assert.equal((await createOrgCall(app, await orgToken(org))).res.statusCode, 401);

  const key = await app.inject({ method: 'POST', url: `${base}/api-keys`, headers: operator, payload: { name: 'reporting' } });
  assert.equal(key.statusCode, 201);
  const { id, key: secret } = key.json<{ id: string; key: string }>();
  assert.equal((await app.inject({ url: '/v1/webhooks/deliveries', headers: bearer(secret) })).statusCode, 200);
  assert.equal((await app.inject({ method: 'POST', url: `${base}/api-keys/${id}/revoke`, headers: operator })).statusCode, 200);
  assert.equal((await app.inject({ url: '/v1/webhooks/deliveries', headers: bearer(secret) })).statusCode, 401);
});

test('admin errors: unknown org or key 404, a taken id 409, a bad origin or URL 400; no CORS on admin routes', async () => {
  const app = shared.app();
  const cases: [string, string, object | undefined, number, string][] = [
    ['GET', '/v1/admin/orgs/no-such-org', undefined, 404, 'org_not_found'],
    ['POST', '/v1/admin/orgs/no-such-org/signing-keys', undefined, 404, 'org_not_found'],
    ['POST', `/v1/admin/orgs/${shared.config.org.id}/api-keys/key_nope/revoke`, undefined, 404, 'api_key_not_found'],
    ['POST', `/v1/admin/orgs/${shared.config.org.id}/signing-keys/kid_nope/revoke`, undefined, 404, 'signing_key_not_found'],
    ['POST', '/v1/admin/orgs', { name: 'Again', id: shared.config.org.id }, 409, 'org_exists'],
    ['POST', '/v1/admin/orgs', { name: 'Bad', allowedOrigins: ['https://x.example/path'] }, 400, 'invalid_request'],
    ['POST', '/v1/admin/orgs', { name: 'Bad', webhookUrl: 'ftp://x.example' }, 400, 'invalid_request'],
    ['POST', '/v1/admin/orgs', { name: 'Bad', linkTtlSeconds: 5 }, 400, 'invalid_request'],
    ['PATCH', `/v1/admin/orgs/${shared.config.org.id}`, {}, 400, 'invalid_request'],
  ];
  for (const [method, url, payload, status, code] of cases) {
    const res = await app.inject({ method: method as 'GET', url, headers: { ...operator, origin: 'https://page.example' }, ...(payload ? { payload } : {}) });
    assert.deepEqual([res.statusCode, res.json<{ code: string }>().code], [status, code], `${method} ${url}`);
    assert.equal(res.headers['access-control-allow-origin'], undefined, 'no page may call the admin routes');
  }
});
