// Bounded, seeded fuzzing of every route and of the live socket: no 5xx, no crash, and every
// error in the agreed shape {statusCode, code, error, message} with one of our stable codes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ErrorCode } from '../../service/errors.js';
import { connectReal, createAndJoin, fastConfig, sharedApp, waitUntil } from './helper.js';

const SEED = 20261126;
const HTTP_RUNS = 2500;
const LIVE_RUNS = 2500;

const shared = sharedApp(fastConfig(), true);

/** Strings a naive service chokes on: NUL, lone surrogates, huge, path tricks, JSON-ish. */
const nasty = fc.oneof(
  fc.constantFrom('\u0000', '\ud800', '\udfff', 'a\u0000b', '%00', '%ZZ', '../..', '💥', '', ' ', 'null', '{}', '[]', 'x'.repeat(5000)),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ maxLength: 20 }),
);

const jsonish = fc.oneof(fc.jsonValue({ maxDepth: 4 }), fc.dictionary(fc.constantFrom('type', 'media', 'reason', 'callId', 'secret', 'device', 'data'), nasty));

/** Percent-encodes like encodeURIComponent, but turns a lone surrogate into invalid UTF-8 bytes instead of throwing. */
const encode = (s: string) => s.replace(/[\s\S]/gu, (c) => {
  try {
    return encodeURIComponent(c);
  } catch {
    return '%ED%A0%80';
  }
});

const methods = fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD');

function isStableErrorBody(status: number, body: unknown): boolean {
  const b = body as { statusCode?: unknown; code?: unknown; error?: unknown; message?: unknown };
  return b !== null && typeof b === 'object' && b.statusCode === status && typeof b.code === 'string' && b.code in ErrorCode
    && typeof b.error === 'string' && typeof b.message === 'string';
}

