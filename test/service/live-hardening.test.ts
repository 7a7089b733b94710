// A link holder against the live socket: malformed and hostile messages, floods, slow readers,
// message order, and credentials that outlive their session.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type WebSocket from 'ws';
import { LiveCloseCode } from '../../protocol/live.js';
import { connectReal, createAndJoin, createCall, fastConfig, sharedApp, waitUntil } from './helper.js';

const shared = sharedApp(fastConfig(), true);

/** Opens both sockets of a fresh call and waits for their hellos. */
async function openCall() {
  const app = shared.app();
  const joined = await createAndJoin(app, shared.config);
  const agent = connectReal(shared.url(), joined.callId, joined.agentToken);
  await agent.next('hello');
  const client = connectReal(shared.url(), joined.callId, joined.clientToken);
  await client.next('hello');
  await agent.next('presence');
  return { app, ...joined, agent, client };
}

const send = (ws: WebSocket, message: unknown) => ws.send(typeof message === 'string' ? message : JSON.stringify(message));

test('a deeply nested signal is refused as invalid_message: nothing is relayed and the process keeps serving', async () => {
  const { app, agent, client } = await openCall();
  // ~10 KB of nesting: relaying it used to overflow the stack in JSON.stringify and kill the process.
  send(client.ws, `{"type":"signal","data":${'['.repeat(5000)}${']'.repeat(5000)}}`);
  assert.equal((await client.next('error')).code, 'invalid_message');
  const health = await app.inject({ method: 'GET', url: '/healthz' });
  assert.equal(health.statusCode, 200);
  send(client.ws, { type: 'ping' });
  await client.next('pong');
  assert.equal(agent.messages.filter((m) => m.type === 'signal').length, 0);
  agent.ws.terminate();
  client.ws.terminate();
});

test('every direct-mode signal kind is checked against its schema before it is relayed', async () => {
  const { agent, client } = await openCall();
  const bad = [
    { kind: 'description', description: { type: 'offer', sdp: 'v=0' } }, // no generation
    { kind: 'description', generation: 'g1', description: { type: 'offer', sdp: 'x'.repeat(50 * 1024) } },
    { kind: 'description', generation: 'g1', description: { type: 'bogus', sdp: 'v=0' } },
    { kind: 'description', generation: 'g1', description: { type: 'offer', sdp: 'v=0', extra: [[[]]] } },
    { kind: 'description', generation: 'no spaces allowed', description: { type: 'offer' } },
    { kind: 'candidate', generation: 'g1', candidate: { candidate: 'c'.repeat(2000) } },
    { kind: 'candidate', generation: 'g1', candidate: { candidate: 'candidate:1', sdpMLineIndex: -1 } },
    { kind: 'sources', sources: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`s${i}`, 'camera'])) },
    { kind: 'sources', sources: { s1: 'projector' } },
    { kind: 'mute', source: 'screen', muted: true },
    { kind: 'mute', source: 'camera', muted: 'yes' },
    { kind: 'quality', level: 'excellent' },
    { kind: 'quality', level: 'poor', lossPercent: 12 },
    { kind: 'unknown' },
    null,
    'text',
  ];
  for (const data of bad) send(client.ws, { type: 'signal', data });
  for (let i = 0; i < bad.length; i++) assert.equal((await client.next('error')).code, 'invalid_message', JSON.stringify(bad[i]).slice(0, 80));
  const good = [
    { kind: 'description', generation: 'g-1', description: { type: 'offer', sdp: 'v=0\r\n' } },
    { kind: 'candidate', generation: 'g-1', candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 5000 typ host', sdpMid: '0', sdpMLineIndex: 0, usernameFragment: 'abcd' } },
    { kind: 'candidate', generation: 'g-1', candidate: { candidate: '', sdpMid: null, sdpMLineIndex: null } },
    { kind: 'sources', sources: { 'stream-a': 'camera', 'stream-b': 'screen' } },
    { kind: 'mute', source: 'microphone', muted: true },
    { kind: 'quality', level: 'poor' },
    { kind: 'quality', level: null },
  ];
  for (const data of good) send(client.ws, { type: 'signal', data });
  for (const data of good) assert.deepEqual(await agent.next('signal'), { type: 'signal', from: 'client', data });
  assert.equal(agent.messages.filter((m) => m.type === 'signal').length, good.length, 'only valid signals reached the agent');
  agent.ws.terminate();
  client.ws.terminate();
});

test('a socket that keeps sending invalid messages is closed with 4008', async () => {
  const { agent, client } = await openCall();
  for (let i = 0; i < 60; i++) send(client.ws, { type: 'nope' });
  assert.equal((await client.closed).code, LiveCloseCode.policyViolation);
  agent.ws.terminate();
});

test('a flood of messages is rate-limited (rate_limited error) and then cut with 4008', async () => {
  const { agent, client } = await openCall();
  for (let i = 0; i < 1000; i++) send(client.ws, { type: 'ping' });
  assert.equal((await client.next('error')).code, 'rate_limited');
  assert.equal((await client.closed).code, LiveCloseCode.policyViolation);
  const pongs = client.messages.filter((m) => m.type === 'pong').length;
  assert.ok(pongs >= 200 && pongs < 300, `about one burst of pongs, got ${pongs}`);
  agent.ws.terminate();
});

