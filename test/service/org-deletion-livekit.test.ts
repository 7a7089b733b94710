// Deleting an org in LiveKit mode, against a real LiveKit server: the rooms of its open calls are deleted, another
// org's room stays.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { RoomServiceClient } from 'livekit-server-sdk';
import { buildApp } from '../../service/app.js';
import { startLivekitServer, type LivekitServer } from '../support/livekit-server.js';
import { fastConfig, goodClaims, waitUntil } from './helper.js';
import { bearer, createOrgCall, makeOrg, orgToken } from './orgs-helper.js';

const OPERATOR_API_KEY = 'operator-key-for-the-livekit-deletion-test';
let lk: LivekitServer;
let app: FastifyInstance;

before(async () => {
  lk = await startLivekitServer();
  const base = fastConfig({ LIVEKIT_URL: lk.url, LIVEKIT_API_KEY: lk.apiKey, LIVEKIT_API_SECRET: lk.apiSecret, OPERATOR_API_KEY });
  assert.ok(base.media.mode === 'livekit');
  app = await buildApp({ ...base, media: { ...base.media, deleteRoom: { initialBackoffMs: 50, maxAttempts: 5 }, requestTimeoutSeconds: 2 } });
  await app.ready();
});
after(async () => {
  await app?.close();
  await lk?.stop();
});

test('deleting an org deletes the LiveKit rooms of its open calls through the media adapter; another org\'s room stays', async () => {
  const rooms = new RoomServiceClient(lk.httpUrl, lk.apiKey, lk.apiSecret);
  const doomed = await makeOrg(app, { name: 'doomed' });
  const kept = await makeOrg(app, { name: 'kept' });
  const doomedCall = await createOrgCall(app, await orgToken(doomed, goodClaims({ conversationId: 'conv-doomed' })));
  const keptCall = await createOrgCall(app, await orgToken(kept, goodClaims({ conversationId: 'conv-kept' })));
  assert.equal((await rooms.listRooms([doomedCall.body.call.id])).length, 1, 'the room exists with the call');

  const res = await app.inject({ method: 'DELETE', url: `/v1/admin/orgs/${doomed.id}`, headers: bearer(OPERATOR_API_KEY) });
  assert.equal(res.statusCode, 200);
  await waitUntil(async () => (await rooms.listRooms([doomedCall.body.call.id])).length === 0, 10_000, 'the deleted org\'s room gone');
  assert.equal((await rooms.listRooms([keptCall.body.call.id])).length, 1, 'the other org\'s room stays');
});
