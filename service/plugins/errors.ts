// One error handler and one not-found handler, both answering {statusCode, code, error, message};
// plus the two handlers Fastify takes as options for errors met before a route is found.
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { errorBody, toErrorBody, type ErrorBody } from '../errors.js';

/** Sends any thrown value as our JSON error body (5xx logged, never detailed). */
export function sendError(err: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const body = toErrorBody(err);
  if (body.statusCode >= 500) request.log.error({ err }, 'request failed');
  return reply.code(body.statusCode).type('application/json; charset=utf-8').send(body);
}

/** What Node's HTTP parser reports, in our codes; anything else it refuses is a malformed request. */
function clientErrorBody(code: string | undefined): ErrorBody {
  if (code === 'HPE_HEADER_OVERFLOW') return errorBody(431, 'headers_too_large', 'The request headers are too large');
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return errorBody(408, 'request_timeout', 'The request took too long to arrive');
  return errorBody(400, 'invalid_request', 'The request is not valid HTTP');
}

/**
 * Fastify's `clientErrorHandler`: Node's parser refuses some requests (headers too large, malformed,
 * too slow) before any route runs; answer them in our shape, then close, as Node itself would.
 */
export function clientErrorHandler(this: FastifyInstance, err: Error & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  this.log.debug({ err }, 'client error');
  // Like Node: only answer when no response has begun on this socket, or the peer would read garbage.
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (socket.writable && !inFlight?.headersSent) {
    const body = clientErrorBody(err.code);
    const json = JSON.stringify(body);
    socket.write(`HTTP/1.1 ${body.statusCode} ${STATUS_CODES[body.statusCode]}\r\nConnection: close\r\n`
      + `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(json)}\r\n\r\n${json}`);
  }
  socket.destroy();
}

async function errorsPlugin(fastify: FastifyInstance): Promise<void> {
  fastify.setErrorHandler((err, request, reply) => sendError(err, request, reply));
  fastify.setNotFoundHandler((request, reply) =>
    reply.code(404).send(errorBody(404, 'not_found', `Route ${request.method} ${request.url.split('?')[0]} not found`)));
}

/** Error and not-found handlers. */
export default fp(errorsPlugin, { name: 'switchboard-errors', fastify: '5.x' });
