// The OpenAPI 3.1 `webhooks` section: what the service POSTs to the org's endpoint, one entry per event type, from
// the payload schemas of protocol/webhooks.ts.
import { EventType } from '../../protocol/call.js';
import { WEBHOOK_DESCRIPTIONS, WEBHOOK_EVENT_TYPES, WEBHOOK_PAYLOAD_SCHEMAS, WEBHOOK_TEST_EVENT, type WebhookEventType } from '../../protocol/webhooks.js';

const CALL = { callId: '5b0f3c0e-8a51-4c53-9d43-0b6f8e1f2a7c', conversationId: 'conv-1042', clientId: 'client-7', agentId: 'agent-1' };

/** A realistic `data` per event type, shown as the example of each webhook. */
const EXAMPLE_DATA: Record<WebhookEventType, Record<string, unknown>> = {
  [EventType.created]: { ...CALL, by: 'agent', media: 'video' },
  [EventType.invite]: {
    ...CALL,
    text: `Alice Agent invited you to a video call: https://calls.example.com/join/${CALL.callId}#q3Vn…`,
    joinUrl: `https://calls.example.com/join/${CALL.callId}#q3Vn…`,
  },
  [EventType.linkOpened]: { ...CALL, by: 'client' },
  [EventType.clientPrejoin]: { ...CALL, by: 'client' },
  [EventType.clientJoined]: { ...CALL, by: 'client' },
  [EventType.clientLeft]: { ...CALL, by: 'client' },
  [EventType.screenShareStarted]: { ...CALL, by: 'agent', device: 'screen' },
  [EventType.screenShareStopped]: { ...CALL, by: 'agent', device: 'screen' },
  [EventType.mediaBlocked]: { ...CALL, by: 'client', device: 'camera', reason: 'NotAllowedError' },
  [EventType.ended]: { ...CALL, by: 'agent', reason: 'ended_by_agent', durationSeconds: 312 },
  [WEBHOOK_TEST_EVENT]: { orgId: 'demo', message: 'A test webhook from Switchboard: your endpoint is reachable and can verify the signature.' },
};

/** The Standard Webhooks headers every request carries. */
const SIGNATURE_HEADERS = [
  { name: 'webhook-id', description: 'The message id (`msg_…`): the same on every retry, so duplicates can be dropped', example: 'msg_2f6a0c8e-0a7b-4f0e-9a53-6d1f4f3b8e21' },
  { name: 'webhook-timestamp', description: 'Unix seconds when this attempt was signed; refuse ones far from now', example: '1764144000' },
  { name: 'webhook-signature', description: '`v1,<base64 HMAC-SHA256>` of `id.timestamp.body` with the org\'s `whsec_` secret', example: 'v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=' },
].map((h) => ({ in: 'header', required: true, name: h.name, description: h.description, schema: { type: 'string' }, example: h.example }));

const CALL_DELIVERY = 'Delivered at least once, each call\'s events one at a time in the order they happened; retried on any answer but 2xx (410: given up).';
const TEST_DELIVERY = 'Sent once, outside every call\'s queue; what the endpoint answered is the answer of POST /v1/webhooks/test.';

/** A TypeBox schema as plain JSON Schema (TypeBox marks its objects with properties JSON does not need). */
const plain = (schema: unknown): Record<string, unknown> => JSON.parse(JSON.stringify(schema)) as Record<string, unknown>;

/** The `webhooks` object of the OpenAPI document. */
export function openapiWebhooks(): Record<string, unknown> {
  return Object.fromEntries(WEBHOOK_EVENT_TYPES.map((type) => [type, {
    post: {
      operationId: `webhook_${type.replace('.', '_')}`,
      summary: type,
      description: `${WEBHOOK_DESCRIPTIONS[type]}\n\n${type === WEBHOOK_TEST_EVENT ? TEST_DELIVERY : CALL_DELIVERY}`,
      tags: ['webhook payloads'],
      parameters: SIGNATURE_HEADERS,
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: plain(WEBHOOK_PAYLOAD_SCHEMAS[type]),
            example: { type, timestamp: '2026-11-26T08:00:00.000Z', data: EXAMPLE_DATA[type] },
          },
        },
      },
      responses: {
        '2XX': { description: 'Received. Answer quickly (5 s timeout); do the work afterwards.' },
        '410': { description: 'This endpoint will never take it: the delivery is given up, with no retry.' },
        default: { description: 'Anything else is retried on the schedule (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h), honouring Retry-After.' },
      },
    },
  }]));
}
