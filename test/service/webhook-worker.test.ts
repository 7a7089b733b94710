import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildTestApp, createCall, goodClaims, startReceiver, waitUntil } from './helper.js';
import { apiKey, deliveryRows, gate, typesFor, webhookConfig } from './webhook-helper.js';

test('a Retry-After longer than the scheduled delay is honoured', async (t) => {
  const arrivals: number[] = [];
  const receiver = await startReceiver(t, (d, n) => {
    if (n === 1 || d.headers['webhook-id'] === receiver.deliveries[0]!.headers['webhook-id']) arrivals.push(Date.now());
    return n === 1 ? { status: 503, headers: { 'retry-after': '1' } } : 204;
  });
  const config = webhookConfig(receiver.url);
  const app = await buildTestApp(t, config);
  const { body } = await createCall(app, config);
  await waitUntil(() => arrivals.length >= 2, 5000, 'the retry');
  assert.ok(arrivals[1]! - arrivals[0]! >= 950, `waited ${arrivals[1]! - arrivals[0]!} ms, not the 20 ms of the schedule`);
  await waitUntil(async () => (await app.calls.get(body.call.id))?.linkDelivered === true, 3000, 'the invite after it');
});

test('a 410 gives the row up at once (endpoint gone); the call\'s later rows wait until it is replayed, then go in order', async (t) => {
  let gone = true;
  const receiver = await startReceiver(t, () => (gone ? 410 : 204));
  const config = webhookConfig(receiver.url);
  const app = await buildTestApp(t, config);
  const { body } = await createCall(app, config);
  await waitUntil(async () => (await deliveryRows(app, body.call.id))[0]?.status === 'failed', 3000, 'call.created failed');
  await app.inject({ method: 'POST', url: `/v1/calls/${body.call.id}/end`, headers: apiKey(config), payload: {} });
  await new Promise((r) => setTimeout(r, 300)); // well past the 20 ms schedule: nothing more may be sent
  const [created, invite, ended] = await deliveryRows(app, body.call.id);
  assert.deepEqual([created?.status, created?.attempts, created?.last_error], ['failed', 1, 'HTTP 410: endpoint gone']);
  assert.deepEqual([invite?.status, ended?.status], ['pending', 'pending']);
  assert.equal(receiver.deliveries.length, 1);

  gone = false;
  const replay = await app.inject({ method: 'POST', url: `/v1/webhooks/deliveries/${created!.id}/replay`, headers: apiKey(config) });
  assert.equal(replay.statusCode, 200);
  await waitUntil(async () => (await deliveryRows(app, body.call.id)).every((r) => r.status === 'delivered'), 3000, 'all delivered');
  assert.deepEqual(typesFor(receiver.deliveries, body.call.id), ['call.created', 'call.created', 'call.invite', 'call.ended']);
});

test('a failing head holds back the later rows of its call, in write order, but not the rows of other calls', async (t) => {
  let otherDelivered = false;
  let slowCallId = '';
  const receiver = await startReceiver(t, (d) => {
    if (d.json.data.callId !== slowCallId) {
      if (d.json.type === 'call.invite') otherDelivered = true;
      return 204;
    }
    // The slow call's first event fails until the other call has gone through: that proves it was not blocked.
    return d.json.type === 'call.created' && !otherDelivered ? 503 : 204;
  });
  const config = webhookConfig(receiver.url, { retryScheduleMs: Array<number>(20).fill(40) });
  const app = await buildTestApp(t, config);
  const slow = await createCall(app, config);
  slowCallId = slow.body.call.id;
  await app.inject({ method: 'POST', url: `/v1/calls/${slowCallId}/end`, headers: apiKey(config), payload: {} });
  const other = await createCall(app, config, goodClaims({ sub: 'agent-2', conversation_owner_id: 'agent-2' }));
  await waitUntil(async () => (await deliveryRows(app, slowCallId)).every((r) => r.status === 'delivered'), 5000, 'the slow call delivered');
  const types = typesFor(receiver.deliveries, slowCallId);
  assert.ok(types.length >= 4, 'call.created failed at least once');
  assert.deepEqual(types.slice(-3), ['call.created', 'call.invite', 'call.ended'], 'the retried head first, then the rest in write order');
  assert.ok(types.slice(0, -3).every((type) => type === 'call.created'), 'nothing overtook call.created');
  assert.deepEqual(typesFor(receiver.deliveries, other.body.call.id), ['call.created', 'call.invite']);
});

test('queued link opens are sent once, and a screen share started then stopped by the same side is not sent at all', async (t) => {
  const held = gate();
  const receiver = await startReceiver(t, async (_d, n) => {
    if (n === 1) await held.opened; // call.created waits while the client flaps
    return 204;
  });
  const config = webhookConfig(receiver.url, { timeoutMs: 20_000 });
  const app = await buildTestApp(t, config);
  const { body } = await createCall(app, config);
  const callId = body.call.id;
  await waitUntil(() => receiver.deliveries.length === 1, 3000, 'call.created in flight');
  const secret = body.joinUrl!.split('#')[1]!;
  for (let i = 0; i < 30; i++) await app.calls.join(callId, secret);
  const share = (type: string) => app.inject({
    method: 'POST', url: `/v1/calls/${callId}/events`, headers: { authorization: `Bearer ${body.credentials.token}` }, payload: { type, device: 'screen' },
  });
  for (const type of ['screen_share_started', 'screen_share_stopped', 'screen_share_started']) assert.equal((await share(type)).statusCode, 202);
  held.open();

  await waitUntil(async () => (await deliveryRows(app, callId)).every((r) => r.status !== 'pending'), 5000, 'the queue drained');
  assert.deepEqual(typesFor(receiver.deliveries, callId), ['call.created', 'call.invite', 'call.link_opened', 'call.screen_share_started']);
  const rows = await deliveryRows(app, callId);
  const opens = rows.filter((r) => r.event_type === 'call.link_opened');
  assert.equal(opens[0]!.status, 'delivered');
  assert.equal(opens[0]!.id, receiver.deliveries[2]!.headers['webhook-id']);
  assert.ok(opens.slice(1).every((r) => r.status === 'coalesced' && r.coalesced_into === opens[0]!.id), 'the other 29 stand behind the one sent');
  const shares = rows.filter((r) => r.event_type.startsWith('call.screen_share'));
  assert.deepEqual(shares.map((r) => [r.status, r.coalesced_into]), [['coalesced', null], ['coalesced', null], ['delivered', null]]);
});
