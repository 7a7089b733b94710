import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Value } from 'typebox/value';
import { WEBHOOK_EVENT_TYPES, WEBHOOK_PAYLOAD_SCHEMAS, WebhookDataSchemas, type WebhookEventType } from '../../protocol/webhooks.js';
import type { AddressInfo } from 'node:net';
import { buildTestApp, connectReal, createAndJoin, startReceiver, waitUntil } from './helper.js';
import { apiKey, typesFor, webhookConfig } from './webhook-helper.js';

test('every webhook the service sends matches its documented payload schema, field for field', async (t) => {
  const receiver = await startReceiver(t, () => 204);
  const config = webhookConfig(receiver.url);
  const app = await buildTestApp(t, config);
  const { callId, clientToken, agentToken } = await createAndJoin(app, config);
  const sent = (type: string) => waitUntil(() => typesFor(receiver.deliveries, callId).includes(type), 3000, type);
  const report = (token: string, payload: object) =>
    app.inject({ method: 'POST', url: `/v1/calls/${callId}/events`, headers: { authorization: `Bearer ${token}` }, payload });

  // A real connection: its close reaches the server as a departure (call.client_left).
  await app.listen({ host: '127.0.0.1', port: 0 });
  const client = connectReal(`http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, callId, clientToken);
  await client.next('hello');
  await sent('call.client_joined');
  // Each one delivered before the next, so that coalescing (a start and stop still queued cancel out) keeps both.
  await report(agentToken, { type: 'screen_share_started', device: 'screen' });
  await sent('call.screen_share_started');
  await report(agentToken, { type: 'screen_share_stopped', device: 'screen' });
  await report(clientToken, { type: 'client_prejoin' });
  await report(clientToken, { type: 'media_blocked', device: 'microphone', reason: 'NotAllowedError' });
  client.ws.close(1000);
  await sent('call.client_left');
  await app.inject({ method: 'POST', url: `/v1/calls/${callId}/end`, headers: { authorization: `Bearer ${agentToken}` } });
  await sent('call.ended');
  const probe = await app.inject({ method: 'POST', url: '/v1/webhooks/test', headers: apiKey(config) });
  assert.equal(probe.statusCode, 200);

  const received = new Set<string>();
  for (const delivery of receiver.deliveries) {
    const type = delivery.json.type as WebhookEventType;
    assert.ok(WEBHOOK_EVENT_TYPES.includes(type), `${type} is a documented event type`);
    assert.ok(Value.Check(WEBHOOK_PAYLOAD_SCHEMAS[type], delivery.json), `${type} matches its schema: ${delivery.body}`);
    const documented = Object.keys((WebhookDataSchemas[type] as { properties: object }).properties);
    for (const key of Object.keys(delivery.json.data)) assert.ok(documented.includes(key), `${type}: data.${key} is documented`);
    received.add(type);
  }
  assert.deepEqual([...received].sort(), [...WEBHOOK_EVENT_TYPES].sort(), 'every documented type was seen');
});
