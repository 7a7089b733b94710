// Two orgs on one service: every route of the app, walked with org B's API key, agent token and call credentials
// against org A's call, deliveries, org and keys, reads nothing of A and changes nothing of A. The routes come from the
// app itself (printRoutes), so a route added later is walked too.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildTestApp, connectLive, createCall, goodClaims, routesOf, startReceiver, waitUntil, type CreateBody, type Route } from './helper.js';
import { bearer, createOrgCall, makeOrg, orgToken } from './orgs-helper.js';
import { webhookConfig } from './webhook-helper.js';

/** Paths anyone may open, by design: the hosted join page (it shows a call's state, never its data) and the SDK bundle. */
const OPEN_PATHS = [/^\/join\//, /^\/sdk\//];

test('org B\'s API key, agent token and call credentials reach nothing of org A on any route, and no webhook crosses', async (t) => {
  const receiverA = await startReceiver(t);
  const receiverB = await startReceiver(t);
  const config = webhookConfig(receiverA.url, {}, { OPERATOR_API_KEY: 'the-operator-key-of-the-isolation-test' });
  const app = await buildTestApp(t, config);
  const orgB = await makeOrg(app, { name: 'Org B', webhookUrl: receiverB.url });

  // Org A (the org of the environment): a call with a joined client, every webhook delivered.
  const conversationA = 'conv-of-org-a-secret';
  const a = await createCall(app, config, goodClaims({ name: 'Agatha Aorg', client_name: 'Clara Aclient', conversation_id: conversationA }));
  const callA = a.body.call.id;
  const secretA = a.body.joinUrl!.split('#')[1]!;
  assert.equal((await app.inject({ method: 'POST', url: '/v1/join', payload: { callId: callA, secret: secretA } })).statusCode, 200);
  await waitUntil(async () => {
    const rows = await app.db.selectFrom('webhook_deliveries').select('status').where('call_id', '=', callA).execute();
    return rows.length >= 3 && rows.every((r) => r.status === 'delivered');
  }, 5000, 'org A\'s webhooks delivered');
  const orgA = await app.orgs.admin.getOrg(config.org.id);

  // Org B: its own call, joined.
  const tokenB = await orgToken(orgB);
  const b = await createOrgCall(app, tokenB);
  assert.equal(b.res.statusCode, 201);
  const secretB = b.body.joinUrl!.split('#')[1]!;
  const joinedB = await app.inject({ method: 'POST', url: '/v1/join', payload: { callId: b.body.call.id, secret: secretB } });
  const clientB = joinedB.json<CreateBody>().credentials.token;

  const snapshot = async () => ({
    call: await app.db.selectFrom('calls').select(['status', 'client_session_id', 'ended_at', 'link_delivered']).where('id', '=', callA).executeTakeFirstOrThrow(),
    events: (await app.db.selectFrom('call_events').select('id').where('call_id', '=', callA).execute()).length,
    deliveries: await app.db.selectFrom('webhook_deliveries').select(['id', 'status', 'attempts']).where('org_id', '=', config.org.id).orderBy('seq').execute(),
    org: await app.orgs.admin.getOrg(config.org.id),
    received: receiverA.deliveries.length,
  });
  const before = await snapshot();
  const deliveryA = before.deliveries[0]!.id;
  // What B must never read: A's ids, names, conversation, link secret, deliveries, keys.
  const factsOfA = [callA, conversationA, 'Agatha Aorg', 'Clara Aclient', secretA, config.org.apiKey, config.org.signingSecret, config.org.webhookSecret,
    ...before.deliveries.map((d) => d.id), ...orgA.apiKeys.map((k) => k.id), ...orgA.signingKeys.map((k) => k.kid)];

  const credentialsOfB: [string, Record<string, string>][] = [
    ['B API key', bearer(orgB.apiKey)], ['B agent token', bearer(tokenB)], ['B agent credentials', bearer(b.body.credentials.token)],
    ['B client credentials', bearer(clientB)], ['no credentials', {}],
  ];
  const valuesFor = (param: string): string[] => {
    if (param === 'orgId') return [config.org.id];
    if (param === 'keyId') return [orgA.apiKeys[0]!.id];
    if (param === 'kid') return [orgA.signingKeys[0]!.kid];
    if (param === '*') return ['switchboard.js'];
    return [callA, deliveryA];
  };
  const bodiesFor = (route: Route): object[] => [
    {}, { reason: 'b-was-here' }, { type: 'screen_share_started' }, { media: 'audio' }, { name: 'b-was-here' },
    { callId: callA, secret: secretB }, { callId: callA, secret: 'x'.repeat(43) },
  ].slice(0, route.method === 'GET' ? 1 : undefined);
  const queries = ['', `?callId=${callA}`, `?conversationId=${conversationA}`];

  const routes = routesOf(app).filter((r) => !['HEAD', 'OPTIONS'].includes(r.method));
  const walked = new Set<string>();
  for (const route of routes) {
    const params = [...route.path.matchAll(/:(\w+)|(\*)/g)].map((m) => m[1] ?? '*');
    // Every combination of values for the route's params (routes have at most a few).
    let paths = [route.path];
    for (const param of params) {
      paths = paths.flatMap((p) => valuesFor(param).map((v) => p.replace(param === '*' ? '*' : `:${param}`, encodeURIComponent(v))));
    }
    const open = OPEN_PATHS.some((re) => re.test(route.path));
    for (const path of paths) {
      if (route.path.endsWith('/live')) {
        for (const [who, headers] of credentialsOfB) {
          await assert.rejects(connectLive(app, callA, headers.authorization?.slice(7) ?? ''), `${who} opened A's live socket`);
        }
        walked.add(`${route.method} ${route.path}`);
        continue;
      }
      for (const [who, headers] of credentialsOfB) {
        for (const query of route.method === 'GET' ? queries : ['']) {
          for (const payload of route.method === 'GET' ? [undefined] : bodiesFor(route)) {
            const res = await app.inject({ method: route.method as 'GET', url: path + query, headers, ...(payload ? { payload } : {}) });
            const what = `${route.method} ${path}${query} ${payload ? JSON.stringify(payload) : ''} with ${who} → ${res.statusCode}`;
            for (const fact of factsOfA) {
              if (open && fact === callA) continue; // the join page's URL is the call id
              assert.ok(!res.body.includes(fact), `${what} revealed ${fact}`);
            }
            if (params.length > 0 && !open) assert.ok(res.statusCode >= 400, `${what} reached org A's ${params.join(', ')}`);
          }
        }
      }
      walked.add(`${route.method} ${route.path}`);
    }
  }

  for (const expected of ['GET /v1/calls/:id', 'POST /v1/calls/:id/end', 'POST /v1/calls/:id/events', 'POST /v1/calls/:id/resume', 'GET /v1/calls/:id/live',
    'GET /v1/webhooks/deliveries', 'POST /v1/webhooks/deliveries/:id/replay', 'POST /v1/join', 'POST /v1/calls', 'GET /v1/admin/orgs/:orgId',
    'POST /v1/admin/orgs/:orgId/signing-keys/:kid/revoke']) {
    assert.ok(walked.has(expected), `${expected} was walked (routes found: ${[...walked].join(', ')})`);
  }

  await app.webhookWorker.idle();
  await new Promise((r) => setTimeout(r, 200));
  await app.webhookWorker.idle();
  const after = await snapshot();
  assert.deepEqual(after, before, 'org A unchanged: its call, timeline, deliveries, org, keys, and nothing more sent to its endpoint');
  assert.ok(receiverB.deliveries.length > 0, 'B\'s own webhooks flowed');
  for (const d of receiverB.deliveries) {
    for (const fact of factsOfA) assert.ok(!d.body.includes(fact), `a webhook to B's endpoint carried ${fact}`);
  }
});

test('a conversation id is per org: B\'s agent with A\'s conversation id makes B\'s own call, never returns A\'s', async (t) => {
  const config = webhookConfig('http://127.0.0.1:1/webhook');
  const app = await buildTestApp(t, config);
  const orgB = await makeOrg(app);
  const claims = goodClaims({ conversation_id: 'conv-shared-id' });
  const a = await createCall(app, config, claims);
  const b = await createOrgCall(app, await orgToken(orgB, claims));
  assert.deepEqual([a.res.statusCode, b.res.statusCode], [201, 201]);
  assert.notEqual(b.body.call.id, a.body.call.id);
  assert.equal(b.body.call.orgId, orgB.id);
  const again = await createOrgCall(app, await orgToken(orgB, claims));
  assert.deepEqual([again.res.statusCode, again.body.call.id], [200, b.body.call.id], 'B\'s open call is returned to B');
});
