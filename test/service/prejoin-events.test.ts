// The client's arrival before joining, as the agent's live socket sees it: `call.link_opened`
// (POST /v1/join) and `call.client_prejoin` (the pre-join screen) are relayed as events, while
// presence and the call's status stay as they were (on the pre-join is not in the call).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connectLive, createCall, fastConfig, sharedApp } from './helper.js';

const shared = sharedApp(fastConfig(), true);

test('the agent is told the client opened the link and is on the pre-join; nobody joined', async () => {
  const app = shared.app();
  const created = await createCall(app, shared.config);
  const callId = created.body.call.id;
  const agent = await connectLive(app, callId, created.body.credentials.token);
  await agent.next('hello');

  const join = await app.inject({ method: 'POST', url: '/v1/join', payload: { callId, secret: created.body.joinUrl!.split('#')[1] } });
  const clientToken = join.json<{ credentials: { token: string } }>().credentials.token;
  const opened = await agent.next('event');
  assert.deepEqual([(opened.event as { type: string }).type, (opened.event as { by: string }).by], ['call.link_opened', 'client']);

  const post = (token: string, payload: object) =>
    app.inject({ method: 'POST', url: `/v1/calls/${callId}/events`, headers: { authorization: `Bearer ${token}` }, payload });
  assert.equal((await post(clientToken, { type: 'client_prejoin' })).statusCode, 202);
  const prejoin = await agent.next('event');
  assert.equal((prejoin.event as { type: string }).type, 'call.client_prejoin');
  assert.equal((await post(clientToken, { type: 'media_blocked', device: 'camera', reason: 'permission_denied' })).statusCode, 202);
  assert.equal(((await agent.next('event')).event as { type: string }).type, 'call.media_blocked');

  // Only a client has a pre-join: the agent's report is accepted and ignored.
  assert.equal((await post(created.body.credentials.token, { type: 'client_prejoin' })).statusCode, 202);
  const bad = await post(clientToken, { type: 'client_prejoin', device: 'toaster' });
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json<{ code: string }>().code, 'invalid_request');

  const events = await app.db.selectFrom('call_events').select(['type', 'by']).where('call_id', '=', callId).orderBy('id').execute();
  assert.deepEqual(events.map((e) => `${e.type}/${e.by}`), [
    'call.created/agent', 'call.invite/system', 'call.link_opened/client', 'call.client_prejoin/client', 'call.media_blocked/client',
  ]);
  assert.equal(agent.messages.filter((m) => m.type === 'presence').length, 0, 'no presence: the client is not in the call');
  const call = await app.db.selectFrom('calls').select('status').where('id', '=', callId).executeTakeFirstOrThrow();
  assert.notEqual(call.status, 'active');
  agent.ws.terminate();
});
