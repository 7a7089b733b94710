// POST /v1/webhooks/test: one signed `webhook.test` to the org's endpoint, now, and what the endpoint answered.
import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { WEBHOOK_TEST_EVENT } from '../../protocol/webhooks.js';
import { errorResponses, NO_STORE } from './schemas.js';

const nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

/** What the endpoint did with the test message. */
const WebhookTestResult = Type.Object({
  webhookId: Type.String({ description: 'The webhook-id header the endpoint received' }),
  delivered: Type.Boolean({ description: 'True when the endpoint answered 2xx' }),
  status: nullable(Type.Integer({ description: 'The endpoint\'s HTTP status; null when it did not answer' })),
  latencyMs: Type.Integer({ minimum: 0, description: 'Until the endpoint\'s answer (or the failure)' }),
  error: nullable(Type.String({ description: 'Why it was not delivered, e.g. "HTTP 500", "timed out after 5000 ms", "request failed: ECONNREFUSED"' })),
});

const webhookTest: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post('/v1/webhooks/test', {
    // Each call makes an outgoing request: limited per org once the API key is verified.
    preValidation: [fastify.auth.requireApiKey, fastify.limits.webhookTest],
    schema: { response: { 200: WebhookTestResult, ...errorResponses(401, 429) } },
  }, async (request, reply) => {
    // The org of the API key: its endpoint, its secret.
    const orgId = fastify.auth.orgOf(request);
    const webhookId = `msg_${randomUUID()}`;
    const payload = {
      type: WEBHOOK_TEST_EVENT,
      timestamp: new Date().toISOString(),
      data: { orgId, message: 'A test webhook from Switchboard: your endpoint is reachable and can verify the signature.' },
    };
    // Sent directly, never through the outbox: a test belongs to no call and must not wait behind (or hold up) one.
    const result = await fastify.webhookWorker.sendUnqueued(orgId, webhookId, payload);
    return reply.header('cache-control', NO_STORE).send({
      webhookId,
      delivered: result.error === null,
      status: result.status,
      latencyMs: Math.round(result.latencyMs),
      error: result.error,
    });
  });
};

export default webhookTest;
