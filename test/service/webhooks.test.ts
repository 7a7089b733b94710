import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildApp } from '../../service/app.js';
import { hashJoinSecret } from '../../service/domain/join-secret.js';
import { buildTestApp, createCall, startReceiver, waitUntil } from './helper.js';
import { deliveryRows, verifySignature, webhookConfig } from './webhook-helper.js';

test('the invite is delivered at once, signed (Standard Webhooks), and marks the link delivered and the call ringing', async (t) => {
  const receiver = await startReceiver(t);
  // A one-minute poll: only the kick after the commit can deliver this fast.
  const config = webhookConfig(receiver.url, { pollIntervalMs: 60_000 });
  const app = await buildTestApp(t, config);
  const { body, claims } = await createCall(app, config);
  await waitUntil(() => receiver.deliveries.length >= 2, 3000, 'two deliveries');
  for (const d of receiver.deliveries) {
    assert.doesNotThrow(() => verifySignature(config, d));
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
  assert.ok(!JSON.stringify(stored.payload).includes(body.joinUrl!.split('#')[1]!), 'the outbox row never holds the secret');
});

test('a signature made with another secret does not verify', async (t) => {
  const receiver = await startReceiver(t);
  const config = webhookConfig(receiver.url);
  const app = await buildTestApp(t, config);
  await createCall(app, config);
  await waitUntil(() => receiver.deliveries.length >= 1, 3000, 'a delivery');
  const other = { ...config, org: { ...config.org, webhookSecret: 'whsec_' + Buffer.alloc(24, 7).toString('base64') } };
  assert.throws(() => verifySignature(other, receiver.deliveries[0]!));
});

test('a failing receiver is retried until it answers 2xx, with the same webhook-id', async (t) => {
  const failedIds = new Set<string>();
  const receiver = await startReceiver(t, (d) => {
    const id = String(d.headers['webhook-id']);
    if (failedIds.has(id)) return 200;
    failedIds.add(id);
    return 500;
  });
  const config = webhookConfig(receiver.url);
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

test('a receiver that never succeeds is given up once the retry schedule is used up; the call\'s later rows wait behind it', async (t) => {
  const receiver = await startReceiver(t, () => 503);
  const config = webhookConfig(receiver.url, { retryScheduleMs: [10, 10] });
  const app = await buildTestApp(t, config);
  const { body } = await createCall(app, config);
  await waitUntil(async () => (await deliveryRows(app, body.call.id))[0]?.status === 'failed', 5000, 'call.created failed');
  await new Promise((r) => setTimeout(r, 150));
  const [created, invite] = await deliveryRows(app, body.call.id);
  assert.deepEqual([created?.status, created?.attempts, created?.last_error], ['failed', 3, 'HTTP 503'], 'first attempt + one per schedule entry');
  assert.equal(invite?.status, 'pending', 'the invite may not overtake the failed call.created');
  assert.deepEqual(receiver.deliveries.map((d) => d.json.type), ['call.created', 'call.created', 'call.created']);
  assert.equal((await app.calls.get(body.call.id))?.linkDelivered, false);
});

test('a receiver that hangs times out and is retried', async (t) => {
  // The first two requests (call.created, attempts 1 and 2: its later rows wait behind it) get no
  // answer; later ones are answered. Under load an answered attempt may still outlast the timeout,
  // so the count is checked against what the receiver saw, not as a fixed 3.
  const seen: string[] = [];
  const hanging = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push((JSON.parse(Buffer.concat(chunks).toString()) as { type: string }).type);
      if (seen.length > 2) res.end();
    });
  });
  await new Promise<void>((r) => hanging.listen(0, '127.0.0.1', r));
  t.after(() => {
    hanging.closeAllConnections();
    return new Promise<void>((r) => hanging.close(() => r()));
  });
  const port = (hanging.address() as { port: number }).port;
  const config = webhookConfig(`http://127.0.0.1:${port}/hook`, { timeoutMs: 300, retryScheduleMs: [10, 10, 10, 10, 10, 10] });
  const app = await buildTestApp(t, config);
  const { body } = await createCall(app, config);
  await waitUntil(async () => (await app.calls.get(body.call.id))?.linkDelivered === true, 10_000, 'delivered after timeouts');
  const created = (await deliveryRows(app, body.call.id))[0]!;
  assert.deepEqual(seen.slice(0, 2), ['call.created', 'call.created'], 'the unanswered head is retried before anything behind it');
  assert.equal(created.event_type, 'call.created');
  assert.ok(created.attempts >= 3, `two timeouts, then an answer (attempts: ${created.attempts})`);
  assert.equal(created.attempts, seen.filter((type) => type === 'call.created').length, 'each attempt is one request');
});

/** Every file under a folder, read whole. */
function filesUnder(dir: string): Buffer[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile()).map((e) => readFileSync(join(e.parentPath, e.name)));
}

