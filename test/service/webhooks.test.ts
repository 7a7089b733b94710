import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { test } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { buildApp } from '../../service/app.js';
import type { Config } from '../../service/config.js';
import { buildTestApp, createCall, fastConfig, startReceiver, waitUntil, type Delivery } from './helper.js';

const verify = (config: Config, d: Delivery) =>
  new Webhook(config.org.webhookSecret).verify(d.body, {
    'webhook-id': String(d.headers['webhook-id']),
    'webhook-timestamp': String(d.headers['webhook-timestamp']),
    'webhook-signature': String(d.headers['webhook-signature']),
  });

const withWebhooks = (url: string, tweak: Partial<Config['webhooks']> = {}, env: Record<string, string> = {}): Config => {
  const config = fastConfig({ ORG_WEBHOOK_URL: url, ...env });
  return { ...config, webhooks: { ...config.webhooks, ...tweak } };
};

test('the invite is delivered at once, signed (Standard Webhooks), and marks the link delivered and the call ringing', async (t) => {
  const receiver = await startReceiver(t);
  // A one-minute poll: only the kick after the commit can deliver this fast.
  const config = withWebhooks(receiver.url, { pollIntervalMs: 60_000 });
  const app = await buildTestApp(t, config);
  const { body, claims } = await createCall(app, config);
  await waitUntil(() => receiver.deliveries.length >= 2, 3000, 'two deliveries');
  for (const d of receiver.deliveries) {
    assert.doesNotThrow(() => verify(config, d));
    assert.match(String(d.headers['webhook-id']), /^msg_/);
    assert.equal(d.headers['content-type'], 'application/json');
  }
  const [created, invite] = receiver.deliveries.map((d) => d.json);
  assert.equal(created?.type, 'call.created');
  assert.equal(invite?.type, 'call.invite');
  assert.ok(Date.parse(invite.timestamp));
  assert.deepEqual(invite?.data, {
    callId: body.call.id,
    conversationId: claims.conversation_id,
    clientId: 'client-1',
    agentId: 'agent-1',
    text: `Alice Agent invited you to a video call: ${body.joinUrl}`,
    joinUrl: body.joinUrl,
  });
  await waitUntil(async () => (await app.calls.get(body.call.id))?.linkDelivered === true, 3000, 'linkDelivered');
  assert.equal((await app.calls.get(body.call.id))?.status, 'ringing');
  const stored = await app.db.selectFrom('webhook_deliveries').selectAll().where('call_id', '=', body.call.id).where('event_type', '=', 'call.invite').executeTakeFirstOrThrow();
  assert.equal(stored.status, 'delivered');
  assert.ok(!JSON.stringify(stored.payload).includes(body.joinUrl!.split('#')[1]!), 'the secret leaves the outbox once delivered');
});

test('a signature made with another secret does not verify', async (t) => {
  const receiver = await startReceiver(t);
  const config = withWebhooks(receiver.url);
  const app = await buildTestApp(t, config);
  await createCall(app, config);
  await waitUntil(() => receiver.deliveries.length >= 1, 3000, 'a delivery');
  const other = { ...config, org: { ...config.org, webhookSecret: 'whsec_' + Buffer.alloc(24, 7).toString('base64') } };
  assert.throws(() => verify(other, receiver.deliveries[0]!));
});

test('a failing receiver is retried with backoff until it answers 2xx, with the same webhook-id', async (t) => {
  const failedIds = new Set<string>();
  const receiver = await startReceiver(t, (d) => {
    const id = String(d.headers['webhook-id']);
    if (failedIds.has(id)) return 200;
    failedIds.add(id);
    return 500;
  });
  const config = withWebhooks(receiver.url);
  const app = await buildTestApp(t, config);
  const { body } = await createCall(app, config);
  await waitUntil(async () => (await app.calls.get(body.call.id))?.linkDelivered === true, 5000, 'linkDelivered after a retry');
  const invites = receiver.deliveries.filter((d) => d.json.type === 'call.invite');
  assert.equal(invites.length, 2);
  assert.equal(invites[0]!.headers['webhook-id'], invites[1]!.headers['webhook-id']);
  const row = await app.db.selectFrom('webhook_deliveries').selectAll().where('call_id', '=', body.call.id).where('event_type', '=', 'call.invite').executeTakeFirstOrThrow();
  assert.equal(row.attempts, 2);
  assert.equal(row.status, 'delivered');
});

test('a receiver that never succeeds is given up after the configured attempts; the link stays undelivered', async (t) => {
  const receiver = await startReceiver(t, () => 503);
  const config = withWebhooks(receiver.url, { maxAttempts: 3, initialBackoffMs: 10 });
  const app = await buildTestApp(t, config);
  const { body } = await createCall(app, config);
  await waitUntil(async () => {
    const rows = await app.db.selectFrom('webhook_deliveries').select('status').where('call_id', '=', body.call.id).execute();
    return rows.length === 2 && rows.every((r) => r.status === 'failed');
  }, 5000, 'both rows failed');
  assert.equal(receiver.deliveries.filter((d) => d.json.type === 'call.invite').length, 3);
  assert.equal((await app.calls.get(body.call.id))?.linkDelivered, false);
});

test('a receiver that hangs times out and is retried', async (t) => {
  let n = 0;
  const hanging = createServer((req, res) => {
    n += 1;
    if (n > 2) {
      req.resume();
      req.on('end', () => res.end());
    }
  });
  await new Promise<void>((r) => hanging.listen(0, '127.0.0.1', r));
  t.after(() => {
    hanging.closeAllConnections();
    return new Promise<void>((r) => hanging.close(() => r()));
  });
  const port = (hanging.address() as { port: number }).port;
  const config = withWebhooks(`http://127.0.0.1:${port}/hook`, { timeoutMs: 100, initialBackoffMs: 10 });
  const app = await buildTestApp(t, config);
  const { body } = await createCall(app, config);
  await waitUntil(async () => (await app.calls.get(body.call.id))?.linkDelivered === true, 5000, 'delivered after timeouts');
  const row = await app.db.selectFrom('webhook_deliveries').selectAll().where('call_id', '=', body.call.id).where('event_type', '=', 'call.invite').executeTakeFirstOrThrow();
  assert.ok(row.attempts >= 2);
});

test('pending deliveries survive a restart and go out at boot; generated secrets persist in DATA_DIR', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-test-'));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  const first = withWebhooks('http://127.0.0.1:1/webhook', { initialBackoffMs: 100 }, { DATA_DIR: dataDir });
  const app1 = await buildApp(first);
  await app1.ready();
  const { body } = await createCall(app1, first);
  await app1.close();
  assert.equal(statSync(join(dataDir, 'secrets.json')).mode & 0o777, 0o600);

  const receiver = await startReceiver(t);
  const second = withWebhooks(receiver.url, { pollIntervalMs: 60_000 }, { DATA_DIR: dataDir });
  assert.equal(second.org.webhookSecret, first.org.webhookSecret);
  assert.equal(second.org.signingSecret, first.org.signingSecret);
  const app2 = await buildTestApp(t, second);
  await waitUntil(() => receiver.deliveries.some((d) => d.json.type === 'call.invite'), 5000, 'the invite after restart');
  const invite = receiver.deliveries.find((d) => d.json.type === 'call.invite')!;
  assert.doesNotThrow(() => verify(second, invite));
  assert.equal(invite.json.data.callId, body.call.id);
  await waitUntil(async () => (await app2.calls.get(body.call.id))?.linkDelivered === true, 3000, 'linkDelivered after restart');
});
