// Webhook secret rotation: while the overlap lasts each webhook carries a signature with each secret, then only the new.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { Webhook } from 'standardwebhooks';
import { repoRoot } from '../../service/config.js';
import { buildTestApp, createCall, fastConfig, startReceiver, waitUntil, type Delivery } from './helper.js';
import { bearer } from './orgs-helper.js';
import { apiKey, webhookConfig } from './webhook-helper.js';

const OPERATOR_API_KEY = 'operator-key-for-the-rotation-tests';
const operator = bearer(OPERATOR_API_KEY);

interface Rotated {
  webhookSecret: string;
  previousSecretValidUntil: string;
}

/** Verifies a received webhook with one secret, as a receiver using the standardwebhooks package does (throws when it does not match). */
function verifyWith(secret: string, d: Delivery): unknown {
  return new Webhook(secret).verify(d.body, {
    'webhook-id': String(d.headers['webhook-id']),
    'webhook-timestamp': String(d.headers['webhook-timestamp']),
    'webhook-signature': String(d.headers['webhook-signature']),
  });
}

const signatures = (d: Delivery) => String(d.headers['webhook-signature']).split(' ');

async function sendTestWebhook(app: FastifyInstance, headers: Record<string, string>, deliveries: Delivery[]): Promise<Delivery> {
  const res = await app.inject({ method: 'POST', url: '/v1/webhooks/test', headers });
  assert.equal(res.statusCode, 200);
  const { webhookId } = res.json<{ webhookId: string }>();
  return deliveries.find((d) => d.headers['webhook-id'] === webhookId)!;
}

test('a rotated webhook secret: both signatures verify during the overlap, only the new one after it', async (t) => {
  const receiver = await startReceiver(t);
  const config = webhookConfig(receiver.url, {}, { OPERATOR_API_KEY });
  const app = await buildTestApp(t, config);
  const oldSecret = config.org.webhookSecret;

  const res = await app.inject({ method: 'POST', url: `/v1/admin/orgs/${config.org.id}/webhook-secret/rotate`, headers: operator, payload: { overlapSeconds: 3600 } });
  assert.equal(res.statusCode, 201);
  assert.equal(res.headers['cache-control'], 'no-store');
  const rotated = res.json<Rotated>();
  assert.match(rotated.webhookSecret, /^whsec_/);
  assert.notEqual(rotated.webhookSecret, oldSecret);
  const shown = await app.inject({ url: `/v1/admin/orgs/${config.org.id}`, headers: operator });
  assert.ok(!shown.body.includes(rotated.webhookSecret), 'the new secret is shown once');
  assert.equal(shown.json<{ previousWebhookSecretValidUntil: string }>().previousWebhookSecretValidUntil, rotated.previousSecretValidUntil);

  // An outbox delivery (a call's call.created) and a test message: both carry two signatures, each verifies.
  const { body } = await createCall(app, config);
  await waitUntil(() => receiver.deliveries.some((d) => d.json.type === 'call.created' && d.json.data.callId === body.call.id), 5000, 'call.created');
  const created = receiver.deliveries.find((d) => d.json.type === 'call.created')!;
  const during = await sendTestWebhook(app, apiKey(config), receiver.deliveries);
  for (const delivery of [created, during]) {
    assert.equal(signatures(delivery).length, 2);
    assert.deepEqual(verifyWith(rotated.webhookSecret, delivery), delivery.json, 'the new secret verifies');
    assert.deepEqual(verifyWith(oldSecret, delivery), delivery.json, 'the old secret still verifies');
  }

  // After the overlap: only the new secret signs. The hour is made to have passed by moving its end into the past
  // (the directory compares it with the clock at each send), rather than by waiting an hour.
  await app.db.updateTable('orgs').set({ webhook_secret_previous_until: new Date(Date.now() - 1000) }).where('id', '=', config.org.id).execute();
  app.orgs.directory.forget(config.org.id);
  const after = await sendTestWebhook(app, apiKey(config), receiver.deliveries);
  assert.equal(signatures(after).length, 1);
  assert.deepEqual(verifyWith(rotated.webhookSecret, after), after.json);
  assert.throws(() => verifyWith(oldSecret, after), /signature/i, 'the old secret no longer verifies');
  const later = await app.inject({ url: `/v1/admin/orgs/${config.org.id}`, headers: operator });
  assert.equal(later.json<{ previousWebhookSecretValidUntil: string | null }>().previousWebhookSecretValidUntil, null);
});

