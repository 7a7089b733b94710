import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { sql } from 'kysely';
import { Webhook } from 'standardwebhooks';
import { ConfigError, loadConfig } from '../../service/config.js';
import { signAgentToken } from '../../service/domain/agent-token.js';
import { OrgDirectory } from '../../service/orgs/org-directory.js';
import { buildTestApp, createCall, fastConfig, goodClaims, sharedApp, startReceiver, waitUntil } from './helper.js';
import { bearer, createOrgCall, makeOrg, orgToken } from './orgs-helper.js';
import { verifySignature, webhookConfig } from './webhook-helper.js';

const shared = sharedApp();

test('the org of the environment is in the database from the first start: one signing key, its API key, its settings', async () => {
  const { config } = shared;
  const org = await shared.app().orgs.admin.getOrg(config.org.id);
  assert.equal(org.name, config.org.name);
  assert.equal(org.webhookUrl, config.org.webhookUrl);
  assert.deepEqual(org.allowedOrigins, []);
  assert.deepEqual([org.linkTtlSeconds, org.ringTimeoutSeconds], [config.linkTtlSeconds, config.ringTimeoutSeconds]);
  assert.equal(org.signingKeys.filter((k) => k.revokedAt === null).length, 1);
  assert.equal(org.apiKeys.length, 1);
  assert.equal(org.apiKeys[0]!.prefix, config.org.apiKey.slice(0, 10));
  const stored = await shared.app().db.selectFrom('org_api_keys').selectAll().execute();
  assert.ok(!JSON.stringify(stored).includes(config.org.apiKey), 'API keys are stored hashed');
});

test('an agent token picks its signing key by kid; without kid it works only while the org has one active key', async () => {
  const app = shared.app();
  const org = await makeOrg(app);
  const post = async (token: string) => (await createOrgCall(app, token)).res;
  assert.equal((await post(await orgToken(org, goodClaims(), false))).statusCode, 201, 'no kid, one key');
  assert.equal((await post(await orgToken(org))).statusCode, 201, 'its kid');

  const rotated = await app.orgs.admin.rotateSigningKey(org.id);
  const next = { ...org, kid: rotated.kid, signingSecret: rotated.secret };
  assert.equal((await post(await orgToken(next))).statusCode, 201, 'the new kid');
  assert.equal((await post(await orgToken(org))).statusCode, 201, 'the old kid, still active');
  const ambiguous = await post(await orgToken(next, goodClaims(), false));
  assert.equal(ambiguous.statusCode, 401);
  assert.match(ambiguous.json<{ message: string }>().message, /"kid" header: the org has several active keys/);
  assert.equal((await post(await orgToken({ ...next, kid: org.kid }))).statusCode, 401, 'a kid with another key\'s secret');

  await app.orgs.admin.revokeSigningKey(org.id, org.kid);
  const revoked = await post(await orgToken(org));
  assert.equal(revoked.statusCode, 401);
  assert.match(revoked.json<{ message: string }>().message, /"kid"/);
  assert.equal((await post(await orgToken(next, goodClaims(), false))).statusCode, 201, 'one active key again: no kid needed');
});

test('an agent token whose iss is no org is 401, whatever it is signed with', async () => {
  const app = shared.app();
  const org = await makeOrg(app);
  const res = await createOrgCall(app, await orgToken({ ...org, id: 'no-such-org' }));
  assert.equal(res.res.statusCode, 401);
  assert.equal(res.res.json<{ code: string }>().code, 'unauthorized');
  const unsigned = await createOrgCall(app, await signAgentToken({ org: { id: org.id, signingSecret: 'a-secret-nobody-registered' } }, goodClaims()));
  assert.equal(unsigned.res.statusCode, 401);
});

test('an API key works for its own org only, stops at once when revoked, and records its last use', async () => {
  const app = shared.app();
  const org = await makeOrg(app);
  const { body } = await createOrgCall(app, await orgToken(org));
  const get = (key: string, id = body.call.id) => app.inject({ url: `/v1/calls/${id}`, headers: bearer(key) });
  assert.equal((await get(org.apiKey)).statusCode, 200);
  const other = await get(shared.config.org.apiKey);
  assert.deepEqual([other.statusCode, other.json<{ code: string }>().code], [404, 'call_not_found'], 'another org\'s key: as if the call did not exist');

  const made = await app.orgs.admin.createApiKey(org.id, 'ci');
  assert.equal((await get(made.key)).statusCode, 200);
  const listed = (await app.orgs.admin.getOrg(org.id)).apiKeys.find((k) => k.id === made.id)!;
  assert.ok(listed.lastUsedAt, 'last use recorded');
  await get(made.key);
  assert.equal((await app.orgs.admin.getOrg(org.id)).apiKeys.find((k) => k.id === made.id)!.lastUsedAt, listed.lastUsedAt, 'not rewritten within the minute');

  await app.orgs.admin.revokeApiKey(org.id, made.id);
  assert.equal((await get(made.key)).statusCode, 401);
  const deliveries = await app.inject({ url: '/v1/webhooks/deliveries', headers: bearer(made.key) });
  assert.equal(deliveries.statusCode, 401);
  assert.equal((await get(org.apiKey)).statusCode, 200, 'the org\'s other key still works');
});

