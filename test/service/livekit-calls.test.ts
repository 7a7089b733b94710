// Calls in LiveKit mode against a real LiveKit server: a room per call at creation, LiveKit credentials, DeleteRoom on END CALL.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { decodeJwt } from 'jose';
import { RoomServiceClient, TokenVerifier } from 'livekit-server-sdk';
import { buildApp } from '../../service/app.js';
import type { Config } from '../../service/config.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../support/free-port.js';
import { tcpProxy } from '../support/tcp-proxy.js';
import { startLivekitServer, type LivekitServer } from '../support/livekit-server.js';
import { connectReal, createAndJoin, createCall, fastConfig, goodClaims, logCapture, waitUntil } from './helper.js';

let lk: LivekitServer;
let rooms: RoomServiceClient;
let app: FastifyInstance;
let config: Config;
let appUrl: string;

/** Test config in LiveKit mode, with quick DeleteRoom retries. */
function livekitConfig(url: string, key: string, secret: string, env: Record<string, string> = {}): Config {
  const base = fastConfig({ LIVEKIT_URL: url, LIVEKIT_API_KEY: key, LIVEKIT_API_SECRET: secret, ...env });
  assert.ok(base.media.mode === 'livekit');
  return { ...base, media: { ...base.media, deleteRoom: { initialBackoffMs: 50, maxAttempts: 5 }, requestTimeoutSeconds: 2 } };
}

before(async () => {
  lk = await startLivekitServer();
  rooms = new RoomServiceClient(lk.httpUrl, lk.apiKey, lk.apiSecret);
  config = livekitConfig(lk.url, lk.apiKey, lk.apiSecret);
  app = await buildApp(config);
  await app.listen({ host: '127.0.0.1', port: 0 });
  appUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});
after(async () => {
  await app?.close();
  await lk?.stop();
});

interface LivekitMediaBlock { mode: 'livekit'; url: string; token: string }

test('creating a call creates its LiveKit room; the agent gets a LiveKit block whose identity is its credentials session', async () => {
  const { res, body } = await createCall(app, config);
  assert.equal(res.statusCode, 201);
  const media = body.credentials.media as LivekitMediaBlock;
  assert.equal(media.mode, 'livekit');
  assert.equal(media.url, lk.url);
  const [room] = await rooms.listRooms([body.call.id]);
  assert.ok(room, 'room created with the call');
  assert.deepEqual(JSON.parse(room.metadata), { switchboardCallId: body.call.id });
  const claims = await new TokenVerifier(lk.apiKey, lk.apiSecret).verify(media.token);
  const sid = decodeJwt(body.credentials.token).sid as string;
  assert.equal(claims.sub, `agent:${sid}`);
  assert.equal(claims.name, 'Alice Agent');
  assert.equal(claims.video?.room, body.call.id);
});

test('asking again on the same conversation returns the open call and makes no second room', async () => {
  const claims = goodClaims();
  const first = await createCall(app, config, claims);
  const before = (await rooms.listRooms()).length;
  const again = await createCall(app, config, claims);
  assert.equal(again.res.statusCode, 200);
  assert.equal(again.body.call.id, first.body.call.id);
  assert.equal((await rooms.listRooms()).length, before);
});

test('the client gets its own LiveKit identity per join (a reopened link is a new participant)', async () => {
  const { secret, callId } = await createAndJoin(app, config);
  const second = await app.inject({ method: 'POST', url: '/v1/join', payload: { callId, secret } });
  assert.equal(second.statusCode, 200);
  const joined = second.json<{ credentials: { token: string; media: LivekitMediaBlock } }>();
  const claims = await new TokenVerifier(lk.apiKey, lk.apiSecret).verify(joined.credentials.media.token);
  assert.equal(claims.sub, `client:${decodeJwt(joined.credentials.token).sid as string}`);
  assert.equal(claims.name, 'Bob Client');
});

test('in LiveKit mode the client\'s live socket does not make the call active: LiveKit\'s webhooks tell presence', async () => {
  const { callId, clientToken } = await createAndJoin(app, config);
  const live = connectReal(appUrl, callId, clientToken);
  await live.next('hello');
  const res = await app.inject({ method: 'GET', url: `/v1/calls/${callId}`, headers: { authorization: `Bearer ${clientToken}` } });
  assert.notEqual(res.json<{ status: string }>().status, 'active');
  live.ws.close();
});

