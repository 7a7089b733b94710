/**
 * "Copy diagnostics" for real, two browsers, in each media mode: the client's browser reports its
 * half when it joins; the agent's copy (read back from its clipboard) holds both halves, every id,
 * the timeline and the join link without its secret, no credentials, and the agent's round-trip
 * time and packet loss as numbers (LiveKit mode: from the room's peer connections).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { agentStartsCall, clientJoins, nextJoinCredentials, twoParticipants } from '../support/call-flow.js';
import { forEachMode } from '../support/modes.js';

const STEP_TIMEOUT_MS = 20_000;

interface CopiedHalf {
  call: { status: string };
  browser: string;
  connection: { mediaMode: string; rttMs: number | null; packetLossPercent: number | null };
}

/** Presses Copy diagnostics and reads the clipboard back: the text and its JSON part. */
async function copyDiagnostics(agent: Page): Promise<{ text: string; json: { halves: { agent: CopiedHalf | null; client: CopiedHalf | null } } }> {
  await agent.evaluate(() => navigator.clipboard.writeText(''));
  await agent.locator('call-room').getByRole('button', { name: 'Copy diagnostics' }).click();
  await agent.locator('call-room [part~="diagnostics-feedback"]').getByText('Diagnostics copied').waitFor();
  const text = await agent.evaluate(() => navigator.clipboard.readText());
  return { text, json: JSON.parse(text.slice(text.indexOf('## JSON\n') + 8)) as { halves: { agent: CopiedHalf | null; client: CopiedHalf | null } } };
}

forEachMode((mode) => void test(`the agent's Copy diagnostics holds both sides, the ids, the timeline and connection figures, and no secret [${mode}]`, async (t) => {
  const { stack, agent, client, agentContext } = await twoParticipants(t, STEP_TIMEOUT_MS, mode);
  await agentContext.grantPermissions(['clipboard-read', 'clipboard-write']);
  const joinUrl = await agentStartsCall(agent, stack.demoUrl);
  const secret = new URL(joinUrl).hash.slice(1);
  const clientCredentials = nextJoinCredentials(client);
  const reported = client.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/diagnostics'));
  await clientJoins(client, agent, joinUrl);
  const { token: clientToken } = await clientCredentials;
  assert.equal((await reported).status(), 202, 'the client reported its half on joining');

  let { text, json } = await copyDiagnostics(agent);
  // The first round-trip time and inbound packets arrive within moments of connecting: copy again until they have.
  const until = Date.now() + STEP_TIMEOUT_MS;
  while ((json.halves.agent?.connection.rttMs === null || json.halves.agent?.connection.packetLossPercent === null) && Date.now() < until) {
    await agent.waitForTimeout(250);
    ({ text, json } = await copyDiagnostics(agent));
  }
  const callId = new URL(joinUrl).pathname.split('/').pop()!;
  for (const expected of ['## Agent side', '## Client side', 'Alice Martin', 'Bob Lambert', 'client-bob', 'conv-bob', callId, `/join/${callId}`, 'call.client_joined', 'Chrome']) {
    assert.ok(text.includes(expected), `the report has ${expected}`);
  }
  assert.ok(json.halves.client, 'the client\'s half is merged in');
  assert.match(json.halves.client.browser, /^Chrom/);
  assert.ok(json.halves.agent, 'the agent\'s own half');
  assert.equal(json.halves.agent.connection.mediaMode, mode);
  assert.equal(typeof json.halves.agent.connection.rttMs, 'number', 'a round-trip time');
  assert.equal(typeof json.halves.agent.connection.packetLossPercent, 'number', 'a packet loss figure');
  assert.match(text, /## Agent side[\s\S]*RTT \d+(\.\d+)? ms · packet loss \d+(\.\d+)? %/);
  assert.ok(!text.includes(secret), 'no join secret');
  assert.ok(!text.includes(clientToken), 'no client credentials');
}));
