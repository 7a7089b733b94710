/**
 * The client's pre-join screen across the call, in each media mode: the agent sees the client
 * open the link and check their devices while the phone keeps ringing (being on the pre-join is
 * not being in the call); the client joins with the camera off and the agent sees their avatar
 * and hears them, with no video.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inboundBytes } from '../support/browser.js';
import { agentStartsCall, pressJoin, twoParticipants } from '../support/call-flow.js';
import { forEachMode } from '../support/modes.js';

const STEP_TIMEOUT_MS = 20_000;

forEachMode((mode) => {
  test(`the agent sees the client on the pre-join; the client joins with the camera off [${mode}]`, async (t) => {
    const { stack, agent, client } = await twoParticipants(t, STEP_TIMEOUT_MS, mode);
    const joinUrl = await agentStartsCall(agent, stack.demoUrl);

    await t.test('on the pre-join: the client sees their preview and the agent\'s name; the agent sees them there, still ringing', async () => {
      await client.goto(joinUrl);
      await client.locator('call-room video[part~="prejoin-preview"]').waitFor();
      await client.locator('call-room [part="status"]').filter({ hasText: 'Alice Martin is waiting for you' }).waitFor();
      await agent.locator('call-room [part="status"]').filter({ hasText: 'The client is checking their camera and microphone' }).waitFor();
      const room = agent.locator('call-room');
      assert.equal(await room.getAttribute('status'), 'waiting', 'the client is not in the call');
      assert.equal(await room.getAttribute('ringing'), '', 'the ringtone keeps ringing');
      assert.equal(await agent.getByText('The client joined the call.').count(), 0, 'no client_joined in the conversation');
    });

    await t.test('"Join with camera off": the agent sees the avatar, not a video, and hears the client', async () => {
      await client.locator('call-room').getByRole('checkbox', { name: 'Join with camera off' }).check();
      await client.locator('call-room [part~="prejoin-preview-off"]').waitFor();
      await pressJoin(client);
      await client.locator('call-room[status="connected"]').waitFor();
      await agent.locator('call-room[status="connected"]').waitFor();
      await agent.locator('call-room [part~="placeholder"]').waitFor();
      await agent.locator('call-room [part~="camera-off"]').waitFor();
      assert.equal(await agent.locator('call-room [part~="remote-camera"]').count(), 0, 'no remote camera on the agent side');
      assert.equal(await client.locator('call-room [part~="local-preview"]').count(), 0, 'no local camera on the client side');
      const deadline = Date.now() + STEP_TIMEOUT_MS;
      let bytes = await inboundBytes(agent, 'connected');
      while (bytes.audio === 0 && Date.now() < deadline) {
        await agent.waitForTimeout(250);
        bytes = await inboundBytes(agent, 'connected');
      }
      assert.ok(bytes.audio > 0, `the agent hears the client (${JSON.stringify(bytes)})`);
      assert.equal(bytes.video, 0, 'and receives no video from them');
    });
  });
});
