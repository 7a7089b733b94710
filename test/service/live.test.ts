import assert from 'node:assert/strict';
import { test } from 'node:test';
import WebSocket from 'ws';
import { startService } from '../../service/server.js';
import { connectLive, connectReal, createAndJoin, createCall, fastConfig, sharedApp, waitUntil, watch } from './helper.js';

const shared = sharedApp(fastConfig(), true);

test('the live socket refuses missing, wrong-call and garbage credentials with 401 before upgrading', async () => {
  const app = shared.app();
  const { callId } = await createAndJoin(app, shared.config);
  const other = await createCall(app, shared.config);
  for (const protocol of [undefined, 'switchboard.v1', `switchboard.v1, ${other.body.credentials.token}`, 'switchboard.v1, garbage', `other.v1, ${other.body.credentials.token}`]) {
    await assert.rejects(
      app.injectWS(`/v1/calls/${callId}/live`, { headers: protocol ? { 'sec-websocket-protocol': protocol } : {} }),
      /Unexpected server response: 401/, String(protocol));
  }
});

test('hello comes first with the call and who is present; presence and signals flow between agent and client', async () => {
  const app = shared.app();
  const { callId, agentToken, clientToken } = await createAndJoin(app, shared.config);
  const agent = await connectLive(app, callId, agentToken);
  const hello = await agent.next('hello');
  assert.equal(agent.messages[0]?.type, 'hello');
  assert.equal(hello.role, 'agent');
  assert.deepEqual(hello.peers, { agent: true, client: false });
  assert.equal((hello.call as { id: string }).id, callId);

  const client = await connectLive(app, callId, clientToken);
  const clientHello = await client.next('hello');
  assert.deepEqual(clientHello.peers, { agent: true, client: true });
  assert.deepEqual(await agent.next('presence'), { type: 'presence', role: 'client', present: true });
  const activeCall = await agent.next('call');
  assert.equal((activeCall.call as { status: string }).status, 'active');

  const offer = { kind: 'description', generation: 'g1', description: { type: 'offer', sdp: 'v=0' } };
  agent.ws.send(JSON.stringify({ type: 'signal', data: offer }));
  assert.deepEqual(await client.next('signal'), { type: 'signal', from: 'agent', data: offer });
  const candidate = { kind: 'candidate', generation: 'g1', candidate: { candidate: 'candidate:1', sdpMid: '0' } };
  client.ws.send(JSON.stringify({ type: 'signal', data: candidate }));
  assert.deepEqual(await agent.next('signal'), { type: 'signal', from: 'client', data: candidate });

  client.ws.send(JSON.stringify({ type: 'ping' }));
  await client.next('pong');
  client.ws.send('not json');
  assert.equal((await client.next('error')).code, 'invalid_message');
  client.ws.send(JSON.stringify({ type: 'signal', data: 'x'.repeat(70 * 1024) }));
  assert.equal((await client.next('error')).code, 'message_too_large');
  assert.equal(agent.messages.filter((m) => m.type === 'signal').length, 1, 'oversized signals are not relayed');
  agent.ws.terminate();
  client.ws.terminate();
});

test('a newer socket of the same role replaces the older one with close code 4001, without a client_left', async () => {
  const app = shared.app();
  const { callId, agentToken, clientToken } = await createAndJoin(app, shared.config);
  const agent = connectReal(shared.url(), callId, agentToken);
  await agent.next('hello');
  const first = connectReal(shared.url(), callId, clientToken);
  await first.next('hello');
  await agent.next('presence');
  const second = connectReal(shared.url(), callId, clientToken);
  await second.next('hello');
  assert.equal((await first.closed).code, 4001);
  assert.deepEqual(await agent.next('presence'), { type: 'presence', role: 'client', present: true }, 'the agent renegotiates with the new session');
  assert.equal((await app.calls.get(callId))?.status, 'active');
  const left = await app.db.selectFrom('call_events').select('type').where('call_id', '=', callId).where('type', '=', 'call.client_left').execute();
  assert.equal(left.length, 0);
  agent.ws.terminate();
  second.ws.terminate();
});

