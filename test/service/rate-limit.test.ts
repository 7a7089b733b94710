import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import WebSocket from 'ws';
import { loadConfig, type Config } from '../../service/config.js';
import { signAgentToken } from '../../service/domain/agent-token.js';
import { buildTestApp, createAndJoin, createCall, fastConfig, goodClaims, sharedApp, TEST_ENV } from './helper.js';

// The shipped defaults, except the live-socket ones, made small so the test stays quick.
const defaults = loadConfig(TEST_ENV).rateLimits;
const config: Config = {
  ...fastConfig(),
  rateLimits: { ...defaults, livePerIp: { max: 8, windowMs: 60_000 }, livePerCall: { max: 5, windowMs: 60_000 } },
};
const shared = sharedApp(config, true);

/** Each test speaks from its own address, so that per-IP counters of one test never reach another. */
let nextHost = 1;
const freshIp = () => `198.51.100.${nextHost++}`;

const secretOf = (joinUrl: string | null) => joinUrl!.split('#')[1]!;

function assertRateLimited(res: LightMyRequestResponse): void {
  assert.equal(res.statusCode, 429);
  const retryAfter = Number(res.headers['retry-after']);
  assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After in seconds, got ${res.headers['retry-after']}`);
  const body = res.json<Record<string, unknown>>();
  assert.deepEqual(Object.keys(body).sort(), ['code', 'error', 'message', 'statusCode']);
  assert.equal(body.statusCode, 429);
  assert.equal(body.code, 'rate_limited');
  assert.equal(body.error, 'Too Many Requests');
}

test('the default limits are generous for real use and strict for guessing', () => {
  assert.deepEqual(defaults.joinPerCall, { max: 10, windowMs: 60_000 });
  assert.deepEqual(defaults.createCallPerAgent, { max: 30, windowMs: 60_000 });
  assert.deepEqual(defaults.eventsPerCallRole, { max: 20, windowMs: 60_000 });
  assert.deepEqual(defaults.livePerCall, { max: 30, windowMs: 60_000 });
});

test('2,000 wrong secrets in a few seconds are mostly refused with 429 rate_limited and Retry-After', async () => {
  const app = shared.app();
  const { body } = await createCall(app, config);
  const attacker = freshIp();
  const statuses: number[] = [];
  for (let batch = 0; batch < 20; batch++) {
    const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => app.inject({
      method: 'POST', url: '/v1/join', remoteAddress: attacker,
      payload: { callId: body.call.id, secret: `guess-${batch}-${i}`.padEnd(43, 'x') },
    })));
    statuses.push(...answers.map((r) => r.statusCode));
    if (batch === 19) assertRateLimited(answers.at(-1)!);
  }
  const allowed = statuses.filter((s) => s === 404).length;
  assert.equal(allowed, defaults.joinPerCall.max, 'only the per-call budget reaches the secret check');
  assert.equal(statuses.filter((s) => s === 429).length, 2000 - allowed);

  // The real client, from another address, still joins.
  const res = await app.inject({ method: 'POST', url: '/v1/join', remoteAddress: freshIp(), payload: { callId: body.call.id, secret: secretOf(body.joinUrl) } });
  assert.equal(res.statusCode, 200);
});

test('POST /v1/join is also limited per address across calls', async () => {
  const app = shared.app();
  const ip = freshIp();
  const answers = [];
  for (let i = 0; i <= defaults.joinPerIp.max; i++) {
    answers.push(await app.inject({ method: 'POST', url: '/v1/join', remoteAddress: ip, payload: { callId: `call-${i}`, secret: 'x'.repeat(43) } }));
  }
  assert.deepEqual(new Set(answers.slice(0, -1).map((r) => r.statusCode)), new Set([404]));
  assertRateLimited(answers.at(-1)!);
});

test('POST /v1/calls is limited per agent, not per address', async () => {
  const app = shared.app();
  const busy = await signAgentToken(config, goodClaims({ sub: 'agent-busy', conversation_owner_id: 'agent-busy' }));
  const post = (token: string) => app.inject({ method: 'POST', url: '/v1/calls', remoteAddress: freshIp(), headers: { authorization: `Bearer ${token}` }, payload: {} });
  for (let i = 0; i < defaults.createCallPerAgent.max; i++) assert.ok([200, 201].includes((await post(busy)).statusCode));
  assertRateLimited(await post(busy));

  const other = await signAgentToken(config, goodClaims({ sub: 'agent-calm', conversation_owner_id: 'agent-calm' }));
  assert.equal((await post(other)).statusCode, 201, 'another agent is not affected');
  const noToken = await app.inject({ method: 'POST', url: '/v1/calls', payload: {} });
  assert.equal(noToken.statusCode, 401, 'credentials are checked before the limit');
});

test('a link holder sending 300 screen-share events in a few seconds is throttled; the agent is not', async () => {
  const app = shared.app();
  const { callId, clientToken, agentToken } = await createAndJoin(app, config);
  const send = (token: string, type: string) => app.inject({
    method: 'POST', url: `/v1/calls/${callId}/events`, remoteAddress: freshIp(), headers: { authorization: `Bearer ${token}` }, payload: { type },
  });
  const statuses: number[] = [];
  for (let i = 0; i < 300; i++) statuses.push((await send(clientToken, i % 2 ? 'screen_share_stopped' : 'screen_share_started')).statusCode);
  assert.equal(statuses.filter((s) => s === 202).length, defaults.eventsPerCallRole.max);
  assert.equal(statuses.filter((s) => s === 429).length, 300 - defaults.eventsPerCallRole.max);
  assertRateLimited(await send(clientToken, 'screen_share_started'));
  assert.equal((await send(agentToken, 'screen_share_started')).statusCode, 202, 'the limit is per role');
});

test('the pre-join polls GET /v1/calls/:id: a link holder reading it in a loop is throttled; the agent and the org\'s backend are not', async () => {
  const app = shared.app();
  const { callId, clientToken, agentToken } = await createAndJoin(app, config);
  const read = (authorization: string) => app.inject({ url: `/v1/calls/${callId}`, remoteAddress: freshIp(), headers: { authorization } });
  const max = defaults.callReadsPerCallRole.max;
  // The pre-join asks every 5 s: twelve a minute, far below the limit.
  assert.ok(max >= 60, `room for a pre-join polling every 5 s and the call's other reads (max ${max})`);
  const statuses: number[] = [];
  for (let i = 0; i < max + 20; i++) statuses.push((await read(`Bearer ${clientToken}`)).statusCode);
  assert.equal(statuses.filter((s) => s === 200).length, max);
  assert.equal(statuses.filter((s) => s === 429).length, 20);
  assertRateLimited(await read(`Bearer ${clientToken}`));
  // The same budget covers the call's other reads by that role.
  assertRateLimited(await app.inject({ url: `/v1/calls/${callId}/timeline`, remoteAddress: freshIp(), headers: { authorization: `Bearer ${clientToken}` } }));
  assert.equal((await read(`Bearer ${agentToken}`)).statusCode, 200, 'the limit is per role');
  assert.equal((await read(`Bearer ${config.org.apiKey}`)).statusCode, 200, 'API keys are not counted');
  assert.equal((await read('Bearer not-a-token')).statusCode, 401, 'credentials are checked before the limit');
});

