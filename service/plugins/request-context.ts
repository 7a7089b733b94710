// What every log line of a request carries: its id (taken from a safe incoming X-Request-Id, echoed back) and, on
// routes about one call, the call id; plus what the logger must never write down.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

/** The header a request id comes in and goes back in. */
export const REQUEST_ID_HEADER = 'x-request-id';

/**
 * An incoming id is believed only when it is a short token of safe characters: it ends up in every log line of the
 * request, so a client must not be able to inject newlines, JSON or megabytes into the logs through it.
 */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:@-]{1,64}$/;

/** Fastify's `genReqId`: the caller's X-Request-Id when it is a safe token (a proxy's or a client's trace id), else a fresh UUID. */
export function requestIdOf(request: IncomingMessage): string {
  const incoming = request.headers[REQUEST_ID_HEADER];
  return typeof incoming === 'string' && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/**
 * pino `redact` paths: tokens and secrets never reach the logs, whoever logs the request, its headers, a body or an
 * error. Headers: bearer tokens (agent tokens, call credentials, API keys), the live socket's token (second
 * subprotocol), cookies. Bodies: the join secret of POST /v1/join and any credentials or secret field one level down
 * (a body, an answer, an error's context logged as an object).
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers["sec-websocket-protocol"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers["sec-websocket-protocol"]',
  'headers.cookie',
  'req.body',
  'res.body',
  'body.secret',
  'body.token',
  'secret',
  'token',
  'apiKey',
  'webhookSecret',
  'signingSecret',
  '*.secret',
  '*.token',
  '*.joinSecret',
  '*.apiKey',
  '*.webhookSecret',
  '*.signingSecret',
  '*.authorization',
  'credentials.token',
  '*.credentials.token',
];

/** The longest id that is bound to a logger; anything longer is not a call id this service made. */
const CALL_ID_PATTERN = /^[A-Za-z0-9_.:-]{1,128}$/;

/** The call a request is about: `:id` or `:callId` in the path, or `callId` in the body (POST /v1/join). */
function callIdOf(request: FastifyRequest): string | null {
  const params = request.params as { id?: unknown; callId?: unknown } | undefined;
  const body = request.body as { callId?: unknown } | undefined;
  // Only call routes name their `:id` a call (the deliveries replay route's :id is a delivery).
  const fromParams = request.routeOptions.url?.startsWith('/v1/calls/') || request.routeOptions.url?.startsWith('/join/') ? (params?.id ?? params?.callId) : undefined;
  const candidate = fromParams ?? (body && typeof body === 'object' ? body.callId : undefined);
  return typeof candidate === 'string' && CALL_ID_PATTERN.test(candidate) ? candidate : null;
}

async function requestContextPlugin(fastify: FastifyInstance): Promise<void> {
  // Echoed on every answer (errors included), so a caller can quote it and an operator find the request's lines.
  fastify.addHook('onRequest', async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id);
  });
  // preValidation rather than preHandler: the body is parsed by then, and the authentication and rate-limit hooks
  // that run next (route-level preValidation) may log or fail; their lines carry the call id too.
  fastify.addHook('preValidation', async (request, reply) => {
    const callId = callIdOf(request);
    if (!callId) return;
    const log = request.log.child({ callId });
    // Fastify's "request completed" line is written through reply.log: bind both.
    request.log = log;
    reply.log = log;
  });
}

/** Request ids echoed in `x-request-id`; `callId` bound to the request's logger on call routes. */
export default fp(requestContextPlugin, { name: 'switchboard-request-context', fastify: '5.x' });
