// POST /v1/join: a join-link secret in exchange for client credentials.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { CallViewSchema, CredentialsSchema, errorResponses, NO_STORE } from './schemas.js';

const JoinBody = Type.Object({
  callId: Type.String({ minLength: 1, maxLength: 128 }),
  secret: Type.String({ minLength: 1, maxLength: 256 }),
});

const join: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post('/v1/join', {
    schema: {
      body: JoinBody,
      response: { 200: Type.Object({ call: CallViewSchema, credentials: CredentialsSchema }), ...errorResponses(400, 404, 410) },
    },
  }, async (request, reply) => {
    const result = await fastify.calls.join(request.body.callId, request.body.secret);
    return reply.header('cache-control', NO_STORE).send(result);
  });
};

export default join;
