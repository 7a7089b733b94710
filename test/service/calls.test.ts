import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SignJWT } from 'jose';
import { signAgentToken } from '../../service/domain/agent-token.js';
import { createAndJoin, createCall, goodClaims, sharedApp, type CreateBody } from './helper.js';

const shared = sharedApp();

const assertErrorShape = (body: Record<string, unknown>, statusCode: number, code: string) => {
  assert.equal(body.statusCode, statusCode);
  assert.equal(body.code, code);
  assert.equal(typeof body.error, 'string');
  assert.equal(typeof body.message, 'string');
  assert.ok((body.message as string).length > 0);
};

test('POST /v1/calls creates a call: 201 with call, agent credentials and a join URL', async () => {
  const { config } = shared;
  const app = shared.app();
  const { res, body, claims } = await createCall(app, config);
  assert.equal(res.statusCode, 201);
  assert.equal(body.call.status, 'created');
  assert.equal(body.call.conversationId, claims.conversation_id);
  assert.equal(body.call.clientId, 'client-1');
  assert.equal(body.call.clientName, 'Bob Client');
  assert.equal(body.call.agentName, 'Alice Agent');
  assert.equal(body.call.media, 'video');
  assert.equal(body.call.linkDelivered, false);
  assert.equal(body.call.endedAt, null);
  assert.equal(body.credentials.role, 'agent');
  assert.equal(body.credentials.liveUrl, `ws://127.0.0.1:${config.port}/v1/calls/${body.call.id}/live`);
  assert.deepEqual(body.credentials.media, { mode: 'direct', iceServers: [] });
  assert.match(body.joinUrl!, new RegExp(`^http://127\\.0\\.0\\.1:${config.port}/join/${body.call.id}#[A-Za-z0-9_-]{43}$`));
});

test('POST /v1/calls without a body defaults to video', async () => {
  const { config } = shared;
  const app = shared.app();
  const token = await signAgentToken(config, goodClaims());
  const res = await app.inject({ method: 'POST', url: '/v1/calls', headers: { authorization: `Bearer ${token}` } });
  assert.equal(res.statusCode, 201);
  assert.equal(res.json<CreateBody>().call.media, 'video');
});

test('POST /v1/calls is idempotent per conversation: the open call comes back with 200 and joinUrl null', async () => {
  const { config } = shared;
  const app = shared.app();
  const claims = goodClaims();
  const first = await createCall(app, config, claims);
  const second = await createCall(app, config, claims, { media: 'audio' });
  assert.equal(first.res.statusCode, 201);
  assert.equal(second.res.statusCode, 200);
  assert.equal(second.body.call.id, first.body.call.id);
  assert.equal(second.body.joinUrl, null);
  assert.equal(second.body.credentials.role, 'agent');
});

test('two concurrent POST /v1/calls on one conversation make one call', async () => {
  const { config } = shared;
  const app = shared.app();
  const claims = goodClaims();
  const [a, b] = await Promise.all([createCall(app, config, claims), createCall(app, config, claims)]);
  assert.deepEqual([a.res.statusCode, b.res.statusCode].sort(), [200, 201]);
  assert.equal(a.body.call.id, b.body.call.id);
});

test('a new call can be created once the previous one on the conversation ended', async () => {
  const { config } = shared;
  const app = shared.app();
  const claims = goodClaims();
  const first = await createCall(app, config, claims);
  await app.inject({ method: 'POST', url: `/v1/calls/${first.body.call.id}/end`, headers: { authorization: `Bearer ${first.body.credentials.token}` }, payload: {} });
  const second = await createCall(app, config, claims);
  assert.equal(second.res.statusCode, 201);
  assert.notEqual(second.body.call.id, first.body.call.id);
});

for (const [name, overrides, code] of [
  ['no client selected (null)', { client_id: null }, 'client_not_selected'],
  ['no client selected (absent)', { client_id: undefined }, 'client_not_selected'],
  ['conversation not started', { conversation_started: false }, 'conversation_not_started'],
  ['agent does not own the conversation', { conversation_owner_id: 'agent-2' }, 'not_conversation_owner'],
  ['all unmet: client first', { client_id: null, conversation_started: false, conversation_owner_id: 'x' }, 'client_not_selected'],
  ['not started and not owner: started first', { conversation_started: false, conversation_owner_id: 'x' }, 'conversation_not_started'],
] as const) {
  test(`POST /v1/calls refuses with 409 ${code} when ${name}`, async () => {
    const { config } = shared;
    const app = shared.app();
    const { res } = await createCall(app, config, goodClaims(overrides));
    assert.equal(res.statusCode, 409);
    assertErrorShape(res.json(), 409, code);
  });
}

