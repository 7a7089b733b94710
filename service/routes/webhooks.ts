// The integrator's view of webhook deliveries: list them (failed ones first of all) and replay one.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import { errors } from '../errors.js';
import type { DeliveryRow } from '../store/schema.js';
import { errorResponses, NO_STORE } from './schemas.js';

const nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

/** What became of a delivery. */
export const DeliveryStatusSchema = Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed'), Type.Literal('coalesced')]);

/**
 * One delivery as listed. The payload is left out on purpose: an invite written by an older version carries its join
 * link, and the secret in it must not leak through a listing.
 */
export const DeliverySchema = Type.Object({
  id: Type.String({ description: 'The webhook-id the receiver saw' }),
  callId: nullable(Type.String()),
  type: Type.String({ description: 'Event type, e.g. call.invite' }),
  status: DeliveryStatusSchema,
  attempts: Type.Integer(),
  lastError: nullable(Type.String()),
  createdAt: Type.String(),
  nextAttemptAt: nullable(Type.String({ description: 'Pending rows only' })),
  deliveredAt: nullable(Type.String()),
  coalescedInto: nullable(Type.String({ description: 'Coalesced rows: the delivery sent in their place (null: cancelled out)' })),
});
type Delivery = Static<typeof DeliverySchema>;

/** Query strings stay strings (the app does not coerce types), hence the patterns. */
const ListQuery = Type.Object({
  status: Type.Optional(DeliveryStatusSchema),
  callId: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_.:-]{1,128}$' })),
  limit: Type.Optional(Type.String({ pattern: '^(100|[1-9][0-9]?)$', description: '1 to 100, default 50' })),
  cursor: Type.Optional(Type.String({ pattern: '^[0-9]{1,19}$', description: 'nextCursor of the previous page' })),
});
const ListResponse = Type.Object({ deliveries: Type.Array(DeliverySchema), nextCursor: nullable(Type.String()) });
const DeliveryParams = Type.Object({ id: Type.String({ pattern: '^[A-Za-z0-9_-]{1,128}$' }) });

const DEFAULT_LIMIT = 50;
const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/** A delivery as listed (GET /v1/webhooks/deliveries, GET /v1/calls/:id/webhooks). */
export function toDelivery(row: DeliveryRow): Delivery {
  return {
    id: row.id,
    callId: row.call_id,
    type: row.event_type,
    status: row.status,
    attempts: row.attempts,
    lastError: row.last_error,
    createdAt: new Date(row.created_at).toISOString(),
    nextAttemptAt: row.status === 'pending' ? iso(row.next_attempt_at) : null,
    deliveredAt: iso(row.delivered_at),
    coalescedInto: row.coalesced_into,
  };
}

const webhooks: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/v1/webhooks/deliveries', {
    preValidation: fastify.auth.requireApiKey,
    schema: { querystring: ListQuery, response: { 200: ListResponse, ...errorResponses(400, 401) } },
  }, async (request, reply) => {
    const limit = request.query.limit ? Number(request.query.limit) : DEFAULT_LIMIT;
    const orgId = fastify.auth.orgOf(request);
    const rows = await fastify.webhookOutbox.list({ orgId, status: request.query.status, callId: request.query.callId, limit, beforeSeq: request.query.cursor });
    const nextCursor = rows.length === limit ? String(rows[rows.length - 1]!.seq) : null;
    return reply.header('cache-control', NO_STORE).send({ deliveries: rows.map(toDelivery), nextCursor });
  });

  fastify.post('/v1/webhooks/deliveries/:id/replay', {
    preValidation: fastify.auth.requireApiKey,
    schema: { params: DeliveryParams, response: { 200: DeliverySchema, ...errorResponses(400, 401, 404) } },
  }, async (request, reply) => {
    // Another org's delivery answers like an unknown one.
    const row = await fastify.webhookOutbox.replay(request.params.id, fastify.auth.orgOf(request));
    if (!row) throw errors.deliveryNotFound();
    fastify.webhookWorker.kick();
    return reply.header('cache-control', NO_STORE).send(toDelivery(row));
  });
};

export default webhooks;