test('END CALL deletes the room: the old credentials and LiveKit token get nobody back in, and the room stays gone', async () => {
  const { callId, secret, agentToken } = await createAndJoin(app, config);
  const join = await app.inject({ method: 'POST', url: '/v1/join', payload: { callId, secret } });
  const oldLivekitToken = join.json<{ credentials: { media: LivekitMediaBlock } }>().credentials.media.token;
  const end = await app.inject({ method: 'POST', url: `/v1/calls/${callId}/end`, headers: { authorization: `Bearer ${agentToken}` }, payload: {} });
  assert.equal(end.statusCode, 200);
  assert.deepEqual(await rooms.listRooms([callId]), []);
  const validate = await fetch(`${lk.httpUrl}/rtc/validate?access_token=${encodeURIComponent(oldLivekitToken)}`);
  assert.equal(validate.status, 404, 'LiveKit: room not found');
  const rejoin = await app.inject({ method: 'POST', url: '/v1/join', payload: { callId, secret } });
  assert.equal(rejoin.statusCode, 410, 'the link is dead too');
  assert.deepEqual(await rooms.listRooms([callId]), [], 'nothing brought the room back');
});

test('when LiveKit cannot create the room: 503 media_unavailable, no call is created and no invite goes out', async (t) => {
  const down = livekitConfig(`ws://127.0.0.1:${await freePort()}`, lk.apiKey, lk.apiSecret);
  const downApp = await buildApp(down);
  t.after(() => downApp.close());
  await downApp.ready();
  const { res } = await createCall(downApp, down);
  assert.equal(res.statusCode, 503);
  assert.equal(res.json<{ code: string }>().code, 'media_unavailable');
  const outbox = await downApp.db.selectFrom('webhook_deliveries').select('id').execute();
  const calls = await downApp.db.selectFrom('calls').select('id').execute();
  assert.deepEqual([outbox.length, calls.length], [0, 0]);
});

test('a call the service ends by itself (no answer, expiry) deletes its room too', async () => {
  const { body } = await createCall(app, config);
  await app.calls.end(body.call.id, 'system', 'no_answer');
  await waitUntil(async () => (await rooms.listRooms([body.call.id])).length === 0, 3000, 'room deleted');
});

test('a room the LiveKit server lost is made again by the agent\'s resume and by the sweep, never by the client', async () => {
  const { callId, agentToken, clientToken } = await createAndJoin(app, config);
  await rooms.deleteRoom(callId);
  assert.equal((await rooms.listRooms([callId])).length, 0);

  const byClient = await app.inject({ method: 'POST', url: `/v1/calls/${callId}/resume`, headers: { authorization: `Bearer ${clientToken}` } });
  assert.equal(byClient.statusCode, 403, 'the client opens its link again instead');
  assert.equal((await rooms.listRooms([callId])).length, 0);

  const resumed = await app.inject({ method: 'POST', url: `/v1/calls/${callId}/resume`, headers: { authorization: `Bearer ${agentToken}` } });
  assert.equal(resumed.statusCode, 200, resumed.body);
  const body = resumed.json<{ call: { id: string }; credentials: { token: string; media: LivekitMediaBlock } }>();
  assert.equal(body.call.id, callId);
  assert.equal(body.credentials.media.mode, 'livekit');
  const [room] = await rooms.listRooms([callId]);
  assert.ok(room, 'the room exists again');
  assert.equal(room.maxParticipants, 3);
  assert.equal((await app.credentials.verify(body.credentials.token)).sessionId, (await app.credentials.verify(agentToken)).sessionId, 'same session');

  await rooms.deleteRoom(callId);
  await app.calls.sweep();
  assert.equal((await rooms.listRooms([callId])).length, 1, 'the sweep restored it too');
  await app.calls.end(callId, 'agent', 'done');
  const after = await app.inject({ method: 'POST', url: `/v1/calls/${callId}/resume`, headers: { authorization: `Bearer ${agentToken}` } });
  assert.equal(after.statusCode, 409, 'an ended call is not resumed');
});

