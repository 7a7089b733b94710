import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError, loadConfig, sdkDir } from '../../service/config.js';

const MEMORY = { DATA_DIR: 'memory://' };

test('defaults follow the contract', () => {
  const config = loadConfig(MEMORY);
  assert.equal(config.port, 3000);
  assert.equal(config.host, '127.0.0.1');
  assert.equal(config.publicUrl, 'http://127.0.0.1:3000');
  assert.equal(config.org.id, 'demo');
  assert.equal(config.org.name, 'Demo Helpdesk');
  assert.equal(config.org.webhookUrl, 'http://127.0.0.1:3001/switchboard/webhook');
  assert.match(config.org.webhookSecret, /^whsec_/);
  assert.equal(config.linkTtlSeconds, 86400);
  assert.equal(config.ringTimeoutSeconds, 600);
  assert.equal(config.demo.port, 3001);
  assert.equal(config.logLevel, 'info');
  assert.equal(config.databaseUrl, null);
  assert.deepEqual(config.media, { mode: 'direct', iceServers: [] });
  assert.equal(config.sdkDir, sdkDir);
  // Standard Webhooks guidance: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (8 attempts over about 28 h).
  assert.deepEqual(config.webhooks.retryScheduleMs, [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000]);
  assert.equal(config.webhooks.timeoutMs, 5000);
});

test('PUBLIC_URL follows PORT and DEMO_PORT moves the default webhook URL', () => {
  const config = loadConfig({ ...MEMORY, PORT: '4000', DEMO_PORT: '4001' });
  assert.equal(config.publicUrl, 'http://127.0.0.1:4000');
  assert.equal(config.org.webhookUrl, 'http://127.0.0.1:4001/switchboard/webhook');
  assert.equal(loadConfig({ ...MEMORY, PUBLIC_URL: 'https://calls.example.com/' }).publicUrl, 'https://calls.example.com');
});

test('WEBHOOK_RETRY_SCHEDULE takes comma-separated durations', () => {
  assert.deepEqual(loadConfig({ ...MEMORY, WEBHOOK_RETRY_SCHEDULE: '250ms, 10s,2m,1h,1d' }).webhooks.retryScheduleMs, [250, 10_000, 120_000, 3_600_000, 86_400_000]);
});

test('ICE_SERVERS takes a JSON array of RTCIceServer', () => {
  const ice = [{ urls: 'stun:stun.example.com' }, { urls: ['turn:turn.example.com'], username: 'u', credential: 'p' }];
  assert.deepEqual(loadConfig({ ...MEMORY, ICE_SERVERS: JSON.stringify(ice) }).media, { mode: 'direct', iceServers: ice });
});

test('in memory, generated secrets differ on every load', () => {
  assert.notEqual(loadConfig(MEMORY).serviceSecret, loadConfig(MEMORY).serviceSecret);
});

test('on disk, generated secrets are written once (0600) and reused', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-config-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const a = loadConfig({ DATA_DIR: dir });
  const b = loadConfig({ DATA_DIR: dir });
  assert.equal(a.org.apiKey, b.org.apiKey);
  assert.equal(a.serviceSecret, b.serviceSecret);
  assert.equal(statSync(join(dir, 'secrets.json')).mode & 0o777, 0o600);
  assert.ok(readFileSync(join(dir, 'secrets.json'), 'utf8').includes(a.org.signingSecret));
  assert.equal(loadConfig({ DATA_DIR: dir, ORG_API_KEY: 'an-explicit-api-key-value' }).org.apiKey, 'an-explicit-api-key-value');
});

const LIVEKIT_SECRET = 'a'.repeat(32);