/** Offers an upgrade of the live socket; resolves with the HTTP answer when it is refused. */
async function refusedUpgrade(url: string, callId: string): Promise<{ status: number; headers: IncomingMessage['headers']; body: string }> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/v1/calls/${callId}/live`, ['switchboard.v1', 'not-a-token']);
  ws.on('error', () => undefined);
  const [, res] = await once(ws, 'unexpected-response') as [unknown, IncomingMessage];
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  ws.terminate();
  return { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() };
}

// Real sockets all come from 127.0.0.1, which no other test of this file upgrades from.
test('live-socket upgrades are limited per call and address with a plain HTTP 429 before any upgrade', async () => {
  const { body } = await createCall(shared.app(), config);
  const attempts = [];
  for (let i = 0; i <= config.rateLimits.livePerCall.max; i++) attempts.push(await refusedUpgrade(shared.url(), body.call.id));
  assert.deepEqual(attempts.slice(0, -1).map((a) => a.status), Array(config.rateLimits.livePerCall.max).fill(401));
  const limited = attempts.at(-1)!;
  assert.equal(limited.status, 429);
  assert.ok(Number(limited.headers['retry-after']) >= 1);
  assert.equal(limited.headers.upgrade, undefined, 'no upgrade happened');
  assert.equal((JSON.parse(limited.body) as { code: string }).code, 'rate_limited');

  // Same address, other calls: the per-address limit (8) is reached after 2 more attempts.
  const other = await createCall(shared.app(), config);
  assert.equal((await refusedUpgrade(shared.url(), other.body.call.id)).status, 401);
  assert.equal((await refusedUpgrade(shared.url(), other.body.call.id)).status, 401);
  assert.equal((await refusedUpgrade(shared.url(), other.body.call.id)).status, 429);
});

test('GET /join/:callId past its limit answers a human 429 page with Retry-After', async () => {
  const app = shared.app();
  const ip = freshIp();
  const answers = [];
  for (let i = 0; i <= defaults.joinPagePerIp.max; i++) answers.push(await app.inject({ url: '/join/no-such-call', remoteAddress: ip }));
  const last = answers.at(-1)!;
  assert.equal(answers.at(-2)!.statusCode, 404);
  assert.equal(last.statusCode, 429);
  assert.match(String(last.headers['content-type']), /^text\/html/);
  assert.ok(Number(last.headers['retry-after']) >= 1);
  assert.ok(last.body.includes('Too many attempts'));
  assert.match(String(last.headers['content-security-policy']), /default-src 'none'/);
});

test('TRUST_PROXY accepts a hop count or addresses/CIDRs and refuses anything else, naming the variable', () => {
  assert.equal(loadConfig(TEST_ENV).trustProxy, false);
  assert.equal(loadConfig({ ...TEST_ENV, TRUST_PROXY: '1' }).trustProxy, 1);
  assert.deepEqual(loadConfig({ ...TEST_ENV, TRUST_PROXY: '10.0.0.0/8, ::1' }).trustProxy, ['10.0.0.0/8', '::1']);
  for (const bad of ['proxy.local', '10.0.0.0/33', '0']) {
    assert.throws(() => loadConfig({ ...TEST_ENV, TRUST_PROXY: bad }), (err: Error) => err.message.startsWith('TRUST_PROXY:'), bad);
  }
});

test('behind a trusted proxy, each forwarded client address has its own budget', async (t) => {
  const app = await buildTestApp(t, { ...config, trustProxy: ['127.0.0.1'] });
  const join = (client: string) => app.inject({
    method: 'POST', url: '/v1/join', headers: { 'x-forwarded-for': client }, payload: { callId: 'some-call', secret: 'x'.repeat(43) },
  });
  for (let i = 0; i < defaults.joinPerCall.max; i++) assert.equal((await join('203.0.113.7')).statusCode, 404);
  assertRateLimited(await join('203.0.113.7'));
  assert.equal((await join('203.0.113.8')).statusCode, 404, 'another client behind the same proxy');
});
