import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildTestApp, createCall, startReceiver, waitUntil } from './helper.js';
import { apiKey, deliveryRows, typesFor, webhookConfig } from './webhook-helper.js';

interface Listed {
  deliveries: { id: string; callId: string | null; type: string; status: string; attempts: number; lastError: string | null; nextAttemptAt: string | null; [k: string]: unknown }[];
  nextCursor: string | null;
}

test('the deliveries routes want the org API key', async (t) => {
  const config = webhookConfig('http://127.0.0.1:1/webhook');
  const app = await buildTestApp(t, config);
  const { body } = await createCall(app, config);
  for (const authorization of [undefined, 'Bearer not-the-key', `Bearer ${body.credentials.token}`]) {
    const headers = authorization ? { authorization } : {};
    const list = await app.inject({ method: 'GET', url: '/v1/webhooks/deliveries', headers });
    assert.equal(list.statusCode, 401);
    assert.equal(list.json<{ code: string }>().code, 'unauthorized');
    const replay = await app.inject({ method: 'POST', url: '/v1/webhooks/deliveries/msg_x/replay', headers });
    assert.equal(replay.statusCode, 401);
  }
});

test('failed deliveries are listed, newest first, without any payload; a replay sends them again in their call\'s order', async (t) => {
  let up = false;
  const receiver = await startReceiver(t, () => (up ? 204 : 503));
  const config = webhookConfig(receiver.url, { retryScheduleMs: [10] });
  const app = await buildTestApp(t, config);
  const { body } = await createCall(app, config);
  const callId = body.call.id;
  await waitUntil(async () => (await deliveryRows(app, callId))[0]?.status === 'failed', 3000, 'call.created failed');

  const failed = await app.inject({ method: 'GET', url: `/v1/webhooks/deliveries?status=failed&callId=${callId}`, headers: apiKey(config) });
  assert.equal(failed.statusCode, 200);
  assert.equal(failed.headers['cache-control'], 'no-store');
  const [created] = failed.json<Listed>().deliveries;
  assert.deepEqual({ ...created, id: undefined, createdAt: undefined },
    { id: undefined, createdAt: undefined, callId, type: 'call.created', status: 'failed', attempts: 2, lastError: 'HTTP 503', nextAttemptAt: null, deliveredAt: null, coalescedInto: null });

  const all = await app.inject({ method: 'GET', url: `/v1/webhooks/deliveries?callId=${callId}`, headers: apiKey(config) });
  assert.deepEqual(all.json<Listed>().deliveries.map((d) => [d.type, d.status]), [['call.invite', 'pending'], ['call.created', 'failed']]);
  assert.ok(!all.body.includes(body.joinUrl!.split('#')[1]!), 'never the join secret');
  const page1 = await app.inject({ method: 'GET', url: `/v1/webhooks/deliveries?callId=${callId}&limit=1`, headers: apiKey(config) });
  const { deliveries: [newest], nextCursor } = page1.json<Listed>();
  assert.equal(newest?.type, 'call.invite');
  assert.ok(nextCursor);
  const page2 = await app.inject({ method: 'GET', url: `/v1/webhooks/deliveries?callId=${callId}&limit=1&cursor=${nextCursor}`, headers: apiKey(config) });
  assert.deepEqual(page2.json<Listed>().deliveries.map((d) => d.id), [created!.id]);

  up = true;
  const replay = await app.inject({ method: 'POST', url: `/v1/webhooks/deliveries/${created!.id}/replay`, headers: apiKey(config) });
  assert.equal(replay.statusCode, 200);
  assert.deepEqual([replay.json<Listed['deliveries'][number]>().status, replay.json<Listed['deliveries'][number]>().attempts], ['pending', 0]);
  await waitUntil(async () => (await app.calls.get(callId))?.linkDelivered === true, 3000, 'the invite after the replay');
  assert.deepEqual(typesFor(receiver.deliveries, callId), ['call.created', 'call.created', 'call.created', 'call.invite']);
  const delivered = await app.inject({ method: 'GET', url: `/v1/webhooks/deliveries?status=delivered&callId=${callId}`, headers: apiKey(config) });
  assert.deepEqual(delivered.json<Listed>().deliveries.map((d) => d.type), ['call.invite', 'call.created']);
});

test('replaying an unknown delivery is 404 delivery_not_found; a bad filter is 400', async (t) => {
  const config = webhookConfig('http://127.0.0.1:1/webhook');
  const app = await buildTestApp(t, config);
  const unknown = await app.inject({ method: 'POST', url: '/v1/webhooks/deliveries/msg_nope/replay', headers: apiKey(config) });
  assert.equal(unknown.statusCode, 404);
  assert.equal(unknown.json<{ code: string }>().code, 'delivery_not_found');
  for (const query of ['status=lost', 'limit=0', 'limit=101', 'limit=ten', 'cursor=abc']) {
    const res = await app.inject({ method: 'GET', url: `/v1/webhooks/deliveries?${query}`, headers: apiKey(config) });
    assert.equal(res.statusCode, 400, query);
    assert.equal(res.json<{ code: string }>().code, 'invalid_request');
  }
});
