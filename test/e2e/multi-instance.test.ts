/**
 * Two service instances on one PostgreSQL behind a load balancer, with real browsers (direct
 * mode): the agent's live socket lands on instance A, the client's on B, and they are in a call;
 * then A is stopped with SIGTERM (a rolling restart): the agent's socket is told to reconnect,
 * comes back through the load balancer to B, and media flows again.
 */
import assert from 'node:assert/strict';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import pg from 'pg';
import { expectMediaFlowing } from '../support/browser.js';
import { agentStartsCall, callIdOf, clientJoins } from '../support/call-flow.js';
import { launchChromium, mediaContext } from '../support/browser.js';
import { freePorts } from '../support/free-port.js';
import { lifo } from '../support/modes.js';
import { testDatabaseUrl } from '../support/postgres.js';
import { startStack } from '../support/stack.js';

const STEP_TIMEOUT_MS = 20_000;

/** A TCP load balancer on 127.0.0.1: each new connection goes to the current target port. */
async function loadBalancer(): Promise<{ port: number; target: number; server: Server; sockets: Set<Socket> }> {
  const state = { port: 0, target: 0, server: createServer(), sockets: new Set<Socket>() };
  state.server.on('connection', (inbound) => {
    const outbound = connect(state.target, '127.0.0.1');
    for (const s of [inbound, outbound]) {
      state.sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => state.sockets.delete(s));
    }
    inbound.pipe(outbound).pipe(inbound);
    inbound.on('close', () => outbound.destroy());
    outbound.on('close', () => inbound.destroy());
  });
  await new Promise<void>((resolve) => state.server.listen(0, '127.0.0.1', resolve));
  state.port = (state.server.address() as { port: number }).port;
  return state;
}

/** The instance holding each role's live socket of a call, from the presence table. */
async function whereConnected(db: pg.Pool, callId: string): Promise<Record<string, string>> {
  const { rows } = await db.query<{ role: string; instance_id: string }>('select role, instance_id from live_presence where call_id = $1', [callId]);
  return Object.fromEntries(rows.map((r) => [r.role, r.instance_id]));
}

async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('agent via instance A, client via instance B: in a call; A stops (SIGTERM), the agent reconnects to B and media flows again', async (test) => {
  const t = lifo(test);
  const lb = await loadBalancer();
  t.after(() => {
    for (const s of lb.sockets) s.destroy();
    return new Promise<void>((resolve) => lb.server.close(() => resolve()));
  });
  const [portA, portB, demoPortA] = (await freePorts(3)) as [number, number, number];
  const secret = (prefix = '') => prefix + randomBytes(24).toString('base64url');
  // One database, one set of secrets and one public address (the load balancer) for both instances.
  const env = {
    DATABASE_URL: testDatabaseUrl(),
    PUBLIC_URL: `http://127.0.0.1:${lb.port}`,
    SERVICE_SECRET: secret(), ORG_SIGNING_SECRET: secret(), ORG_API_KEY: secret('sk_'),
    ORG_WEBHOOK_SECRET: `whsec_${randomBytes(24).toString('base64')}`,
    ORG_WEBHOOK_URL: `http://127.0.0.1:${demoPortA}/switchboard/webhook`,
  };
  const db = new pg.Pool({ connectionString: env.DATABASE_URL, max: 1 });
  t.after(() => db.end());
  const a = await startStack({ env, port: portA, demoPort: demoPortA });
  t.after(() => a.stop());
  const b = await startStack({ env, port: portB });
  t.after(() => b.stop());

  const browser = await launchChromium();
  t.after(() => browser.close());
  const agent = await (await mediaContext(browser)).newPage();
  const client = await (await mediaContext(browser)).newPage();
  agent.setDefaultTimeout(STEP_TIMEOUT_MS);
  client.setDefaultTimeout(STEP_TIMEOUT_MS);

  lb.target = portA;
  const joinUrl = await agentStartsCall(agent, a.demoUrl);
  assert.ok(joinUrl.startsWith(env.PUBLIC_URL), joinUrl);
  lb.target = portB;
  await clientJoins(client, agent, joinUrl);
  await expectMediaFlowing(agent, 'agent', STEP_TIMEOUT_MS);
  await expectMediaFlowing(client, 'client', STEP_TIMEOUT_MS);
  const callId = callIdOf(joinUrl);
  const before = await whereConnected(db, callId);
  assert.ok(before.agent && before.client && before.agent !== before.client, `agent and client on different instances: ${JSON.stringify(before)}`);

  const stopped = performance.now();
  const stopping = a.stop();
  await until('the agent back on B', async () => (await whereConnected(db, callId)).agent === before.client);
  test.diagnostic(`agent's live socket back on B ${Math.round(performance.now() - stopped)} ms after SIGTERM to A`);
  await stopping;
  test.diagnostic(`A's processes exited ${Math.round(performance.now() - stopped)} ms after SIGTERM`);
  await agent.locator('call-room[status="connected"]').waitFor();
  await client.locator('call-room[status="connected"]').waitFor();
  await expectMediaFlowing(agent, 'agent after A stopped', STEP_TIMEOUT_MS);
  await expectMediaFlowing(client, 'client after A stopped', STEP_TIMEOUT_MS);
  test.diagnostic(`media flowing again ${Math.round(performance.now() - stopped)} ms after A began stopping (includes 1.5 s of measuring)`);
  assert.equal(await agent.locator('call-room').getAttribute('status'), 'connected');
});
