import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { createAndJoin, createCall, goodClaims, sharedApp, type CreateBody } from './helper.js';
import { apiKey } from './webhook-helper.js';

const shared = sharedApp();

interface Listed {
  calls: CreateBody['call'][];
  nextCursor: string | null;
}
interface Timeline {
  callId: string;
  events: { type: string; by: string; at: string; data: Record<string, unknown> }[];
  nextCursor: string | null;
}

/** Three calls of one agent in fresh conversations, made one after another (newest last). */
async function threeCalls(agent: string) {
  const made = [];
  for (let i = 0; i < 3; i += 1) made.push((await createCall(shared.app(), shared.config, goodClaims({ sub: agent, conversation_owner_id: agent, client_id: `client-${agent}-${i}` }))).body.call);
  return made;
}

const list = (query: string) => shared.app().inject({ method: 'GET', url: `/v1/calls?${query}`, headers: apiKey(shared.config) });

test('GET /v1/calls, /v1/calls/:id/webhooks want the org API key; participants are refused', async () => {
  const { created, clientToken } = await createAndJoin(shared.app(), shared.config);
  for (const authorization of [undefined, 'Bearer not-the-key', `Bearer ${created.body.credentials.token}`, `Bearer ${clientToken}`]) {
    const headers = authorization ? { authorization } : {};
    for (const url of ['/v1/calls', `/v1/calls/${created.body.call.id}/webhooks`]) {
      const res = await shared.app().inject({ method: 'GET', url, headers });
      assert.equal(res.statusCode, 401, url);
      assert.equal(res.json<{ code: string }>().code, 'unauthorized');
    }
  }
});

test('GET /v1/calls lists the org\'s calls newest first, filtered by agent, client, conversation and status', async () => {
  const agent = `agent-list-${Date.now()}`;
  const [first, second, third] = await threeCalls(agent);
  await shared.app().inject({ method: 'POST', url: `/v1/calls/${second!.id}/end`, headers: apiKey(shared.config), payload: { reason: 'resolved' } });

  const mine = await list(`agentId=${agent}`);
  assert.equal(mine.statusCode, 200);
  assert.equal(mine.headers['cache-control'], 'no-store');
  assert.deepEqual(mine.json<Listed>().calls.map((c) => c.id), [third!.id, second!.id, first!.id]);
  assert.equal(mine.json<Listed>().nextCursor, null);

  const ended = await list(`agentId=${agent}&status=ended`);
  assert.deepEqual(ended.json<Listed>().calls.map((c) => [c.id, c.status, c.endReason]), [[second!.id, 'ended', 'resolved']]);
  const open = await list(`agentId=${agent}&status=created,ringing,active`);
  assert.deepEqual(open.json<Listed>().calls.map((c) => c.id), [third!.id, first!.id]);
  const repeated = await list(`agentId=${agent}&status=ended&status=created`);
  assert.equal(repeated.json<Listed>().calls.length, 3);

  const byClient = await list(`clientId=client-${agent}-0`);
  assert.deepEqual(byClient.json<Listed>().calls.map((c) => c.id), [first!.id]);
  const byConversation = await list(`conversationId=${encodeURIComponent(third!.conversationId as string)}`);
  assert.deepEqual(byConversation.json<Listed>().calls.map((c) => c.id), [third!.id]);
});

