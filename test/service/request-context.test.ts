import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildApp } from '../../service/app.js';
import { connectLive, createAndJoin, fastConfig, logCapture, waitUntil } from './helper.js';

test('every log line of a request carries its request id (a safe incoming X-Request-Id, echoed) and, on call routes, the call id', async (t) => {
  const log = logCapture();
  const config = fastConfig({ LOG_LEVEL: 'info' });
  const app = await buildApp(config, { logStream: log.stream });
  t.after(() => app.close());
  await app.ready();
  const { callId, clientToken } = await createAndJoin(app, config);

  const traced = await app.inject({ url: `/v1/calls/${callId}`, headers: { authorization: `Bearer ${clientToken}`, 'x-request-id': 'trace-4f2a.9' } });
  assert.equal(traced.statusCode, 200);
  assert.equal(traced.headers['x-request-id'], 'trace-4f2a.9');
  const unsafe = await app.inject({ url: '/healthz', headers: { 'x-request-id': 'x"}\n{"level":60' } });
  assert.match(String(unsafe.headers['x-request-id']), /^[0-9a-f-]{36}$/, 'an unsafe id is replaced by a fresh one');
  const failed = await app.inject({ url: '/v1/calls/nope', headers: { 'x-request-id': 'trace-err' } });
  assert.equal(failed.headers['x-request-id'], 'trace-err', 'errors carry it too');

  const ofTrace = log.lines.filter((l) => l.reqId === 'trace-4f2a.9');
  assert.ok(ofTrace.length >= 2, 'incoming and completed lines');
  const completed = ofTrace.find((l) => l.msg === 'request completed');
  assert.equal(completed?.callId, callId);
  const joinId = log.lines.find((l) => (l.req as { url?: string } | undefined)?.url === '/v1/join')?.reqId;
  const joined = log.lines.find((l) => l.reqId === joinId && l.msg === 'request completed');
  assert.equal(joined?.callId, callId, 'POST /v1/join binds the call id of its body');
  const unknownCall = log.lines.find((l) => l.reqId === 'trace-err' && l.msg === 'request completed');
  assert.equal(unknownCall?.callId, 'nope');
  for (const line of log.lines.filter((l) => l.req !== undefined || l.res !== undefined)) assert.equal(typeof line.reqId, 'string');
});

test('tokens, secrets and cookies never reach the logs', async (t) => {
  const log = logCapture();
  const config = fastConfig({ LOG_LEVEL: 'trace' });
  const app = await buildApp(config, { logStream: log.stream });
  t.after(() => app.close());
  await app.ready();
  const { callId, secret, agentToken, clientToken, created } = await createAndJoin(app, config);
  await app.inject({ url: `/v1/calls/${callId}`, headers: { authorization: `Bearer ${config.org.apiKey}`, cookie: 'session=cookie-value-7731' } });
  await app.inject({ method: 'POST', url: '/v1/join', payload: { callId, secret: `${secret}-wrong` } });
  const live = await connectLive(app, callId, clientToken);
  await live.next('hello');
  live.ws.close();
  await live.closed;
  // What code might log by mistake: a body, credentials, headers, config pieces.
  app.log.info({ body: { callId, secret }, credentials: { token: agentToken }, headers: { authorization: `Bearer ${agentToken}`, cookie: 'session=cookie-value-7731' } }, 'probe');
  app.log.info({ req: { headers: { authorization: `Bearer ${clientToken}`, 'sec-websocket-protocol': `switchboard.v1, ${clientToken}` } }, secret, token: clientToken }, 'probe 2');
  app.log.info({ org: { apiKey: config.org.apiKey, webhookSecret: config.org.webhookSecret, signingSecret: config.org.signingSecret } }, 'probe 3');
  // The worker's failures (the receiver's port is closed) are logged with the call id.
  await waitUntil(() => log.lines.some((l) => l.callId === callId && String(l.msg).startsWith('webhook call.created')), 3000, 'the worker\'s warning');

  const text = log.text();
  for (const [what, value] of Object.entries({
    'the join secret': secret, 'the agent token': agentToken, 'client credentials': clientToken, 'agent credentials': created.body.credentials.token,
    'the API key': config.org.apiKey, 'the webhook secret': config.org.webhookSecret, 'the signing secret': config.org.signingSecret, 'a cookie': 'cookie-value-7731',
  })) {
    assert.ok(!text.includes(value), `${what} is not in the logs`);
  }
  const probe = log.lines.find((l) => l.msg === 'probe') as { body: Record<string, unknown>; headers: Record<string, unknown> };
  assert.equal(probe.body.secret, '[Redacted]');
  assert.equal(probe.body.callId, callId, 'what is not secret stays readable');
  assert.equal(probe.headers.authorization, '[Redacted]');
});
