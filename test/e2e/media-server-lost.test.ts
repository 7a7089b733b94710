/**
 * The LiveKit server dies mid-call (SIGKILL: no leave, no webhook). Both call screens say
 * "reconnecting" while livekit-client retries, then give up with a clear failure that offers a
 * way back in (Rejoin), instead of showing a frozen call as connected.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { expectMediaFlowing } from '../support/browser.js';
import { agentStartsCall, clientJoins, twoParticipants } from '../support/call-flow.js';
import { startLivekitServer } from '../support/livekit-server.js';

const STEP_TIMEOUT_MS = 20_000;
/** LiveKitSession's reconnect policy gives up after about 16 s of retries. */
const GIVE_UP_TIMEOUT_MS = 45_000;

/** The statuses a page's call-room went through, recorded from the `status` attribute. */
async function recordStatuses(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const w = window as unknown as { __statuses: string[] };
    const room = document.querySelector('call-room')!;
    w.__statuses = [room.getAttribute('status') ?? ''];
    new MutationObserver(() => w.__statuses.push(room.getAttribute('status') ?? '')).observe(room, { attributeFilter: ['status'] });
  });
  return () => page.evaluate(() => (window as unknown as { __statuses: string[] }).__statuses);
}

test('the LiveKit server dying mid-call shows reconnecting on both sides, then a failure with Rejoin [livekit]', async (t) => {
  const { stack, livekit, agent, client } = await twoParticipants(t, STEP_TIMEOUT_MS, 'livekit');
  assert.ok(livekit);
  const joinUrl = await agentStartsCall(agent, stack.demoUrl);
  await clientJoins(client, agent, joinUrl);
  await expectMediaFlowing(client, 'client', STEP_TIMEOUT_MS);
  const [agentStatuses, clientStatuses] = [await recordStatuses(agent), await recordStatuses(client)];

  await livekit.kill();

  await t.test('both sides say reconnecting', async () => {
    await client.locator('call-room[status="reconnecting"]').waitFor();
    await agent.locator('call-room[status="reconnecting"]').waitFor();
    await client.locator('call-room [part="status"]').filter({ hasText: /reconnecting/i }).waitFor();
  });

  await t.test('then both sides fail with a Rejoin button instead of a frozen call', async () => {
    for (const [page, statuses] of [[client, clientStatuses], [agent, agentStatuses]] as const) {
      await page.locator('call-room[status="failed"]').waitFor({ timeout: GIVE_UP_TIMEOUT_MS });
      await page.locator('call-room').getByRole('button', { name: /rejoin/i }).waitFor();
      const seen = await statuses();
      assert.ok(seen.indexOf('reconnecting') < seen.indexOf('failed') && seen.indexOf('reconnecting') > 0, `statuses: ${seen.join(' → ')}`);
    }
  });

  await t.test('the failure says the connection to the media server was lost', async () => {
    const text = (await client.locator('call-room [part="status"]').textContent()) ?? '';
    assert.match(text, /connection .*lost/i, `the status says what happened, not a generic error (${text})`);
  });

  await t.test('once the LiveKit server is back, Rejoin puts both back in the call with media', async () => {
    const back = await startLivekitServer({ apiKey: livekit.apiKey, apiSecret: livekit.apiSecret, ports: livekit.ports, webhookUrl: `${stack.serviceUrl}/v1/livekit/webhook` });
    t.after(() => back.stop());
    for (const page of [agent, client]) {
      await page.locator('call-room').getByRole('button', { name: /rejoin/i }).click();
      await page.waitForFunction(() => document.querySelector('call-room')?.getAttribute('status') !== 'failed');
      // Settled either way, so a failing rejoin fails this step at once rather than at a timeout.
      await page.locator('call-room[status="connected"], call-room[status="waiting"], call-room[status="client-left"], call-room[status="failed"]').waitFor();
    }
    await client.locator('call-room[status="connected"]').waitFor({ timeout: 1_000 }).catch(async () => {
      throw new Error(`client: ${await client.locator('call-room [part="status"]').textContent()}`);
    });
    await agent.locator('call-room[status="connected"]').waitFor();
    await expectMediaFlowing(client, 'client', STEP_TIMEOUT_MS);
    await expectMediaFlowing(agent, 'agent', STEP_TIMEOUT_MS);
  });
});
