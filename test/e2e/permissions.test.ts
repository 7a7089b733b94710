/**
 * The most frequent support case, in each media mode: the client denies the camera and
 * microphone. The call still connects (the client sees and hears the agent), the client is
 * told how to fix it, and the agent sees — in the call and in the conversation — why there is
 * no sound.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inboundBytes } from '../support/browser.js';
import { agentStartsCall, pressJoin, twoParticipants } from '../support/call-flow.js';
import { forEachMode } from '../support/modes.js';

const STEP_TIMEOUT_MS = 20_000;

forEachMode((mode) => {
  test(`a client who denies camera and microphone is told how to fix it, and the agent sees why [${mode}]`, async (t) => {
    // Without the fake UI, a context that was granted nothing gets NotAllowedError.
    const { stack, agent, client } = await twoParticipants(t, STEP_TIMEOUT_MS, mode, { browser: { fakeUi: false }, clientPermissions: [] });

    const joinUrl = await agentStartsCall(agent, stack.demoUrl);
    await client.goto(joinUrl);
    // Told on the pre-join already, and the agent sees it before the client is in.
    await client.locator('call-room [part~="prejoin-error"]').filter({ hasText: /Microphone access is blocked/ }).waitFor();
    await agent.locator('call-room [part~="remote-blocked"]').filter({ hasText: /Bob Lambert has blocked microphone access/ }).waitFor();
    assert.equal(await agent.locator('call-room').getAttribute('status'), 'waiting', 'the client is not in the call yet');
    await pressJoin(client);

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
});
