/**
 * Calls that end by themselves, in real Chromium with the demo helpdesk (direct mode): a call nobody answered ends as
 * missed and the agent's screen says so until Close; an agent whose tab closes is waited for, then the client is told
 * the call ended; pressing the phone again after walking away rings again with a new invite in the conversation; and
 * "Send the link again" posts the invite a second time.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { launchChromium, mediaContext } from '../support/browser.js';
import { agentStartsCall, clientJoins, clientOpensLinkAndJoins } from '../support/call-flow.js';
import { startStack, type Stack } from '../support/stack.js';

const STEP_TIMEOUT_MS = 30_000;

/** A stack with these timings, a Chromium, and an agent page and a client page in contexts of their own. */
async function setUp(t: { after: (fn: () => unknown) => void }, env: Record<string, string>) {
  const stack: Stack = await startStack({ env });
  t.after(() => stack.stop());
  const browser = await launchChromium();
  t.after(() => browser.close());
  const agentContext = await mediaContext(browser);
  const clientContext = await mediaContext(browser);
  const page = async (context: typeof agentContext): Promise<Page> => {
    const p = await context.newPage();
    p.setDefaultTimeout(STEP_TIMEOUT_MS);
    return p;
  };
  return { stack, agentContext, agent: await page(agentContext), client: await page(clientContext), newAgentPage: () => page(agentContext) };
}

/** The join links posted into the open conversation, oldest first. */
const joinLinks = (agent: Page) => agent.locator('#messages a.join-link').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));

test('missed call: nobody joins within the ring timeout; the agent\'s screen says so until Close, the link says ended', async (t) => {
  const { stack, agent, client } = await setUp(t, { RING_TIMEOUT_SECONDS: '5' });
  const joinUrl = await agentStartsCall(agent, stack.demoUrl);
  const room = agent.locator('call-room');
  await room.locator('[part="status"]').filter({ hasText: /Missed call — .+ did not join/ }).waitFor();
  assert.equal(await room.getAttribute('status'), 'ended', 'the room stays on the page, ended');
  await client.goto(joinUrl);
  // The hosted join page of an ended call is a plain page (410), no call room.
  await client.getByText('This call has ended').waitFor();
  await room.getByRole('button', { name: 'Close' }).click();
  await room.waitFor({ state: 'detached' });
});

test('the agent\'s tab closes: the client is told the agent lost connection, then that the agent left', async (t) => {
  const { stack, agent, client } = await setUp(t, { AGENT_GRACE_SECONDS: '3' });
  const joinUrl = await agentStartsCall(agent, stack.demoUrl);
  await clientJoins(client, agent, joinUrl);
  await agent.close();
  const status = client.locator('call-room [part="status"]');
  await status.filter({ hasText: /lost connection, waiting for them to come back/ }).waitFor();
  await status.filter({ hasText: /left the call\. The conversation continues in the chat\./ }).waitFor();
  assert.equal(await client.locator('call-room').getAttribute('status'), 'ended');
});

test('calling again after walking away rings again with a fresh invite; "Send the link again" posts it once more', async (t) => {
  const { stack, agent, client, newAgentPage } = await setUp(t, { AGENT_GRACE_SECONDS: '600' });

  const firstLink = await agentStartsCall(agent, stack.demoUrl);
  await agent.close();
  const again = await newAgentPage();
  const secondLink = await agentStartsCall(again, stack.demoUrl);
  assert.notEqual(secondLink, firstLink, 'a new call with a new link');
  assert.equal(await again.locator('call-room').getAttribute('ringing'), '', 'it rings again');
  const links = await joinLinks(again);
  // The first call's message is shown as ended by the demo (no longer a live join link).
  assert.equal(links.at(-1), secondLink, 'a new invite message in the conversation');

  const room = again.locator('call-room');
  await room.evaluate((el) => ((el as HTMLElement & { resendAfter: number }).resendAfter = 1));
  await room.getByRole('button', { name: 'Send the link again' }).click();
  await room.getByText('Link sent again to the conversation').waitFor();
  await again.waitForFunction((n) => document.querySelectorAll('#messages a.join-link').length > n, links.length);
  assert.equal((await joinLinks(again)).at(-1), secondLink, 'the same link, posted again');

  await t.test('the first link says its call has ended; the second one joins', async () => {
    await client.goto(firstLink);
    await client.getByText('This call has ended').waitFor();
    await clientOpensLinkAndJoins(client, secondLink);
    await client.locator('call-room[status="connected"]').waitFor();
    await again.locator('call-room[status="connected"]').waitFor();
  });
});