test('POST /v1/calls rejects missing, malformed, forged, expired and too-long-lived agent tokens', async () => {
  const { config } = shared;
  const app = shared.app();
  const post = (authorization?: string) =>
    app.inject({ method: 'POST', url: '/v1/calls', headers: authorization ? { authorization } : {}, payload: {} });
  const now = Math.floor(Date.now() / 1000);
  const sign = (secret: string, iat: number, exp: number | null, iss = config.org.id, aud = 'switchboard') => {
    const jwt = new SignJWT({ ...goodClaims() }).setProtectedHeader({ alg: 'HS256' }).setIssuer(iss).setAudience(aud).setIssuedAt(iat);
    if (exp !== null) jwt.setExpirationTime(exp);
    return jwt.sign(new TextEncoder().encode(secret));
  };
  const cases: [string, string | undefined, string][] = [
    ['missing', undefined, 'unauthorized'],
    ['not a JWT', 'Bearer nope', 'unauthorized'],
    ['not bearer', `Basic ${await sign(config.org.signingSecret, now, now + 60)}`, 'unauthorized'],
    ['wrong secret', `Bearer ${await sign('another-secret-of-enough-length', now, now + 60)}`, 'unauthorized'],
    ['wrong issuer', `Bearer ${await sign(config.org.signingSecret, now, now + 60, 'other-org')}`, 'unauthorized'],
    ['wrong audience', `Bearer ${await sign(config.org.signingSecret, now, now + 60, config.org.id, 'x')}`, 'unauthorized'],
    ['no exp', `Bearer ${await sign(config.org.signingSecret, now, null)}`, 'unauthorized'],
    ['lives longer than 900 s', `Bearer ${await sign(config.org.signingSecret, now, now + 901)}`, 'unauthorized'],
    ['expired', `Bearer ${await sign(config.org.signingSecret, now - 600, now - 300)}`, 'token_expired'],
  ];
  for (const [name, header, code] of cases) {
    const res = await post(header);
    assert.equal(res.statusCode, 401, name);
    assertErrorShape(res.json(), 401, code);
  }
  const ok = await post(`Bearer ${await sign(config.org.signingSecret, now, now + 900)}`);
  assert.equal(ok.statusCode, 201, 'exactly 900 s is allowed');
});

test('POST /v1/calls answers 400 invalid_request for bad bodies', async () => {
  const { config } = shared;
  const app = shared.app();
  const token = await signAgentToken(config, goodClaims());
  for (const payload of ['{"media":"fax"}', '{not json', '[1,2]', '"video"', '{"media":3}']) {
    const res = await app.inject({ method: 'POST', url: '/v1/calls', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload });
    assert.equal(res.statusCode, 400, payload);
    assertErrorShape(res.json(), 400, 'invalid_request');
  }
  const res = await app.inject({ method: 'POST', url: '/v1/calls', headers: { authorization: `Bearer ${token}` }, payload: { media: 'fax' } });
  assert.match(res.json<{ message: string }>().message, /media must be one of "audio", "video"/);
});

test('credentials are checked before the body: no token and a bad body answers 401, not 400', async () => {
  const app = shared.app();
  const create = await app.inject({ method: 'POST', url: '/v1/calls', payload: { media: 'fax' } });
  assert.equal(create.statusCode, 401);
  const events = await app.inject({ method: 'POST', url: '/v1/calls/some-id/events', payload: { type: 'dance' } });
  assert.equal(events.statusCode, 401);
});

test('GET /v1/calls/:id answers to call credentials of that call and to the org API key', async () => {
  const { config } = shared;
  const app = shared.app();
  const { callId, agentToken, clientToken } = await createAndJoin(app, config);
  const other = await createCall(app, config);
  const get = (token?: string, id = callId) => app.inject({ url: `/v1/calls/${id}`, headers: token ? { authorization: `Bearer ${token}` } : {} });
  for (const token of [agentToken, clientToken, config.org.apiKey]) {
    const res = await get(token);
    assert.equal(res.statusCode, 200);
    assert.equal(res.json<{ id: string }>().id, callId);
  }
  assertErrorShape((await get()).json(), 401, 'unauthorized');
  assertErrorShape((await get(other.body.credentials.token)).json(), 401, 'unauthorized');
  assertErrorShape((await get('garbage')).json(), 401, 'unauthorized');
  const missing = await get(config.org.apiKey, '00000000-0000-0000-0000-000000000000');
  assert.equal(missing.statusCode, 404);
  assertErrorShape(missing.json(), 404, 'call_not_found');
});

