/**
 * web-test-runner middleware backed by a real LiveKit server (test/support/livekit-server.ts),
 * started on the first request that needs it (once per run; runs that never ask pay nothing)
 * and stopped with the test server.
 *   POST /__test/livekit/token        {room, identity} → {url, token}   (creates the room if needed;
 *                                      the token may publish microphone, camera and screen share)
 *   POST /__test/livekit/delete-room  {room} → {}     (RoomService DeleteRoom: ends the room for everyone)
 */
import type { IncomingMessage } from 'node:http';
import { AccessToken, RoomServiceClient, TrackSource } from 'livekit-server-sdk';
import type { LivekitServer } from './livekit-server.js';
import type { KoaLikeContext } from './wtr-service.js';


/** Rooms outlive a test that forgets to delete them by this long at most. */
const ROOM_EMPTY_TIMEOUT_SECONDS = 60;
/** Tokens outlive a test by this long at most (never LiveKit's 6 h default). */
const TOKEN_TTL_SECONDS = 600;

/** The middleware exposing a LiveKit server to browser tests, and the hook that stops it. */
export function livekitTestServer(): {
  middleware: (ctx: KoaLikeContext, next: () => Promise<unknown>) => Promise<unknown>;
  close: () => Promise<void>;
} {
  let started: Promise<{ server: LivekitServer; rooms: RoomServiceClient }> | undefined;
  let closed = false;
  const start = () =>
    // Imported on first use too: a run that never asks for LiveKit needs neither the helper nor the binary.
    (started ??= import('./livekit-server.js').then(async ({ startLivekitServer }) => {
      const server = await startLivekitServer();
      // serverStop ran while the server was starting: stop it rather than leak it.
      if (closed) void server.stop();
      return { server, rooms: new RoomServiceClient(server.httpUrl, server.apiKey, server.apiSecret) };
    }));

  const middleware = async (ctx: KoaLikeContext, next: () => Promise<unknown>) => {
    if (!ctx.path.startsWith('/__test/livekit/') || ctx.method !== 'POST') return next();
    const body = JSON.parse((await readBody(ctx.req)) || '{}') as { room?: unknown; identity?: unknown };
    ctx.type = 'application/json';
    try {
      const { server, rooms } = await start();
      if (typeof body.room !== 'string' || !body.room) throw new Error('room is required');
      if (ctx.path === '/__test/livekit/token') {
        if (typeof body.identity !== 'string' || !body.identity) throw new Error('identity is required');
        await ensureRoom(rooms, body.room);
        ctx.body = JSON.stringify({ url: server.url, token: await mintToken(server, body.room, body.identity) });
      } else if (ctx.path === '/__test/livekit/delete-room') {
        await rooms.deleteRoom(body.room);
        ctx.body = '{}';
      } else {
        return next();
      }
    } catch (error) {
      ctx.status = 500;
      ctx.body = JSON.stringify({ message: error instanceof Error ? error.message : String(error) });
    }
    return undefined;
  };

  const close = async () => {
    closed = true;
    const current = await started?.catch(() => undefined);
    await current?.server.stop();
  };
  return { middleware, close };
}

async function ensureRoom(rooms: RoomServiceClient, name: string): Promise<void> {
  const existing = await rooms.listRooms([name]);
  if (existing.length === 0) await rooms.createRoom({ name, emptyTimeout: ROOM_EMPTY_TIMEOUT_SECONDS });
}

/** A participant token as the service mints them: join one room, publish only call sources, no admin grant. */
function mintToken(server: LivekitServer, room: string, identity: string): Promise<string> {
  const token = new AccessToken(server.apiKey, server.apiSecret, { identity, ttl: TOKEN_TTL_SECONDS });
  token.addGrant({
    room,
    roomJoin: true,
    canSubscribe: true,
    canPublish: true,
    // Enum values: strings throw at toJwt().
    canPublishSources: [TrackSource.MICROPHONE, TrackSource.CAMERA, TrackSource.SCREEN_SHARE, TrackSource.SCREEN_SHARE_AUDIO],
  });
  return token.toJwt();
}

async function readBody(req: IncomingMessage): Promise<string> {
  let raw = '';
  for await (const chunk of req) raw += String(chunk);
  return raw;
}
