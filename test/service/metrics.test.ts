import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AddressInfo } from 'node:net';
import { buildTestApp, connectReal, createAndJoin, startReceiver, waitUntil } from './helper.js';
import { webhookConfig } from './webhook-helper.js';

type App = Awaited<ReturnType<typeof buildTestApp>>;

/** The value of one sample of the exposition text (0 when the series is absent). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const labelText = line.slice(name.length).split(' ')[0]!;
    if (wanted.every((w) => labelText.includes(w))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return 0;
}

const scrape = async (app: App, headers: Record<string, string> = {}) => {
  const res = await app.inject({ url: '/metrics', headers });
  assert.equal(res.statusCode, 200);
  return res.body;
};

test('GET /metrics: Prometheus text; calls, joins, live sockets, webhook attempts and HTTP timings move with a call', async (t) => {
  const receiver = await startReceiver(t, () => 204);
  const config = webhookConfig(receiver.url);
  const app = await buildTestApp(t, config);
  const before = await scrape(app);
  const res = await app.inject({ url: '/metrics' });
  assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/);
  assert.match(before, /^nodejs_eventloop_lag_seconds /m, 'event-loop lag from the default metrics');
  assert.equal(sample(before, 'switchboard_calls_open', { status: 'created' }), 0);

  const { callId, clientToken } = await createAndJoin(app, config);
  await waitUntil(async () => (await app.calls.get(callId))?.linkDelivered === true, 3000, 'the invite delivered');
  // A real connection: its close reaches the server as a departure (client_left).
  await app.listen({ host: '127.0.0.1', port: 0 });
  const client = connectReal(`http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, callId, clientToken);
  await client.next('hello');

  const during = await scrape(app);
  assert.equal(sample(during, 'switchboard_calls_open', { status: 'active' }), 1);
  assert.equal(sample(during, 'switchboard_calls_open', { status: 'created' }), 0);
  assert.equal(sample(during, 'switchboard_call_joins_total'), 1);
  assert.equal(sample(during, 'switchboard_call_events_total', { type: 'call.created' }), 1);
  assert.equal(sample(during, 'switchboard_call_events_total', { type: 'call.client_joined' }), 1);
  assert.equal(sample(during, 'switchboard_live_sockets', { role: 'client' }), 1);
  assert.equal(sample(during, 'switchboard_live_sockets', { role: 'agent' }), 0);
  assert.ok(sample(during, 'switchboard_webhook_attempts_total', { event_type: 'call.invite', outcome: 'delivered' }) >= 1);
  assert.ok(sample(during, 'switchboard_webhook_attempt_duration_seconds_count', { outcome: 'delivered' }) >= 2);
  assert.equal(sample(during, 'switchboard_http_request_duration_seconds_count', { method: 'POST', route: '/v1/calls', status_code: '201' }), 1);
  assert.equal(sample(during, 'switchboard_http_request_duration_seconds_count', { method: 'POST', route: '/v1/join', status_code: '200' }), 1);
  assert.ok(!during.includes(callId), 'route patterns, never ids, in labels');

  client.ws.close(1000);
  await client.closed;
  await waitUntil(async () => sample(await scrape(app), 'switchboard_calls_open', { status: 'client_left' }) === 1, 3000, 'client_left counted');
  const after = await scrape(app);
  assert.equal(sample(after, 'switchboard_live_sockets', { role: 'client' }), 0);
  assert.equal(sample(after, 'switchboard_calls_open', { status: 'active' }), 0);
});

test('GET /metrics counts webhook attempts that fail and an unknown URL under one route label', async (t) => {
  const receiver = await startReceiver(t, () => 503);
  const config = webhookConfig(receiver.url, { retryScheduleMs: [10] });
  const app = await buildTestApp(t, config);
  await createAndJoin(app, config);
  await app.inject({ url: '/no/such/route/1' });
  await app.inject({ url: '/no/such/route/2' });
  await waitUntil(async () => sample(await scrape(app), 'switchboard_webhook_attempts_total', { event_type: 'call.created', outcome: 'failed' }) === 1, 3000, 'call.created given up');
  const text = await scrape(app);
  assert.equal(sample(text, 'switchboard_webhook_attempts_total', { event_type: 'call.created', outcome: 'retrying' }), 1);
  assert.equal(sample(text, 'switchboard_http_request_duration_seconds_count', { route: 'unmatched', status_code: '404' }), 2);
  assert.ok(!text.includes('/no/such/route'));
});

test('GET /metrics wants METRICS_TOKEN as a bearer token when one is set', async (t) => {
  const token = 'metrics-token-0123456789';
  const app = await buildTestApp(t, webhookConfig('http://127.0.0.1:1/webhook', {}, { METRICS_TOKEN: token }));
  for (const authorization of [undefined, 'Bearer wrong-token-0123456789', `Bearer ${token}x`]) {
    const res = await app.inject({ url: '/metrics', headers: authorization ? { authorization } : {} });
    assert.equal(res.statusCode, 401);
    assert.equal(res.json<{ code: string }>().code, 'unauthorized');
  }
  assert.match(await scrape(app, { authorization: `Bearer ${token}` }), /switchboard_calls_open/);
});