test('expired call credentials answer 401 token_expired', async () => {
  const { config } = shared;
  const app = shared.app();
  const { body } = await createCall(app, config);
  const stale = await app.credentials.issue(body.call.id, 'agent', new Date(Date.now() - 60_000));
  const res = await app.inject({ url: `/v1/calls/${body.call.id}`, headers: { authorization: `Bearer ${stale}` } });
  assert.equal(res.statusCode, 401);
  assertErrorShape(res.json(), 401, 'token_expired');
});

test('signAgentToken mints a token the service accepts, five minutes by default', async () => {
  const { config } = shared;
  const token = await signAgentToken(config, goodClaims());
  const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { iat: number; exp: number; iss: string; aud: string };
  assert.equal(payload.exp - payload.iat, 300);
  assert.equal(payload.iss, config.org.id);
  assert.equal(payload.aud, 'switchboard');
});

test('POST /v1/calls/:id/end by the agent ends the call, idempotently', async () => {
  const { config } = shared;
  const app = shared.app();
  const { callId, agentToken } = await createAndJoin(app, config);
  const end = () => app.inject({ method: 'POST', url: `/v1/calls/${callId}/end`, headers: { authorization: `Bearer ${agentToken}` }, payload: { reason: 'done' } });
  const first = await end();
  assert.equal(first.statusCode, 200);
  const call = first.json<Record<string, unknown>>();
  assert.equal(call.status, 'ended');
  assert.equal(call.endedBy, 'agent');
  assert.equal(call.endReason, 'done');
  assert.ok(call.endedAt);
  const again = await end();
  assert.equal(again.statusCode, 200);
  assert.equal(again.json<Record<string, unknown>>().endedAt, call.endedAt);
});

test('POST /v1/calls/:id/end with the API key ends the call as "api"', async () => {
  const { config } = shared;
  const app = shared.app();
  const { body } = await createCall(app, config);
  const res = await app.inject({ method: 'POST', url: `/v1/calls/${body.call.id}/end`, headers: { authorization: `Bearer ${config.org.apiKey}` } });
  assert.equal(res.statusCode, 200);
  assert.equal(res.json<Record<string, unknown>>().endedBy, 'api');
  const missing = await app.inject({ method: 'POST', url: '/v1/calls/nope/end', headers: { authorization: `Bearer ${config.org.apiKey}` } });
  assertErrorShape(missing.json(), 404, 'call_not_found');
});

test('POST /v1/calls/:id/end is forbidden to the client', async () => {
  const { config } = shared;
  const app = shared.app();
  const { callId, clientToken } = await createAndJoin(app, config);
  const res = await app.inject({ method: 'POST', url: `/v1/calls/${callId}/end`, headers: { authorization: `Bearer ${clientToken}` }, payload: {} });
  assert.equal(res.statusCode, 403);
  assertErrorShape(res.json(), 403, 'forbidden');
  const unauth = await app.inject({ method: 'POST', url: `/v1/calls/${callId}/end`, payload: {} });
  assert.equal(unauth.statusCode, 401);
});

test('POST /v1/calls/:id/events accepts participant facts, validates them, and refuses after the end', async () => {
  const { config } = shared;
  const app = shared.app();
  const { callId, agentToken, clientToken } = await createAndJoin(app, config);
  const post = (token: string | null, payload: object) =>
    app.inject({ method: 'POST', url: `/v1/calls/${callId}/events`, headers: token ? { authorization: `Bearer ${token}` } : {}, payload });
  const ok = await post(clientToken, { type: 'media_blocked', device: 'camera', reason: 'NotAllowedError' });
  assert.equal(ok.statusCode, 202);
  assert.deepEqual(ok.json(), { accepted: true });
  assert.equal((await post(agentToken, { type: 'screen_share_started' })).statusCode, 202);
  assertErrorShape((await post(agentToken, { type: 'dance' })).json(), 400, 'invalid_request');
  assertErrorShape((await post(agentToken, { type: 'media_blocked', device: 'toaster' })).json(), 400, 'invalid_request');
  assertErrorShape((await post(config.org.apiKey, { type: 'screen_share_started' })).json(), 401, 'unauthorized');
  assertErrorShape((await post(null, { type: 'screen_share_started' })).json(), 401, 'unauthorized');
  const events = await app.db.selectFrom('call_events').select(['type', 'by']).where('call_id', '=', callId).orderBy('id').execute();
  assert.deepEqual(events.map((e) => `${e.type}/${e.by}`), [
    'call.created/agent', 'call.invite/system', 'call.link_opened/client', 'call.media_blocked/client', 'call.screen_share_started/agent',
  ]);
  await app.inject({ method: 'POST', url: `/v1/calls/${callId}/end`, headers: { authorization: `Bearer ${agentToken}` }, payload: {} });
  const late = await post(clientToken, { type: 'screen_share_stopped' });
  assert.equal(late.statusCode, 409);
  assertErrorShape(late.json(), 409, 'call_ended');
});

