import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { SignJWT } from 'jose';
import { AGENT_TOKEN_AUDIENCE } from '../../service/domain/agent-token.js';
import { toErrorBody } from '../../service/errors.js';
import { connectReal, createAndJoin, fastConfig, goodClaims, sharedApp } from './helper.js';

const shared = sharedApp(fastConfig(), true);

/** Every JSON error has exactly our four fields and one of our codes, never Fastify's FST_… */
function assertError(res: LightMyRequestResponse, statusCode: number, code: string): void {
  assert.equal(res.statusCode, statusCode, res.body);
  assert.match(String(res.headers['content-type']), /^application\/json/);
  const body = res.json<Record<string, unknown>>();
  assert.deepEqual(Object.keys(body).sort(), ['code', 'error', 'message', 'statusCode']);
  assert.equal(body.statusCode, statusCode);
  assert.equal(body.code, code);
}

function assertInvalidLinkPage(res: LightMyRequestResponse, what: string): void {
  assert.equal(res.statusCode, 404, what);
  assert.match(String(res.headers['content-type']), /^text\/html/, what);
  assert.ok(res.body.includes('This link is not valid'), what);
  assert.equal(res.headers['referrer-policy'], 'no-referrer', what);
}

// B. NUL bytes and lone surrogates (PostgreSQL refuses them) are refused at validation.

test('join pages for ids with NUL, a lone surrogate, bad encoding, too long or missing are the human 404 page', async () => {
  const app = shared.app();
  for (const url of ['/join/%00', '/join/abc%00def', '/join/%ED%A0%80', '/join/%E0%A4%A', `/join/${'a'.repeat(300)}`, '/join/', '/join/a/b']) {
    assertInvalidLinkPage(await app.inject({ url }), url);
  }
  for (const method of ['OPTIONS', 'POST'] as const) assertInvalidLinkPage(await app.inject({ method, url: '/join/abc' }), `${method} /join/abc`);
});

test('strings with NUL or a lone surrogate in params and bodies are 400 invalid_request, not 500', async () => {
  const app = shared.app();
  const { callId, agentToken, clientToken } = await createAndJoin(app, shared.config);
  const json = { 'content-type': 'application/json' };
  const cases = [
    { method: 'POST' as const, url: '/v1/join', payload: { callId: '\u0000', secret: 'x' } },
    { method: 'POST' as const, url: '/v1/join', headers: json, payload: '{"callId":"\\ud800","secret":"x"}' },
    { method: 'POST' as const, url: '/v1/join', payload: { callId, secret: 'abc\u0000' } },
    { method: 'GET' as const, url: '/v1/calls/%00', headers: { authorization: `Bearer ${shared.config.org.apiKey}` } },
    { method: 'POST' as const, url: `/v1/calls/${callId}/events`, headers: { authorization: `Bearer ${clientToken}`, ...json }, payload: '{"type":"media_blocked","reason":"x\\udc00"}' },
    { method: 'POST' as const, url: `/v1/calls/${callId}/end`, headers: { authorization: `Bearer ${agentToken}` }, payload: { reason: 'bye\u0000' } },
  ];
  for (const c of cases) {
    const res = await app.inject(c);
    assertError(res, 400, 'invalid_request');
    assert.match(res.json<{ message: string }>().message, /must not contain NUL characters or unpaired UTF-16 surrogates/);
  }
  const emoji = await app.inject({ method: 'POST', url: `/v1/calls/${callId}/end`, headers: { authorization: `Bearer ${agentToken}` }, payload: { reason: 'done 📞' } });
  assert.equal(emoji.statusCode, 200, 'paired surrogates (emoji) are fine');
  assert.equal(emoji.json<{ endReason: string }>().endReason, 'done 📞');
});

/** Signs an agent token with free-form times and claims. */
async function rawAgentToken(claims: Record<string, unknown>, times: { iat: number; exp: number; nbf?: number }, iss = shared.config.org.id) {
  const jwt = new SignJWT({ ...goodClaims(), ...claims, ...times })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuer(iss).setAudience(AGENT_TOKEN_AUDIENCE);
  return jwt.sign(new TextEncoder().encode(shared.config.org.signingSecret));
}

const postCall = (token: string) =>
  shared.app().inject({ method: 'POST', url: '/v1/calls', headers: { authorization: `Bearer ${token}` }, payload: {} });

const nowSeconds = () => Math.floor(Date.now() / 1000);