test('last use is written at most once a minute per key', async () => {
  const app = shared.app();
  const org = await makeOrg(app);
  let now = new Date('2030-01-01T00:00:00Z');
  const directory = new OrgDirectory(app.orgs.store, { now: () => now });
  const lastUsed = async () => (await app.orgs.admin.getOrg(org.id)).apiKeys[0]!.lastUsedAt;
  assert.equal(await lastUsed(), null);
  assert.deepEqual(await directory.apiKey(org.apiKey), { orgId: org.id, keyId: org.apiKeyId });
  assert.equal(await lastUsed(), '2030-01-01T00:00:00.000Z');
  now = new Date('2030-01-01T00:00:59Z');
  await directory.apiKey(org.apiKey);
  assert.equal(await lastUsed(), '2030-01-01T00:00:00.000Z');
  now = new Date('2030-01-01T00:01:01Z');
  await directory.apiKey(org.apiKey);
  assert.equal(await lastUsed(), '2030-01-01T00:01:01.000Z');
});

test('each org\'s calls take its link lifetime and ring timeout', async () => {
  const app = shared.app();
  const org = await makeOrg(app, { linkTtlSeconds: 120, ringTimeoutSeconds: 30 });
  const { body } = await createOrgCall(app, await orgToken(org));
  assert.equal(Date.parse(body.call.expiresAt as string) - Date.parse(body.call.createdAt as string), 120_000);
  const envCall = (await createCall(app, shared.config)).body;
  // Both calls rang for 31 s: past the org's 30 s, far from the environment's 600 s.
  await sql`update calls set created_at = now() - interval '31 seconds' where id in (${body.call.id}, ${envCall.call.id})`.execute(app.db);
  await app.calls.sweep();
  assert.deepEqual([(await app.calls.get(body.call.id))?.endReason, (await app.calls.get(envCall.call.id))?.status], ['no_answer', 'created']);
});

test('an org\'s allowed origins: another page\'s origin is refused before anything happens; an allowed one gets itself back', async () => {
  const app = shared.app();
  const org = await makeOrg(app, { allowedOrigins: ['https://helpdesk.example'] });
  const refused = await createOrgCall(app, await orgToken(org), { origin: 'https://evil.example' });
  assert.deepEqual([refused.res.statusCode, refused.res.json<{ code: string }>().code], [403, 'origin_not_allowed']);
  assert.equal((await app.db.selectFrom('calls').select('id').where('org_id', '=', org.id).execute()).length, 0, 'no call made');

  const allowed = await createOrgCall(app, await orgToken(org), { origin: 'https://helpdesk.example' });
  assert.equal(allowed.res.statusCode, 201);
  assert.equal(allowed.res.headers['access-control-allow-origin'], 'https://helpdesk.example');
  assert.match(String(allowed.res.headers.vary), /Origin/);
  const backend = await app.inject({ url: `/v1/calls/${allowed.body.call.id}`, headers: bearer(org.apiKey) });
  assert.equal(backend.statusCode, 200, 'no Origin: a backend, not a page');
  const fromPage = await app.inject({ url: `/v1/calls/${allowed.body.call.id}`, headers: { ...bearer(org.apiKey), origin: 'https://evil.example' } });
  assert.equal(fromPage.statusCode, 403);
  // The client's credentials are used from the hosted join page, the service's own origin.
  const client = await app.inject({ url: `/v1/calls/${allowed.body.call.id}`, headers: { ...bearer(allowed.body.credentials.token), origin: new URL(shared.config.publicUrl).origin } });
  assert.equal(client.statusCode, 200);

  const open = await createCall(app, shared.config);
  const anyOrigin = await app.inject({ url: `/v1/calls/${open.body.call.id}`, headers: { ...bearer(shared.config.org.apiKey), origin: 'https://anywhere.example' } });
  assert.equal(anyOrigin.statusCode, 200, 'an org without origins (the embedded default) answers any page');
  assert.equal(anyOrigin.headers['access-control-allow-origin'], '*');
});

