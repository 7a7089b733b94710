// Abandoned and missed calls (service/domain/call-endings.ts): a call nobody answered ends as missed with no duration,
// an agent who disappears is waited for a grace period, calling again after walking away rings again with a fresh
// invite, and "send the link again" posts a second invite and rings again.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../service/config.js';
import { startService, type RunningService } from '../../service/server.js';
import { testDatabaseUrl } from '../support/postgres.js';
import { buildTestApp, connectReal, createAndJoin, createCall, fastConfig, goodClaims, sharedApp, waitUntil } from './helper.js';

// Real sockets: a socket closed through injectWS is not seen closing by the server until the app closes.
const shared = sharedApp(fastConfig({ AGENT_GRACE_SECONDS: '5' }), true);

/** The `data` of a call's webhook rows of one type, in write order. */
async function webhookData(app: FastifyInstance, callId: string, type: string): Promise<Record<string, unknown>[]> {
  const rows = await app.db.selectFrom('webhook_deliveries').select('payload').where('call_id', '=', callId).where('event_type', '=', type).orderBy('seq').execute();
  return rows.map((r) => r.payload.data as Record<string, unknown>);
}

/** Moves the agent's away mark back past the grace period (the tests' clock is the database's). */
async function ageAway(app: FastifyInstance, callId: string, seconds: number): Promise<void> {
  await sql`update calls set agent_away_since = now() - make_interval(secs => ${seconds}) where id = ${callId}`.execute(app.db);
}

const invite = (app: FastifyInstance, callId: string, token: string) =>
  app.inject({ method: 'POST', url: `/v1/calls/${callId}/invite`, headers: { authorization: `Bearer ${token}` } });

test('a call nobody answered ends as missed (no_answer) with no duration; the agent socket is told, then closed', async () => {
  const app = shared.app();
  const { body } = await createCall(app, shared.config);
  const agent = connectReal(shared.url(), body.call.id, body.credentials.token);
  await agent.next('hello');
  await sql`update calls set status = 'ringing', created_at = now() - interval '1 hour' where id = ${body.call.id}`.execute(app.db);
  await app.calls.sweep();
  const { call } = (await agent.next('call')) as { call: { status: string; endReason: string } };
  assert.deepEqual([call.status, call.endReason], ['ended', 'no_answer']);
  assert.equal((await agent.closed).code, 4000);
  const [ended] = await webhookData(app, body.call.id, 'call.ended');
  assert.equal(ended?.reason, 'no_answer');
  assert.equal(ended?.durationSeconds, null, 'a call nobody answered has no duration');
});

test('a link expiring while ringing ends the call (expired) with no duration either', async () => {
  const app = shared.app();
  const { body } = await createCall(app, shared.config);
  await sql`update calls set expires_at = now() - interval '1 second' where id = ${body.call.id}`.execute(app.db);
  await app.calls.sweep();
  const [ended] = await webhookData(app, body.call.id, 'call.ended');
  assert.deepEqual([ended?.reason, ended?.durationSeconds], ['expired', null]);
});

test('an answered call\'s duration counts from the client\'s first join', async () => {
  const app = shared.app();
  const { callId } = await createAndJoin(app, shared.config);
  await app.calls.clientJoined(callId);
  await sql`update calls set created_at = now() - interval '1 hour' where id = ${callId}`.execute(app.db);
  await sql`update call_events set at = now() - interval '90 seconds' where call_id = ${callId} and type = 'call.client_joined'`.execute(app.db);
  await app.calls.end(callId, 'agent', 'ended_by_agent');
  const [ended] = await webhookData(app, callId, 'call.ended');
  const seconds = ended?.durationSeconds as number;
  assert.ok(seconds >= 90 && seconds < 3600, `duration ${seconds} s is from the join, not from the creation an hour ago`);
});

test('the agent\'s socket closing starts the grace: the client is told; after it the call ends agent_left for the client', async () => {
  const app = shared.app();
  const { callId, agentToken, clientToken } = await createAndJoin(app, shared.config);
  const agent = connectReal(shared.url(), callId, agentToken);
  await agent.next('hello');
  const client = connectReal(shared.url(), callId, clientToken);
  await client.next('hello');
  agent.ws.close(1000);
  const away = (await client.next('call')) as { call: { status: string; agentAwaySince: string | null } };
  assert.equal(away.call.status, 'active');
  assert.ok(away.call.agentAwaySince, 'the client learns the agent lost connection');
  await app.calls.sweep();
  assert.equal((await app.calls.get(callId))?.status, 'active', 'not within the grace');
  await ageAway(app, callId, 6);
  await app.calls.sweep();
  const ended = (await client.next('call')) as { call: { status: string; endReason: string; endedBy: string } };
  assert.deepEqual([ended.call.status, ended.call.endReason, ended.call.endedBy], ['ended', 'agent_left', 'system']);
  assert.equal((await client.closed).code, 4000);
});

