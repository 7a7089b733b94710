// Two service instances on one PostgreSQL database serve one call: the live bus (LISTEN/NOTIFY), presence across
// instances, revocations, and a graceful shutdown whose sockets reconnect to the other instance.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import type { Config } from '../../service/config.js';
import { startService, type RunningService } from '../../service/server.js';
import { testDatabaseUrl } from '../support/postgres.js';
import { connectReal, createCall, fastConfig, waitUntil, type CreateBody, type LiveClient } from './helper.js';

/** Two instances (A and B) of one service: same secrets, one fresh database. */
async function twoInstances(t: TestContext, tweak: (config: Config) => Config = (c) => c): Promise<{ config: Config; a: RunningService; b: RunningService }> {
  const config = tweak({ ...fastConfig(), databaseUrl: testDatabaseUrl() });
  const a = await startService(config);
  t.after(() => a.close());
  const b = await startService(config);
  t.after(() => b.close());
  return { config, a, b };
}

/** A call created on one instance and joined on the other. */
async function callAcross(config: Config, creator: RunningService, joiner: RunningService) {
  const { body } = await createCall(creator.app, config);
  const secret = body.joinUrl!.split('#')[1]!;
  const join = await joiner.app.inject({ method: 'POST', url: '/v1/join', payload: { callId: body.call.id, secret } });
  assert.equal(join.statusCode, 200);
  return { callId: body.call.id, secret, agentToken: body.credentials.token, clientToken: join.json<CreateBody>().credentials.token };
}

const statusOf = (m: Record<string, unknown>) => (m.call as { status: string }).status;
const closeAll = (...clients: LiveClient[]) => clients.forEach((c) => c.ws.terminate());

test('agent on instance A and client on instance B see each other: hello, presence, call changes, events and signals', async (t) => {
  const { config, a, b } = await twoInstances(t);
  assert.notEqual(a.app.liveBus.instanceId, b.app.liveBus.instanceId);
  const { callId, agentToken, clientToken } = await callAcross(config, a, b);

  const agent = connectReal(a.url, callId, agentToken);
  assert.deepEqual((await agent.next('hello')).peers, { agent: true, client: false });
  const client = connectReal(b.url, callId, clientToken);
  const clientHello = await client.next('hello');
  assert.deepEqual(clientHello.peers, { agent: true, client: true }, 'B knows the agent is connected to A');
  assert.equal(statusOf(clientHello), 'active');
  assert.deepEqual(await agent.next('presence'), { type: 'presence', role: 'client', present: true });
  assert.equal(statusOf(await agent.next('call')), 'active', 'the change made on B reaches the socket on A');

  // An SDP near the 48 KiB limit does not fit a NOTIFY (8000 bytes): it travels through live_messages.
  const offer = { kind: 'description', generation: 'g1', description: { type: 'offer', sdp: `v=0\r\n${'a'.repeat(45 * 1024)}` } };
  agent.ws.send(JSON.stringify({ type: 'signal', data: offer }));
  assert.deepEqual(await client.next('signal'), { type: 'signal', from: 'agent', data: offer });
  assert.ok((await a.app.db.selectFrom('live_messages').select('id').execute()).length >= 1, 'the offer went through live_messages');
  const candidates = Array.from({ length: 20 }, (_, i) => ({ kind: 'candidate', generation: 'g1', candidate: { candidate: `candidate:${i}`, sdpMid: '0' } }));
  for (const data of candidates) client.ws.send(JSON.stringify({ type: 'signal', data }));
  for (const data of candidates) assert.deepEqual(await agent.next('signal'), { type: 'signal', from: 'client', data }, 'in the order sent');

  const share = await b.app.inject({ method: 'POST', url: `/v1/calls/${callId}/events`, headers: { authorization: `Bearer ${clientToken}` }, payload: { type: 'screen_share_started' } });
  assert.equal(share.statusCode, 202);
  const { event } = (await agent.next('event')) as { event: { type: string; by: string } };
  assert.deepEqual([event.type, event.by], ['call.screen_share_started', 'client']);

  client.ws.close(1000);
  assert.deepEqual(await agent.next('presence'), { type: 'presence', role: 'client', present: false });
  assert.equal(statusOf(await agent.next('call')), 'client_left');
  const left = await a.app.db.selectFrom('call_events').select('type').where('call_id', '=', callId).where('type', '=', 'call.client_left').execute();
  assert.equal(left.length, 1, 'one departure, recorded once');
  await waitUntil(async () => !(await a.app.liveBus.present(callId, 'client')), 3000, 'the presence row removed');
  closeAll(agent);
});