test('each org\'s webhooks go to its own endpoint, signed with its own secret', async (t) => {
  const receiverA = await startReceiver(t);
  const receiverB = await startReceiver(t);
  const config = webhookConfig(receiverA.url);
  const app = await buildTestApp(t, config);
  const orgB = await makeOrg(app, { webhookUrl: receiverB.url });
  const callA = (await createCall(app, config)).body.call.id;
  const callB = (await createOrgCall(app, await orgToken(orgB))).body.call.id;
  await waitUntil(() => receiverA.deliveries.length >= 2 && receiverB.deliveries.length >= 2, 5000, 'both invites');
  assert.deepEqual(new Set(receiverA.deliveries.map((d) => d.json.data.callId)), new Set([callA]));
  assert.deepEqual(new Set(receiverB.deliveries.map((d) => d.json.data.callId)), new Set([callB]));
  for (const d of receiverA.deliveries) assert.doesNotThrow(() => verifySignature(config, d));
  const webhookB = new Webhook(orgB.webhookSecret);
  for (const d of receiverB.deliveries) {
    assert.doesNotThrow(() => webhookB.verify(d.body, { 'webhook-id': String(d.headers['webhook-id']), 'webhook-timestamp': String(d.headers['webhook-timestamp']), 'webhook-signature': String(d.headers['webhook-signature']) }));
  }
});

test('an org without a webhook URL keeps its deliveries pending with the reason, and they go once it has one', async (t) => {
  const receiver = await startReceiver(t);
  const config = webhookConfig(receiver.url, { retryScheduleMs: [50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50] });
  const app = await buildTestApp(t, config);
  const org = await makeOrg(app);
  const callId = (await createOrgCall(app, await orgToken(org))).body.call.id;
  const head = () => app.db.selectFrom('webhook_deliveries').selectAll().where('call_id', '=', callId).orderBy('seq').executeTakeFirstOrThrow();
  await waitUntil(async () => (await head()).attempts >= 1, 3000, 'an attempt');
  assert.equal((await head()).last_error, 'the org has no webhook URL');
  await app.orgs.admin.updateOrg(org.id, { webhookUrl: receiver.url });
  app.orgs.directory.forget(org.id);
  await waitUntil(() => receiver.deliveries.some((d) => d.json.data.callId === callId && d.json.type === 'call.invite'), 5000, 'the invite');
});

test('a restart applies ORG_* values that changed; values changed in the database stay while their variable does not; a revoked key stays revoked', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-orgs-'));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  const first = fastConfig({ DATA_DIR: dataDir, ORG_WEBHOOK_URL: 'http://127.0.0.1:1/one' });
  let app = await buildTestApp(t, first);
  await app.orgs.admin.updateOrg(first.org.id, { allowedOrigins: ['https://helpdesk.example'] });
  await app.close();

  const second = fastConfig({ DATA_DIR: dataDir, ORG_WEBHOOK_URL: 'http://127.0.0.1:1/two', ORG_SIGNING_SECRET: 'a-new-signing-secret-of-the-env-org' });
  app = await buildTestApp(t, second);
  let org = await app.orgs.admin.getOrg(second.org.id);
  assert.equal(org.webhookUrl, 'http://127.0.0.1:1/two', 'the changed variable applied');
  assert.deepEqual(org.allowedOrigins, ['https://helpdesk.example'], 'the database\'s change kept');
  assert.equal(org.signingKeys.filter((k) => k.revokedAt === null).length, 1, 'the new secret replaced the old key');
  assert.equal((await createCall(app, second)).res.statusCode, 201, 'tokens signed with the new secret (no kid) work');
  assert.equal((await createCall(app, first)).res.statusCode, 401, 'the old secret is refused');
  await app.orgs.admin.revokeApiKey(second.org.id, org.apiKeys[0]!.id);
  await app.close();

  app = await buildTestApp(t, second);
  org = await app.orgs.admin.getOrg(second.org.id);
  assert.ok(org.apiKeys[0]!.revokedAt, 'a key revoked in the database stays revoked across a restart');
  assert.equal((await app.inject({ url: '/v1/webhooks/deliveries', headers: bearer(second.org.apiKey) })).statusCode, 401);
});

test('ORG_ALLOWED_ORIGINS takes origins only and OPERATOR_API_KEY at least 16 characters; a bad value names its variable', () => {
  const env = { DATA_DIR: 'memory://' };
  assert.deepEqual(loadConfig({ ...env, ORG_ALLOWED_ORIGINS: 'https://a.example, http://127.0.0.1:3002' }).org.allowedOrigins, ['https://a.example', 'http://127.0.0.1:3002']);
  assert.deepEqual(loadConfig(env).org.allowedOrigins, []);
  assert.equal(loadConfig(env).operatorApiKey, null);
  for (const [variable, value] of [['ORG_ALLOWED_ORIGINS', 'https://a.example/path'], ['ORG_ALLOWED_ORIGINS', 'a.example'], ['OPERATOR_API_KEY', 'short']]) {
    assert.throws(() => loadConfig({ ...env, [variable!]: value! }), (err: unknown) => err instanceof ConfigError && err.variable === variable);
  }
});
