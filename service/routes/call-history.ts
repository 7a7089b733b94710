// Reading calls back: list them (filters, cursor paging), a call's timeline, a call's webhook deliveries.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { CallEventSchema, CallViewSchema } from '../../protocol/call.js';
import { CallStatus } from '../domain/call-lifecycle.js';
import { toCallView } from '../domain/call-view.js';
import { errors } from '../errors.js';
import { CallHistory } from '../store/call-history.js';
import type { CallRow } from '../store/schema.js';
import { CallIdParams, errorResponses, NO_STORE, SafeString } from './schemas.js';
import { DeliverySchema, DeliveryStatusSchema, toDelivery } from './webhooks.js';

const nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

const STATUSES = Object.values(CallStatus);
const STATUS_ALTERNATIVES = `(${STATUSES.join('|')})`;
/** One status or several, comma-separated (`status=ringing,active`); the key may also be repeated. */
const StatusList = Type.String({ pattern: `^${STATUS_ALTERNATIVES}(,${STATUS_ALTERNATIVES}){0,${STATUSES.length - 1}}$` });
/** An instant with its zone (`Z` or `±hh:mm`; a `+` must be sent as %2B), or a date (midnight UTC). */
const Instant = (description: string) => Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2}))?$',
  description,
});
/** Patterns of 1 to 100 and 1 to 500: query strings stay strings (the app does not coerce types). */
const LIMIT_PATTERNS = { 100: '^(100|[1-9][0-9]?)$', 500: '^(500|[1-4][0-9]{2}|[1-9][0-9]?)$' } as const;
const Limit = (max: keyof typeof LIMIT_PATTERNS, fallback: number) => Type.String({ pattern: LIMIT_PATTERNS[max], description: `1 to ${max}, default ${fallback}` });
const Id = (description: string) => SafeString({ minLength: 1, maxLength: 128, description });

const ListCallsQuery = Type.Object({
  conversationId: Type.Optional(Id('Calls of this conversation')),
  clientId: Type.Optional(Id('Calls with this client')),
  agentId: Type.Optional(Id('Calls by this agent')),
  status: Type.Optional(Type.Union([StatusList, Type.Array(StatusList, { maxItems: STATUSES.length })], {
    description: 'One status or several: `status=ringing,active` or `status=ringing&status=active`',
  })),
  createdAfter: Type.Optional(Instant('Calls made at or after this instant (ISO 8601)')),
  createdBefore: Type.Optional(Instant('Calls made before this instant (ISO 8601)')),
  limit: Type.Optional(Limit(100, 50)),
  cursor: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,400}$', description: 'nextCursor of the previous page' })),
}, { additionalProperties: false });

const ListCallsResponse = Type.Object({
  calls: Type.Array(CallViewSchema),
  nextCursor: nullable(Type.String({ description: 'Pass as `cursor` for the next page; null on the last page' })),
});

const TimelineQuery = Type.Object({
  limit: Type.Optional(Limit(500, 200)),
  cursor: Type.Optional(Type.String({ pattern: '^[0-9]{1,19}$', description: 'nextCursor of the previous page' })),
}, { additionalProperties: false });
const TimelineResponse = Type.Object({
  callId: Type.String(),
  events: Type.Array(CallEventSchema, { description: 'In the order they were recorded' }),
  nextCursor: nullable(Type.String()),
});

const CallDeliveriesQuery = Type.Object({
  status: Type.Optional(DeliveryStatusSchema),
  limit: Type.Optional(Limit(100, 50)),
  cursor: Type.Optional(Type.String({ pattern: '^[0-9]{1,19}$', description: 'nextCursor of the previous page' })),
}, { additionalProperties: false });
const CallDeliveriesResponse = Type.Object({ deliveries: Type.Array(DeliverySchema), nextCursor: nullable(Type.String()) });

