// Bounded, seeded fuzzing of every route and of the live socket: no 5xx, no crash, and every
// error in the agreed shape {statusCode, code, error, message} with one of our stable codes.
// The routes come from the app itself (printRoutes, admin routes included), so a route added
// later is fuzzed too. LiveKit mode's webhook route has its own fuzz (livekit-webhook.test.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ErrorCode } from '../../service/errors.js';
import { connectReal, createAndJoin, fastConfig, routesOf, sharedApp, waitUntil } from './helper.js';

const SEED = 20261126;
const HTTP_RUNS = 2500;
const LIVE_RUNS = 2500;

const OPERATOR_API_KEY = 'operator-key-for-the-fuzz-test';
const shared = sharedApp(fastConfig({ OPERATOR_API_KEY }), true);

/** Strings a naive service chokes on: NUL, lone surrogates, huge, path tricks, JSON-ish. */
const nasty = fc.oneof(
  fc.constantFrom('\u0000', '\ud800', '\udfff', 'a\u0000b', '%00', '%ZZ', '../..', '💥', '', ' ', 'null', '{}', '[]', 'x'.repeat(5000)),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ maxLength: 20 }),
);

const jsonish = fc.oneof(fc.jsonValue({ maxDepth: 4 }), fc.dictionary(fc.constantFrom('type', 'media', 'reason', 'callId', 'secret', 'device', 'data', 'name', 'answer', 'webhookUrl', 'allowedOrigins', 'side'), nasty));

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
  // Every route the app serves, with its own method, each `:param` filled with a real id, an unknown one or a nasty string.
  const routes = routesOf(app).filter((r) => r.method !== 'HEAD');
  const paths = routes.map((r) => r.path);
  assert.ok(paths.includes('/v1/admin/orgs/:orgId') && paths.includes('/v1/calls/:id/diagnostics') && paths.includes('/v1/webhooks/deliveries/:id/replay'),
    `routes found: ${paths.join(' ')}`);
  const filler = fc.oneof(fc.constant(callId), fc.constant('00000000-0000-4000-8000-000000000000'), nasty.map(encode));
  const routeRequests = fc.tuple(fc.constantFrom(...routes), fc.array(filler, { minLength: 4, maxLength: 4 })).map(([route, fill]) => {
    let i = 0;
    const url = route.path.replace(/:\w+/g, () => fill[i++]!).replace(/\/?\*$/, () => `/${fill[i++]!}`);
    return [route.method, url, `${route.method} ${route.path}`] as const;
  });
  const otherPaths = fc.oneof(
    fc.constantFrom(...paths).map((path) => path.replace(/:\w+/g, callId).replace(/\/?\*$/, '/switchboard.js')),
    nasty.map((s) => `/v1/calls/${encode(s)}`),
    nasty.map((s) => `/v1/calls/${encode(s)}/events`),
    nasty.map((s) => `/join/${encode(s)}`),
    nasty.map((s) => `/${encode(s)}`),
  );
  const requests = fc.oneof({ arbitrary: routeRequests, weight: 3 }, { arbitrary: fc.tuple(methods, otherPaths, fc.constant(null)), weight: 2 });
  const auth = fc.option(fc.oneof(
    fc.constantFrom(`Bearer ${agentToken}`, `Bearer ${clientToken}`, `Bearer ${shared.config.org.apiKey}`, `Bearer ${OPERATOR_API_KEY}`, 'Bearer', 'Basic abc'),
    nasty.map((s) => `Bearer ${s.replace(/[^\x21-\x7e]/g, '')}`),
  ), { nil: undefined });
  const contentType = fc.option(fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/webhook+json', 'multipart/form-data'), { nil: undefined });
  const body = fc.option(fc.oneof(jsonish.map((v) => JSON.stringify(v)), nasty), { nil: undefined });

  const seen = new Map<number, number>();
  const reached = new Set<string>();
  await fc.assert(
    fc.asyncProperty(requests, auth, contentType, body, async ([method, url, route], authorization, type, payload) => {
      if (route) reached.add(route);
      const headers: Record<string, string> = {};
      if (authorization) headers.authorization = authorization;
      if (type) headers['content-type'] = type;
      const withBody = payload !== undefined && method !== 'GET' && method !== 'HEAD';
      const res = await app.inject({ method: method as 'GET', url, headers, ...(withBody ? { payload } : {}) });
      seen.set(res.statusCode, (seen.get(res.statusCode) ?? 0) + 1);
      assert.ok(res.statusCode < 500, `${method} ${url} answered ${res.statusCode}: ${res.body.slice(0, 200)}`);
      if (/^\/join(\/|$)/.test(url) && method !== 'HEAD' && res.statusCode !== 204) {
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
  const missed = routes.map((r) => `${r.method} ${r.path}`).filter((r) => !reached.has(r));
  assert.deepEqual(missed, [], 'every route of the app was fuzzed');
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
