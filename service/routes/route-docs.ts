// The API's documentation by route: summary, tag, security, the error codes of each status, examples. One entry per
// visible route (`METHOD /path` as registered, `:param` form); test/service/openapi.test.ts fails on a route without one.

/** Security schemes by name (service/app.ts and openapi-docs.ts declare them). */
export type SecurityScheme = 'agentToken' | 'callCredentials' | 'apiKey' | 'liveSubprotocol' | 'livekitWebhook';

/** What the document says about one route. */
export interface RouteDoc {
  operationId: string;
  summary: string;
  description?: string;
  tag: 'calls' | 'join' | 'live' | 'webhooks' | 'livekit' | 'health';
  /** Any one of these is enough; empty: public. */
  security: SecurityScheme[];
  /** Our codes by error status, when the status alone does not say which (e.g. 404 call_not_found). */
  errors?: Partial<Record<number, string[]>>;
  /** Descriptions of success answers by status. */
  responses?: Partial<Record<number, string>>;
  /** An example body of the request. */
  bodyExample?: unknown;
  /** Example answers by status. */
  examples?: Partial<Record<number, unknown>>;
  /** The route answers HTML pages, errors included. */
  html?: boolean;
}

const CALL_ID = '5b0f3c0e-8a51-4c53-9d43-0b6f8e1f2a7c';
const CALL_VIEW = {
  id: CALL_ID, orgId: 'demo', conversationId: 'conv-1042', clientId: 'client-7', clientName: 'Bob Lambert',
  agentId: 'agent-1', agentName: 'Alice Agent', media: 'video', status: 'ringing', linkDelivered: true,
  createdAt: '2026-11-26T08:00:00.000Z', expiresAt: '2026-11-27T08:00:00.000Z', endedAt: null, endedBy: null, endReason: null,
  agentAwaySince: null, invitedAt: '2026-11-26T08:00:00.000Z',
};
const CREDENTIALS = {
  role: 'agent', token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI1YjBm…', expiresAt: '2026-11-26T08:10:00.000Z',
  liveUrl: `wss://calls.example.com/v1/calls/${CALL_ID}/live`, media: { mode: 'direct', iceServers: [{ urls: 'stun:stun.example.com:3478' }] },
};
const DELIVERY = {
  id: 'msg_2f6a0c8e-0a7b-4f0e-9a53-6d1f4f3b8e21', callId: CALL_ID, type: 'call.invite', status: 'failed', attempts: 8,
  lastError: 'HTTP 503', createdAt: '2026-11-26T08:00:00.000Z', nextAttemptAt: null, deliveredAt: null, coalescedInto: null,
};
const CREDENTIALS_401 = ['unauthorized', 'token_expired', 'credentials_replaced'];
const AGENT_TOKEN_401 = ['unauthorized', 'token_expired'];
const API_KEY_401 = ['unauthorized'];

