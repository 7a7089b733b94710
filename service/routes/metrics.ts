// GET /metrics: Prometheus exposition of service/plugins/metrics.ts, behind METRICS_TOKEN when one is set.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errors } from '../errors.js';
import { bearerToken } from '../plugins/auth.js';
import { errorResponses, NO_STORE } from './schemas.js';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** `token`: METRICS_TOKEN, the bearer a scraper must send; null leaves /metrics open (keep it off the public network then). */
const metrics: FastifyPluginAsyncTypebox<{ token: string | null }> = async (fastify, opts) => {
  const expected = opts.token === null ? null : digest(opts.token);

  fastify.get('/metrics', {
    // An operator's endpoint, not part of the integrators' API: documented in docs/architecture.md ("Observability").
    schema: { hide: true, response: { 200: Type.String(), ...errorResponses(401) } },
    preValidation: async (request) => {
      if (expected === null) return;
      const token = bearerToken(request);
      // Digests have one length, so the comparison is constant-time whatever was sent.
      if (!token || !timingSafeEqual(digest(token), expected)) throw errors.unauthorized('The metrics token is required (Authorization: Bearer)');
    },
  }, async (_request, reply) => {
    const body = await fastify.metrics.scrape();
    return reply.header('cache-control', NO_STORE).type(fastify.metrics.contentType).send(body);
  });
};

export default metrics;
