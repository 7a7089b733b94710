// POST /v1/livekit/webhook with deliveries signed exactly as LiveKit signs them: refused unless signed,
// applied once per id, and the call comes out right whatever order and however often they arrive.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import fc from 'fast-check';
import { ParticipantInfo, ParticipantInfo_State } from 'livekit-server-sdk';
import { buildApp } from '../../service/app.js';
import type { Config } from '../../service/config.js';
import { LivekitEvents } from '../../service/livekit/livekit-events.js';
import { isLivekitMedia } from '../../service/media/livekit.js';
import { startLivekitServer, type LivekitServer } from '../support/livekit-server.js';
import { deliver, lkId, signWebhook, signedWebhook, type WebhookInput, type WebhookParticipant } from '../support/livekit-webhook.js';
import { buildTestApp, createAndJoin, fastConfig } from './helper.js';

let lk: LivekitServer;
let app: FastifyInstance;
let config: Config;

before(async () => {
  lk = await startLivekitServer();
  config = fastConfig({ LIVEKIT_URL: lk.url, LIVEKIT_API_KEY: lk.apiKey, LIVEKIT_API_SECRET: lk.apiSecret });
  app = await buildApp(config);
  await app.ready();
});
after(async () => {
  await app?.close();
  await lk?.stop();
});

const keys = () => ({ apiKey: lk.apiKey, apiSecret: lk.apiSecret });

/** Posts one signed webhook; returns its outcome. */
async function send(input: WebhookInput): Promise<string> {
  const res = await deliver(app, await signedWebhook(input, keys()));
  assert.equal(res.statusCode, 200, res.body);
  return res.json<{ outcome: string }>().outcome;
}

async function status(callId: string): Promise<string> {
  return (await app.calls.get(callId))!.status;
}

/** The call's timeline, without what creating and joining it wrote. */
async function timeline(callId: string): Promise<string[]> {
  const rows = await app.db.selectFrom('call_events').select(['type', 'by']).where('call_id', '=', callId).orderBy('id').execute();
  return rows.map((r) => `${r.type}/${r.by}`).filter((t) => !/created|invite|link_opened/.test(t));
}

/** A participant of a given role, joined `ageMs` ago (a larger age: an older session). */
function participant(role: 'agent' | 'client', ageMs = 0): WebhookParticipant {
  return { sid: lkId('PA'), identity: `${role}:${randomUUID()}`, joinedAtMs: Date.now() - ageMs };
}

async function newCall(): Promise<string> {
  return (await createAndJoin(app, config)).callId;
}

test('an unsigned, tampered or foreign-signed webhook is refused with 401 and changes nothing', async () => {
  const callId = await newCall();
  const good = await signedWebhook({ event: 'participant_joined', callId, participant: participant('client') }, keys());
  assert.equal((await deliver(app, { body: good.body })).statusCode, 401, 'no Authorization');
  assert.equal((await deliver(app, { body: good.body, authorization: `Bearer ${good.authorization}` })).statusCode, 401, 'not LiveKit\'s header form');
  assert.equal((await deliver(app, { body: good.body.replace('ACTIVE', 'ACTIVE '), authorization: good.authorization })).statusCode, 401, 'one byte changed');
  const foreign = await signedWebhook({ event: 'participant_joined', callId, participant: participant('client') }, { apiKey: lk.apiKey, apiSecret: 'x'.repeat(40) });
  const res = await deliver(app, foreign);
  assert.equal(res.statusCode, 401);
  assert.equal(res.json<{ code: string }>().code, 'unauthorized');
  assert.notEqual(await status(callId), 'active');
});

test('the body must come as application/webhook+json', async () => {
  const callId = await newCall();
  const good = await signedWebhook({ event: 'participant_joined', callId, participant: participant('client') }, keys());
  assert.equal((await deliver(app, good, 'application/json')).statusCode, 400);
  assert.equal((await deliver(app, good, 'text/plain')).statusCode, 415);
  assert.notEqual(await status(callId), 'active');
});

test('the client joining and leaving the room makes the call active, then client_left', async () => {
  const callId = await newCall();
  const client = participant('client');
  assert.equal(await send({ event: 'participant_joined', callId, participant: client }), 'applied');
  assert.equal(await status(callId), 'active');
  await send({ event: 'participant_left', callId, participant: client });
  assert.equal(await status(callId), 'client_left');
  const again = participant('client');
  await send({ event: 'participant_joined', callId, participant: again });
  assert.equal(await status(callId), 'active', 'rejoining');
  await send({ event: 'participant_connection_aborted', callId, participant: again });
  assert.equal(await status(callId), 'client_left');
  assert.deepEqual(await timeline(callId), ['call.client_joined/client', 'call.client_left/client', 'call.client_joined/client', 'call.client_left/client']);
});

