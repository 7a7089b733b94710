/** Steps shared by the end-to-end tests: the agent starts a call from the demo and the client joins. */
import type { BrowserContext, Page } from 'playwright-core';
import { launchChromium, mediaContext } from './browser.js';
import { startStack, type Stack } from './stack.js';

/** On the demo page: selects Bob, starts the conversation, clicks the phone; resolves with the join link. */
export async function agentStartsCall(agent: Page, demoUrl: string): Promise<string> {
  await agent.goto(demoUrl);
  await agent.getByRole('button', { name: /Bob Lambert/ }).click();
  const start = agent.getByRole('button', { name: 'Start conversation' });
  // An earlier call in this conversation has started it already.
  if (await start.isVisible()) await start.click();
  await agent.waitForFunction(() => !document.querySelector('call-button')?.shadowRoot?.querySelector('button')?.disabled);
  await agent.locator('call-button').getByRole('button').click();
  await agent.locator('call-room[status="waiting"]').waitFor();
  const link = agent.locator('#messages a.join-link').last();
  await link.waitFor();
  return (await link.getAttribute('href')) ?? '';
}

/** The client opens the link; resolves once both rooms say connected. */
export async function clientJoins(client: Page, agent: Page, joinUrl: string): Promise<void> {
  await client.goto(joinUrl);
  await client.locator('call-room[status="connected"]').waitFor();
  await agent.locator('call-room[status="connected"]').waitFor();
}

/** A running `npm start`, a Chromium, and an agent page and a client page in contexts of their own. */
export interface TwoParticipants {
  stack: Stack;
  agent: Page;
  client: Page;
  clientContext: BrowserContext;
}

/** Starts everything a two-browser test needs; `t.after` stops it all, even on failure. */
export async function twoParticipants(t: { after: (fn: () => Promise<unknown>) => void }, stepTimeoutMs: number): Promise<TwoParticipants> {
  const stack = await startStack();
  t.after(() => stack.stop());
  const browser = await launchChromium();
  t.after(() => browser.close());
  const agent = await (await mediaContext(browser)).newPage();
  const clientContext = await mediaContext(browser);
  const client = await clientContext.newPage();
  agent.setDefaultTimeout(stepTimeoutMs);
  client.setDefaultTimeout(stepTimeoutMs);
  return { stack, agent, client, clientContext };
}
