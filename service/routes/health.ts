// GET /healthz: the process is up and the store answers.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { sql } from 'kysely';
import { Type } from 'typebox';
import { errorResponses } from './schemas.js';

const health: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/healthz', {
    schema: { response: { 200: Type.Object({ status: Type.Literal('ok') }), ...errorResponses(500) } },
  }, async () => {
    await sql`select 1`.execute(fastify.db);
    return { status: 'ok' as const };
  });
};

export default health;
