/**
 * The bare Fastify app every capacity figure is compared with: a JSON POST answered 201 with nothing behind it, and a
 * WebSocket route relaying each message of a pair's socket to the other, on the same Fastify and @fastify/websocket as
 * the service. What is left of a figure's cost after dividing by it is the service's own.
 */
import websocket from '@fastify/websocket';
import Fastify from 'fastify';
import type { WebSocket } from 'ws';

/** Paths of the bare app. */
export const BARE_POST_PATH = '/v1/bare';
/** `:id` is a pair of sockets, `:role` agent or client. */
export const barePairPath = (id: string, role: string) => `/v1/bare/${id}/live/${role}`;

/** Starts the bare app on 127.0.0.1 (a free port). */
export async function startBareServer(): Promise<{ url: string; close: () => Promise<void>; sockets: () => number }> {
  const app = Fastify({ logger: false });
  await app.register(websocket, { options: { maxPayload: 256 * 1024 } });
  const pairs = new Map<string, Map<string, WebSocket>>();
  let open = 0;
  app.post(BARE_POST_PATH, async (request, reply) => reply.code(201).send({ ok: true, received: request.body }));
  app.get('/v1/bare/:id/live/:role', { websocket: true }, (socket, request) => {
    const { id, role } = request.params as { id: string; role: string };
    const pair = pairs.get(id) ?? new Map<string, WebSocket>();
    pairs.set(id, pair);
    pair.set(role, socket);
    open += 1;
    socket.send(JSON.stringify({ type: 'hello', role }));
    socket.on('message', (data: Buffer) => {
      for (const [other, peer] of pair) if (other !== role) peer.send(data.toString());
    });
    socket.on('close', () => {
      open -= 1;
      pair.delete(role);
      if (pair.size === 0) pairs.delete(id);
    });
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url, close: () => app.close(), sockets: () => open };
}
