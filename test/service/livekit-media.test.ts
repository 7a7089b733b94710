// The LiveKit adapter against a real LiveKit server (v1.13.5 built from source): rooms, tokens, DeleteRoom (its retries: livekit-calls.test.ts).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { RoomServiceClient, TokenVerifier } from 'livekit-server-sdk';
import { createLivekitMedia, EMPTY_TIMEOUT_MARGIN_SECONDS, LIVEKIT_MAX_PARTICIPANTS, type LivekitSettings } from '../../service/media/livekit.js';
import { startLivekitServer, type LivekitServer } from '../support/livekit-server.js';
import { tcpProxy } from '../support/tcp-proxy.js';
import { ensureRedis, LIVEKIT_TEST_REDIS_DB, REDIS_ADDRESS } from '../support/redis.js';

let lk: LivekitServer;
let rooms: RoomServiceClient;
before(async () => {
  lk = await startLivekitServer();
  rooms = new RoomServiceClient(lk.httpUrl, lk.apiKey, lk.apiSecret);
});
after(() => lk?.stop());

function settings(overrides: Partial<LivekitSettings> = {}): LivekitSettings {
  return {
    mode: 'livekit', url: lk.url, apiKey: lk.apiKey, apiSecret: lk.apiSecret,
    tokenTtlSeconds: 600, departureTimeoutSeconds: 45, requestTimeoutSeconds: 2,
    deleteRoom: { initialBackoffMs: 50, maxAttempts: 10 }, ringTimeoutSeconds: 600,
    ...overrides,
  };
}

/** /rtc/validate is where livekit-client asks why a connection failed: 200 when the token may join now. */
async function validate(token: string): Promise<number> {
  return (await fetch(`${lk.httpUrl}/rtc/validate?access_token=${encodeURIComponent(token)}`)).status;
}

test('the helper refuses a config with an unknown key: the binary exits at once (with status 0) and the error shows why', async () => {
  await assert.rejects(startLivekitServer({ extraYaml: 'not_a_livekit_key: 1' }), (err: Error) => {
    assert.match(err.message, /exited .* before it was ready/);
    assert.match(err.message, /field not_a_livekit_key not found/);
    return true;
  });
});

test('stop() ends the server, and a second stop() is harmless', async () => {
  const server = await startLivekitServer();
  await Promise.all([server.stop(), server.stop()]);
  await server.stop();
  await assert.rejects(fetch(`${server.httpUrl}/`), 'nothing answers any more');
});

test('prepareCall creates the call\'s room with its timeouts, a participant cap and the call id in metadata', async (t) => {
  const media = createLivekitMedia(settings({ ringTimeoutSeconds: 120 }));
  t.after(() => media.close());
  const callId = randomUUID();
  await media.prepareCall(callId);
  const [room] = await rooms.listRooms([callId]);
  assert.ok(room, 'the room exists');
  assert.equal(room.emptyTimeout, 120 + EMPTY_TIMEOUT_MARGIN_SECONDS);
  assert.equal(room.departureTimeout, 45);
  assert.equal(room.maxParticipants, LIVEKIT_MAX_PARTICIPANTS);
  assert.deepEqual(JSON.parse(room.metadata), { switchboardCallId: callId });
  await media.releaseCall(callId);
});