test('GET /v1/calls pages with an opaque cursor: every call once, in order, even when they share a creation instant', async () => {
  const agent = `agent-page-${Date.now()}`;
  const made = await threeCalls(agent);
  // Same instant for all three: the order falls back on the id, and the cursor must carry both.
  await sql`update calls set created_at = ${new Date('2026-01-02T03:04:05.678Z')} where agent_id = ${agent}`.execute(shared.app().db);
  const seen: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const res = await list(`agentId=${agent}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(res.statusCode, 200);
    const page = res.json<Listed>();
    assert.ok(page.calls.length <= 2);
    seen.push(...page.calls.map((c) => c.id));
    cursor = page.nextCursor;
    pages += 1;
  } while (cursor && pages < 5);
  assert.equal(pages, 2, 'a full last page has no cursor after it');
  assert.deepEqual(seen, made.map((c) => c.id).sort().reverse());
});

test('GET /v1/calls filters by creation time (ISO 8601, zone required with a time)', async () => {
  const agent = `agent-time-${Date.now()}`;
  const [old, recent] = await threeCalls(agent);
  await sql`update calls set created_at = ${new Date('2025-06-01T12:00:00Z')} where id = ${old!.id}`.execute(shared.app().db);
  const after = await list(`agentId=${agent}&createdAfter=2026-01-01`);
  assert.equal(after.json<Listed>().calls.some((c) => c.id === old!.id), false);
  assert.ok(after.json<Listed>().calls.some((c) => c.id === recent!.id));
  const before = await list(`agentId=${agent}&createdBefore=2025-06-01T12:00:00.001Z&createdAfter=2025-06-01T11:00:00%2B00:00`);
  assert.deepEqual(before.json<Listed>().calls.map((c) => c.id), [old!.id]);
});

test('GET /v1/calls refuses bad filters with 400 invalid_request', async () => {
  const cursorOfNothing = Buffer.from('["not a date","x"]').toString('base64url');
  for (const query of ['status=lost', 'status=ended,', 'limit=0', 'limit=101', 'createdAfter=yesterday', 'createdAfter=2026-01-01T10:00:00',
    'createdAfter=2026-13-45', `cursor=${cursorOfNothing}`, 'cursor=%%%', 'colour=red']) {
    const res = await list(query);
    assert.equal(res.statusCode, 400, query);
    assert.equal(res.json<{ code: string }>().code, 'invalid_request', query);
  }
});

test('GET /v1/calls/:id/timeline gives the events in order to the API key and to the call\'s participants', async () => {
  const { callId, agentToken, clientToken } = await createAndJoin(shared.app(), shared.config);
  await shared.app().inject({ method: 'POST', url: `/v1/calls/${callId}/events`, headers: { authorization: `Bearer ${clientToken}` }, payload: { type: 'media_blocked', device: 'camera', reason: 'NotAllowedError' } });
  await shared.app().inject({ method: 'POST', url: `/v1/calls/${callId}/end`, headers: { authorization: `Bearer ${agentToken}` } });

  const expected = [
    ['call.created', 'agent'], ['call.invite', 'system'], ['call.link_opened', 'client'], ['call.media_blocked', 'client'], ['call.ended', 'agent'],
  ];
  for (const authorization of [`Bearer ${shared.config.org.apiKey}`, `Bearer ${agentToken}`]) {
    const res = await shared.app().inject({ url: `/v1/calls/${callId}/timeline`, headers: { authorization } });
    assert.equal(res.statusCode, 200);
    const timeline = res.json<Timeline>();
    assert.equal(timeline.callId, callId);
    assert.deepEqual(timeline.events.map((e) => [e.type, e.by]), expected);
    assert.deepEqual(timeline.events[3]!.data, { device: 'camera', reason: 'NotAllowedError' });
    assert.equal(timeline.events[4]!.data.reason, 'ended_by_agent');
    assert.ok(timeline.events.every((e) => !Number.isNaN(Date.parse(e.at))));
  }
  // The client's credentials of an ended call still read it (the call's record stays readable too).
  const asClient = await shared.app().inject({ url: `/v1/calls/${callId}/timeline?limit=2`, headers: { authorization: `Bearer ${clientToken}` } });
  const first = asClient.json<Timeline>();
  assert.deepEqual(first.events.map((e) => e.type), ['call.created', 'call.invite']);
  assert.ok(first.nextCursor);
  const rest = await shared.app().inject({ url: `/v1/calls/${callId}/timeline?cursor=${first.nextCursor}`, headers: { authorization: `Bearer ${clientToken}` } });
  assert.deepEqual(rest.json<Timeline>().events.map((e) => e.type), ['call.link_opened', 'call.media_blocked', 'call.ended']);
  assert.equal(rest.json<Timeline>().nextCursor, null);
});

test('GET /v1/calls/:id/timeline refuses another call\'s credentials (401) and answers 404 for an unknown call', async () => {
  const one = await createCall(shared.app(), shared.config);
  const other = await createCall(shared.app(), shared.config);
  const foreign = await shared.app().inject({ url: `/v1/calls/${one.body.call.id}/timeline`, headers: { authorization: `Bearer ${other.body.credentials.token}` } });
  assert.equal(foreign.statusCode, 401);
  const unknown = await shared.app().inject({ url: '/v1/calls/no-such-call/timeline', headers: apiKey(shared.config) });
  assert.equal(unknown.statusCode, 404);
  assert.equal(unknown.json<{ code: string }>().code, 'call_not_found');
  const bad = await shared.app().inject({ url: `/v1/calls/${one.body.call.id}/timeline?limit=501`, headers: apiKey(shared.config) });
  assert.equal(bad.statusCode, 400);
});

test('GET /v1/calls/:id/webhooks lists that call\'s deliveries only, without payloads, paged', async () => {
  const a = await createCall(shared.app(), shared.config);
  await createCall(shared.app(), shared.config);
  const res = await shared.app().inject({ url: `/v1/calls/${a.body.call.id}/webhooks`, headers: apiKey(shared.config) });
  assert.equal(res.statusCode, 200);
  const { deliveries, nextCursor } = res.json<{ deliveries: { callId: string; type: string; [k: string]: unknown }[]; nextCursor: string | null }>();
  assert.deepEqual(deliveries.map((d) => d.type), ['call.invite', 'call.created']);
  assert.ok(deliveries.every((d) => d.callId === a.body.call.id && !('payload' in d)));
  assert.equal(nextCursor, null);
  assert.ok(!res.body.includes(a.body.joinUrl!.split('#')[1]!), 'never the join secret');
  const page = await shared.app().inject({ url: `/v1/calls/${a.body.call.id}/webhooks?limit=1`, headers: apiKey(shared.config) });
  const cursor = page.json<{ nextCursor: string }>().nextCursor;
  const next = await shared.app().inject({ url: `/v1/calls/${a.body.call.id}/webhooks?limit=1&cursor=${cursor}`, headers: apiKey(shared.config) });
  assert.deepEqual(next.json<{ deliveries: { type: string }[] }>().deliveries.map((d) => d.type), ['call.created']);
  const unknown = await shared.app().inject({ url: '/v1/calls/no-such-call/webhooks', headers: apiKey(shared.config) });
  assert.equal(unknown.statusCode, 404);
});