/** What the store says of a call's pending media release. */
async function releaseState(app: FastifyInstance, callId: string) {
  return app.db.selectFrom('calls').select(['media_release_due_at', 'media_release_attempts']).where('id', '=', callId).executeTakeFirstOrThrow();
}

test('a DeleteRoom that fails at END CALL is retried from the database by the sweep, after a restart too, until the room is gone', async (t) => {
  const proxy = await tcpProxy(lk.ports.http);
  t.after(() => proxy.down());
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-release-'));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  const viaProxy = livekitConfig(`ws://127.0.0.1:${proxy.port}`, lk.apiKey, lk.apiSecret, { DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
  const log = logCapture();
  const first = await buildApp(viaProxy, { logStream: log.stream });
  await first.ready();
  const { body } = await createCall(first, viaProxy);
  const callId = body.call.id;
  await proxy.down();
  const end = await first.inject({ method: 'POST', url: `/v1/calls/${callId}/end`, headers: { authorization: `Bearer ${body.credentials.token}` }, payload: {} });
  assert.equal(end.statusCode, 200, 'END CALL is answered although LiveKit is unreachable');
  assert.equal(end.json<{ status: string }>().status, 'ended');
  assert.equal((await rooms.listRooms([callId])).length, 1, 'the room is still open');
  const pending = await releaseState(first, callId);
  assert.equal(pending.media_release_attempts, 1);
  assert.ok(pending.media_release_due_at, 'the next attempt is due, in the database');
  const warned = log.lines.find((l) => l.level === 40 && String(l.msg).includes(`releasing the media of ${callId} failed (attempt 1 of 5`));
  assert.ok(warned, JSON.stringify(log.lines.map((l) => l.msg)));
  assert.equal(warned.callId, callId, 'the log line carries the call id');
  await first.close();

  // The instance is gone; LiveKit answers again; another start on the same store carries on.
  await proxy.up();
  const second = await buildApp({ ...viaProxy, sweepIntervalMs: 50 });
  t.after(() => second.close());
  await second.ready();
  await waitUntil(async () => (await rooms.listRooms([callId])).length === 0, 10_000, 'the room deleted by the sweep');
  await waitUntil(async () => (await releaseState(second, callId)).media_release_due_at === null, 5000, 'the release recorded');
  assert.equal((await releaseState(second, callId)).media_release_attempts, 2);
});

test('releasing a room gives up after its attempts with an error in the log, and a released room is not tried again', async (t) => {
  const proxy = await tcpProxy(lk.ports.http);
  t.after(() => proxy.down());
  const base = livekitConfig(`ws://127.0.0.1:${proxy.port}`, lk.apiKey, lk.apiSecret, { LOG_LEVEL: 'warn' });
  assert.ok(base.media.mode === 'livekit');
  const config: Config = { ...base, sweepIntervalMs: 30, media: { ...base.media, deleteRoom: { initialBackoffMs: 10, maxAttempts: 3 } } };
  const log = logCapture();
  const app = await buildApp(config, { logStream: log.stream });
  t.after(() => app.close());
  await app.ready();
  const { body } = await createCall(app, config);
  const callId = body.call.id;
  t.after(() => rooms.deleteRoom(callId).catch(() => undefined));
  await proxy.down();
  await app.calls.end(callId, 'agent', 'done');
  await waitUntil(() => log.lines.some((l) => l.level === 50), 10_000, 'the give-up error');
  const mine = log.lines.filter((l) => String(l.msg).includes(callId));
  assert.deepEqual(mine.map((l) => l.level), [40, 40, 50], 'two warnings, then the error');
  assert.match(String(mine[2]!.msg), /gave up after 3 attempts/);
  assert.deepEqual(await releaseState(app, callId), { media_release_due_at: null, media_release_attempts: 3 });
  await proxy.up();
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.equal((await rooms.listRooms([callId])).length, 1, 'given up: the sweep no longer tries');

  // A call released at the first attempt leaves nothing due.
  const ok = await createCall(app, config);
  await app.calls.end(ok.body.call.id, 'agent', 'done');
  assert.deepEqual(await releaseState(app, ok.body.call.id), { media_release_due_at: null, media_release_attempts: 1 });
  assert.deepEqual(await rooms.listRooms([ok.body.call.id]), []);
});
