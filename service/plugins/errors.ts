// One error handler and one not-found handler, both answering {statusCode, code, error, message}.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { errorBody, toErrorBody } from '../errors.js';

async function errorsPlugin(fastify: FastifyInstance): Promise<void> {
  fastify.setErrorHandler((err, request, reply) => {
    const body = toErrorBody(err);
    if (body.statusCode >= 500) request.log.error({ err }, 'request failed');
    return reply.code(body.statusCode).type('application/json; charset=utf-8').send(body);
  });
  fastify.setNotFoundHandler((request, reply) =>
    reply.code(404).send(errorBody(404, 'not_found', `Route ${request.method} ${request.url.split('?')[0]} not found`)));
}

/** Error and not-found handlers. */
export default fp(errorsPlugin, { name: 'switchboard-errors', fastify: '5.x' });
