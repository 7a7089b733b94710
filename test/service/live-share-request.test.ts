/**
 * "Ask to share screen" over the live socket: the agent's request reaches the client, the client's
 * answer reaches the agent; a client may not ask, an agent may not answer, nobody answers a request
 * that never came, and an agent has one request pending at a time (until answered, the client
 * leaves, or the timeout).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SHARE_REQUEST_TIMEOUT_MS, ShareRequestGate } from '../../service/live/share-request.js';
import { connectLive, createAndJoin, fastConfig, sharedApp } from './helper.js';

const shared = sharedApp(fastConfig());

async function bothConnected() {
  const app = shared.app();
  const { callId, agentToken, clientToken } = await createAndJoin(app, shared.config);
  const agent = await connectLive(app, callId, agentToken);
  await agent.next('hello');
  const client = await connectLive(app, callId, clientToken);
  await client.next('hello');
  await agent.next('presence');
  return { app, callId, agentToken, agent, client };
}

test('the agent asks, the client gets share_request, its answer reaches the agent as share_answer', async () => {
  const { agent, client } = await bothConnected();
  agent.ws.send(JSON.stringify({ type: 'share_request' }));
  assert.deepEqual(await client.next('share_request'), { type: 'share_request' });
  client.ws.send(JSON.stringify({ type: 'share_answer', answer: 'declined' }));
  assert.deepEqual(await agent.next('share_answer'), { type: 'share_answer', answer: 'declined' });
  // Answered: the agent may ask again, and the client may answer the new request once.
  agent.ws.send(JSON.stringify({ type: 'share_request' }));
  await client.next('share_request');
  client.ws.send(JSON.stringify({ type: 'share_answer', answer: 'accepted' }));
  assert.deepEqual(await agent.next('share_answer'), { type: 'share_answer', answer: 'accepted' });
  client.ws.send(JSON.stringify({ type: 'share_answer', answer: 'accepted' }));
  assert.equal((await client.next('error')).code, 'share_request_no_peer', 'one answer per request');
  assert.equal(agent.messages.filter((m) => m.type === 'share_answer').length, 2);
  agent.ws.terminate();
  client.ws.terminate();
});

test('a client asking, an agent answering, or a malformed answer gets a stable error code and relays nothing', async () => {
  const { agent, client } = await bothConnected();
  client.ws.send(JSON.stringify({ type: 'share_request' }));
  assert.equal((await client.next('error')).code, 'not_allowed_for_role');
  agent.ws.send(JSON.stringify({ type: 'share_answer', answer: 'accepted' }));
  assert.equal((await agent.next('error')).code, 'not_allowed_for_role');
  client.ws.send(JSON.stringify({ type: 'share_answer', answer: 'accepted' }));
  assert.equal((await client.next('error')).code, 'share_request_no_peer', 'no request was made');
  client.ws.send(JSON.stringify({ type: 'share_answer', answer: 'maybe' }));
  assert.equal((await client.next('error')).code, 'invalid_message');
  client.ws.send(JSON.stringify({ type: 'share_answer', answer: 'accepted', extra: 'x'.repeat(100) }));
  assert.equal((await client.next('error')).code, 'invalid_message');
  agent.ws.send(JSON.stringify({ type: 'ping' }));
  await agent.next('pong');
  client.ws.send(JSON.stringify({ type: 'ping' }));
  await client.next('pong');
  assert.equal(agent.messages.filter((m) => m.type === 'share_answer').length, 0);
  assert.equal(client.messages.filter((m) => m.type === 'share_request').length, 0);
  agent.ws.terminate();
  client.ws.terminate();
});

test('one pending request per agent: a second one is refused until the first is answered or the client leaves', async () => {
  const { agent, client } = await bothConnected();
  agent.ws.send(JSON.stringify({ type: 'share_request' }));
  await client.next('share_request');
  agent.ws.send(JSON.stringify({ type: 'share_request' }));
  assert.equal((await agent.next('error')).code, 'share_request_pending');
  client.ws.send(JSON.stringify({ type: 'ping' }));
  await client.next('pong');
  assert.equal(client.messages.filter((m) => m.type === 'share_request').length, 1, 'the second request was not relayed');
  client.ws.terminate();
  await agent.next('presence');
  agent.ws.send(JSON.stringify({ type: 'share_request' }));
  assert.equal((await agent.next('error')).code, 'share_request_no_peer', 'nobody to ask once the client left (and the old request no longer blocks)');
  agent.ws.terminate();
});

test('an unanswered request stops blocking the next one after the timeout', () => {
  let now = 0;
  const gate = new ShareRequestGate('agent', () => now);
  assert.equal(gate.outgoing({ type: 'share_request' }, true).ok, true);
  now += SHARE_REQUEST_TIMEOUT_MS - 1;
  assert.deepEqual(gate.outgoing({ type: 'share_request' }, true), { ok: false, code: 'share_request_pending', message: 'A share request is already waiting for an answer' });
  now += 1;
  assert.equal(gate.outgoing({ type: 'share_request' }, true).ok, true);
});