test('the join secret is never written to the store: the invite gets its link when sent, and the link works', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-test-'));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  // The receiver is down while the call is created: the invite waits in the outbox.
  const first = webhookConfig('http://127.0.0.1:1/webhook', { retryScheduleMs: [300, 300, 300, 300, 300, 300, 300] }, { DATA_DIR: dataDir });
  const app1 = await buildApp(first);
  await app1.ready();
  const { body } = await createCall(app1, first);
  const secret = body.joinUrl!.split('#')[1]!;
  assert.ok(Buffer.from(secret, 'base64url').length >= 16, 'at least 128 bits');
  const tables = await Promise.all((['calls', 'call_events', 'webhook_deliveries'] as const).map((name) => app1.db.selectFrom(name).selectAll().execute()));
  assert.ok(!JSON.stringify(tables).includes(secret), 'no row of any table holds the secret');
  assert.ok(JSON.stringify(tables).includes(hashJoinSecret(secret)), 'the call keeps only its hash');
  await app1.close();
  assert.equal(filesUnder(dataDir).filter((file) => file.includes(secret)).length, 0, 'no file of the store holds the secret');

  const receiver = await startReceiver(t);
  const app2 = await buildTestApp(t, webhookConfig(receiver.url, {}, { DATA_DIR: dataDir }));
  await waitUntil(() => receiver.deliveries.some((d) => d.json.type === 'call.invite'), 5000, 'the invite');
  const invite = receiver.deliveries.find((d) => d.json.type === 'call.invite')!;
  assert.equal(invite.json.data.joinUrl, body.joinUrl);
  assert.equal(invite.json.data.text, `Alice Agent invited you to a video call: ${body.joinUrl}`);
  const joined = await app2.inject({ method: 'POST', url: '/v1/join', payload: { callId: body.call.id, secret: String(invite.json.data.joinUrl).split('#')[1] } });
  assert.equal(joined.statusCode, 200);
});

test('an invite stored by an older version (link inside) is sent as stored, then its link is scrubbed', async (t) => {
  const receiver = await startReceiver(t);
  const config = webhookConfig(receiver.url);
  const app = await buildTestApp(t, config);
  const { body } = await createCall(app, config);
  await waitUntil(() => receiver.deliveries.length >= 2, 3000, 'the new call delivered');
  // What 0002-era code wrote: a random secret, its hash on the call, the full link in the outbox.
  const oldSecret = 'b2xkLXJhbmRvbS1zZWNyZXQtb2YtdGhpcnR5LXR3by1ieXRlcw';
  const oldUrl = `${config.publicUrl}/join/${body.call.id}#${oldSecret}`;
  await app.db.updateTable('calls').set({ secret_hash: hashJoinSecret(oldSecret), link_delivered: false }).where('id', '=', body.call.id).execute();
  const data = { callId: body.call.id, conversationId: 'c', clientId: 'client-1', agentId: 'agent-1', text: `Alice Agent invited you to a video call: ${oldUrl}`, joinUrl: oldUrl };
  await app.db.insertInto('webhook_deliveries').values({
    id: 'msg_legacy', org_id: config.org.id, call_id: body.call.id, event_type: 'call.invite', status: 'pending', attempts: 0,
    payload: JSON.stringify({ type: 'call.invite', timestamp: new Date().toISOString(), data }), next_attempt_at: new Date(), created_at: new Date(),
  }).execute();
  app.webhookWorker.kick();
  await waitUntil(() => receiver.deliveries.some((d) => d.headers['webhook-id'] === 'msg_legacy'), 3000, 'the legacy invite');
  assert.deepEqual(receiver.deliveries.find((d) => d.headers['webhook-id'] === 'msg_legacy')!.json.data, data);
  const joined = await app.inject({ method: 'POST', url: '/v1/join', payload: { callId: body.call.id, secret: oldSecret } });
  assert.equal(joined.statusCode, 200);
  await waitUntil(async () => (await app.db.selectFrom('webhook_deliveries').select('status').where('id', '=', 'msg_legacy').executeTakeFirst())?.status === 'delivered', 3000, 'recorded');
  const stored = await app.db.selectFrom('webhook_deliveries').selectAll().where('id', '=', 'msg_legacy').executeTakeFirstOrThrow();
  assert.ok(!JSON.stringify(stored.payload).includes(oldSecret));
});

test('pending deliveries survive a restart and go out at boot; generated secrets persist in DATA_DIR', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-test-'));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  const first = webhookConfig('http://127.0.0.1:1/webhook', { retryScheduleMs: [100, 100, 100, 100, 100, 100, 100] }, { DATA_DIR: dataDir });
  const app1 = await buildApp(first);
  await app1.ready();
  const { body } = await createCall(app1, first);
  await app1.close();
  assert.equal(statSync(join(dataDir, 'secrets.json')).mode & 0o777, 0o600);

  const receiver = await startReceiver(t);
  const second = webhookConfig(receiver.url, { pollIntervalMs: 60_000 }, { DATA_DIR: dataDir });
  assert.equal(second.org.webhookSecret, first.org.webhookSecret);
  assert.equal(second.org.signingSecret, first.org.signingSecret);
  const app2 = await buildTestApp(t, second);
  await waitUntil(() => receiver.deliveries.some((d) => d.json.type === 'call.invite'), 5000, 'the invite after restart');
  const invite = receiver.deliveries.find((d) => d.json.type === 'call.invite')!;
  assert.doesNotThrow(() => verifySignature(second, invite));
  assert.equal(invite.json.data.callId, body.call.id);
  await waitUntil(async () => (await app2.calls.get(body.call.id))?.linkDelivered === true, 3000, 'linkDelivered after restart');
});