test('agent-token claims with NUL or a lone surrogate are 401 unauthorized naming the claim', async () => {
  const now = nowSeconds();
  for (const claim of ['sub', 'name', 'conversation_id', 'client_id', 'client_name', 'conversation_owner_id']) {
    for (const bad of ['a\u0000b', 'a\ud800']) {
      const res = await postCall(await rawAgentToken({ [claim]: bad }, { iat: now, exp: now + 300 }));
      assertError(res, 401, 'unauthorized');
      assert.match(res.json<{ message: string }>().message, new RegExp(`${claim} claim contains a NUL character or an unpaired surrogate`));
    }
  }
  const badIss = await postCall(await rawAgentToken({}, { iat: now, exp: now + 300 }, 'demo\u0000'));
  assertError(badIss, 401, 'unauthorized');
  assert.match(badIss.json<{ message: string }>().message, /"iss"/);
});

// D. Agent token lifetime.

test('an agent token issued 30 days ahead, or living past 15 minutes from now, or not valid yet, is 401', async () => {
  const now = nowSeconds();
  const later = now + 30 * 86400;
  const cases: [{ iat: number; exp: number; nbf?: number }, RegExp][] = [
    [{ iat: later, exp: later + 900 }, /issued in the future \(iat\)/],
    [{ iat: now + 60, exp: now + 600 }, /issued in the future \(iat\)/],
    [{ iat: now - 600, exp: now + 901 + 10 }, /expires more than 900 seconds from now|lives longer/],
    [{ iat: now, exp: now + 3600 }, /lives longer than 900 seconds/],
    [{ iat: now, exp: now + 600, nbf: now + 300 }, /"nbf"/],
  ];
  for (const [times, message] of cases) {
    const res = await postCall(await rawAgentToken({}, times));
    assertError(res, 401, 'unauthorized');
    assert.match(res.json<{ message: string }>().message, message, JSON.stringify(times));
  }
});

test('an agent token within the 5 s clock skew and the 15-minute lifetime is accepted', async () => {
  const now = nowSeconds();
  assert.equal((await postCall(await rawAgentToken({}, { iat: now + 3, exp: now + 3 + 900 }))).statusCode, 201);
  assert.equal((await postCall(await rawAgentToken({}, { iat: now - 100, exp: now + 800, nbf: now - 100 }))).statusCode, 201);
});

// C. Every error in our shape with our codes.

test('Fastify and parser errors carry our stable codes', async () => {
  const app = shared.app();
  const json = { 'content-type': 'application/json' };
  assertError(await app.inject({ method: 'POST', url: '/v1/join', headers: json, payload: JSON.stringify({ callId: 'x'.repeat(70_000) }) }), 413, 'payload_too_large');
  assertError(await app.inject({ method: 'POST', url: '/v1/join', headers: { 'content-type': 'text/plain' }, payload: 'callId=x' }), 415, 'unsupported_media_type');
  assertError(await app.inject({ method: 'POST', url: '/v1/join', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'a=b' }), 415, 'unsupported_media_type');
  assertError(await app.inject({ method: 'POST', url: '/v1/join', headers: json, payload: '{"callId":' }), 400, 'invalid_request');
  assertError(await app.inject({ url: `/v1/calls/${'a'.repeat(300)}` }), 414, 'uri_too_long');
  assertError(await app.inject({ url: '/v1/calls/%E0%A4%A' }), 400, 'invalid_request');
  assertError(await app.inject({ url: '/v1/nothing-here' }), 404, 'not_found');
  assertError(await app.inject({ method: 'PUT', url: '/v1/join' }), 404, 'not_found');
});

test('toErrorBody maps Fastify error codes explicitly and keeps unknown 5xx generic', () => {
  const fst = (code: string, statusCode: number) => Object.assign(new Error(`internal ${code} detail`), { code, statusCode });
  assert.deepEqual(toErrorBody(fst('FST_ERR_CTP_BODY_TOO_LARGE', 413)).code, 'payload_too_large');
  assert.deepEqual(toErrorBody(fst('FST_ERR_CTP_INVALID_MEDIA_TYPE', 415)).code, 'unsupported_media_type');
  assert.deepEqual(toErrorBody(fst('FST_ERR_MAX_PARAM_LENGTH', 414)).code, 'uri_too_long');
  assert.deepEqual(toErrorBody(fst('FST_ERR_BAD_URL', 400)).message, 'The URL is not valid (bad percent-encoding)');
  assert.equal(toErrorBody(fst('SOMETHING_ELSE', 429)).code, 'rate_limited');
  assert.equal(toErrorBody(fst('FST_ERR_HOOK_TIMEOUT', 500)).message, 'Something went wrong on our side');
});

