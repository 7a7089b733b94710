// What the OpenAPI document says beyond the routes' schemas: summaries, tags, security, every error each route can
// answer (with its codes), examples; applied by @fastify/swagger's `transform`, so validation is untouched.
import { STATUS_CODES } from 'node:http';
import type { SwaggerTransform, SwaggerTransformObject } from '@fastify/swagger';
import { errorBody, ErrorCode } from '../errors.js';
import { openapiWebhooks } from './openapi-webhooks.js';
import { ROUTE_DOCS, type RouteDoc } from './route-docs.js';
import { ErrorSchema } from './schemas.js';

/** Tags in the order the browsable docs show them. */
const TAGS = [
  { name: 'calls', description: 'Make, read, end and follow calls' },
  { name: 'join', description: 'The client\'s side: the join link and its page' },
  { name: 'live', description: 'The call\'s WebSocket (presence, call changes, direct-mode signalling)' },
  { name: 'webhooks', description: 'Deliveries of events to the org\'s endpoint: list, replay, test' },
  { name: 'webhook payloads', description: 'What the service POSTs to the org\'s endpoint (see `webhooks`)' },
  { name: 'livekit', description: 'LiveKit mode: events from the media server' },
  { name: 'health', description: 'Probes for load balancers and orchestrators' },
  { name: 'admin', description: 'Operators: orgs and their keys (only when OPERATOR_API_KEY is set)' },
];

/** Security schemes that are not a bearer header (service/app.ts declares them beside the bearer ones). */
export const EXTRA_SECURITY_SCHEMES = {
  liveSubprotocol: {
    type: 'apiKey', in: 'header', name: 'Sec-WebSocket-Protocol',
    description: 'Call credentials as the second WebSocket subprotocol: `switchboard.v1, <token>` (browsers cannot set Authorization on a WebSocket)',
  },
  livekitWebhook: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'LiveKit\'s webhook JWT (no `Bearer`), signed with LIVEKIT_API_SECRET' },
} as const;

/** Route-independent facts, on the document's description. */
const DESCRIPTION = [
  'Calls that start from a conversation. Contract and design: docs/architecture.md.',
  'Every error is `{ statusCode, code, error, message }` with a stable `code`. Any request may also be answered 408 `request_timeout` (not sent in time) or 431 `headers_too_large`, and an unknown route 404 `not_found`.',
  'Every answer carries `x-request-id` (yours when it is a short token of letters, digits and `._:@-`, else a new one): quote it when reporting a problem.',
].join('\n\n');

/** Our codes by status, for statuses a route does not describe more precisely. */
const CODES_BY_STATUS = Object.entries(ErrorCode).reduce<Record<number, string[]>>((acc, [code, status]) => {
  (acc[status] ??= []).push(code);
  return acc;
}, {});

/** Statuses any JSON route may answer whatever it does: a body that is not JSON, too large, of another type; a bad path. */
function commonErrors(method: string, hasParams: boolean, hasQuery: boolean): number[] {
  const statuses = [500];
  if (method === 'POST') statuses.push(400, 413, 415);
  if (hasParams) statuses.push(400, 414);
  if (hasQuery) statuses.push(400);
  return statuses;
}

/** One error response: the shared schema, a description naming its codes, an example of the first. */
function errorResponse(status: number, codes: readonly string[]): Record<string, unknown> {
  const list = codes.map((c) => `\`${c}\``).join(', ');
  return {
    ...ErrorSchema,
    description: `${STATUS_CODES[status] ?? 'Error'}: ${list}`,
    examples: [errorBody(status, codes[0] ?? 'invalid_request', exampleMessage(codes[0]))],
    ...(status === 429 ? { headers: { 'retry-after': { type: 'string', description: 'Seconds until a retry may succeed' } } } : {}),
  };
}

const exampleMessage = (code: string | undefined): string => ({
  unauthorized: 'Missing or invalid credentials',
  call_not_found: 'No such call',
  rate_limited: 'Too many requests; retry in 42 seconds',
  internal_error: 'Something went wrong on our side',
} as Record<string, string>)[code ?? ''] ?? 'See the code';