test('GET /healthz answers ok; unknown routes answer the error shape', async () => {
  const app = shared.app();
  const health = await app.inject({ url: '/healthz' });
  assert.equal(health.statusCode, 200);
  assert.deepEqual(health.json(), { status: 'ok' });
  const missing = await app.inject({ url: '/v1/nothing-here' });
  assert.equal(missing.statusCode, 404);
  assertErrorShape(missing.json(), 404, 'not_found');
});

test('CORS is open on /v1 and /sdk for any origin, not on the join page', async () => {
  const app = shared.app();
  const preflight = await app.inject({
    method: 'OPTIONS', url: '/v1/calls',
    headers: { origin: 'https://helpdesk.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
  });
  assert.equal(preflight.statusCode, 204);
  assert.equal(preflight.headers['access-control-allow-origin'], '*');
  assert.match(String(preflight.headers['access-control-allow-headers']), /authorization/);
  const sdk = await app.inject({ url: '/sdk/switchboard.js', headers: { origin: 'https://helpdesk.example' } });
  assert.equal(sdk.headers['access-control-allow-origin'], '*');
  const page = await app.inject({ url: '/join/x', headers: { origin: 'https://helpdesk.example' } });
  assert.equal(page.headers['access-control-allow-origin'], undefined);
});

test('a new call publishes nothing to live sockets (none can exist yet); its delivered invite publishes one change', async () => {
  const app = shared.app();
  const bus = app.liveBus;
  const publish = bus.publish.bind(bus);
  const published: string[] = [];
  bus.publish = (message) => {
    published.push(`${message.kind} ${message.callId}`);
    return publish(message);
  };
  try {
    const { body } = await createCall(app, shared.config);
    const id = body.call.id;
    assert.deepEqual(published.filter((p) => p.endsWith(id)), []);
    await app.calls.linkDelivered(id);
    await app.calls.linkDelivered(id);
    assert.deepEqual(published.filter((p) => p.endsWith(id)), [`call ${id}`], 'a second delivery changes nothing');
    const call = await app.calls.get(id);
    assert.deepEqual([call?.status, call?.linkDelivered], ['ringing', true]);
  } finally {
    bus.publish = publish;
  }
});

test('an invite delivered after the client came, or after the end, marks the link delivered and keeps the status', async () => {
  const app = shared.app();
  const answered = await createAndJoin(app, shared.config);
  await app.calls.clientJoined(answered.callId);
  await app.calls.linkDelivered(answered.callId);
  const active = await app.calls.get(answered.callId);
  assert.deepEqual([active?.status, active?.linkDelivered], ['active', true]);
  const { body } = await createCall(app, shared.config);
  await app.calls.end(body.call.id, 'agent', 'hangup');
  await app.calls.linkDelivered(body.call.id);
  const ended = await app.calls.get(body.call.id);
  assert.deepEqual([ended?.status, ended?.linkDelivered], ['ended', true]);
});

test('a delivered invite racing the client\'s arrival ends the same whatever the order: active, link delivered, one join', async () => {
  const app = shared.app();
  for (let i = 0; i < 10; i++) {
    const { callId } = await createAndJoin(app, shared.config);
    await Promise.all(i % 2 === 0
      ? [app.calls.linkDelivered(callId), app.calls.clientJoined(callId)]
      : [app.calls.clientJoined(callId), app.calls.linkDelivered(callId)]);
    const call = await app.calls.get(callId);
    assert.deepEqual([call?.status, call?.linkDelivered], ['active', true]);
    const joined = await app.db.selectFrom('call_events').select('type').where('call_id', '=', callId).where('type', '=', 'call.client_joined').execute();
    assert.equal(joined.length, 1);
  }
});