test('a replayed delivery (same id and signature) is answered "duplicate" and changes nothing', async () => {
  const callId = await newCall();
  const client = participant('client');
  const joined = await signedWebhook({ event: 'participant_joined', callId, participant: client }, keys());
  assert.equal((await deliver(app, joined)).json<{ outcome: string }>().outcome, 'applied');
  assert.equal((await deliver(app, joined)).json<{ outcome: string }>().outcome, 'duplicate');
  await send({ event: 'participant_left', callId, participant: client });
  const replay = await deliver(app, joined);
  assert.equal(replay.json<{ outcome: string }>().outcome, 'duplicate');
  assert.equal(await status(callId), 'client_left', 'the replayed join did not bring the client back');
  assert.deepEqual(await timeline(callId), ['call.client_joined/client', 'call.client_left/client']);
});

test('the same event delivered twice under new ids, and a leave delivered before its join, leave the state right', async () => {
  const callId = await newCall();
  const client = participant('client');
  await send({ event: 'participant_joined', callId, participant: client });
  await send({ event: 'participant_joined', callId, participant: client });
  assert.deepEqual(await timeline(callId), ['call.client_joined/client']);

  const other = await newCall();
  const late = participant('client');
  await send({ event: 'participant_left', callId: other, participant: late });
  await send({ event: 'participant_joined', callId: other, participant: late });
  assert.notEqual(await status(other), 'active', 'a join that arrives after its leave brings nobody in');
  assert.deepEqual(await timeline(other), []);
});

test('takeover, in either order: the newest client session counts, an older one showing up late does not', async () => {
  const callId = await newCall();
  const older = participant('client', 5000);
  const newer = participant('client');
  await send({ event: 'participant_joined', callId, participant: newer });
  await send({ event: 'participant_joined', callId, participant: older });
  await send({ event: 'participant_left', callId, participant: newer });
  assert.equal(await status(callId), 'client_left', 'an older session still in the room is not the client');
  await send({ event: 'participant_left', callId, participant: older });
  assert.deepEqual(await timeline(callId), ['call.client_joined/client', 'call.client_left/client']);

  const second = await newCall();
  const first = participant('client', 5000);
  const taking = participant('client');
  await send({ event: 'participant_joined', callId: second, participant: first });
  await send({ event: 'participant_joined', callId: second, participant: taking });
  await send({ event: 'participant_left', callId: second, participant: first });
  assert.equal(await status(second), 'active', 'the replaced session leaving is not the client leaving');
  assert.deepEqual(await timeline(second), ['call.client_joined/client']);
});

test('screen shares: published twice counts once, unpublished stops it, a leave stops it, an unpublish before its publish shows none', async () => {
  const callId = await newCall();
  const client = participant('client');
  const agent = participant('agent');
  await send({ event: 'participant_joined', callId, participant: client });
  await send({ event: 'participant_joined', callId, participant: agent });
  const screen = { sid: lkId('TR'), source: 'SCREEN_SHARE' as const };
  await send({ event: 'track_published', callId, participant: { ...client, joinedAtMs: 0 }, track: screen });
  await send({ event: 'track_published', callId, participant: { ...client, joinedAtMs: 0 }, track: screen });
  assert.equal(await send({ event: 'track_published', callId, participant: client, track: { sid: lkId('TR'), source: 'CAMERA' } }), 'ignored');
  await send({ event: 'track_unpublished', callId, participant: client, track: screen });

  const agentScreen = { sid: lkId('TR'), source: 'SCREEN_SHARE' as const };
  await send({ event: 'track_published', callId, participant: agent, track: agentScreen });
  await send({ event: 'participant_left', callId, participant: agent });
  await send({ event: 'track_unpublished', callId, participant: agent, track: agentScreen });

  const reordered = { sid: lkId('TR'), source: 'SCREEN_SHARE' as const };
  await send({ event: 'track_unpublished', callId, participant: client, track: reordered });
  await send({ event: 'track_published', callId, participant: client, track: reordered });
  assert.deepEqual(await timeline(callId), [
    'call.client_joined/client',
    'call.screen_share_started/client', 'call.screen_share_stopped/client',
    'call.screen_share_started/agent', 'call.screen_share_stopped/agent',
  ]);
});

test('room_finished ends a call still open (reason room_finished); webhooks after that change nothing', async () => {
  const callId = await newCall();
  const client = participant('client');
  await send({ event: 'participant_joined', callId, participant: client });
  await send({ event: 'room_finished', callId });
  const call = (await app.calls.get(callId))!;
  assert.equal(call.status, 'ended');
  assert.equal(call.endReason, 'room_finished');
  assert.equal(call.endedBy, 'system');
  await send({ event: 'participant_left', callId, participant: client });
  await send({ event: 'participant_joined', callId, participant: participant('client') });
  assert.equal(await status(callId), 'ended');
  assert.deepEqual(await timeline(callId), ['call.client_joined/client', 'call.ended/system']);
});

test('webhooks about other rooms, identities the service did not mint, or other events are ignored', async () => {
  const callId = await newCall();
  assert.equal(await send({ event: 'participant_joined', callId: randomUUID(), participant: participant('client') }), 'ignored');
  assert.equal(await send({ event: 'participant_joined', callId, participant: { sid: lkId('PA'), identity: 'egress-1', joinedAtMs: Date.now() } }), 'ignored');
  assert.equal(await send({ event: 'room_started', callId }), 'ignored');
  assert.notEqual(await status(callId), 'active');
});