test('the client leaving sets client_left, tells the agent, and emits call.client_left; rejoining makes it active again', async () => {
  const app = shared.app();
  const { callId, agentToken, clientToken } = await createAndJoin(app, shared.config);
  const agent = connectReal(shared.url(), callId, agentToken);
  await agent.next('hello');
  const client = connectReal(shared.url(), callId, clientToken);
  await client.next('hello');
  client.ws.close(1000);
  assert.deepEqual(await agent.next('presence'), { type: 'presence', role: 'client', present: true });
  assert.deepEqual(await agent.next('presence'), { type: 'presence', role: 'client', present: false });
  await waitUntil(async () => (await app.calls.get(callId))?.status === 'client_left', 3000, 'client_left');
  const events = await app.db.selectFrom('call_events').select('type').where('call_id', '=', callId).orderBy('id').execute();
  assert.deepEqual(events.map((e) => e.type).slice(-2), ['call.client_joined', 'call.client_left']);
  const back = connectReal(shared.url(), callId, clientToken);
  await back.next('hello');
  await waitUntil(async () => (await app.calls.get(callId))?.status === 'active', 3000, 'active again');
  agent.ws.terminate();
  back.ws.terminate();
});

test('ending the call broadcasts it and closes every socket with 4000', async () => {
  const app = shared.app();
  const { callId, agentToken, clientToken } = await createAndJoin(app, shared.config);
  const agent = connectReal(shared.url(), callId, agentToken);
  const client = connectReal(shared.url(), callId, clientToken);
  await agent.next('hello');
  await client.next('hello');
  const res = await app.inject({ method: 'POST', url: `/v1/calls/${callId}/end`, headers: { authorization: `Bearer ${agentToken}` } });
  assert.equal(res.statusCode, 200);
  const [a, c] = await Promise.all([agent.closed, client.closed]);
  assert.equal(a.code, 4000);
  assert.equal(c.code, 4000);
  const ended = client.messages.find((m) => m.type === 'call' && (m.call as { status: string }).status === 'ended');
  assert.ok(ended, 'the client saw the ended call before the close');
  assert.equal((await app.calls.get(callId))?.status, 'ended');
  const late = connectReal(shared.url(), callId, clientToken);
  assert.equal((await late.closed).code, 4000, 'a socket opened after the end is closed with 4000');
});

test('participant events are broadcast on the live socket', async () => {
  const app = shared.app();
  const { callId, agentToken, clientToken } = await createAndJoin(app, shared.config);
  const agent = await connectLive(app, callId, agentToken);
  await agent.next('hello');
  await app.inject({ method: 'POST', url: `/v1/calls/${callId}/events`, headers: { authorization: `Bearer ${clientToken}` }, payload: { type: 'screen_share_started' } });
  const { event } = (await agent.next('event')) as { event: { type: string; by: string; at: string } };
  assert.equal(event.type, 'call.screen_share_started');
  assert.equal(event.by, 'client');
  assert.ok(Date.parse(event.at));
  agent.ws.terminate();
});

test('over a real socket the service answers with subprotocol switchboard.v1, and says 1001 when shutting down', async () => {
  const config = fastConfig({ PORT: '0' });
  const service = await startService(config);
  let closed = false;
  try {
    const { callId, agentToken: token } = await createAndJoin(service.app, config);
    const url = `${service.url.replace('http', 'ws')}/v1/calls/${callId}/live`;
    const ws = new WebSocket(url, ['switchboard.v1', token]);
    const watcher = watch(ws);
    await watcher.next('hello');
    assert.equal(ws.protocol, 'switchboard.v1');
    const refused = new WebSocket(url, ['switchboard.v1', 'bad-token']);
    refused.on('error', () => undefined);
    const status = await new Promise<number>((resolve) => refused.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
    assert.equal(status, 401);
    refused.terminate();
    await service.close();
    closed = true;
    assert.equal((await watcher.closed).code, 1001);
  } finally {
    if (!closed) await service.close();
  }
});

test('a delivered invite is broadcast to the agent as a ringing call with linkDelivered', async () => {
  const app = shared.app();
  const { body } = await createCall(app, shared.config);
  const agent = await connectLive(app, body.call.id, body.credentials.token);
  await agent.next('hello');
  await app.calls.linkDelivered(body.call.id);
  const { call } = (await agent.next('call')) as { call: { status: string; linkDelivered: boolean } };
  assert.equal(call.status, 'ringing');
  assert.equal(call.linkDelivered, true);
  agent.ws.terminate();
});
