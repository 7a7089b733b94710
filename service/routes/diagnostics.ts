// "Copy diagnostics": each side's browser reports its half (POST, its own call credentials), the agent
// (or the org's API key) reads both halves back (GET) to merge them into one escalation report.
// A join-link holder reaches POST: the body is schema-checked and size-bounded, the calls are
// counted against the call's per-role budget, and only the latest half per side is kept.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { CallDiagnosticsSchema, DiagnosticsHalfSchema, MAX_DIAGNOSTICS_BYTES } from '../../protocol/diagnostics.js';
import { errors } from '../errors.js';
import { DiagnosticsStore } from '../store/diagnostics-store.js';
import { CallIdParams, errorResponses, NO_STORE } from './schemas.js';

/** Options of the diagnostics routes. */
export interface DiagnosticsRoutesOptions {
  /** PUBLIC_URL: the join link is rebuilt from it, without its secret. */
  publicUrl: string;
}

const diagnostics: FastifyPluginAsyncTypebox<DiagnosticsRoutesOptions> = async (fastify, opts) => {
  const store = new DiagnosticsStore(fastify.db);

  fastify.post('/v1/calls/:id/diagnostics', {
    bodyLimit: MAX_DIAGNOSTICS_BYTES,
    // Shares the per-call participant budget with events: a browser sends a half on joining and on material changes.
    preValidation: [fastify.auth.requireCaller(false), fastify.limits.callEvents],
    schema: {
      params: CallIdParams,
      body: DiagnosticsHalfSchema,
      response: { 202: Type.Object({ accepted: Type.Literal(true) }), ...errorResponses(400, 401, 404, 413, 429) },
    },
  }, async (request, reply) => {
    const caller = request.caller;
    if (caller?.kind !== 'participant') throw errors.unauthorized();
    await store.save(caller.participant.callId, caller.participant.role, request.body, new Date());
    return reply.code(202).send({ accepted: true as const });
  });

  fastify.get('/v1/calls/:id/diagnostics', {
    preValidation: [fastify.auth.requireCaller(true), fastify.limits.callReads],
    schema: { params: CallIdParams, response: { 200: CallDiagnosticsSchema, ...errorResponses(401, 403, 404, 429) } },
  }, async (request, reply) => {
    const caller = request.caller;
    if (!caller) throw errors.unauthorized();
    // The client's report is its own; only the agent (or the host's backend) sees both halves.
    if (caller.kind === 'participant' && caller.participant.role !== 'agent') throw errors.forbidden('Only the agent reads both halves of the diagnostics');
    const callId = caller.kind === 'participant' ? caller.participant.callId : request.params.id;
    const halves = await store.get(callId);
    return reply.header('cache-control', NO_STORE).send({ callId, joinLink: `${opts.publicUrl}/join/${callId}`, ...halves });
  });
};

export default diagnostics;