test('fuzzing every route finds no 5xx and no error outside the agreed shape', async () => {
  const app = shared.app();
  const { callId, agentToken, clientToken, created } = await createAndJoin(app, shared.config);
  const paths = fc.oneof(
    fc.constantFrom('/v1/calls', '/v1/join', `/v1/calls/${callId}`, `/v1/calls/${callId}/end`, `/v1/calls/${callId}/events`,
      `/v1/calls/${callId}/live`, `/join/${callId}`, '/healthz', '/openapi.json', '/sdk/switchboard.js', '/v1/webhooks/deliveries'),
    nasty.map((s) => `/v1/calls/${encode(s)}`),
    nasty.map((s) => `/v1/calls/${encode(s)}/events`),
    nasty.map((s) => `/join/${encode(s)}`),
    nasty.map((s) => `/${encode(s)}`),
  );
  const auth = fc.option(fc.oneof(
    fc.constantFrom(`Bearer ${agentToken}`, `Bearer ${clientToken}`, `Bearer ${shared.config.org.apiKey}`, 'Bearer', 'Basic abc'),
    nasty.map((s) => `Bearer ${s.replace(/[^\x21-\x7e]/g, '')}`),
  ), { nil: undefined });
  const contentType = fc.option(fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/webhook+json', 'multipart/form-data'), { nil: undefined });
  const body = fc.option(fc.oneof(jsonish.map((v) => JSON.stringify(v)), nasty), { nil: undefined });

  const seen = new Map<number, number>();
  await fc.assert(
    fc.asyncProperty(methods, paths, auth, contentType, body, async (method, url, authorization, type, payload) => {
      const headers: Record<string, string> = {};
      if (authorization) headers.authorization = authorization;
      if (type) headers['content-type'] = type;
      const withBody = payload !== undefined && method !== 'GET' && method !== 'HEAD';
      const res = await app.inject({ method: method as 'GET', url, headers, ...(withBody ? { payload } : {}) });
      seen.set(res.statusCode, (seen.get(res.statusCode) ?? 0) + 1);
      assert.ok(res.statusCode < 500, `${method} ${url} answered ${res.statusCode}: ${res.body.slice(0, 200)}`);
      if (url.startsWith('/join/') && method !== 'HEAD' && res.statusCode !== 204) {
        assert.match(String(res.headers['content-type']), /^text\/html/, `${url} answers HTML`);
      } else if (res.statusCode >= 400 && method !== 'HEAD') {
        assert.ok(isStableErrorBody(res.statusCode, res.json()), `${method} ${url} ${res.statusCode}: ${res.body.slice(0, 200)}`);
      }
    }),
    { seed: SEED, numRuns: HTTP_RUNS },
  );
  // The call the fuzz ran against is still there: nothing it sent lost data.
  const still = await app.inject({ method: 'GET', url: `/v1/calls/${callId}`, headers: { authorization: `Bearer ${shared.config.org.apiKey}` } });
  assert.equal(still.statusCode, 200);
  assert.equal(still.json<{ id: string }>().id, created.body.call.id);
  assert.ok((seen.get(200) ?? 0) > 0 && [...seen.keys()].some((s) => s >= 400), `both successes and refusals were exercised: ${JSON.stringify([...seen])}`);
});

test('fuzzing the live socket finds no crash: every frame is answered, refused, or the socket is cut with a code', async () => {
  const app = shared.app();
  const { callId, agentToken, clientToken } = await createAndJoin(app, shared.config);
  const agent = connectReal(shared.url(), callId, agentToken);
  await agent.next('hello');
  const validSignal = fc.oneof(
    fc.record({ kind: fc.constant('mute'), source: fc.constantFrom('microphone', 'camera', 'screen'), muted: fc.oneof(fc.boolean(), nasty) }),
    fc.record({ kind: fc.constant('candidate'), generation: nasty, candidate: fc.record({ candidate: nasty, sdpMid: fc.option(nasty), sdpMLineIndex: fc.option(fc.integer()) }) }),
    fc.record({ kind: fc.constant('description'), generation: nasty, description: fc.record({ type: fc.constantFrom('offer', 'answer', 'x'), sdp: nasty }) }),
    fc.record({ kind: fc.constant('sources'), sources: fc.dictionary(nasty, fc.constantFrom('camera', 'screen', 'x'), { maxKeys: 12 }) }),
  );
  const frame = fc.oneof(
    fc.record({ type: fc.constantFrom('signal', 'ping', 'renew', 'hello', 'x'), data: fc.oneof(validSignal, jsonish) }).map((m) => JSON.stringify(m)),
    jsonish.map((v) => JSON.stringify(v)),
    nasty,
    fc.nat({ max: 3000 }).map((n) => `{"type":"signal","data":${'['.repeat(n)}${']'.repeat(n)}}`),
  );
  const frames = fc.sample(frame, { seed: SEED, numRuns: LIVE_RUNS });
  let client = connectReal(shared.url(), callId, clientToken);
  await client.next('hello');
  const closes: number[] = [];
  for (let i = 0; i < frames.length; i++) {
    if (client.ws.readyState !== client.ws.OPEN) {
      closes.push((await client.closed).code);
      client = connectReal(shared.url(), callId, clientToken);
      await client.next('hello');
    }
    client.ws.send(frames[i]!);
    // Stay mostly within the message budget, so most frames are judged on their content.
    if (i % 40 === 39) await new Promise((r) => setTimeout(r, 100));
  }
  client.ws.send(JSON.stringify({ type: 'ping' }));
  await waitUntil(() => client.ws.readyState !== client.ws.OPEN || client.messages.some((m) => m.type === 'pong'), 5000, 'the last socket answers or is closed');
  for (const code of closes) assert.ok([4008, 1006, 1000].includes(code), `socket closed with ${code}`);
  const health = await app.inject({ method: 'GET', url: '/healthz' });
  assert.equal(health.statusCode, 200, 'the service is still up');
  for (const m of agent.messages.filter((x) => x.type === 'signal')) {
    assert.ok(JSON.stringify(m).length < 70_000, 'only bounded, valid signals were relayed');
  }
  agent.ws.terminate();
  client.ws.terminate();
});