test('a peer that does not read is cut off once a bounded buffer is full (memory stays flat)', async () => {
  const { app, callId, agent, client } = await openCall();
  // The agent stops reading: the service must not buffer what the client sends it without limit.
  (agent.ws as unknown as { _socket: { pause(): void } })._socket.pause();
  const sdp = 'a'.repeat(40 * 1024);
  const before = process.memoryUsage().rss;
  const deadline = Date.now() + 10_000;
  let sent = 0;
  while (app.liveHub.isPresent(callId, 'agent') && Date.now() < deadline) {
    if (client.ws.readyState !== client.ws.OPEN) break;
    send(client.ws, { type: 'signal', data: { kind: 'description', generation: 'g1', description: { type: 'offer', sdp } } });
    sent += 1;
    if (sent % 20 === 0) await new Promise((r) => setTimeout(r, 200));
  }
  assert.equal(app.liveHub.isPresent(callId, 'agent'), false, `the slow agent socket was cut (sent ${sent} signals)`);
  const grownMb = (process.memoryUsage().rss - before) / 1024 / 1024;
  assert.ok(grownMb < 64, `resident memory grew ${grownMb.toFixed(1)} MB`);
  agent.ws.terminate();
  client.ws.terminate();
});

test('hello is always the first message, for the client too (10 of 10 calls)', async () => {
  for (let i = 0; i < 10; i++) {
    const { agent, client } = await openCall();
    assert.equal(client.messages[0]?.type, 'hello');
    assert.equal(agent.messages[0]?.type, 'hello');
    assert.equal((client.messages[0]?.call as { status: string }).status, 'active', 'hello carries the state after the join');
    agent.ws.terminate();
    client.ws.terminate();
  }
});

test('credentials are short-lived and renewed over the live socket for the same session', async () => {
  const { app, callId, agent, client, created } = await openCall();
  const lifetime = Date.parse(created.body.credentials.expiresAt) - Date.now();
  assert.ok(lifetime <= 600_000 && lifetime > 590_000, `agent credentials live 10 minutes, got ${lifetime}`);
  send(client.ws, { type: 'renew' });
  const { credentials } = (await client.next('credentials')) as { credentials: { token: string; expiresAt: string } };
  assert.ok(Date.parse(credentials.expiresAt) > Date.now() + 590_000);
  const res = await app.inject({ method: 'GET', url: `/v1/calls/${callId}`, headers: { authorization: `Bearer ${credentials.token}` } });
  assert.equal(res.statusCode, 200);
  agent.ws.terminate();
  client.ws.terminate();
});

test('a newer join retires the older client credentials: REST, reconnect and renewal refuse them, its socket gets 4401', async () => {
  const { app, callId, secret, clientToken, agent, client } = await openCall();
  const rejoin = await app.inject({ method: 'POST', url: '/v1/join', payload: { callId, secret } });
  assert.equal(rejoin.statusCode, 200);
  assert.equal((await client.closed).code, LiveCloseCode.credentialsRejected);
  const old = await app.inject({ method: 'GET', url: `/v1/calls/${callId}`, headers: { authorization: `Bearer ${clientToken}` } });
  assert.equal(old.statusCode, 401);
  assert.equal(old.json<{ code: string }>().code, 'credentials_replaced');
  const again = connectReal(shared.url(), callId, clientToken);
  assert.equal((await again.closed).code, 1006, 'the upgrade is refused (401)');
  const fresh = connectReal(shared.url(), callId, rejoin.json<{ credentials: { token: string } }>().credentials.token);
  const hello = await fresh.next('hello');
  assert.equal((hello.call as { status: string }).status, 'active');
  const left = await app.db.selectFrom('call_events').select('type').where('call_id', '=', callId).where('type', '=', 'call.client_left').execute();
  assert.equal(left.length, 0, 'a takeover is not a departure');
  agent.ws.terminate();
  fresh.ws.terminate();
});

test('repeated screen-share reports of the same state record one event, not one per report', async () => {
  const app = shared.app();
  const { body } = await createCall(app, shared.config);
  const participant = await app.credentials.verify(body.credentials.token);
  for (let i = 0; i < 50; i++) await app.calls.recordClientEvent(participant, { type: 'screen_share_started' });
  await app.calls.recordClientEvent(participant, { type: 'screen_share_stopped' });
  await app.calls.recordClientEvent(participant, { type: 'screen_share_stopped' });
  const events = await app.db.selectFrom('call_events').select('type').where('call_id', '=', body.call.id)
    .where('type', 'like', 'call.screen_share_%').orderBy('id').execute();
  assert.deepEqual(events.map((e) => e.type), ['call.screen_share_started', 'call.screen_share_stopped']);
});

test('many parallel upgrades of one client link leave the service responsive', async () => {
  const { app, callId, clientToken, agent, client } = await openCall();
  const sockets = Array.from({ length: 200 }, () => connectReal(shared.url(), callId, clientToken));
  const health = await app.inject({ method: 'GET', url: '/healthz' });
  assert.equal(health.statusCode, 200);
  await waitUntil(() => sockets.every((s) => s.ws.readyState === s.ws.CLOSED || s.ws.readyState === s.ws.OPEN), 20_000, 'every upgrade settled');
  const transactions = await app.db.selectFrom('call_events').select('type').where('call_id', '=', callId).where('type', '=', 'call.client_joined').execute();
  assert.equal(transactions.length, 1, 'reconnects of a client already in the call change nothing');
  for (const s of sockets) s.ws.terminate();
  agent.ws.terminate();
  client.ws.terminate();
});