test('rotating again drops the oldest secret; overlap 0 signs with the new one only, at once', async (t) => {
  const receiver = await startReceiver(t);
  const config = webhookConfig(receiver.url, {}, { OPERATOR_API_KEY });
  const app = await buildTestApp(t, config);
  const url = `/v1/admin/orgs/${config.org.id}/webhook-secret/rotate`;
  const first = (await app.inject({ method: 'POST', url, headers: operator, payload: {} })).json<Rotated>();
  const day = new Date(first.previousSecretValidUntil).getTime() - Date.now();
  assert.ok(day > 86_000_000 && day <= 86_400_000, 'a day by default');
  const second = (await app.inject({ method: 'POST', url, headers: operator, payload: { overlapSeconds: 600 } })).json<Rotated>();
  const d = await sendTestWebhook(app, apiKey(config), receiver.deliveries);
  assert.equal(signatures(d).length, 2);
  verifyWith(second.webhookSecret, d);
  verifyWith(first.webhookSecret, d);
  assert.throws(() => verifyWith(config.org.webhookSecret, d), /signature/i, 'the secret before the first rotation is gone');

  const third = (await app.inject({ method: 'POST', url, headers: operator, payload: { overlapSeconds: 0 } })).json<Rotated>();
  const now = await sendTestWebhook(app, apiKey(config), receiver.deliveries);
  assert.equal(signatures(now).length, 1);
  verifyWith(third.webhookSecret, now);
  assert.throws(() => verifyWith(second.webhookSecret, now), /signature/i);

  // A secret set outright (what a changed ORG_WEBHOOK_SECRET does at start) ends an overlap too.
  await app.inject({ method: 'POST', url, headers: operator, payload: { overlapSeconds: 600 } });
  const fromEnv = `whsec_${randomBytes(24).toString('base64')}`;
  await app.orgs.store.updateOrg(config.org.id, { webhookSecret: fromEnv });
  app.orgs.directory.forget(config.org.id);
  const replaced = await sendTestWebhook(app, apiKey(config), receiver.deliveries);
  assert.equal(signatures(replaced).length, 1);
  verifyWith(fromEnv, replaced);
});

test('the rotate route refuses bad input with stable codes, unknown orgs with 404, and callers without the operator key', async (t) => {
  const app = await buildTestApp(t, fastConfig({ OPERATOR_API_KEY }));
  const url = '/v1/admin/orgs/demo/webhook-secret/rotate';
  for (const payload of [{ overlapSeconds: -1 }, { overlapSeconds: 8 * 86400 }, { overlapSeconds: 1.5 }, { overlapSeconds: '60' }, { other: 1 }]) {
    const res = await app.inject({ method: 'POST', url, headers: operator, payload });
    assert.deepEqual([res.statusCode, res.json<{ code: string }>().code], [400, 'invalid_request'], JSON.stringify(payload));
  }
  const unknown = await app.inject({ method: 'POST', url: '/v1/admin/orgs/no-such-org/webhook-secret/rotate', headers: operator, payload: {} });
  assert.deepEqual([unknown.statusCode, unknown.json<{ code: string }>().code], [404, 'org_not_found']);
  const anonymous = await app.inject({ method: 'POST', url, payload: {} });
  assert.equal(anonymous.statusCode, 401);
});

test('`npm run admin -- webhook-secret rotate` prints the new secret once; the service then signs with both', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-rotate-'));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
  const cli = (...args: string[]) => promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/admin.ts', ...args], { cwd: repoRoot, env, timeout: 60_000 });
  const text = await cli('webhook-secret', 'rotate', '--org', 'demo', '--overlap', '600');
  const secret = /^ {2}(whsec_\S+)$/m.exec(text.stdout)?.[1];
  assert.ok(secret, text.stdout);
  assert.match(text.stdout, /Shown once/);
  const shown = await cli('org', 'show', '--org', 'demo');
  assert.ok(!shown.stdout.includes(secret));
  assert.match(shown.stdout, /previous webhook secret signed with too until/);
  await assert.rejects(cli('webhook-secret', 'rotate', '--org', 'demo', '--overlap', 'soon'), /--overlap must be a whole number/);

  const receiver = await startReceiver(t);
  const config = { ...webhookConfig(receiver.url, {}, { DATA_DIR: dataDir }), databaseUrl: null };
  const app = await buildTestApp(t, config);
  const d = await sendTestWebhook(app, apiKey(config), receiver.deliveries);
  verifyWith(secret, d);
  verifyWith(config.org.webhookSecret, d);
});