test('when the records say the client left but LiveKit still lists the new session (its join still on the way), the call stays active', async () => {
  assert.ok(isLivekitMedia(app.media));
  const callId = await newCall();
  const old = participant('client', 5000);
  const next = participant('client');
  const removed: string[] = [];
  const listed = [new ParticipantInfo({ sid: next.sid, identity: next.identity, state: ParticipantInfo_State.ACTIVE })];
  const events = new LivekitEvents({
    db: app.db, calls: app.calls, log: { warn: () => undefined, error: () => undefined },
    media: { ...app.media, listParticipants: async () => listed, removeParticipant: async (_callId, identity) => void removed.push(identity) },
  });
  const apply = async (input: WebhookInput) => {
    const { body, authorization } = await signedWebhook(input, keys());
    return events.apply(await events.verify(body, authorization));
  };
  await apply({ event: 'participant_joined', callId, participant: old });
  await apply({ event: 'participant_left', callId, participant: old });
  assert.equal(await status(callId), 'active', 'LiveKit still lists a client: no departure');
  await apply({ event: 'participant_joined', callId, participant: next });
  assert.deepEqual(await timeline(callId), ['call.client_joined/client']);

  // Two sessions of one role at once: the older one is removed from the room.
  const third = participant('client');
  await apply({ event: 'participant_joined', callId, participant: third });
  assert.deepEqual(removed, [next.identity]);
});

test('an older client token that connects after a newer join is not the client: the joined session keeps the role', async () => {
  assert.ok(isLivekitMedia(app.media));
  const { callId, clientToken } = await createAndJoin(app, config);
  const { sessionId } = await app.credentials.verify(clientToken);
  const removed: string[] = [];
  const events = new LivekitEvents({
    db: app.db, calls: app.calls, log: { warn: () => undefined, error: () => undefined },
    media: { ...app.media, listParticipants: async () => [], removeParticipant: async (_callId, identity) => void removed.push(identity) },
  });
  const apply = async (input: WebhookInput) => {
    const { body, authorization } = await signedWebhook(input, keys());
    return events.apply(await events.verify(body, authorization));
  };
  const joined = { sid: lkId('PA'), identity: `client:${sessionId}`, joinedAtMs: Date.now() - 5000 };
  const stale = participant('client');
  await apply({ event: 'participant_joined', callId, participant: joined });
  await apply({ event: 'participant_joined', callId, participant: stale });
  assert.deepEqual(removed, [stale.identity], 'the stale session is removed although it connected last');
  await apply({ event: 'participant_left', callId, participant: stale });
  assert.equal(await status(callId), 'active');
  await apply({ event: 'participant_left', callId, participant: joined });
  assert.equal(await status(callId), 'client_left');
});

test('a service in direct mode has no LiveKit webhook: 404', async (t) => {
  const direct = await buildTestApp(t);
  const res = await deliver(direct, await signedWebhook({ event: 'room_started', callId: randomUUID() }, keys()));
  assert.equal(res.statusCode, 404);
});

test('fuzz: any body, content type and signature (even a valid one over a body that is no event) gets a 2xx or 4xx in the error shape', async () => {
  const callId = await newCall();
  const json = fc.oneof(fc.jsonValue({ maxDepth: 4 }), fc.record({
    event: fc.constantFrom('participant_joined', 'participant_left', 'track_published', 'room_finished', 'x'),
    room: fc.record({ name: fc.oneof(fc.constant(callId), fc.string()), metadata: fc.oneof(fc.string(), fc.constant(JSON.stringify({ switchboardCallId: callId }))) }),
    participant: fc.record({ sid: fc.string(), identity: fc.oneof(fc.string(), fc.constant(`client:${randomUUID()}`)), joinedAtMs: fc.oneof(fc.string(), fc.integer()) }),
    id: fc.string(), createdAt: fc.oneof(fc.string(), fc.integer()),
  }, { requiredKeys: [] }));
  const body = fc.oneof(json.map((v) => JSON.stringify(v)), fc.string({ unit: 'binary', maxLength: 200 }));
  const signing = fc.constantFrom('none', 'garbage', 'other-body', 'valid');
  const type = fc.constantFrom('application/webhook+json', 'application/json', 'text/plain');
  await fc.assert(fc.asyncProperty(body, signing, type, async (payload, sign, contentType) => {
    const authorization = sign === 'none' ? undefined
      : sign === 'garbage' ? 'eyJhbGciOiJIUzI1NiJ9.e30.x'
      : await signWebhook(sign === 'valid' ? payload : `${payload} `, lk.apiKey, lk.apiSecret);
    const res = await deliver(app, { body: payload, authorization }, contentType);
    assert.ok(res.statusCode < 500, `${res.statusCode}: ${res.body.slice(0, 200)}`);
    if (res.statusCode >= 400) assert.deepEqual(Object.keys(res.json()).sort(), ['code', 'error', 'message', 'statusCode']);
  }), { seed: 20261126, numRuns: 300 });
  assert.ok(await app.calls.get(callId), 'the call the fuzz ran against is still there');
});