test('an agent coming back within the grace cancels it', async () => {
  const app = shared.app();
  const { callId, agentToken } = await createAndJoin(app, shared.config);
  const first = connectReal(shared.url(), callId, agentToken);
  await first.next('hello');
  first.ws.close(1000);
  await waitUntil(async () => (await app.calls.get(callId))?.agentAwaySince !== null, 3000, 'the away mark');
  const again = connectReal(shared.url(), callId, agentToken);
  await again.next('hello');
  await waitUntil(async () => (await app.calls.get(callId))?.agentAwaySince === null, 3000, 'the mark cleared');
  await ageAway(app, callId, 60);
  await app.calls.sweep();
  const call = await app.calls.get(callId);
  assert.notEqual(call?.status, 'ended', 'an agent connected again is not agent_left, even with an old mark');
  assert.equal(call?.agentAwaySince, null);
  again.ws.terminate();
});

test('a stale away mark is not obeyed while an agent socket is connected (it is cleared instead)', async () => {
  const app = shared.app();
  const { body } = await createCall(app, shared.config);
  const agent = connectReal(shared.url(), body.call.id, body.credentials.token);
  await agent.next('hello');
  await ageAway(app, body.call.id, 60);
  await app.calls.sweep();
  const call = await app.calls.get(body.call.id);
  assert.notEqual(call?.status, 'ended');
  assert.equal(call?.agentAwaySince, null);
  agent.ws.terminate();
});

test('calling again after walking away from a ringing call ends it (replaced) and rings a new one with a fresh invite', async () => {
  const app = shared.app();
  const claims = goodClaims();
  const first = await createCall(app, shared.config, claims);
  const agent = connectReal(shared.url(), first.body.call.id, first.body.credentials.token);
  await agent.next('hello');
  agent.ws.close(1000);
  await waitUntil(async () => (await app.calls.get(first.body.call.id))?.agentAwaySince !== null, 3000, 'the away mark');
  const second = await createCall(app, shared.config, claims);
  assert.equal(second.res.statusCode, 201, 'a new call, with its own link');
  assert.notEqual(second.body.call.id, first.body.call.id);
  assert.ok(second.body.joinUrl);
  const old = await app.calls.get(first.body.call.id);
  assert.deepEqual([old?.status, old?.endReason, old?.endedBy], ['ended', 'replaced', 'agent']);
  assert.equal((await webhookData(app, second.body.call.id, 'call.invite')).length, 1, 'a fresh invite for the new call');
});

test('calling again after the client left and the agent went away rings again too', async () => {
  const app = shared.app();
  const claims = goodClaims();
  const first = await createCall(app, shared.config, claims);
  const callId = first.body.call.id;
  await app.calls.clientJoined(callId);
  await app.calls.clientLeft(callId);
  await app.calls.agentLeft(callId);
  const second = await createCall(app, shared.config, claims);
  assert.equal(second.res.statusCode, 201);
  assert.equal((await app.calls.get(callId))?.endReason, 'replaced');
});

test('an agent reloading during an active call with the client present gets the same call back', async () => {
  const app = shared.app();
  const claims = goodClaims();
  const first = await createCall(app, shared.config, claims);
  await app.calls.clientJoined(first.body.call.id);
  await app.calls.agentLeft(first.body.call.id);
  const again = await createCall(app, shared.config, claims);
  assert.equal(again.res.statusCode, 200);
  assert.equal(again.body.call.id, first.body.call.id);
});

test('pressing the phone twice (agent still on the page) returns the same ringing call, no second invite', async () => {
  const app = shared.app();
  const claims = goodClaims();
  const first = await createCall(app, shared.config, claims);
  const agent = connectReal(shared.url(), first.body.call.id, first.body.credentials.token);
  await agent.next('hello');
  const again = await createCall(app, shared.config, claims);
  assert.equal(again.res.statusCode, 200);
  assert.equal(again.body.call.id, first.body.call.id);
  assert.equal((await webhookData(app, first.body.call.id, 'call.invite')).length, 1);
  agent.ws.terminate();
});