test('a join page that fails on our side is a human 500 page, not JSON', async (t) => {
  const app = shared.app();
  const original = app.calls.linkState.bind(app.calls);
  app.calls.linkState = () => Promise.reject(new Error('store down'));
  t.after(() => (app.calls.linkState = original));
  const res = await app.inject({ url: '/join/7b0a6d1c-1111-4222-8333-444455556666' });
  assert.equal(res.statusCode, 500);
  assert.match(String(res.headers['content-type']), /^text\/html/);
  assert.ok(res.body.includes('Something went wrong'));
  assert.ok(!res.body.includes('store down'));
});

/** Opens a raw TCP connection to a listening app; `closed` resolves with the ms it stayed open. */
async function rawSocket(baseUrl = shared.url()): Promise<{ socket: Socket; received: () => string; closed: Promise<number> }> {
  const { port } = new URL(baseUrl);
  const socket = connect(Number(port), '127.0.0.1');
  let data = '';
  const started = Date.now();
  socket.on('data', (chunk: Buffer) => (data += chunk.toString()));
  socket.on('error', () => undefined);
  const closed = new Promise<number>((resolve) => socket.on('close', () => resolve(Date.now() - started)));
  await new Promise((resolve) => socket.once('connect', resolve));
  return { socket, received: () => data, closed };
}

const jsonBodyOf = (response: string) => JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4)) as Record<string, unknown>;

test('headers past Node\'s limit are a 431 headers_too_large in our shape', async () => {
  const { socket, received, closed } = await rawSocket();
  socket.write(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
  await closed;
  assert.match(received(), /^HTTP\/1\.1 431 /);
  assert.deepEqual(jsonBodyOf(received()), { statusCode: 431, code: 'headers_too_large', error: 'Request Header Fields Too Large', message: 'The request headers are too large' });
});

test('a request that is not HTTP is a 400 invalid_request in our shape', async () => {
  const { socket, received, closed } = await rawSocket();
  socket.write('HELLO THERE\r\n\r\n');
  await closed;
  assert.match(received(), /^HTTP\/1\.1 400 /);
  assert.equal(jsonBodyOf(received()).code, 'invalid_request');
});

// E. Timeouts: a slow request is cut, a live socket is not.

// Idle above request, as in the defaults, so that a slow body meets the request timeout (408) first.
const timeouts = { requestMs: 600, headersMs: 400, idleMs: 1000, keepAliveMs: 300 };
const slow = sharedApp({ ...fastConfig(), httpTimeouts: timeouts }, true);

test('a POST whose body never finishes is answered 408 request_timeout and closed', async () => {
  const { socket, received, closed } = await rawSocket(slow.url());
  socket.write('POST /v1/join HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"callId":');
  const ms = await closed;
  assert.ok(ms < timeouts.requestMs + 1500, `closed after ${ms} ms`);
  assert.match(received(), /^HTTP\/1\.1 408 /);
  assert.equal(jsonBodyOf(received()).code, 'request_timeout');
});

test('headers that never finish are cut after the headers timeout', async () => {
  const { socket, closed } = await rawSocket(slow.url());
  socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');
  const ms = await closed;
  assert.ok(ms < timeouts.headersMs + 1000, `closed after ${ms} ms`);
});

test('an idle keep-alive connection is closed after the keep-alive timeout', async () => {
  const { socket, received, closed } = await rawSocket(slow.url());
  socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
  const ms = await closed;
  assert.match(received(), /^HTTP\/1\.1 200 /);
  // Node 20 waits one more second than it announces, so that the client gives up first.
  assert.ok(ms < timeouts.keepAliveMs + 2000, `closed after ${ms} ms`);
});

test('a live socket stays open well past every HTTP timeout', async () => {
  const { callId, clientToken } = await createAndJoin(slow.app(), slow.config);
  const client = connectReal(slow.url(), callId, clientToken);
  await client.next('hello');
  let closedEarly = false;
  void client.closed.then(() => (closedEarly = true));
  await new Promise((r) => setTimeout(r, timeouts.requestMs + timeouts.idleMs + 500));
  assert.equal(closedEarly, false);
  client.ws.send(JSON.stringify({ type: 'ping' }));
  await client.next('pong');
  client.ws.close();
});

test('an ordinary request through the short-timeout server is answered', async () => {
  const res = await fetch(`${slow.url()}/v1/join`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"callId":"x","secret":"y"}' });
  assert.equal(res.status, 404);
  assert.equal((await res.json() as { code: string }).code, 'link_invalid');
});
