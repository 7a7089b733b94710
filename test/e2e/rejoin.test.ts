/**
 * A client who reloads the page (straight back in, no pre-join), presses Rejoin after LEAVE,
 * or leaves and opens the link again (through the pre-join), is back in the same call with
 * media flowing, in each media mode; the agent's status follows (client left → client connected).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { describeConnections, inboundBytes } from '../support/browser.js';
import { agentStartsCall, clientJoins, clientOpensLinkAndJoins, twoParticipants } from '../support/call-flow.js';
import { forEachMode } from '../support/modes.js';

const STEP_TIMEOUT_MS = 20_000;

/** Resolves once the page receives both audio and video on a live connection. */
async function receivingMedia(page: Page, who: string): Promise<void> {
  const received = () => inboundBytes(page, 'connected');
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  const first = await received();
  for (;;) {
    const now = await received();
    if (now.audio > first.audio && now.video > first.video) return;
    if (Date.now() > deadline) assert.fail(`${who} receives no media after rejoining\n${await describeConnections(page)}`);
    await page.waitForTimeout(250);
  }
}

forEachMode((mode) => {
  test(`a client who reloads or leaves and comes back is in the call again, with media [${mode}]`, async (t) => {
    const { stack, agent, client, clientContext } = await twoParticipants(t, STEP_TIMEOUT_MS, mode);

    const joinUrl = await agentStartsCall(agent, stack.demoUrl);
    await clientJoins(client, agent, joinUrl);
    await receivingMedia(client, 'client');

    await t.test('reload: the new page takes over and media flows again', async () => {
      await client.reload();
      await client.locator('call-room[status="connected"]').waitFor();
      await agent.locator('call-room[status="connected"]').waitFor();
      await receivingMedia(client, 'client');
      await receivingMedia(agent, 'agent');
    });

    await t.test('LEAVE, then Rejoin: "You left the call" offers Rejoin, which brings the client back', async () => {
      await client.locator('call-room').getByRole('button', { name: /leave/i }).click();
      await agent.locator('call-room[status="client-left"]').waitFor();
      await client.locator('call-room [part="status"]').filter({ hasText: /you left the call/i }).waitFor();
      await client.locator('call-room').getByRole('button', { name: 'Rejoin' }).click();
      await client.locator('call-room[status="connected"]').waitFor();
      await agent.locator('call-room[status="connected"]').waitFor();
      await receivingMedia(client, 'client');
      await receivingMedia(agent, 'agent');
    });

    await t.test('leave, then open the link again: the agent sees the client leave and come back', async () => {
      await client.locator('call-room').getByRole('button', { name: /leave/i }).click();
      await agent.locator('call-room[status="client-left"]').waitFor();
      await client.locator('call-room [part="status"]').filter({ hasText: /you left the call/i }).waitFor();
      const again = await clientContext.newPage();
      again.setDefaultTimeout(STEP_TIMEOUT_MS);
      await clientOpensLinkAndJoins(again, joinUrl);
      await again.locator('call-room[status="connected"]').waitFor();
      await agent.locator('call-room[status="connected"]').waitFor();
      await receivingMedia(again, 'client');
      await receivingMedia(agent, 'agent');
    });
  });
});
