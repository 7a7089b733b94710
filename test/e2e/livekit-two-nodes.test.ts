/**
 * LiveKit with two nodes sharing the machine's Redis (distributed mode): the service hands out
 * node A's URL; the client's browser is sent to node B instead (its WebSockets for A's origin
 * are rewritten, as a load balancer would spread clients). Each participant's signalling ends
 * on a different node, the call connects and media flows both ways.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { expectMediaFlowing, launchChromium, mediaContext, redirectWebSockets } from '../support/browser.js';
import { agentStartsCall, callIdOf, clientJoins } from '../support/call-flow.js';
import { freePort } from '../support/free-port.js';
import { startLivekitServer } from '../support/livekit-server.js';
import { joinPageAllows, lifo, livekitWebhookUrl } from '../support/modes.js';
import { ensureRedis, LIVEKIT_TEST_REDIS_DB, REDIS_ADDRESS } from '../support/redis.js';
import { startStack } from '../support/stack.js';

const STEP_TIMEOUT_MS = 20_000;

/**
 * Node A's region is nearest for node A's room placement, so the room the service creates
 * through A lives on A (a room lives on one node) and the client on B is the relayed one.
 */
function regionYaml(region: 'a' | 'b'): string {
  return [
    `region: ${region}`,
    'node_selector:',
    '  kind: regionaware',
    '  regions:',
    '    - {name: a, lat: 48.8, lon: 2.3}',
    '    - {name: b, lat: 40.7, lon: -74.0}',
  ].join('\n');
}

/** The LiveKit signalling URLs (`…/rtc…`) the page opened, as recorded by redirectWebSockets. */
function signallingUrls(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __wsUrls: string[] }).__wsUrls.filter((u) => new URL(u).pathname.startsWith('/rtc')));
}

test('two LiveKit nodes sharing Redis: the agent connects through one, the client through the other, and media flows both ways', async (t) => {
  const noRedis = await ensureRedis();
  if (noRedis) return t.skip(noRedis);
  const cleanup = lifo(t);
  const port = await freePort();
  const shared = {
    apiKey: 'switchboard-e2e',
    apiSecret: randomBytes(32).toString('base64url'),
    redisAddress: REDIS_ADDRESS,
    redisDb: LIVEKIT_TEST_REDIS_DB,
    webhookUrl: livekitWebhookUrl(port),
  };
  const nodeA = await startLivekitServer({ ...shared, extraYaml: regionYaml('a') });
  cleanup.after(() => nodeA.stop());
  // Debug logs on B name every participant whose signalling B terminates ("join request validated").
  const nodeB = await startLivekitServer({ ...shared, extraYaml: regionYaml('b'), logLevel: 'debug' });
  cleanup.after(() => nodeB.stop());
  const stack = await startStack({ port, env: { LIVEKIT_URL: nodeA.url, LIVEKIT_API_KEY: shared.apiKey, LIVEKIT_API_SECRET: shared.apiSecret } });
  cleanup.after(() => stack.stop());

  const browser = await launchChromium();
  cleanup.after(() => browser.close());
  const agentContext = await mediaContext(browser);
  // Only records the agent's WebSocket URLs (nothing of it goes to none.invalid).
  await agentContext.addInitScript(redirectWebSockets('ws://none.invalid/', 'ws://none.invalid/'));
  // The join page's CSP does not allow the LiveKit server yet (see call.test.ts): ignore it until it does.
  const bypassCSP = !(await joinPageAllows(stack.serviceUrl, [nodeA.url, nodeA.httpUrl, nodeB.url, nodeB.httpUrl]));
  const clientContext = await mediaContext(browser, undefined, { bypassCSP });
  await clientContext.addInitScript(redirectWebSockets(`${nodeA.url}/`, `${nodeB.url}/`));
  const agent = await agentContext.newPage();
  const client = await clientContext.newPage();
  agent.setDefaultTimeout(STEP_TIMEOUT_MS);
  client.setDefaultTimeout(STEP_TIMEOUT_MS);

  const joinUrl = await agentStartsCall(agent, stack.demoUrl);
  await clientJoins(client, agent, joinUrl);

  await t.test('each participant signals through its own node', async () => {
    const [agentUrls, clientUrls] = [await signallingUrls(agent), await signallingUrls(client)];
    assert.ok(agentUrls.length > 0 && agentUrls.every((u) => u.startsWith(`${nodeA.url}/`)), `agent → node A (${agentUrls.join(', ')})`);
    assert.ok(clientUrls.length > 0 && clientUrls.every((u) => u.startsWith(`${nodeB.url}/`)), `client → node B (${clientUrls.join(', ')})`);
    const callId = callIdOf(joinUrl);
    const lines = (logs: string, text: string, role: string) => logs.split('\n').filter((l) => l.includes(text) && l.includes(callId) && l.includes(`"${role}:`));
    const [logsA, logsB] = [nodeA.logs(), nodeB.logs()];
    assert.equal(lines(logsB, 'join request validated', 'client').length, 1, `node B took the client's join\n${logsB}`);
    assert.equal(lines(logsB, 'join request validated', 'agent').length, 0, 'node B never saw the agent join');
    // The media of both runs on the room's node, A; the client's signalling is relayed to it from B.
    assert.ok(lines(logsA, 'starting RTC session', 'agent').length > 0 && lines(logsA, 'starting RTC session', 'client').length > 0, `both sessions run on A\n${logsA}`);
    assert.equal(lines(logsB, 'starting RTC session', 'client').length, 0, 'no session of the room runs on B');
  });

  await t.test('audio and video flow both ways', async () => {
    await expectMediaFlowing(client, 'client', STEP_TIMEOUT_MS);
    await expectMediaFlowing(agent, 'agent', STEP_TIMEOUT_MS);
  });

  await t.test('END CALL ends the call on both nodes', async () => {
    await agent.locator('call-room').getByRole('button', { name: /end call/i }).click();
    await client.locator('call-room[status="ended"]').waitFor();
  });
});