test('a participant token is short-lived, joins that one room, publishes only camera, microphone and screen, and has no admin grant', async (t) => {
  const media = createLivekitMedia(settings());
  t.after(() => media.close());
  const callId = randomUUID();
  await media.prepareCall(callId);
  const sessionId = randomUUID();
  const block = await media.credentialsMedia({ callId, role: 'client', sessionId, name: 'Bob Client' });
  assert.equal(block.mode, 'livekit');
  assert.ok(block.mode === 'livekit');
  assert.equal(block.url, lk.url);
  const claims = await new TokenVerifier(lk.apiKey, lk.apiSecret).verify(block.token);
  assert.equal(claims.sub, `client:${sessionId}`, 'one identity per session');
  assert.equal(claims.name, 'Bob Client');
  assert.equal(claims.exp! - claims.nbf!, 600, 'explicit TTL, not the 6 h default');
  const video = claims.video!;
  assert.equal(video.room, callId);
  assert.equal(video.roomJoin, true);
  assert.equal(video.canPublish, true);
  assert.equal(video.canSubscribe, true);
  assert.equal(video.canPublishData, false);
  assert.deepEqual([...(video.canPublishSources as unknown as string[])].sort(), ['camera', 'microphone', 'screen_share', 'screen_share_audio']);
  for (const admin of ['roomCreate', 'roomAdmin', 'roomList', 'roomRecord', 'ingressAdmin'] as const) assert.equal(video[admin], undefined, `no ${admin}`);
  assert.equal(await validate(block.token), 200, 'the real server lets it join the room');

  // The real server agrees it is no admin token: RoomService calls with it are refused.
  const createWithToken = await fetch(`${lk.httpUrl}/twirp/livekit.RoomService/CreateRoom`, {
    method: 'POST', headers: { authorization: `Bearer ${block.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'intruder' }),
  });
  assert.ok(createWithToken.status === 401 || createWithToken.status === 403, `CreateRoom with a participant token: ${createWithToken.status}`);
  assert.deepEqual((await rooms.listRooms(['intruder'])).length, 0);
  await media.releaseCall(callId);
});

test('releaseCall deletes the room, the old token no longer joins, and the room does not come back', async (t) => {
  const media = createLivekitMedia(settings());
  t.after(() => media.close());
  const callId = randomUUID();
  await media.prepareCall(callId);
  const block = await media.credentialsMedia({ callId, role: 'client', sessionId: randomUUID(), name: 'Bob' });
  assert.ok(block.mode === 'livekit');
  await media.releaseCall(callId);
  assert.deepEqual(await rooms.listRooms([callId]), []);
  assert.equal(await validate(block.token), 404, 'room not found: auto_create is off and the token cannot create rooms');
  assert.deepEqual(await rooms.listRooms([callId]), [], 'trying to join did not recreate it');
  await media.releaseCall(callId); // a room that does not exist counts as deleted
});

test('releaseCall rejects while LiveKit is unreachable (the calls service keeps the retry in the database) and deletes the room once it answers', async (t) => {
  const proxy = await tcpProxy(lk.ports.http);
  t.after(() => proxy.down());
  const media = createLivekitMedia(settings({ url: `ws://127.0.0.1:${proxy.port}` }));
  t.after(() => media.close());
  assert.deepEqual(media.releaseRetry, { initialBackoffMs: 50, maxAttempts: 10 }, 'the retry schedule comes from LIVEKIT_* settings');
  const callId = randomUUID();
  await media.prepareCall(callId);
  await proxy.down();
  await assert.rejects(media.releaseCall(callId));
  assert.equal((await rooms.listRooms([callId])).length, 1, 'the room is still open');
  await proxy.up();
  await media.releaseCall(callId);
  assert.deepEqual(await rooms.listRooms([callId]), []);
});

test('two LiveKit nodes sharing Redis: a room the adapter made through one node is deleted through the other', async (t) => {
  const noRedis = await ensureRedis();
  if (noRedis) return t.skip(noRedis);
  const shared = { apiKey: 'multinode', apiSecret: randomUUID() + randomUUID(), redisAddress: REDIS_ADDRESS, redisDb: LIVEKIT_TEST_REDIS_DB };
  const a = await startLivekitServer(shared);
  t.after(() => a.stop());
  const b = await startLivekitServer(shared);
  t.after(() => b.stop());
  const viaA = createLivekitMedia(settings({ url: a.url, apiKey: shared.apiKey, apiSecret: shared.apiSecret }));
  const viaB = createLivekitMedia(settings({ url: b.url, apiKey: shared.apiKey, apiSecret: shared.apiSecret }));
  t.after(() => Promise.all([viaA.close(), viaB.close()]));
  const callId = randomUUID();
  await viaA.prepareCall(callId);
  const onB = new RoomServiceClient(b.httpUrl, shared.apiKey, shared.apiSecret);
  assert.equal((await onB.listRooms([callId])).length, 1, 'node B sees the room');
  await viaB.releaseCall(callId);
  assert.equal((await new RoomServiceClient(a.httpUrl, shared.apiKey, shared.apiSecret).listRooms([callId])).length, 0);
});
