// GET /v1/calls/:id/live: the call's WebSocket, authenticated before the upgrade.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { Participant } from '../domain/credentials.js';
import { toErrorBody } from '../errors.js';
import { CallIdParams, errorResponses } from './schemas.js';

/** The subprotocol of the live socket; the credentials token rides as the second offered protocol. */
export const LIVE_SUBPROTOCOL = 'switchboard.v1';

/** Picks the credentials token out of `Sec-WebSocket-Protocol: switchboard.v1, <token>`. */
export function tokenFromProtocols(header: string | undefined): string | null {
  const offered = (header ?? '').split(',').map((p) => p.trim()).filter(Boolean);
  if (!offered.includes(LIVE_SUBPROTOCOL)) return null;
  return offered.find((p) => p !== LIVE_SUBPROTOCOL) ?? null;
}

const participants = new WeakMap<FastifyRequest, Participant>();

const live: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/v1/calls/:id/live', {
    websocket: true,
    schema: { params: CallIdParams, response: errorResponses(400, 401, 429) },
    // Counted before authentication, so a flood of upgrades costs no token checks; a 429 is plain HTTP.
    onRequest: fastify.limits.live,
    // Rejecting here answers plain HTTP 401 before any upgrade happens.
    preValidation: async (request, reply) => {
      try {
        const token = tokenFromProtocols(request.headers['sec-websocket-protocol']);
        participants.set(request, await fastify.auth.participant(token, request.params.id));
      } catch (err) {
        const body = toErrorBody(err);
        return reply.code(body.statusCode).send(body);
      }
    },
  }, async (socket, request) => {
    const participant = participants.get(request);
    if (!participant) return socket.close(4401, 'credentials rejected');
    await fastify.liveHub.connect(participant, socket).catch((err: Error) => {
      request.log.warn({ err }, 'live socket setup failed');
      socket.close(1011, 'internal error');
    });
  });
};

export default live;
