// Instances that die or lose the bus: a killed service process's sockets are withdrawn by the survivors (heartbeat
// timeout), and a hub whose LISTEN connection drops asks its sockets to reconnect and listens again.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test, type TestContext } from 'node:test';
import { sql } from 'kysely';
import type { Config } from '../../service/config.js';
import { repoRoot } from '../../service/config.js';
import { PostgresLiveBus } from '../../service/live/postgres-live-bus.js';
import { startService, type RunningService } from '../../service/server.js';
import { testDatabaseUrl } from '../support/postgres.js';
import { connectReal, createCall, fastConfig, waitUntil, type CreateBody } from './helper.js';

/** The same service as a separate process (`service/server.ts`), on the config's database and secrets. */
async function serviceProcess(t: TestContext, config: Config): Promise<{ url: string; kill: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'service/server.ts'], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', DATA_DIR: 'memory://', LOG_LEVEL: 'warn',
      DATABASE_URL: config.databaseUrl!, SERVICE_SECRET: config.serviceSecret, ORG_ID: config.org.id,
      ORG_SIGNING_SECRET: config.org.signingSecret, ORG_API_KEY: config.org.apiKey,
      ORG_WEBHOOK_SECRET: config.org.webhookSecret, ORG_WEBHOOK_URL: config.org.webhookUrl,
    },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  t.after(async () => {
    child.kill('SIGKILL');
    await exited;
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the service process did not start: ${output}`)), 20_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.once('exit', (code) => reject(new Error(`the service process exited (${code}): ${output}`)));
  });
  return { url, kill: async () => {
    child.kill('SIGKILL');
    await exited;
  } };
}

async function survivor(t: TestContext): Promise<{ config: Config; b: RunningService; bus: PostgresLiveBus }> {
  // The heartbeat is run by hand below (tick), so the test decides when time has passed.
  const base = fastConfig();
  const config = { ...base, databaseUrl: testDatabaseUrl(), liveBus: { ...base.liveBus, heartbeatIntervalMs: 600_000 } };
  const b = await startService(config);
  t.after(() => b.close());
  assert.ok(b.app.liveBus instanceof PostgresLiveBus);
  return { config, b, bus: b.app.liveBus };
}

test('a killed instance leaves its client socket in presence until the others time it out: then the agent sees it leave, once', async (t) => {
  const { config, b, bus } = await survivor(t);
  const c = await serviceProcess(t, config);
  const { body } = await createCall(b.app, config);
  const callId = body.call.id;
  const join = await b.app.inject({ method: 'POST', url: '/v1/join', payload: { callId, secret: body.joinUrl!.split('#')[1]! } });
  const agent = connectReal(b.url, callId, body.credentials.token);
  await agent.next('hello');
  const client = connectReal(c.url, callId, join.json<CreateBody>().credentials.token);
  assert.deepEqual((await client.next('hello')).peers, { agent: true, client: true }, 'the other process sees the agent on B');
  assert.deepEqual(await agent.next('presence'), { type: 'presence', role: 'client', present: true });

  await c.kill();
  assert.equal((await client.closed).code, 1006, 'killed: no close frame');
  await bus.tick();
  assert.equal(await bus.present(callId, 'client'), true, 'a heartbeat younger than the timeout: still taken for alive');
  assert.equal(agent.messages.filter((m) => m.type === 'presence').length, 1);

  await sql`update live_instances set heartbeat_at = now() - interval '1 hour' where id <> ${bus.instanceId}`.execute(b.app.db);
  await bus.tick();
  assert.deepEqual(await agent.next('presence'), { type: 'presence', role: 'client', present: false });
  await waitUntil(async () => (await b.app.calls.get(callId))?.status === 'client_left', 3000, 'client_left');
  await bus.tick();
  const left = await b.app.db.selectFrom('call_events').select('type').where('call_id', '=', callId).where('type', '=', 'call.client_left').execute();
  assert.equal(left.length, 1, 'recorded once');
  const instances = await b.app.db.selectFrom('live_instances').select('id').execute();
  assert.deepEqual(instances.map((i) => i.id), [bus.instanceId], 'the dead instance is forgotten');
  agent.ws.terminate();
});

test('a hub whose LISTEN connection drops closes its sockets with 1001 (they reconnect) and listens again', async (t) => {
  const { config, b, bus } = await survivor(t);
  const { body } = await createCall(b.app, config);
  const agent = connectReal(b.url, body.call.id, body.credentials.token);
  await agent.next('hello');
  await sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and query = 'LISTEN switchboard_live'`.execute(b.app.db);
  const closed = await agent.closed;
  assert.deepEqual([closed.code, closed.reason], [1001, 'reconnect']);
  await waitUntil(() => bus.connected, 5000, 'listening again');
  assert.equal((await b.app.inject({ url: '/readyz' })).statusCode, 200);
  const back = connectReal(b.url, body.call.id, body.credentials.token);
  assert.equal((await back.next('hello')).role, 'agent');
  back.ws.terminate();
});

test("an instance's own presence row that no socket of it holds (a failed withdrawal) is removed by its next heartbeat", async (t) => {
  const { config, b, bus } = await survivor(t);
  const { body } = await createCall(b.app, config);
  const agent = connectReal(b.url, body.call.id, body.credentials.token);
  await agent.next('hello');
  await b.app.db.insertInto('live_presence')
    .values({ call_id: body.call.id, role: 'client', connection_id: 'ghost', instance_id: bus.instanceId, session_id: 'ghost', connected_at: new Date() })
    .execute();
  assert.equal(await bus.present(body.call.id, 'client'), true);
  await bus.tick();
  assert.equal(await bus.present(body.call.id, 'client'), false, 'the ghost is gone');
  assert.equal(await bus.present(body.call.id, 'agent'), true, 'the live socket is kept');
  agent.ws.terminate();
});