type Schema = Record<string, unknown> & { response?: Record<string, unknown>; params?: unknown; querystring?: unknown; body?: unknown; hide?: boolean; operationId?: string };

/** The route's responses as documented: its own schemas, described, with examples, plus every error it can answer. */
function documentedResponses(method: string, schema: Schema, doc: Partial<RouteDoc>): Record<string, unknown> {
  const own = schema.response ?? {};
  const responses: Record<string, unknown> = {};
  for (const [status, response] of Object.entries(own)) {
    if (Number(status) >= 400 && response === ErrorSchema) continue;
    const example = doc.examples?.[Number(status)];
    responses[status] = {
      ...(response as object),
      ...(doc.responses?.[Number(status)] ? { description: doc.responses[Number(status)] } : {}),
      ...(example !== undefined ? { examples: [example] } : {}),
    };
  }
  // Answers the schema cannot describe (a WebSocket's 101): a description and no body.
  for (const [status, description] of Object.entries(doc.responses ?? {})) responses[status] ??= { type: 'null', description };
  if (doc.html) return responses;
  const statuses = new Set([
    ...Object.keys(own).map(Number).filter((s) => s >= 400 && own[s] === ErrorSchema),
    ...Object.keys(doc.errors ?? {}).map(Number),
    ...commonErrors(method, schema.params !== undefined, schema.querystring !== undefined),
  ]);
  for (const status of [...statuses].sort((a, b) => a - b)) {
    if (responses[status]) continue;
    responses[status] = errorResponse(status, doc.errors?.[status] ?? CODES_BY_STATUS[status] ?? ['invalid_request']);
  }
  return responses;
}

/**
 * @fastify/swagger `transform`: adds each route's documentation from ROUTE_DOCS. A route without an entry keeps what
 * its own schema says (summary, tags, security) and gets its common errors; the OpenAPI test fails on one with neither.
 */
export const documentRoute: SwaggerTransform = ({ schema, url, route }) => {
  const method = Array.isArray(route.method) ? String(route.method[0]) : String(route.method);
  const doc = ROUTE_DOCS[`${method} ${url}`];
  const own = (schema ?? {}) as Schema;
  // @fastify/websocket hides every WebSocket route; the call's live socket is part of the API, so a documented one shows.
  const shown = doc !== undefined && (route as { websocket?: boolean }).websocket === true;
  if (!schema || (own.hide && !shown)) return { schema, url };
  if (!doc) {
    // Routes that document themselves in their schema (the admin routes): an operationId from the path if they gave none.
    const operationId = own.operationId ?? `${method.toLowerCase()}${url.replace(/[/:-](\w)/g, (_m, c: string) => c.toUpperCase())}`;
    return { url, schema: { ...own, operationId, response: documentedResponses(method, own, {}) } };
  }
  const body = own.body && doc.bodyExample !== undefined ? { ...own.body, examples: [doc.bodyExample] } : own.body;
  return {
    url,
    schema: {
      ...own,
      hide: false,
      operationId: doc.operationId,
      summary: doc.summary,
      description: doc.description,
      tags: [doc.tag],
      security: doc.security.map((name) => ({ [name]: [] })),
      ...(body !== undefined ? { body } : {}),
      ...(doc.html ? { produces: ['text/html'] } : {}),
      response: documentedResponses(method, own, doc),
    },
  };
};

/** @fastify/swagger `transformObject`: the description, tags and the `webhooks` section (OpenAPI 3.1). */
export const documentObject: SwaggerTransformObject = (documentObject) => {
  const document = ('openapiObject' in documentObject ? documentObject.openapiObject : documentObject.swaggerObject) as Record<string, unknown> & {
    info: Record<string, unknown>;
  };
  return {
    ...document,
    info: { ...document.info, description: DESCRIPTION },
    tags: TAGS,
    webhooks: openapiWebhooks(),
  } as unknown as ReturnType<SwaggerTransformObject>;
};
