/**
 * "Copy diagnostics" for real, two browsers: the client's browser reports its half when it joins;
 * the agent's copy (read back from its clipboard) holds both halves, every id, the timeline and
 * the join link without its secret, and no credentials.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { agentStartsCall, clientJoins, nextJoinCredentials, twoParticipants } from '../support/call-flow.js';

const STEP_TIMEOUT_MS = 20_000;

test('the agent\'s Copy diagnostics holds both sides, the ids and the timeline, and no secret', async (t) => {
  const { stack, agent, client, agentContext } = await twoParticipants(t, STEP_TIMEOUT_MS, 'direct');
  await agentContext.grantPermissions(['clipboard-read', 'clipboard-write']);
  const joinUrl = await agentStartsCall(agent, stack.demoUrl);
  const secret = new URL(joinUrl).hash.slice(1);
  const clientCredentials = nextJoinCredentials(client);
  const reported = client.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/diagnostics'));
  await clientJoins(client, agent, joinUrl);
  const { token: clientToken } = await clientCredentials;
  assert.equal((await reported).status(), 202, 'the client reported its half on joining');

  await agent.locator('call-room').getByRole('button', { name: 'Copy diagnostics' }).click();
  await agent.locator('call-room [part~="diagnostics-feedback"]').getByText('Diagnostics copied').waitFor();
  const text = await agent.evaluate(() => navigator.clipboard.readText());
  const callId = new URL(joinUrl).pathname.split('/').pop()!;
  for (const expected of ['## Agent side', '## Client side', 'Alice Martin', 'Bob Lambert', 'client-bob', 'conv-bob', callId, `/join/${callId}`, 'call.client_joined', 'Chrome']) {
    assert.ok(text.includes(expected), `the report has ${expected}`);
  }
  const json = JSON.parse(text.slice(text.indexOf('## JSON\n') + 8)) as { halves: { agent: { call: { status: string } } | null; client: { call: { status: string }; browser: string } | null } };
  assert.ok(json.halves.client, 'the client\'s half is merged in');
  assert.match(json.halves.client.browser, /^Chrom/);
  assert.ok(json.halves.agent, 'the agent\'s own half');
  assert.ok(!text.includes(secret), 'no join secret');
  assert.ok(!text.includes(clientToken), 'no client credentials');
});
