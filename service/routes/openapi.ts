// GET /openapi.json: the OpenAPI 3 document, generated from the routes' own schemas.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';

const openapi: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/openapi.json', {
    schema: {
      hide: true,
      response: { 200: Type.Object({ openapi: Type.String(), info: Type.Object({ title: Type.String(), version: Type.String() }) }, { additionalProperties: true }) },
    },
  }, async (_request, reply) => reply.header('access-control-allow-origin', '*').send(fastify.swagger() as { openapi: string; info: { title: string; version: string } }));
};

export default openapi;
