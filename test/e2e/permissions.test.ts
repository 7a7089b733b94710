/**
 * The most frequent support case: the client denies the camera and microphone. The call
 * still connects (the client sees and hears the agent), the client is told how to fix it,
 * and the agent sees — in the call and in the conversation — why there is no sound.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startStack } from '../support/stack.js';
import { inboundBytes, launchChromium, mediaContext } from '../support/browser.js';
import { agentStartsCall } from '../support/call-flow.js';

const STEP_TIMEOUT_MS = 20_000;

test('a client who denies camera and microphone is told how to fix it, and the agent sees why', async (t) => {
  const stack = await startStack();
  t.after(() => stack.stop());
  // Without the fake UI, a context that was granted nothing gets NotAllowedError.
  const browser = await launchChromium({ fakeUi: false });
  t.after(() => browser.close());
  const agentContext = await mediaContext(browser);
  const clientContext = await mediaContext(browser, []);
  const agent = await agentContext.newPage();
  const client = await clientContext.newPage();
  agent.setDefaultTimeout(STEP_TIMEOUT_MS);
  client.setDefaultTimeout(STEP_TIMEOUT_MS);

  const joinUrl = await agentStartsCall(agent, stack.demoUrl);
  await client.goto(joinUrl);

  await client.locator('call-room [part~="error"]').filter({ hasText: /Camera and microphone access is blocked.*address bar/ }).waitFor();
  await client.locator('call-room[status="connected"]').waitFor();
  await agent.locator('call-room[status="connected"]').waitFor();
  await agent.locator('call-room [part~="remote-blocked"]').filter({ hasText: /Bob Lambert has blocked microphone access/ }).waitFor();
  await agent.locator('#messages').getByText("The client's microphone could not start: access was denied in the browser.").waitFor();

  // Receive-only still works: the client sees and hears the agent.
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  let bytes = await inboundBytes(client);
  while ((bytes.audio === 0 || bytes.video === 0) && Date.now() < deadline) {
    await client.waitForTimeout(250);
    bytes = await inboundBytes(client);
  }
  assert.ok(bytes.audio > 0 && bytes.video > 0, `the client receives the agent's media (${JSON.stringify(bytes)})`);
});
