import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildTestApp, createCall, startReceiver } from './helper.js';
import { apiKey, verifySignature, webhookConfig } from './webhook-helper.js';

interface TestResult {
  webhookId: string;
  delivered: boolean;
  status: number | null;
  latencyMs: number;
  error: string | null;
}

const sendTest = (app: Awaited<ReturnType<typeof buildTestApp>>, headers: Record<string, string>) =>
  app.inject({ method: 'POST', url: '/v1/webhooks/test', headers });

test('POST /v1/webhooks/test sends a signed webhook.test now and answers what the endpoint replied', async (t) => {
  const receiver = await startReceiver(t, () => 204);
  const config = webhookConfig(receiver.url);
  const app = await buildTestApp(t, config);
  const res = await sendTest(app, apiKey(config));
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['cache-control'], 'no-store');
  const result = res.json<TestResult>();
  assert.deepEqual({ ...result, latencyMs: 0 }, { webhookId: result.webhookId, delivered: true, status: 204, latencyMs: 0, error: null });
  assert.ok(result.latencyMs >= 0 && result.latencyMs < 5000);
  assert.equal(receiver.deliveries.length, 1, 'answered only once the endpoint had it');
  const [delivery] = receiver.deliveries;
  assert.equal(delivery!.headers['webhook-id'], result.webhookId);
  assert.deepEqual(verifySignature(config, delivery!), delivery!.json);
  assert.equal(delivery!.json.type, 'webhook.test');
  assert.equal(delivery!.json.data.orgId, config.org.id);
  assert.equal(await app.db.selectFrom('webhook_deliveries').select('id').where('id', '=', result.webhookId).executeTakeFirst(), undefined, 'no outbox row');
});

test('POST /v1/webhooks/test reports a failing endpoint (its status) and an unreachable one (no status) as not delivered', async (t) => {
  const receiver = await startReceiver(t, () => 500);
  const failingConfig = webhookConfig(receiver.url);
  const failing = await buildTestApp(t, failingConfig);
  const failed = (await sendTest(failing, apiKey(failingConfig))).json<TestResult>();
  assert.deepEqual([failed.delivered, failed.status, failed.error], [false, 500, 'HTTP 500']);

  const closed = webhookConfig('http://127.0.0.1:1/webhook');
  const nowhere = await buildTestApp(t, closed);
  const unreachable = await sendTest(nowhere, apiKey(closed));
  assert.equal(unreachable.statusCode, 200);
  const result = unreachable.json<TestResult>();
  assert.equal(result.delivered, false);
  assert.equal(result.status, null);
  assert.match(result.error ?? '', /^request failed: ECONNREFUSED$/);
});

test('POST /v1/webhooks/test does not wait behind a call whose deliveries are held up, nor enter its queue', async (t) => {
  // Call deliveries are refused (held for retry); the test message is answered at once.
  const receiver = await startReceiver(t, (d) => (d.json.type === 'webhook.test' ? 200 : 503));
  const config = webhookConfig(receiver.url, { retryScheduleMs: [60_000] });
  const app = await buildTestApp(t, config);
  const { body } = await createCall(app, config);
  const before = await app.db.selectFrom('webhook_deliveries').select('id').execute();
  const res = await sendTest(app, apiKey(config));
  assert.equal(res.json<TestResult>().delivered, true);
  const after = await app.db.selectFrom('webhook_deliveries').select('id').execute();
  assert.equal(after.length, before.length);
  const pending = await app.db.selectFrom('webhook_deliveries').select('status').where('call_id', '=', body.call.id).execute();
  assert.ok(pending.every((r) => r.status === 'pending'), 'the call\'s rows are untouched');
});

test('POST /v1/webhooks/test wants the org API key and is rate limited per org', async (t) => {
  const receiver = await startReceiver(t, () => 204);
  const base = webhookConfig(receiver.url);
  const config = { ...base, rateLimits: { ...base.rateLimits, webhookTestPerOrg: { max: 2, windowMs: 60_000 } } };
  const app = await buildTestApp(t, config);
  const { body } = await createCall(app, config);
  const refused: Record<string, string>[] = [{}, { authorization: 'Bearer nope' }, { authorization: `Bearer ${body.credentials.token}` }];
  for (const headers of refused) {
    const res = await sendTest(app, headers);
    assert.equal(res.statusCode, 401);
    assert.equal(res.json<{ code: string }>().code, 'unauthorized');
  }
  assert.equal((await sendTest(app, apiKey(config))).statusCode, 200);
  assert.equal((await sendTest(app, apiKey(config))).statusCode, 200);
  const limited = await sendTest(app, apiKey(config));
  assert.equal(limited.statusCode, 429);
  assert.equal(limited.json<{ code: string }>().code, 'rate_limited');
  assert.ok(Number(limited.headers['retry-after']) >= 1);
  assert.equal(receiver.deliveries.filter((d) => d.json.type === 'webhook.test').length, 2, 'the refused one was not sent');
});
