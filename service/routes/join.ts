// POST /v1/join: a join-link secret in exchange for client credentials.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { CallId, CallViewSchema, CredentialsSchema, errorResponses, NO_STORE, SafeString } from './schemas.js';

const JoinBody = Type.Object({
  callId: CallId(),
  secret: SafeString({ minLength: 1, maxLength: 256 }),
});

const join: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post('/v1/join', {
    // Throttles guessing secrets (per IP, and per call + IP).
    preValidation: fastify.limits.join,
    schema: {
      body: JoinBody,
      response: { 200: Type.Object({ call: CallViewSchema, credentials: CredentialsSchema }), ...errorResponses(400, 404, 410, 429) },
    },
  }, async (request, reply) => {
    const result = await fastify.calls.join(request.body.callId, request.body.secret);
    return reply.header('cache-control', NO_STORE).send(result);
  });
};

export default join;
