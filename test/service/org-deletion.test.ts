// Deleting an org: its open calls end (org_deleted), its keys and credentials get 401 at once, its rows are gone, and
// another org is untouched.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { LiveCloseCode } from '../../protocol/live.js';
import { repoRoot } from '../../service/config.js';
import { buildTestApp, connectLive, fastConfig, goodClaims, type CreateBody } from './helper.js';
import { bearer, createOrgCall, makeOrg, orgToken, type TestOrg } from './orgs-helper.js';

const OPERATOR_API_KEY = 'operator-key-for-the-deletion-tests';
const operator = bearer(OPERATOR_API_KEY);

/** An org with one call joined by its client, both live sockets open. */
async function orgInCall(app: FastifyInstance, name: string) {
  const org = await makeOrg(app, { name });
  const token = await orgToken(org, goodClaims({ conversationId: `conv-${name}` }));
  const { res, body } = await createOrgCall(app, token);
  assert.equal(res.statusCode, 201);
  const callId = body.call.id;
  const join = await app.inject({ method: 'POST', url: '/v1/join', payload: { callId, secret: body.joinUrl!.split('#')[1] } });
  assert.equal(join.statusCode, 200);
  const agentCredentials = body.credentials.token;
  const clientCredentials = join.json<CreateBody>().credentials.token;
  const agent = await connectLive(app, callId, agentCredentials);
  const client = await connectLive(app, callId, clientCredentials);
  await agent.next('hello');
  await client.next('hello');
  return { org, token, callId, agentCredentials, clientCredentials, agent, client };
}

/** Counts of every row of an org, by table. */
async function rowsOf(app: FastifyInstance, org: TestOrg, callId: string): Promise<Record<string, number>> {
  const count = async (query: { executeTakeFirstOrThrow(): Promise<{ n: string | number | bigint }> }) => Number((await query.executeTakeFirstOrThrow()).n);
  const db = app.db;
  return {
    orgs: await count(db.selectFrom('orgs').select((eb) => eb.fn.countAll().as('n')).where('id', '=', org.id)),
    signingKeys: await count(db.selectFrom('org_signing_keys').select((eb) => eb.fn.countAll().as('n')).where('org_id', '=', org.id)),
    apiKeys: await count(db.selectFrom('org_api_keys').select((eb) => eb.fn.countAll().as('n')).where('org_id', '=', org.id)),
    calls: await count(db.selectFrom('calls').select((eb) => eb.fn.countAll().as('n')).where('org_id', '=', org.id)),
    events: await count(db.selectFrom('call_events').select((eb) => eb.fn.countAll().as('n')).where('call_id', '=', callId)),
    deliveries: await count(db.selectFrom('webhook_deliveries').select((eb) => eb.fn.countAll().as('n')).where('org_id', '=', org.id)),
    presence: await count(db.selectFrom('live_presence').select((eb) => eb.fn.countAll().as('n')).where('call_id', '=', callId)),
  };
}

