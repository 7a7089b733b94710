// Background work of several instances on one PostgreSQL database: the webhook workers (every row sent once, each
// call in order), the sweeps (one at a time, each overdue call ended once) and a shutdown that lets a delivery finish.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../service/config.js';
import type { DeliveryRow } from '../../service/store/schema.js';
import { buildApp } from '../../service/app.js';
import { testDatabaseUrl } from '../support/postgres.js';
import { createCall, startReceiver, waitUntil, type Delivery } from './helper.js';
import { gate, webhookConfig } from './webhook-helper.js';

/** Two apps (instances) on one fresh database with one config (same secrets), and that config. */
async function twoApps(t: TestContext, base: Config): Promise<{ a: FastifyInstance; b: FastifyInstance; config: Config }> {
  const config = { ...base, databaseUrl: testDatabaseUrl() };
  const apps: FastifyInstance[] = [];
  for (let i = 0; i < 2; i++) {
    const app = await buildApp(config);
    t.after(() => app.close());
    await app.ready();
    apps.push(app);
  }
  return { a: apps[0]!, b: apps[1]!, config };
}

/** Counts the rows each instance's worker leased. */
function countLeases(app: FastifyInstance): { rows: number } {
  const counter = { rows: 0 };
  const lease = app.webhookOutbox.leaseHeads.bind(app.webhookOutbox);
  app.webhookOutbox.leaseHeads = async (...args) => {
    const rows: DeliveryRow[] = await lease(...args);
    counter.rows += rows.length;
    return rows;
  };
  return counter;
}

const idOf = (d: Delivery) => String(d.headers['webhook-id']);

test('two webhook workers on one database send every row once (2xx), each call in write order', async (t) => {
  const answered = new Map<string, number>();
  const seen = new Set<string>();
  const receiver = await startReceiver(t, async (d) => {
    await new Promise((r) => setTimeout(r, Math.random() * 20));
    const id = idOf(d);
    // Every row's first attempt fails once in three, so retries race with the other worker too.
    const status = !seen.has(id) && Math.random() < 1 / 3 ? 503 : 204;
    seen.add(id);
    if (status === 204) answered.set(id, (answered.get(id) ?? 0) + 1);
    return status;
  });
  const { a, b, config } = await twoApps(t, webhookConfig(receiver.url, { retryScheduleMs: Array<number>(10).fill(20), pollIntervalMs: 50 }));
  const leases = [countLeases(a), countLeases(b)];
  const callIds: string[] = [];
  for (let i = 0; i < 30; i++) {
    const [creator, other] = i % 2 === 0 ? [a, b] : [b, a];
    const { body } = await createCall(creator, config);
    callIds.push(body.call.id);
    if (i % 3 === 0) await other.calls.join(body.call.id, body.joinUrl!.split('#')[1]!);
    if (i % 5 === 0) await other.calls.end(body.call.id, 'api', 'test');
    a.webhookWorker.kick();
    b.webhookWorker.kick();
  }
  await waitUntil(async () => {
    const pending = await a.db.selectFrom('webhook_deliveries').select('id').where('status', '=', 'pending').execute();
    return pending.length === 0;
  }, 20_000, 'every row sent');

  const rows = await a.db.selectFrom('webhook_deliveries').selectAll().orderBy('seq').execute();
  const delivered = rows.filter((r) => r.status === 'delivered');
  assert.ok(delivered.length >= 60, `${delivered.length} rows delivered`);
  for (const row of delivered) assert.equal(answered.get(row.id), 1, `${row.event_type} ${row.id} answered 2xx exactly once`);
  assert.equal([...answered.values()].reduce((n, c) => n + c, 0), delivered.length, 'nothing else was sent successfully');
  for (const callId of callIds) {
    const stored = delivered.filter((r) => r.call_id === callId).map((r) => r.id);
    const received = receiver.deliveries.filter((d) => d.json.data.callId === callId).map(idOf).filter((id, i, all) => all.indexOf(id) === i);
    assert.deepEqual(received, stored, `call ${callId}: first attempts in write order`);
  }
  assert.ok(leases.every((l) => l.rows > 0), `both workers delivered (${leases.map((l) => l.rows).join(' and ')} leases)`);
});

test('the sweep runs on one instance at a time, and an overdue call is ended once', async (t) => {
  const { a, b, config } = await twoApps(t, webhookConfig('http://127.0.0.1:1/webhook'));
  const held = gate();
  const first = a.jobLock.runExclusive('sweep', () => held.opened);
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(await b.jobLock.runExclusive('sweep', async () => assert.fail('ran while A held the lock')), false);
  assert.equal(await b.jobLock.runExclusive('another job', async () => undefined), true, 'other jobs are not held back');
  held.open();
  assert.equal(await first, true);
  assert.equal(await b.jobLock.runExclusive('sweep', async () => undefined), true, 'free again once A is done');

  const ids: string[] = [];
  for (let i = 0; i < 5; i++) ids.push((await createCall(i % 2 ? a : b, config)).body.call.id);
  await sql`update calls set created_at = now() - interval '1 hour' where id in (${sql.join(ids)})`.execute(a.db);
  const sweeps = [a, b, a, b].map((app) => app.jobLock.runExclusive('sweep', () => app.calls.sweep()));
  assert.ok((await Promise.all(sweeps)).some(Boolean));
  for (const id of ids) {
    const ended = await a.db.selectFrom('call_events').select('data').where('call_id', '=', id).where('type', '=', 'call.ended').execute();
    assert.equal(ended.length, 1, 'one call.ended');
    assert.equal((ended[0]!.data as { reason: string }).reason, 'no_answer');
  }
});

test('closing an instance lets its delivery in flight finish: recorded once as delivered, the rest sent by the other', async (t) => {
  const held = gate();
  const receiver = await startReceiver(t, async (_d, n) => {
    if (n === 1) await held.opened;
    return 204;
  });
  // A lease outlives the 5 s timeout: B cannot take call.created while A is sending it.
  const { a, b, config } = await twoApps(t, webhookConfig(receiver.url, { timeoutMs: 5_000, pollIntervalMs: 50 }));
  const { body } = await createCall(a, config);
  await waitUntil(() => receiver.deliveries.length === 1, 3000, 'call.created in flight');
  const closing = a.close();
  await new Promise((r) => setTimeout(r, 200));
  held.open();
  await closing;
  const created = await b.db.selectFrom('webhook_deliveries').selectAll().where('call_id', '=', body.call.id).where('event_type', '=', 'call.created').executeTakeFirstOrThrow();
  assert.equal(created.status, 'delivered', 'the answer that came during shutdown was recorded');
  assert.equal(created.attempts, 1);
  await waitUntil(() => receiver.deliveries.length >= 2, 3000, 'the invite, sent by B');
  assert.deepEqual(receiver.deliveries.map((d) => d.json.type), ['call.created', 'call.invite']);
});
