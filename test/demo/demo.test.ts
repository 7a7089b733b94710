/** The demo helpdesk's backend: agent tokens from its conversation state, signed webhooks only. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { decodeJwt } from 'jose';
import { buildDemo } from '../../demo/app.js';

const webhookSecret = `whsec_${randomBytes(24).toString('base64')}`;

async function demo(t: { after: (fn: () => Promise<unknown>) => void }) {
  const app = await buildDemo({ serviceUrl: 'http://127.0.0.1:1', orgId: 'demo', signingSecret: 'x'.repeat(32), webhookSecret, logLevel: 'silent' });
  t.after(() => app.close());
  return app;
}

function signed(id: string, payload: unknown) {
  const body = JSON.stringify(payload);
  const timestamp = new Date();
  const signature = new Webhook(webhookSecret).sign(id, timestamp, body);
  return {
    body,
    headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)), 'webhook-signature': signature },
  };
}

test('the agent token carries the conversation state, and changes once the conversation is started', async (t) => {
  const app = await demo(t);
  const before = decodeJwt((await app.inject({ url: '/api/agent-token?conversationId=conv-bob' })).json<{ token: string }>().token);
  assert.equal(before.conversation_started, false);
  assert.equal(before.client_id, 'client-bob');
  assert.equal(before.aud, 'switchboard');
  assert.ok(before.exp! - before.iat! <= 900);
  assert.equal((await app.inject({ method: 'POST', url: '/api/conversations/conv-bob/start' })).statusCode, 200);
  const after = decodeJwt((await app.inject({ url: '/api/agent-token?conversationId=conv-bob' })).json<{ token: string }>().token);
  assert.equal(after.conversation_started, true);
  assert.equal(after.conversation_owner_id, after.sub);
  assert.equal((await app.inject({ url: '/api/agent-token?conversationId=nope' })).statusCode, 404);
});

test('a signed call.invite webhook posts the join link into the conversation, once per webhook id', async (t) => {
  const app = await demo(t);
  const invite = signed('msg_1', { type: 'call.invite', timestamp: new Date().toISOString(), data: { conversationId: 'conv-bob', text: 'Join my call', joinUrl: 'http://127.0.0.1:3000/join/abc#secret' } });
  assert.equal((await app.inject({ method: 'POST', url: '/switchboard/webhook', ...invite, payload: invite.body })).statusCode, 204);
  assert.equal((await app.inject({ method: 'POST', url: '/switchboard/webhook', ...invite, payload: invite.body })).statusCode, 204);
  const conversations = (await app.inject({ url: '/api/conversations' })).json<{ id: string; messages: { link?: string }[] }[]>();
  const links = conversations.find((c) => c.id === 'conv-bob')!.messages.filter((m) => m.link);
  assert.deepEqual(links.map((m) => m.link), ['http://127.0.0.1:3000/join/abc#secret']);
});

test('an unsigned or tampered webhook is refused with 401 and changes nothing', async (t) => {
  const app = await demo(t);
  const invite = signed('msg_2', { type: 'call.invite', timestamp: new Date().toISOString(), data: { conversationId: 'conv-bob', text: 'x', joinUrl: 'http://evil/' } });
  const tampered = await app.inject({ method: 'POST', url: '/switchboard/webhook', headers: invite.headers, payload: invite.body.replace('evil', 'evil2') });
  assert.equal(tampered.statusCode, 401);
  assert.equal(tampered.json<{ code: string }>().code, 'invalid_signature');
  const unsigned = await app.inject({ method: 'POST', url: '/switchboard/webhook', headers: { 'content-type': 'application/json' }, payload: invite.body });
  assert.equal(unsigned.statusCode, 401);
  const conversations = (await app.inject({ url: '/api/conversations' })).json<{ messages: { link?: string }[] }[]>();
  assert.ok(conversations.every((c) => c.messages.every((m) => !m.link)));
});

test('the agent may write only into a conversation it started and owns (403 with the error shape otherwise)', async (t) => {
  const app = await demo(t);
  const post = (id: string) => app.inject({ method: 'POST', url: `/api/conversations/${id}/messages`, payload: { text: 'Hello' } });
  const notStarted = await post('conv-bob');
  assert.equal(notStarted.statusCode, 403);
  assert.deepEqual(Object.keys(notStarted.json<object>()).sort(), ['code', 'error', 'message', 'statusCode']);
  assert.equal(notStarted.json<{ code: string }>().code, 'conversation_not_started');
  const othersConversation = await post('conv-sofia');
  assert.equal(othersConversation.statusCode, 403);
  assert.deepEqual(othersConversation.json<{ statusCode: number; code: string; error: string }>(), {
    statusCode: 403, code: 'not_conversation_owner', error: 'Forbidden', message: 'Dan Okafor owns this conversation.',
  });
  assert.equal((await post('nope')).statusCode, 404);
  await app.inject({ method: 'POST', url: '/api/conversations/conv-bob/start' });
  assert.equal((await post('conv-bob')).statusCode, 201);
  const conversations = (await app.inject({ url: '/api/conversations' })).json<{ id: string; messages: { text: string }[] }[]>();
  assert.deepEqual(conversations.find((c) => c.id === 'conv-sofia')!.messages.map((m) => m.text), ["Following up on yesterday's ticket."], 'nothing was written into Sofia\'s conversation');
});

test('a call.ended webhook marks that call\'s invite as ended, and only that one', async (t) => {
  const app = await demo(t);
  const send = (id: string, payload: unknown) => {
    const webhook = signed(id, payload);
    return app.inject({ method: 'POST', url: '/switchboard/webhook', headers: webhook.headers, payload: webhook.body });
  };
  const invite = (callId: string) => ({ type: 'call.invite', timestamp: new Date().toISOString(), data: { callId, conversationId: 'conv-bob', text: 'Join', joinUrl: `http://127.0.0.1:3000/join/${callId}#s` } });
  await send('msg_a', invite('call-a'));
  await send('msg_b', invite('call-b'));
  await send('msg_c', { type: 'call.ended', timestamp: new Date().toISOString(), data: { callId: 'call-a', conversationId: 'conv-bob', reason: 'ended_by_agent', durationSeconds: 65 } });
  const conversations = (await app.inject({ url: '/api/conversations' })).json<{ id: string; messages: { callId?: string; callEnded?: boolean; text: string }[] }[]>();
  const messages = conversations.find((c) => c.id === 'conv-bob')!.messages;
  assert.deepEqual(messages.filter((m) => m.callId).map((m) => [m.callId, m.callEnded ?? false]), [['call-a', true], ['call-b', false]]);
  assert.ok(messages.some((m) => m.text.startsWith('Call summary') && m.text.includes('end: ended by the agent')));
});

test('the invite is a live card: sent → opened → in call → ended (mm:ss), then one summary; late or repeated webhooks never move it back', async (t) => {
  const app = await demo(t);
  let n = 0;
  const send = (type: string, timestamp: string, data: Record<string, unknown>) => {
    const webhook = signed(`msg_card_${n++}`, { type, timestamp, data: { callId: 'call-x', conversationId: 'conv-bob', clientId: 'client-bob', agentId: 'agent-alice', ...data } });
    return app.inject({ method: 'POST', url: '/switchboard/webhook', headers: webhook.headers, payload: webhook.body });
  };
  const card = async () => {
    const conversations = (await app.inject({ url: '/api/conversations' })).json<{ id: string; messages: { callId?: string; callStatus?: string; callStatusText?: string; callEnded?: boolean; text: string }[] }[]>();
    const messages = conversations.find((c) => c.id === 'conv-bob')!.messages;
    return { invite: messages.find((m) => m.callId === 'call-x')!, messages };
  };
  const t0 = Date.parse('2026-01-01T10:00:00Z');
  const at = (seconds: number) => new Date(t0 + seconds * 1000).toISOString();
  await send('call.invite', at(0), { text: 'Join: http://127.0.0.1:3000/join/call-x#s', joinUrl: 'http://127.0.0.1:3000/join/call-x#s' });
  assert.deepEqual([(await card()).invite.callStatus, (await card()).invite.callStatusText], ['sent', 'Call invite sent']);
  await send('call.link_opened', at(5), {});
  assert.equal((await card()).invite.callStatusText, 'Client opened the link');
  await send('call.client_joined', at(10), {});
  assert.equal((await card()).invite.callStatusText, 'In call');
  await send('call.link_opened', at(6), {});
  assert.equal((await card()).invite.callStatusText, 'In call', 'a late link_opened does not undo "in call"');
  await send('call.screen_share_started', at(20), { by: 'client', device: 'screen' });
  await send('call.ended', at(135), { reason: 'ended_by_agent', durationSeconds: 135 });
  await send('call.ended', at(136), { reason: 'ended_by_agent', durationSeconds: 136 });
  const { invite, messages } = await card();
  assert.deepEqual([invite.callStatus, invite.callStatusText, invite.callEnded], ['ended', 'Ended (02:05)', true]);
  const summaries = messages.filter((m) => m.text.startsWith('Call summary'));
  assert.deepEqual(summaries.map((m) => m.text), ['Call summary · in the call: Alice Martin and Bob Lambert · duration 02:05 · screen shared: Bob Lambert · end: ended by the agent.']);
});

test('the card says "Missed call" for no_answer, "Link expired" for expired, and the agent leaving for agent_left', async (t) => {
  const app = await demo(t);
  let n = 0;
  const send = (type: string, callId: string, data: Record<string, unknown> = {}) => {
    const webhook = signed(`msg_end_${n++}`, { type, timestamp: new Date().toISOString(), data: { callId, conversationId: 'conv-bob', ...data } });
    return app.inject({ method: 'POST', url: '/switchboard/webhook', headers: webhook.headers, payload: webhook.body });
  };
  for (const [callId, reason] of [['c-missed', 'no_answer'], ['c-expired', 'expired'], ['c-left', 'agent_left']]) {
    await send('call.invite', callId!, { text: 'Join', joinUrl: `http://127.0.0.1:3000/join/${callId}#s` });
    if (reason === 'agent_left') await send('call.client_joined', callId!);
    await send('call.ended', callId!, { reason, durationSeconds: 30 });
  }
  const conversations = (await app.inject({ url: '/api/conversations' })).json<{ id: string; messages: { callId?: string; callStatusText?: string; text: string }[] }[]>();
  const messages = conversations.find((c) => c.id === 'conv-bob')!.messages;
  assert.deepEqual(messages.filter((m) => m.callId).map((m) => [m.callId, m.callStatusText]), [
    ['c-missed', 'Missed call'], ['c-expired', 'Link expired'], ['c-left', 'Ended: the agent left'],
  ]);
  assert.ok(messages.some((m) => m.text === 'Call summary · in the call: Alice Martin (Bob Lambert never joined) · not answered · screen shared: no · end: no answer.'));
});
