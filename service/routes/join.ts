// POST /v1/join: a join-link secret in exchange for client credentials.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { JoinBody, JoinResultSchema } from '../../protocol/call.js';
import { errorResponses, NO_STORE } from './schemas.js';

const join: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post('/v1/join', {
    // Throttles guessing secrets (per IP, and per call + IP).
    preValidation: fastify.limits.join,
    schema: {
      body: JoinBody,
      response: { 200: JoinResultSchema, ...errorResponses(400, 404, 410, 429) },
    },
  }, async (request, reply) => {
    const result = await fastify.calls.join(request.body.callId, request.body.secret);
    return reply.header('cache-control', NO_STORE).send(result);
  });
};

export default join;
