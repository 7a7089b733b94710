// What the service POSTs to the host's webhook endpoint, per event type: `{ type, timestamp, data }`.
// Documentation and tests read these; the service writes the payloads in service/domain/events.ts and
// service/domain/invite.ts, and test/service/webhook-payloads.test.ts checks every sent body against them.
import { Type, type TSchema } from 'typebox';
import { ActorSchema, CallMediaSchema, EventType, TrackSourceSchema } from './call.js';

/** The event type of the one webhook that is not about a call: `POST /v1/webhooks/test`. */
export const WEBHOOK_TEST_EVENT = 'webhook.test';

/** Who and which call every call event is about, and who caused it. */
const CallFacts = {
  callId: Type.String(),
  conversationId: Type.String(),
  clientId: Type.String(),
  agentId: Type.String(),
  by: ActorSchema,
};

/** A participant-reported fact: the device, and the browser's words when it refused one. */
const DeviceFacts = {
  device: Type.Optional(TrackSourceSchema),
  reason: Type.Optional(Type.String({ description: 'The browser error name, e.g. NotAllowedError' })),
};

/** `data` of each event type. */
export const WebhookDataSchemas = {
  [EventType.created]: Type.Object({ ...CallFacts, media: CallMediaSchema }),
  [EventType.invite]: Type.Object({
    callId: Type.String(),
    conversationId: Type.String(),
    clientId: Type.String(),
    agentId: Type.String(),
    text: Type.String({ description: 'The message to post into the conversation, ending with the join URL' }),
    joinUrl: Type.String({ description: 'PUBLIC_URL/join/<callId>#<secret>: the secret is in the fragment' }),
  }),
  [EventType.linkOpened]: Type.Object(CallFacts),
  [EventType.clientPrejoin]: Type.Object(CallFacts),
  [EventType.clientJoined]: Type.Object(CallFacts),
  [EventType.clientLeft]: Type.Object(CallFacts),
  [EventType.screenShareStarted]: Type.Object({ ...CallFacts, ...DeviceFacts }),
  [EventType.screenShareStopped]: Type.Object({ ...CallFacts, ...DeviceFacts }),
  [EventType.mediaBlocked]: Type.Object({ ...CallFacts, ...DeviceFacts }),
  [EventType.ended]: Type.Object({
    ...CallFacts,
    reason: Type.String({ description: 'One of EndReason (ended_by_agent, ended_by_api, no_answer = missed, expired, agent_left, replaced, room_finished), or the reason given to POST /v1/calls/:id/end' }),
    durationSeconds: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], { description: 'From the client\'s first join to the end; null when nobody joined (missed, expired or abandoned before an answer)' }),
  }),
  [WEBHOOK_TEST_EVENT]: Type.Object({
    orgId: Type.String(),
    message: Type.String(),
  }),
} as const;

/** A webhook event type: one of the call vocabulary, or `webhook.test`. */
export type WebhookEventType = keyof typeof WebhookDataSchemas;

/** The body of a webhook of one type. */
export function webhookPayloadSchema<T extends WebhookEventType>(type: T) {
  return Type.Object({
    type: Type.Literal(type),
    timestamp: Type.String({ description: 'ISO 8601, when the event happened (the webhook-timestamp header says when it was sent)' }),
    data: WebhookDataSchemas[type],
  });
}

/** One short sentence per event type, for the documentation. */
export const WEBHOOK_DESCRIPTIONS: Record<WebhookEventType, string> = {
  [EventType.created]: 'A call was made (POST /v1/calls). Sent before its invite.',
  [EventType.invite]: 'The message to post into the conversation: text and join URL. A 2xx answer marks the link delivered (the call starts ringing). Sent again, same link, when the agent presses "Send the link again" (POST /v1/calls/{id}/invite).',
  [EventType.linkOpened]: 'The client exchanged the link for credentials (POST /v1/join). Consecutive ones still queued are sent once.',
  [EventType.clientPrejoin]: 'The client is on the pre-join screen, checking camera and microphone (not in the call yet).',
  [EventType.clientJoined]: 'The client is in the call.',
  [EventType.clientLeft]: 'The client left (not a takeover by a newer join).',
  [EventType.screenShareStarted]: 'A side started sharing its screen.',
  [EventType.screenShareStopped]: 'A side stopped sharing its screen (a start and stop still queued together cancel out).',
  [EventType.mediaBlocked]: 'A side\'s browser refused a device (permission denied, device busy); the call goes on without it.',
  [EventType.ended]: 'The call ended: by whom, why, how long it lasted.',
  [WEBHOOK_TEST_EVENT]: 'Sent on demand by POST /v1/webhooks/test to check the endpoint; belongs to no call.',
};

/** The webhook event types, in lifecycle order. */
export const WEBHOOK_EVENT_TYPES = Object.keys(WebhookDataSchemas) as WebhookEventType[];

/** Every payload schema by type, for code that does not know the type statically. */
export const WEBHOOK_PAYLOAD_SCHEMAS: Record<WebhookEventType, TSchema> = Object.fromEntries(
  WEBHOOK_EVENT_TYPES.map((type) => [type, webhookPayloadSchema(type)]),
) as unknown as Record<WebhookEventType, TSchema>;
