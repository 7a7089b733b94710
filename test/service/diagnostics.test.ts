/**
 * "Copy diagnostics" halves: each side posts its own with its call credentials (schema- and
 * size-checked, rate-limited, latest one kept), and only the agent or the org's API key reads both
 * back, with the join link stripped of its secret; other calls and other orgs learn nothing.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DiagnosticsHalf } from '../../protocol/diagnostics.js';
import { buildTestApp, createAndJoin, fastConfig, sharedApp } from './helper.js';
import { bearer, createOrgCall, makeOrg, orgToken } from './orgs-helper.js';

const shared = sharedApp(fastConfig());

function half(overrides: Partial<DiagnosticsHalf> = {}): DiagnosticsHalf {
  return {
    collectedAt: '2026-01-01T10:00:00.000Z', localTime: '1/1/2026, 11:00:00 AM', timeZone: 'Europe/Paris',
    browser: 'Chrome 142.0.0.0', os: 'Linux', platform: 'desktop', userAgent: 'Mozilla/5.0 (X11; Linux x86_64)',
    permissions: { camera: 'granted', microphone: 'denied' },
    devices: { audioinput: 1, videoinput: 1, audiooutput: 0, labelled: 2 },
    connection: { mediaMode: 'direct', rttMs: 12.5, packetLossPercent: 0, candidateType: 'host' },
    call: { status: 'connected', microphone: true, camera: false, screen: false },
    ...overrides,
  };
}

const post = (callId: string, token: string, payload: unknown) =>
  shared.app().inject({ method: 'POST', url: `/v1/calls/${callId}/diagnostics`, headers: bearer(token), payload: payload as object });
const get = (callId: string, token: string) => shared.app().inject({ url: `/v1/calls/${callId}/diagnostics`, headers: bearer(token) });

test('each side posts its half; the agent reads both, the latest of each, with the join link without its secret', async () => {
  const { callId, agentToken, clientToken, secret } = await createAndJoin(shared.app(), shared.config);
  assert.equal((await post(callId, clientToken, half({ browser: 'Firefox 140' }))).statusCode, 202);
  assert.equal((await post(callId, clientToken, half({ browser: 'Firefox 141' }))).statusCode, 202);
  assert.equal((await post(callId, agentToken, half({ browser: 'Chrome 142' }))).statusCode, 202);
  const res = await get(callId, agentToken);
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['cache-control'], 'no-store');
  const body = res.json<{ joinLink: string; agent: { role: string; report: DiagnosticsHalf }; client: { role: string; receivedAt: string; report: DiagnosticsHalf } }>();
  assert.equal(body.client.report.browser, 'Firefox 141', 'the latest half is kept');
  assert.equal(body.agent.report.browser, 'Chrome 142');
  assert.deepEqual(body.client.report.permissions, { camera: 'granted', microphone: 'denied' });
  assert.equal(body.joinLink, `${shared.config.publicUrl}/join/${callId}`);
  assert.ok(!res.body.includes(secret), 'the join secret is nowhere in the answer');
  assert.ok(!res.body.includes(clientToken) && !res.body.includes(agentToken), 'no credentials in the answer');
  const rows = await shared.app().db.selectFrom('call_diagnostics').select('role').where('call_id', '=', callId).execute();
  assert.equal(rows.length, 2, 'one row per side, however many reports');
});

test('the client may not read the agent\'s half (403); a half not sent reads as null', async () => {
  const { callId, agentToken, clientToken } = await createAndJoin(shared.app(), shared.config);
  const refused = await get(callId, clientToken);
  assert.equal(refused.statusCode, 403);
  assert.equal(refused.json<{ code: string }>().code, 'forbidden');
  const empty = (await get(callId, agentToken)).json<{ agent: unknown; client: unknown }>();
  assert.deepEqual([empty.agent, empty.client], [null, null]);
});

test('bad halves get 400 invalid_request, oversized ones 413, and none is stored', async () => {
  const { callId, clientToken, agentToken } = await createAndJoin(shared.app(), shared.config);
  const cases: unknown[] = [
    { ...half(), token: 'x' },
    { ...half(), permissions: { camera: 'maybe', microphone: 'granted' } },
    { ...half(), devices: { audioinput: 10_000, videoinput: 0, audiooutput: 0, labelled: 0 } },
    { ...half(), browser: 'x'.repeat(121) },
    { ...half(), os: 'nul\u0000' },
    { ...half(), connection: { mediaMode: 'direct', rttMs: -1, packetLossPercent: null, candidateType: null } },
    [1, 2],
  ];
  for (const payload of cases) {
    const res = await post(callId, clientToken, payload);
    assert.equal(res.statusCode, 400, JSON.stringify(payload).slice(0, 80));
    assert.equal(res.json<{ code: string }>().code, 'invalid_request');
  }
  const huge = await post(callId, clientToken, { ...half(), userAgent: 'x'.repeat(9 * 1024) });
  assert.equal(huge.statusCode, 413);
  assert.equal(huge.json<{ code: string }>().code, 'payload_too_large');
  assert.equal((await get(callId, agentToken)).json<{ client: unknown }>().client, null);
});

test('credentials of another call, no credentials, or another org\'s API key get no diagnostics', async () => {
  const a = await createAndJoin(shared.app(), shared.config);
  const b = await createAndJoin(shared.app(), shared.config);
  await post(a.callId, a.clientToken, half());
  assert.equal((await post(a.callId, b.clientToken, half())).statusCode, 401);
  assert.equal((await get(a.callId, b.agentToken)).statusCode, 401);
  assert.equal((await shared.app().inject({ url: `/v1/calls/${a.callId}/diagnostics` })).statusCode, 401);
  const other = await makeOrg(shared.app());
  const otherCall = await createOrgCall(shared.app(), await orgToken(other));
  const crossOrg = await get(a.callId, other.apiKey);
  assert.equal(crossOrg.statusCode, 404, 'another org\'s key learns nothing about the call');
  assert.equal(crossOrg.json<{ code: string }>().code, 'call_not_found');
  // Its own call reads fine with its key (and has no halves).
  const own = await get(otherCall.body.call.id, other.apiKey);
  assert.equal(own.statusCode, 200);
  assert.equal(own.json<{ client: unknown }>().client, null);
});

test('a client posting halves in a loop is limited with 429 (the per-call events budget)', async (t) => {
  const config = fastConfig();
  config.rateLimits = { ...config.rateLimits, eventsPerCallRole: { max: 3, windowMs: 60_000 } };
  const app = await buildTestApp(t, config);
  const { callId, clientToken } = await createAndJoin(app, config);
  const codes: number[] = [];
  for (let i = 0; i < 5; i++) {
    codes.push((await app.inject({ method: 'POST', url: `/v1/calls/${callId}/diagnostics`, headers: bearer(clientToken), payload: half() })).statusCode);
  }
  assert.deepEqual(codes, [202, 202, 202, 429, 429]);
});
