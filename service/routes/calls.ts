// The calls REST API: create, read, end, report events.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { EndedBy } from '../domain/call-lifecycle.js';
import { errors } from '../errors.js';
import type { CallCaller } from '../plugins/auth.js';
import { JoinResultSchema, ClientEventBody as EventBody, CreateCallBody as CreateBody, CreatedCallSchema as CreatedResponse, EndCallBody as EndBody, ExistingCallSchema as ExistingResponse } from '../../protocol/call.js';
import { CallIdParams, CallViewSchema, errorResponses, NO_STORE } from './schemas.js';

const calls: FastifyPluginAsyncTypebox = async (fastify) => {
  // Set by the preValidation hooks below; they run before body validation, so a caller without credentials gets 401, not 400.
  const callerOf = (request: { caller: CallCaller | null }): CallCaller => {
    if (!request.caller) throw errors.unauthorized();
    return request.caller;
  };

  fastify.post('/v1/calls', {
    // Limited per agent once the token is verified.
    preValidation: [fastify.auth.requireAgent, fastify.limits.createCall],
    schema: {
      body: CreateBody,
      response: { 200: ExistingResponse, 201: CreatedResponse, ...errorResponses(400, 401, 409, 429, 503) },
    },
  }, async (request, reply) => {
    if (!request.agent) throw errors.unauthorized();
    const result = await fastify.calls.create(request.agent, request.body.media ?? 'video');
    reply.header('cache-control', NO_STORE);
    if (result.created && result.joinUrl !== null) {
      return reply.code(201).send({ call: result.call, credentials: result.credentials, joinUrl: result.joinUrl });
    }
    return reply.code(200).send({ call: result.call, credentials: result.credentials, joinUrl: null });
  });

  fastify.get('/v1/calls/:id', {
    // A client on the pre-join polls it (every few seconds) to learn that the call ended: counted per call and role.
    preValidation: [fastify.auth.requireCaller(true), fastify.limits.callReads],
    schema: { params: CallIdParams, response: { 200: CallViewSchema, ...errorResponses(401, 404, 429) } },
  }, async (request, reply) => {
    callerOf(request);
    const call = await fastify.calls.get(request.params.id);
    if (!call) throw errors.callNotFound();
    return reply.header('cache-control', NO_STORE).send(call);
  });

  fastify.post('/v1/calls/:id/end', {
    preValidation: fastify.auth.requireCaller(true),
    schema: { params: CallIdParams, body: EndBody, response: { 200: CallViewSchema, ...errorResponses(400, 401, 403, 404) } },
  }, async (request, reply) => {
    const caller = callerOf(request);
    if (caller.kind === 'participant' && caller.participant.role !== 'agent') throw errors.forbidden('Only the agent can end the call');
    const by: EndedBy = caller.kind === 'api' ? 'api' : 'agent';
    const call = await fastify.calls.end(request.params.id, by, request.body.reason ?? (by === 'api' ? 'ended_by_api' : 'ended_by_agent'));
    return reply.header('cache-control', NO_STORE).send(call);
  });

  fastify.post('/v1/calls/:id/resume', {
    // Shares the per-call participant budget with events: each resume may cost a media-server call.
    preValidation: [fastify.auth.requireCaller(false), fastify.limits.callEvents],
    schema: {
      params: CallIdParams,
      response: { 200: JoinResultSchema, ...errorResponses(401, 403, 404, 409, 429, 503) },
    },
  }, async (request, reply) => {
    const caller = callerOf(request);
    if (caller.kind !== 'participant') throw errors.unauthorized();
    const result = await fastify.calls.resumeAgent(caller.participant);
    return reply.header('cache-control', NO_STORE).send(result);
  });

  fastify.post('/v1/calls/:id/invite', {
    // Each one posts a message into the conversation: a few per minute per call.
    preValidation: [fastify.auth.requireCaller(false), fastify.limits.resendInvite],
    schema: { params: CallIdParams, response: { 200: CallViewSchema, ...errorResponses(401, 403, 404, 409, 429) } },
  }, async (request, reply) => {
    const caller = callerOf(request);
    if (caller.kind !== 'participant') throw errors.unauthorized();
    const call = await fastify.calls.resendInvite(caller.participant);
    return reply.header('cache-control', NO_STORE).send(call);
  });

  fastify.post('/v1/calls/:id/events', {
    preValidation: [fastify.auth.requireCaller(false), fastify.limits.callEvents],
    schema: {
      params: CallIdParams,
      body: EventBody,
      response: { 202: Type.Object({ accepted: Type.Literal(true) }), ...errorResponses(400, 401, 404, 409, 429) },
    },
  }, async (request, reply) => {
    const caller = callerOf(request);
    if (caller.kind !== 'participant') throw errors.unauthorized();
    await fastify.calls.recordClientEvent(caller.participant, request.body);
    return reply.code(202).send({ accepted: true as const });
  });
};

export default calls;