/** Documentation of every visible route, by `METHOD /path`. */
export const ROUTE_DOCS: Record<string, RouteDoc> = {
  'POST /v1/calls': {
    operationId: 'createCall', tag: 'calls', security: ['agentToken'],
    summary: 'Make a call for the agent\'s conversation (or get the one already open there)',
    description: 'Prerequisites come from the signed agent token: a client is selected, the conversation is started, the agent owns it. The invite goes out as the `call.invite` webhook.',
    errors: { 401: AGENT_TOKEN_401, 409: ['client_not_selected', 'conversation_not_started', 'not_conversation_owner'], 503: ['media_unavailable'] },
    responses: { 201: 'The call was made: the agent\'s credentials and the join link', 200: 'A call was already open on this conversation: it is returned, with fresh agent credentials' },
    bodyExample: { media: 'video' },
    examples: { 201: { call: { ...CALL_VIEW, status: 'created', linkDelivered: false }, credentials: CREDENTIALS, joinUrl: `https://calls.example.com/join/${CALL_ID}#q3Vn…` } },
  },
  'GET /v1/calls': {
    operationId: 'listCalls', tag: 'calls', security: ['apiKey'],
    summary: 'List the org\'s calls, newest first',
    description: 'Filters narrow; `nextCursor` pages on (created_at, id). A call past its ring timeout or expiry shows as ended within seconds (the sweep); GET /v1/calls/{id} settles it at once.',
    errors: { 401: API_KEY_401 },
    responses: { 200: 'A page of calls' },
    examples: { 200: { calls: [CALL_VIEW], nextCursor: 'WyIyMDI2LTExLTI2VDA4OjAwOjAwLjAwMFoiLCI1YjBm…' } },
  },
  'GET /v1/calls/:id': {
    operationId: 'getCall', tag: 'calls', security: ['callCredentials', 'apiKey'],
    summary: 'Read a call',
    description: 'With call credentials, reads are limited per call and role (shared with the timeline and diagnostics reads; API keys are not counted): the hosted join page polls it every few seconds while the client is on the pre-join screen, to show at once that the call ended, was missed or that its link expired.',
    errors: { 401: CREDENTIALS_401, 404: ['call_not_found'], 429: ['rate_limited'] },
    responses: { 200: 'The call as it is now' },
    examples: { 200: CALL_VIEW },
  },
  'POST /v1/calls/:id/end': {
    operationId: 'endCall', tag: 'calls', security: ['callCredentials', 'apiKey'],
    summary: 'End a call (agent or integrator; idempotent)',
    errors: { 401: CREDENTIALS_401, 403: ['forbidden'], 404: ['call_not_found'] },
    responses: { 200: 'The ended call (unchanged when it had already ended)' },
    bodyExample: { reason: 'resolved' },
    examples: { 200: { ...CALL_VIEW, status: 'ended', endedAt: '2026-11-26T08:05:12.000Z', endedBy: 'api', endReason: 'resolved' } },
  },
  'POST /v1/calls/:id/resume': {
    operationId: 'resumeCall', tag: 'calls', security: ['callCredentials'],
    summary: 'The agent comes back: the call\'s media restored if lost, fresh credentials for the same session',
    errors: { 401: CREDENTIALS_401, 403: ['forbidden'], 404: ['call_not_found'], 409: ['call_ended'], 503: ['media_unavailable'] },
    responses: { 200: 'The call and fresh agent credentials' },
  },
  'POST /v1/calls/:id/invite': {
    operationId: 'resendInvite', tag: 'calls', security: ['callCredentials'],
    summary: 'Send the link again: a fresh `call.invite` webhook (the host posts the same link again); the call rings again',
    description: 'The agent\'s "Send the link again". Only while nobody has joined; the ring timeout counts again from now. At most 3 per minute per call.',
    errors: { 401: CREDENTIALS_401, 403: ['forbidden'], 404: ['call_not_found'], 409: ['call_ended', 'call_not_ringing'], 429: ['rate_limited'] },
    responses: { 200: 'The call, `invitedAt` now' },
    examples: { 200: { ...CALL_VIEW, invitedAt: '2026-11-26T08:01:00.000Z' } },
  },
  'POST /v1/calls/:id/events': {
    operationId: 'reportCallEvent', tag: 'calls', security: ['callCredentials'],
    summary: 'Report a fact seen in a participant\'s browser (screen share, a blocked device)',
    errors: { 401: CREDENTIALS_401, 404: ['call_not_found'], 409: ['call_ended'] },
    responses: { 202: 'Recorded (a repeat of the current state is accepted and changes nothing)' },
    bodyExample: { type: 'media_blocked', device: 'camera', reason: 'NotAllowedError' },
  },
  'POST /v1/calls/:id/diagnostics': {
    operationId: 'reportDiagnostics', tag: 'calls', security: ['callCredentials'],
    summary: 'Report this side\'s half of "Copy diagnostics" (browser, permissions, devices, connection); the latest one per side is kept',
    errors: { 401: CREDENTIALS_401, 404: ['call_not_found'], 413: ['payload_too_large'] },
    responses: { 202: 'Stored as this side\'s latest half' },
  },
  'GET /v1/calls/:id/diagnostics': {
    operationId: 'getDiagnostics', tag: 'calls', security: ['callCredentials', 'apiKey'],
    summary: 'Both sides\' latest diagnostics halves and the join link without its secret (agent credentials or API key)',
    errors: { 401: CREDENTIALS_401, 403: ['forbidden'], 404: ['call_not_found'] },
    responses: { 200: 'The halves (null where a side never reported)' },
  },
  'GET /v1/calls/:id/timeline': {
    operationId: 'getCallTimeline', tag: 'calls', security: ['callCredentials', 'apiKey'],
    summary: 'A call\'s events in the order they happened',
    errors: { 401: CREDENTIALS_401, 404: ['call_not_found'] },
    responses: { 200: 'A page of events, oldest first' },
    examples: {
      200: {
        callId: CALL_ID,
        events: [
          { type: 'call.created', by: 'agent', at: '2026-11-26T08:00:00.000Z', data: { media: 'video' } },
          { type: 'call.invite', by: 'system', at: '2026-11-26T08:00:00.000Z', data: {} },
          { type: 'call.link_opened', by: 'client', at: '2026-11-26T08:00:41.000Z', data: {} },
          { type: 'call.client_joined', by: 'client', at: '2026-11-26T08:00:43.000Z', data: {} },
          { type: 'call.ended', by: 'agent', at: '2026-11-26T08:05:12.000Z', data: { reason: 'ended_by_agent', durationSeconds: 312 } },
        ],
        nextCursor: null,
      },
    },
  },
  'GET /v1/calls/:id/webhooks': {
    operationId: 'listCallWebhooks', tag: 'webhooks', security: ['apiKey'],
    summary: 'A call\'s webhook deliveries, newest first (never their payload)',
    errors: { 401: API_KEY_401, 404: ['call_not_found'] },
    responses: { 200: 'A page of deliveries' },
    examples: { 200: { deliveries: [DELIVERY], nextCursor: null } },
  },
  'GET /v1/calls/:id/live': {
    operationId: 'openLiveSocket', tag: 'live', security: ['liveSubprotocol'],
    summary: 'The call\'s WebSocket: hello, call changes, presence, participant events, signalling',
    description: 'Open with `new WebSocket(liveUrl, [\'switchboard.v1\', token])`. Messages: protocol/live.ts and docs/architecture.md ("Live socket"). Refusals are plain HTTP before any upgrade.',
    errors: { 401: CREDENTIALS_401 },
    responses: { 101: 'Switching Protocols: subprotocol `switchboard.v1`; the first message is `hello`' },
  },
  'POST /v1/join': {
    operationId: 'joinCall', tag: 'join', security: [],
    summary: 'Exchange a join link\'s secret for the client\'s credentials',
    description: 'The secret is the fragment of the join link (`…/join/<callId>#<secret>`), which never reaches the server otherwise. A wrong secret is 404 `link_invalid` whatever the call\'s state. Each join starts a new client session; older client credentials stop working.',
    errors: { 404: ['link_invalid'], 410: ['call_ended', 'link_expired'] },
    responses: { 200: 'The call and the client\'s credentials' },
    bodyExample: { callId: CALL_ID, secret: 'q3VnT0k2…' },
    examples: { 200: { call: { ...CALL_VIEW, status: 'ringing' }, credentials: { ...CREDENTIALS, role: 'client' } } },
  },
  'GET /v1/webhooks/deliveries': {
    operationId: 'listWebhookDeliveries', tag: 'webhooks', security: ['apiKey'],
    summary: 'List webhook deliveries, newest first (failed ones: `status=failed`); never their payload',
    errors: { 401: API_KEY_401 },
    responses: { 200: 'A page of deliveries' },
    examples: { 200: { deliveries: [DELIVERY], nextCursor: '1042' } },
  },
  'POST /v1/webhooks/deliveries/:id/replay': {
    operationId: 'replayWebhookDelivery', tag: 'webhooks', security: ['apiKey'],
    summary: 'Send a delivery again: pending, due now, attempts reset, in its place in its call\'s order',
    errors: { 401: API_KEY_401, 404: ['delivery_not_found'] },
    responses: { 200: 'The delivery, pending again' },
    examples: { 200: { ...DELIVERY, status: 'pending', attempts: 0, lastError: null, nextAttemptAt: '2026-11-26T09:00:00.000Z' } },
  },
  'POST /v1/webhooks/test': {
    operationId: 'testWebhook', tag: 'webhooks', security: ['apiKey'],
    summary: 'Send a signed `webhook.test` to the org\'s endpoint now and report its answer',
    description: 'Signed like every webhook; sent once, outside every call\'s queue (no delivery row, no retry). A failing endpoint is still a 200 with `delivered: false`.',
    errors: { 401: API_KEY_401 },
    responses: { 200: 'What the endpoint answered' },
    examples: { 200: { webhookId: 'msg_7d1c4c1e-5f9b-4a55-8f0e-2a1b3c4d5e6f', delivered: false, status: 500, latencyMs: 84, error: 'HTTP 500' } },
  },
  'POST /v1/livekit/webhook': {
    operationId: 'livekitWebhook', tag: 'livekit', security: ['livekitWebhook'],
    summary: 'LiveKit\'s room and participant events (LiveKit mode)',
    errors: { 401: ['unauthorized'], 404: ['not_found'], 415: ['unsupported_media_type'] },
    responses: { 200: 'What the event did: applied, duplicate (seen before) or ignored' },
  },
  'GET /healthz': {
    operationId: 'healthz', tag: 'health', security: [],
    summary: 'Liveness: the process answers (touches no dependency)',
    responses: { 200: 'Alive' },
  },
  'GET /readyz': {
    operationId: 'readyz', tag: 'health', security: [],
    summary: 'Readiness: the database, the live bus and (LiveKit mode) the LiveKit API answer',
    responses: { 200: 'Ready', 503: 'Not ready: `checks` says which dependency failed (details in the log)' },
  },
  'GET /join/:callId': {
    operationId: 'joinPage', tag: 'join', security: [], html: true,
    summary: 'The hosted join page the link opens (HTML)',
    responses: {
      200: 'The page; it reads the secret from the fragment and joins',
      404: '"This link is not valid" page',
      410: '"This call has ended" or "This link has expired — ask for a new one" page',
      429: '"Too many attempts" page',
      500: '"Something went wrong" page',
    },
  },
};