test('across instances a newer socket replaces the older (4001) and a newer join revokes the older client (4401)', async (t) => {
  const { config, a, b } = await twoInstances(t);
  const { callId, secret, agentToken, clientToken } = await callAcross(config, a, b);
  const agent = connectReal(a.url, callId, agentToken);
  await agent.next('hello');
  const first = connectReal(a.url, callId, clientToken);
  await first.next('hello');
  await agent.next('presence');

  const second = connectReal(b.url, callId, clientToken);
  assert.deepEqual((await second.next('hello')).peers, { agent: true, client: true });
  assert.equal((await first.closed).code, 4001, 'the older socket, on the other instance, is replaced');
  assert.deepEqual(await agent.next('presence'), { type: 'presence', role: 'client', present: true }, 'the agent renegotiates with the new socket');

  const rejoin = await a.app.inject({ method: 'POST', url: '/v1/join', payload: { callId, secret } });
  assert.equal(rejoin.statusCode, 200);
  assert.equal((await second.closed).code, 4401, 'the join on A revokes the session whose socket is on B');
  assert.deepEqual(await agent.next('presence'), { type: 'presence', role: 'client', present: false });
  const fresh = connectReal(b.url, callId, rejoin.json<CreateBody>().credentials.token);
  assert.deepEqual((await fresh.next('hello')).peers, { agent: true, client: true });
  const left = await b.app.db.selectFrom('call_events').select('type').where('call_id', '=', callId).where('type', '=', 'call.client_left').execute();
  assert.equal(left.length, 0, 'replacements and takeovers are not departures');
  closeAll(agent, fresh);
});

test('ending the call on one instance closes the sockets on both with 4000, after the ended call', async (t) => {
  const { config, a, b } = await twoInstances(t);
  const { callId, agentToken, clientToken } = await callAcross(config, a, b);
  const agent = connectReal(a.url, callId, agentToken);
  const client = connectReal(b.url, callId, clientToken);
  await agent.next('hello');
  await client.next('hello');
  const res = await b.app.inject({ method: 'POST', url: `/v1/calls/${callId}/end`, headers: { authorization: `Bearer ${agentToken}` } });
  assert.equal(res.statusCode, 200);
  const [agentClosed, clientClosed] = await Promise.all([agent.closed, client.closed]);
  assert.deepEqual([agentClosed.code, clientClosed.code], [4000, 4000]);
  assert.ok(agent.messages.some((m) => m.type === 'call' && statusOf(m) === 'ended'), 'the agent on A saw the ended call first');
});

test('closing instance A gracefully: its agent socket gets 1001, reconnects to B and is back with the client within seconds', async (t) => {
  const { config, a, b } = await twoInstances(t);
  const { callId, agentToken, clientToken } = await callAcross(config, b, b);
  const agent = connectReal(a.url, callId, agentToken);
  await agent.next('hello');
  const client = connectReal(b.url, callId, clientToken);
  await client.next('hello');
  await agent.next('presence');

  const started = performance.now();
  const closing = a.close();
  assert.equal((await agent.closed).code, 1001);
  assert.deepEqual(await client.next('presence'), { type: 'presence', role: 'agent', present: false }, 'B learns the agent left A');
  const back = connectReal(b.url, callId, agentToken);
  const hello = await back.next('hello');
  const elapsedMs = performance.now() - started;
  assert.deepEqual(hello.peers, { agent: true, client: true });
  assert.equal(statusOf(hello), 'active', 'the call went on: no client_left, nothing ended');
  assert.deepEqual(await client.next('presence'), { type: 'presence', role: 'agent', present: true });
  assert.ok(elapsedMs < 3000, `back within seconds (${Math.round(elapsedMs)} ms)`);
  t.diagnostic(`agent back on B ${Math.round(elapsedMs)} ms after A began closing`);
  await closing;
  const rows = await b.app.db.selectFrom('live_presence').select(['role', 'instance_id']).where('call_id', '=', callId).execute();
  assert.ok(rows.every((r) => r.instance_id === b.app.liveBus.instanceId), 'A left no presence row behind');
  const instances = await b.app.db.selectFrom('live_instances').select('id').execute();
  assert.deepEqual(instances.map((i) => i.id), [b.app.liveBus.instanceId], 'A unregistered itself');
  closeAll(back, client);
});
