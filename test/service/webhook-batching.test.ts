// The outbox worker records in batches (one statement for the answers of one event-loop turn) and never makes one
// call's slow endpoint delay another call's rows (docs/performance.md, "Fixes").
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TurnBatch } from '../../service/webhooks/turn-batch.js';
import { buildTestApp, createAndJoin, createCall, goodClaims, sharedApp, startReceiver, waitUntil } from './helper.js';
import { deliveryRows, gate, typesFor, webhookConfig } from './webhook-helper.js';

test('a turn batch hands what was added in one turn to one run, and what came later to the next', async () => {
  const runs: number[][] = [];
  let fail = false;
  const batch = new TurnBatch<number>(async (items) => {
    runs.push(items);
    if (fail) throw new Error('store down');
  });
  await Promise.all([batch.add(1), batch.add(2), batch.add(3)]);
  const later = batch.add(4);
  await new Promise((r) => setImmediate(r));
  const last = batch.add(5);
  await Promise.all([later, last]);
  assert.deepEqual(runs, [[1, 2, 3], [4], [5]]);
  fail = true;
  await assert.rejects(Promise.all([batch.add(6), batch.add(7)]), /store down/);
  assert.deepEqual(runs.at(-1), [6, 7]);
});

test('while one call\'s endpoint answer is held, another call\'s rows go out, are recorded, and its call rings', async (t) => {
  const held = gate();
  let slowCallId = '';
  const receiver = await startReceiver(t, async (d) => {
    if (d.json.data.callId === slowCallId) await held.opened;
    return 204;
  });
  const config = webhookConfig(receiver.url, { timeoutMs: 20_000 });
  const app = await buildTestApp(t, config);
  const slow = await createCall(app, config);
  slowCallId = slow.body.call.id;
  await waitUntil(() => typesFor(receiver.deliveries, slowCallId).length === 1, 3000, 'the slow call.created in flight');
  const other = await createCall(app, config, goodClaims({ sub: 'agent-2', conversation_owner_id: 'agent-2' }));
  const otherId = other.body.call.id;
  await waitUntil(async () => (await app.calls.get(otherId))?.status === 'ringing', 3000, 'the other call ringing');
  assert.deepEqual((await deliveryRows(app, otherId)).map((r) => [r.event_type, r.status, r.attempts]), [['call.created', 'delivered', 1], ['call.invite', 'delivered', 1]]);
  assert.deepEqual((await deliveryRows(app, slowCallId)).map((r) => r.status), ['pending', 'pending'], 'the held row is not recorded before its answer');
  held.open();
  await waitUntil(async () => (await app.calls.get(slowCallId))?.status === 'ringing', 3000, 'the slow call ringing after its answers');
  assert.deepEqual(typesFor(receiver.deliveries, slowCallId), ['call.created', 'call.invite']);
});

const shared = sharedApp();

test('links delivered together: one statement marks each call as its own state wants (ringing, still active, still ended)', async () => {
  const app = shared.app();
  const waiting = await createCall(app, shared.config);
  const answered = await createAndJoin(app, shared.config);
  await app.calls.clientJoined(answered.callId);
  const ended = await createCall(app, shared.config);
  await app.calls.end(ended.body.call.id, 'agent', 'hangup');
  const changed: string[] = [];
  const stop = app.calls.observe({ callChanged: (call) => changed.push(call.id) });
  try {
    await app.calls.linksDelivered([waiting.body.call.id, answered.callId, ended.body.call.id, waiting.body.call.id]);
    await app.calls.linksDelivered([waiting.body.call.id]);
  } finally {
    stop();
  }
  const states = await Promise.all([waiting.body.call.id, answered.callId, ended.body.call.id].map(async (id) => {
    const call = await app.calls.get(id);
    return [call?.status, call?.linkDelivered];
  }));
  assert.deepEqual(states, [['ringing', true], ['active', true], ['ended', true]]);
  assert.deepEqual(changed.sort(), [waiting.body.call.id, answered.callId, ended.body.call.id].sort(), 'each told once; a second delivery changes nothing');
});
