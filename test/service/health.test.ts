// /healthz (liveness: the process answers) and /readyz (readiness: the store, the live bus and LiveKit answer).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import type { Config } from '../../service/config.js';
import { freePort } from '../support/free-port.js';
import { startLivekitServer } from '../support/livekit-server.js';
import { POSTGRES_ADMIN_URL, testDatabaseUrl } from '../support/postgres.js';
import { buildTestApp, fastConfig } from './helper.js';

interface Readiness { status: string; checks: Record<string, string> }

function livekitConfig(url: string, key: string, secret: string): Config {
  return fastConfig({ LIVEKIT_URL: url, LIVEKIT_API_KEY: key, LIVEKIT_API_SECRET: secret });
}

test('/readyz answers 200 with each check ok; /healthz answers 200', async (t) => {
  const app = await buildTestApp(t);
  const ready = await app.inject({ url: '/readyz' });
  assert.equal(ready.statusCode, 200);
  assert.deepEqual(ready.json<Readiness>(), { status: 'ok', checks: { database: 'ok', liveBus: 'ok' } });
  assert.deepEqual((await app.inject({ url: '/healthz' })).json(), { status: 'ok' });
});

test('LiveKit mode: /readyz checks the LiveKit API, 200 when it answers and 503 when it does not', async (t) => {
  const lk = await startLivekitServer();
  t.after(() => lk.stop());
  const up = await buildTestApp(t, livekitConfig(lk.url, lk.apiKey, lk.apiSecret));
  const ok = await up.inject({ url: '/readyz' });
  assert.equal(ok.statusCode, 200);
  assert.equal(ok.json<Readiness>().checks.livekit, 'ok');

  const down = await buildTestApp(t, livekitConfig(`ws://127.0.0.1:${await freePort()}`, lk.apiKey, lk.apiSecret));
  const started = Date.now();
  const res = await down.inject({ url: '/readyz' });
  assert.equal(res.statusCode, 503);
  assert.deepEqual(res.json<Readiness>(), { status: 'unavailable', checks: { database: 'ok', liveBus: 'ok', livekit: 'unavailable' } });
  assert.ok(Date.now() - started < 3000, 'answers within the check timeout');
  assert.equal((await down.inject({ url: '/healthz' })).statusCode, 200, 'liveness does not depend on LiveKit');
});

test('PostgreSQL gone: /readyz answers 503 naming the database and the live bus, /healthz still 200, and the app still closes', async (t) => {
  const databaseUrl = testDatabaseUrl();
  const app = await buildTestApp(t, { ...fastConfig(), databaseUrl });
  assert.equal((await app.inject({ url: '/readyz' })).statusCode, 200);
  const name = new URL(databaseUrl).pathname.slice(1);
  // Ends every connection of the app (pool and LISTEN) and makes new ones fail, as an outage would.
  const { Kysely, PostgresDialect } = await import('kysely');
  const { Pool } = await import('pg');
  const admin = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: new Pool({ connectionString: POSTGRES_ADMIN_URL, max: 1 }) }) });
  await sql.raw(`drop database ${name} with (force)`).execute(admin);
  await admin.destroy();
  const res = await app.inject({ url: '/readyz' });
  assert.equal(res.statusCode, 503);
  const body = res.json<Readiness>();
  assert.equal(body.status, 'unavailable');
  assert.equal(body.checks.database, 'unavailable');
  assert.equal(body.checks.liveBus, 'unavailable');
  assert.equal((await app.inject({ url: '/healthz' })).statusCode, 200);
});