const bad: [string, Record<string, string>][] = [
  ['PORT', { PORT: 'eighty' }],
  ['PORT', { PORT: '70000' }],
  ['DEMO_PORT', { DEMO_PORT: '-1' }],
  ['PUBLIC_URL', { PUBLIC_URL: 'not a url' }],
  ['PUBLIC_URL', { PUBLIC_URL: 'ftp://x' }],
  ['DATABASE_URL', { DATABASE_URL: 'mysql://x' }],
  ['ICE_SERVERS', { ICE_SERVERS: '{' }],
  ['ICE_SERVERS', { ICE_SERVERS: '{"urls":"stun:x"}' }],
  ['ICE_SERVERS', { ICE_SERVERS: '[{"username":"x"}]' }],
  ['LIVEKIT_API_SECRET', { LIVEKIT_URL: 'wss://lk', LIVEKIT_API_KEY: 'k' }],
  ['LIVEKIT_URL', { LIVEKIT_API_KEY: 'k', LIVEKIT_API_SECRET: LIVEKIT_SECRET }],
  ['LIVEKIT_API_KEY', { LIVEKIT_URL: 'wss://lk' }],
  ['LIVEKIT_API_SECRET', { LIVEKIT_URL: 'wss://lk', LIVEKIT_API_KEY: 'k', LIVEKIT_API_SECRET: 'too-short' }],
  ['LIVEKIT_URL', { LIVEKIT_URL: 'not a url', LIVEKIT_API_KEY: 'k', LIVEKIT_API_SECRET: LIVEKIT_SECRET }],
  ['LIVEKIT_URL', { LIVEKIT_URL: 'ftp://lk', LIVEKIT_API_KEY: 'k', LIVEKIT_API_SECRET: LIVEKIT_SECRET }],
  ['ORG_ID', { ORG_ID: 'has space' }],
  ['ORG_SIGNING_SECRET', { ORG_SIGNING_SECRET: 'short' }],
  ['ORG_API_KEY', { ORG_API_KEY: 'short' }],
  ['ORG_WEBHOOK_URL', { ORG_WEBHOOK_URL: 'nope' }],
  ['ORG_WEBHOOK_SECRET', { ORG_WEBHOOK_SECRET: 'whsec_!!!' }],
  ['SERVICE_SECRET', { SERVICE_SECRET: 'short' }],
  ['LINK_TTL_SECONDS', { LINK_TTL_SECONDS: '1.5' }],
  ['LINK_TTL_SECONDS', { LINK_TTL_SECONDS: '0' }],
  ['RING_TIMEOUT_SECONDS', { RING_TIMEOUT_SECONDS: 'ten' }],
  ['LOG_LEVEL', { LOG_LEVEL: 'loud' }],
  ['WEBHOOK_RETRY_SCHEDULE', { WEBHOOK_RETRY_SCHEDULE: '5s,soon' }],
  ['WEBHOOK_RETRY_SCHEDULE', { WEBHOOK_RETRY_SCHEDULE: '5s,,5m' }],
  ['WEBHOOK_RETRY_SCHEDULE', { WEBHOOK_RETRY_SCHEDULE: '0s' }],
  ['WEBHOOK_RETRY_SCHEDULE', { WEBHOOK_RETRY_SCHEDULE: '30d' }],
];
for (const [variable, env] of bad) {
  test(`a bad ${variable} (${JSON.stringify(env)}) throws ConfigError naming it`, () => {
    assert.throws(() => loadConfig({ ...MEMORY, ...env }), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.equal(err.variable, variable);
      assert.ok(err.message.startsWith(`${variable}:`));
      return true;
    });
  });
}

test('LiveKit needs all three variables and the message names every missing one', () => {
  assert.throws(() => loadConfig({ ...MEMORY, LIVEKIT_URL: 'wss://lk' }), /missing LIVEKIT_API_KEY, LIVEKIT_API_SECRET/);
});

test('all three LIVEKIT_* variables select LiveKit mode; http(s) URLs become ws(s) for browsers', () => {
  const config = loadConfig({ ...MEMORY, LIVEKIT_URL: 'wss://lk.example.com/', LIVEKIT_API_KEY: 'key', LIVEKIT_API_SECRET: LIVEKIT_SECRET });
  assert.equal(config.media.mode, 'livekit');
  assert.ok(config.media.mode === 'livekit');
  assert.equal(config.media.url, 'wss://lk.example.com');
  assert.equal(config.media.apiKey, 'key');
  assert.equal(config.media.apiSecret, LIVEKIT_SECRET);
  assert.ok(config.media.tokenTtlSeconds > 0 && config.media.tokenTtlSeconds <= 3600, 'an explicit short token TTL');
  const http = loadConfig({ ...MEMORY, LIVEKIT_URL: 'http://127.0.0.1:7880', LIVEKIT_API_KEY: 'key', LIVEKIT_API_SECRET: LIVEKIT_SECRET });
  assert.equal(http.media.mode === 'livekit' && http.media.url, 'ws://127.0.0.1:7880');
});