test('DELETE /v1/admin/orgs/:orgId ends its calls (org_deleted), its keys and credentials get 401, its rows are gone; another org is untouched', async (t) => {
  const app = await buildTestApp(t, fastConfig({ OPERATOR_API_KEY }));
  const a = await orgInCall(app, 'doomed');
  const b = await orgInCall(app, 'kept');
  const bBefore = { org: (await app.inject({ url: `/v1/admin/orgs/${b.org.id}`, headers: operator })).json<Record<string, unknown>>(), rows: await rowsOf(app, b.org, b.callId) };
  // live_presence has rows on PostgreSQL only (PGlite's bus keeps presence in memory).
  const { presence: _presence, ...stored } = await rowsOf(app, a.org, a.callId);
  assert.ok(Object.values(stored).every((n) => n > 0), `the doomed org has rows of every kind: ${JSON.stringify(stored)}`);

  const res = await app.inject({ method: 'DELETE', url: `/v1/admin/orgs/${a.org.id}`, headers: operator });
  assert.equal(res.statusCode, 200);
  const deleted = res.json<{ id: string; callsEnded: number; callsDeleted: number; deliveriesDeleted: number }>();
  assert.deepEqual([deleted.id, deleted.callsEnded, deleted.callsDeleted], [a.org.id, 1, 1]);
  assert.ok(deleted.deliveriesDeleted >= 2);

  // Its open call ended, told to both sockets, which were closed as for any ended call.
  const endedWith = (m: Record<string, unknown>) => m.type === 'call' && (m.call as { status: string; endReason?: string }).status === 'ended'
    ? (m.call as { endReason?: string }).endReason : undefined;
  for (const socket of [a.agent, a.client]) {
    assert.equal((await socket.closed).code, LiveCloseCode.callEnded);
    assert.deepEqual(socket.messages.map(endedWith).filter(Boolean), ['org_deleted'], 'the ended call, reason org_deleted, before the close');
  }

  // Its agent tokens, API key, and both participants' credentials: 401, at once.
  const create = await createOrgCall(app, await orgToken(a.org, goodClaims({ conversationId: 'conv-after' })));
  assert.equal(create.res.statusCode, 401, 'agent token');
  const list = await app.inject({ url: '/v1/calls', headers: bearer(a.org.apiKey) });
  assert.equal(list.statusCode, 401, 'API key');
  for (const credentials of [a.agentCredentials, a.clientCredentials]) {
    const read = await app.inject({ url: `/v1/calls/${a.callId}`, headers: bearer(credentials) });
    assert.equal(read.statusCode, 401, 'call credentials');
  }
  const again = await app.inject({ url: `/v1/admin/orgs/${a.org.id}`, headers: operator });
  assert.equal(again.statusCode, 404);
  assert.deepEqual(await rowsOf(app, a.org, a.callId), { orgs: 0, signingKeys: 0, apiKeys: 0, calls: 0, events: 0, deliveries: 0, presence: 0 });

  // The other org: its call still going, its sockets open, its keys working, its rows as they were.
  assert.equal(b.agent.ws.readyState, b.agent.ws.OPEN);
  assert.equal(b.client.ws.readyState, b.client.ws.OPEN);
  assert.equal((await app.inject({ url: `/v1/calls/${b.callId}`, headers: bearer(b.agentCredentials) })).json<{ status: string }>().status, 'active');
  assert.equal((await app.inject({ url: '/v1/calls', headers: bearer(b.org.apiKey) })).statusCode, 200);
  assert.equal((await createOrgCall(app, await orgToken(b.org, goodClaims({ conversationId: 'conv-kept-2' })))).res.statusCode, 201);
  const bAfter = (await app.inject({ url: `/v1/admin/orgs/${b.org.id}`, headers: operator })).json<{ apiKeys: { lastUsedAt: unknown }[] }>();
  const noUse = (o: Record<string, unknown>) => ({ ...o, apiKeys: (o.apiKeys as Record<string, unknown>[]).map((k) => ({ ...k, lastUsedAt: null })) });
  assert.deepEqual(noUse(bAfter), noUse(bBefore.org));
  const bRows = await rowsOf(app, b.org, b.callId);
  assert.equal(bRows.calls, bBefore.rows.calls! + 1, 'only the call made since');
  assert.deepEqual({ ...bRows, calls: 0, deliveries: 0 }, { ...bBefore.rows, calls: 0, deliveries: 0 });
  b.agent.ws.close();
  b.client.ws.close();
});

test('org deletion refuses the org of the environment (409), unknown orgs (404), bad ids (400), and callers without the operator key (401)', async (t) => {
  const app = await buildTestApp(t, fastConfig({ OPERATOR_API_KEY }));
  const cases: [string, Record<string, string>, number, string][] = [
    ['/v1/admin/orgs/demo', operator, 409, 'org_in_environment'],
    ['/v1/admin/orgs/no-such-org', operator, 404, 'org_not_found'],
    ['/v1/admin/orgs/bad%20id', operator, 400, 'invalid_request'],
    ['/v1/admin/orgs/demo', bearer('not-the-operator-key'), 401, 'unauthorized'],
  ];
  for (const [url, headers, status, code] of cases) {
    const res = await app.inject({ method: 'DELETE', url, headers });
    assert.deepEqual([res.statusCode, res.json<{ code: string }>().code], [status, code], url);
  }
  assert.equal((await app.inject({ url: '/v1/admin/orgs/demo', headers: operator })).statusCode, 200, 'the env org is still there');
});

test('`npm run admin -- org delete` wants --yes, deletes the org and its keys; a second time the org is unknown', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-delete-'));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
  const cli = async (...args: string[]) => {
    try {
      const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/admin.ts', ...args], { cwd: repoRoot, env, timeout: 90_000 });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code?: number; stdout?: string; stderr?: string };
      return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
    }
  };
  const made = JSON.parse((await cli('org', 'create', '--name', 'Gone', '--id', 'gone-org', '--json')).stdout) as { apiKey: { key: string } };
  const unconfirmed = await cli('org', 'delete', '--org', 'gone-org');
  assert.equal(unconfirmed.code, 2);
  assert.match(unconfirmed.stderr, /--yes is required/);
  const done = await cli('org', 'delete', '--org', 'gone-org', '--yes');
  assert.equal(done.code, 0, done.stderr);
  assert.match(done.stdout, /Deleted org gone-org: 0 open calls ended/);
  const twice = await cli('org', 'delete', '--org', 'gone-org', '--yes');
  assert.equal(twice.code, 1);
  assert.match(twice.stderr, /org_not_found/);

  const app = await buildTestApp(t, { ...fastConfig({ DATA_DIR: dataDir }), databaseUrl: null });
  assert.equal((await app.inject({ url: '/v1/calls', headers: bearer(made.apiKey.key) })).statusCode, 401, 'its API key is gone');
  assert.equal(await app.orgs.store.org('gone-org'), undefined);
});