test('send the link again: a second call.invite with the same link, and the ring timeout counts from it', async () => {
  const app = shared.app();
  const { body } = await createCall(app, shared.config);
  await sql`update calls set created_at = now() - make_interval(secs => ${shared.config.ringTimeoutSeconds - 1}) where id = ${body.call.id}`.execute(app.db);
  const res = await invite(app, body.call.id, body.credentials.token);
  assert.equal(res.statusCode, 200);
  const call = res.json<{ invitedAt: string; createdAt: string }>();
  assert.ok(Date.parse(call.invitedAt) > Date.parse(call.createdAt));
  const invites = await webhookData(app, body.call.id, 'call.invite');
  assert.equal(invites.length, 2);
  assert.deepEqual(invites[1], invites[0], 'the same message (the link is filled in when sent)');
  await sql`update calls set created_at = now() - interval '1 hour' where id = ${body.call.id}`.execute(app.db);
  await app.calls.sweep();
  assert.notEqual((await app.calls.get(body.call.id))?.status, 'ended', 'it rings again from the resend');
});

test('send the link again is refused once the client joined (409 call_not_ringing), after the end (409 call_ended), and to the client (403)', async () => {
  const app = shared.app();
  const { callId, agentToken, clientToken } = await createAndJoin(app, shared.config);
  assert.equal((await invite(app, callId, clientToken)).json<{ code: string }>().code, 'forbidden');
  await app.calls.clientJoined(callId);
  const joined = await invite(app, callId, agentToken);
  assert.deepEqual([joined.statusCode, joined.json<{ code: string }>().code], [409, 'call_not_ringing']);
  await app.calls.end(callId, 'agent', 'ended_by_agent');
  const ended = await invite(app, callId, agentToken);
  assert.deepEqual([ended.statusCode, ended.json<{ code: string }>().code], [409, 'call_ended']);
  assert.equal((await app.inject({ method: 'POST', url: `/v1/calls/${callId}/invite` })).statusCode, 401);
});

test('send the link again is rate-limited per call (429 rate_limited)', async (t) => {
  const base = fastConfig();
  const config: Config = { ...base, rateLimits: { ...base.rateLimits, resendInvitePerCall: { max: 2, windowMs: 60_000 } } };
  const app = await buildTestApp(t, config);
  const { body } = await createCall(app, config);
  const codes = [];
  for (let i = 0; i < 3; i++) codes.push((await invite(app, body.call.id, body.credentials.token)).statusCode);
  assert.deepEqual(codes, [200, 200, 429]);
});

/** Two instances on one fresh PostgreSQL database. */
async function twoInstances(t: TestContext): Promise<{ config: Config; a: RunningService; b: RunningService }> {
  const config = { ...fastConfig({ AGENT_GRACE_SECONDS: '5' }), databaseUrl: testDatabaseUrl() };
  const a = await startService(config);
  t.after(() => a.close());
  const b = await startService(config);
  t.after(() => b.close());
  return { config, a, b };
}

test('several instances: the agent leaves instance A, the sweep on B ends the call agent_left for the client on B', async (t) => {
  const { config, a, b } = await twoInstances(t);
  const { body } = await createCall(a.app, config);
  const callId = body.call.id;
  const join = await b.app.inject({ method: 'POST', url: '/v1/join', payload: { callId, secret: body.joinUrl!.split('#')[1]! } });
  const agent = connectReal(a.url, callId, body.credentials.token);
  await agent.next('hello');
  const client = connectReal(b.url, callId, join.json<{ credentials: { token: string } }>().credentials.token);
  await client.next('hello');
  agent.ws.close(1000);
  await waitUntil(() => client.messages.some((m) => m.type === 'call' && (m.call as { agentAwaySince: string | null }).agentAwaySince), 5000, 'the client on B told');
  await ageAway(b.app, callId, 6);
  await b.app.calls.sweep();
  assert.equal((await client.closed).code, 4000);
  assert.equal((await a.app.calls.get(callId))?.endReason, 'agent_left');
});

test('several instances: an agent connected to A is not ended by a sweep on B whatever the away mark says', async (t) => {
  const { config, a, b } = await twoInstances(t);
  const { body } = await createCall(a.app, config);
  const agent = connectReal(a.url, body.call.id, body.credentials.token);
  await agent.next('hello');
  await ageAway(b.app, body.call.id, 60);
  await b.app.calls.sweep();
  assert.notEqual((await b.app.calls.get(body.call.id))?.status, 'ended');
  // And calling again from the page still connected returns the same call.
  agent.ws.terminate();
});