/** The listing's cursor: the last call of a page, as base64url JSON `[createdAt, id]` (opaque to callers). */
function encodeCursor(row: CallRow): string {
  return Buffer.from(JSON.stringify([new Date(row.created_at).toISOString(), row.id])).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    const createdAt = new Date(typeof at === 'string' ? at : NaN);
    if (typeof id === 'string' && id.length <= 128 && !Number.isNaN(createdAt.getTime())) return { createdAt, id };
  } catch {
    // falls through to the error below
  }
  throw errors.invalidRequest('querystring/cursor is not a cursor this API gave out');
}

function instant(value: string | undefined, name: string): Date | undefined {
  if (value === undefined) return undefined;
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) throw errors.invalidRequest(`querystring/${name} is not a valid date`);
  return at;
}

function statuses(value: string | string[] | undefined): CallStatus[] | undefined {
  if (value === undefined) return undefined;
  return [...new Set((Array.isArray(value) ? value : [value]).flatMap((v) => v.split(',')))] as CallStatus[];
}

const callHistory: FastifyPluginAsyncTypebox = async (fastify) => {
  const history = new CallHistory(fastify.db);
  /** The call of the request's org (auth set the org; a participant's credentials are for this very call). */
  const orgCall = async (request: FastifyRequest, callId: string): Promise<CallRow> => {
    const row = await history.find(fastify.auth.orgOf(request), callId);
    if (!row) throw errors.callNotFound();
    return row;
  };

  fastify.get('/v1/calls', {
    preValidation: fastify.auth.requireApiKey,
    schema: { querystring: ListCallsQuery, response: { 200: ListCallsResponse, ...errorResponses(400, 401) } },
  }, async (request, reply) => {
    const query = request.query;
    const limit = query.limit ? Number(query.limit) : 50;
    // One more than asked: a full page is followed by a cursor only when something comes after it.
    const rows = await history.list({
      orgId: fastify.auth.orgOf(request),
      conversationId: query.conversationId,
      clientId: query.clientId,
      agentId: query.agentId,
      statuses: statuses(query.status),
      createdAfter: instant(query.createdAfter, 'createdAfter'),
      createdBefore: instant(query.createdBefore, 'createdBefore'),
      after: query.cursor === undefined ? undefined : decodeCursor(query.cursor),
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const nextCursor = rows.length > limit ? encodeCursor(page[page.length - 1]!) : null;
    return reply.header('cache-control', NO_STORE).send({ calls: page.map(toCallView), nextCursor });
  });

  fastify.get('/v1/calls/:id/timeline', {
    // A link holder reaches this with client credentials: limited per call and role once they are verified.
    preValidation: [fastify.auth.requireCaller(true), fastify.limits.callReads],
    schema: { params: CallIdParams, querystring: TimelineQuery, response: { 200: TimelineResponse, ...errorResponses(400, 401, 404, 429) } },
  }, async (request, reply) => {
    const row = await orgCall(request, request.params.id);
    const limit = request.query.limit ? Number(request.query.limit) : 200;
    const rows = await history.timeline(row.id, limit + 1, request.query.cursor);
    const page = rows.slice(0, limit);
    const events = page.map((e) => ({ type: e.type, by: e.by as Static<typeof CallEventSchema>['by'], at: new Date(e.at).toISOString(), data: e.data }));
    const nextCursor = rows.length > limit ? page[page.length - 1]!.id : null;
    return reply.header('cache-control', NO_STORE).send({ callId: row.id, events, nextCursor });
  });

  fastify.get('/v1/calls/:id/webhooks', {
    preValidation: fastify.auth.requireApiKey,
    schema: { params: CallIdParams, querystring: CallDeliveriesQuery, response: { 200: CallDeliveriesResponse, ...errorResponses(400, 401, 404) } },
  }, async (request, reply) => {
    const row = await orgCall(request, request.params.id);
    const limit = request.query.limit ? Number(request.query.limit) : 50;
    const rows = await fastify.webhookOutbox.list({ orgId: row.org_id, callId: row.id, status: request.query.status, limit: limit + 1, beforeSeq: request.query.cursor });
    const page = rows.slice(0, limit);
    const nextCursor = rows.length > limit ? String(page[page.length - 1]!.seq) : null;
    return reply.header('cache-control', NO_STORE).send({ deliveries: page.map(toDelivery), nextCursor });
  });
};

export default callHistory;
