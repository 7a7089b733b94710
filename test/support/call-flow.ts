/** Steps shared by the end-to-end tests: the agent starts a call from the demo and the client joins. */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, mediaContext } from './browser.js';
import { lifo, startModeStack, type AfterHook, type MediaMode, type ModeStack, type ModeStackOptions } from './modes.js';

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

/** On the join page's pre-join screen: presses Join (Playwright waits until the preview is ready and Join enabled). */
export async function pressJoin(client: Page): Promise<void> {
  await client.locator('call-room [part~="join"]').click();
}

/** The client opens the link and presses Join on the pre-join screen (not waiting for the call to connect). */
export async function clientOpensLinkAndJoins(client: Page, joinUrl: string): Promise<void> {
  await client.goto(joinUrl);
  await pressJoin(client);
}

/** The client opens the link and joins from the pre-join; resolves once both rooms say connected. */
export async function clientJoins(client: Page, agent: Page, joinUrl: string): Promise<void> {
  await clientOpensLinkAndJoins(client, joinUrl);
  await client.locator('call-room[status="connected"]').waitFor();
  await agent.locator('call-room[status="connected"]').waitFor();
}

/** The call id of a join link (`/join/<callId>#<secret>`); also its LiveKit room name. */
export function callIdOf(joinUrl: string): string {
  return new URL(joinUrl).pathname.split('/').pop() ?? '';
}

/** The credentials a page got from POST /v1/join (its media block: ICE servers, or LiveKit URL and token). */
export interface JoinCredentials {
  token: string;
  liveUrl: string;
  media: { mode: 'direct' } | { mode: 'livekit'; url: string; token: string };
}

/** Resolves with the credentials of the page's next POST /v1/join (call it before the page joins). */
export async function nextJoinCredentials(page: Page): Promise<JoinCredentials> {
  const response = await page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/v1/join');
  return ((await response.json()) as { credentials: JoinCredentials }).credentials;
}

/** A running stack in one mode, a Chromium, and an agent page and a client page in contexts of their own. */
export interface TwoParticipants extends ModeStack {
  browser: Browser;
  agent: Page;
  client: Page;
  agentContext: BrowserContext;
  clientContext: BrowserContext;
}

/** Options of twoParticipants; every field is optional. */
export interface TwoParticipantsOptions extends ModeStackOptions {
  /** Chromium launch options (see launchChromium). */
  browser?: { fakeUi?: boolean; args?: string[] };
  /** What the client's context is granted (camera and microphone by default). */
  clientPermissions?: string[];
}

/** Starts everything a two-browser test needs in this media mode; `t.after` stops it all (browser first), even on failure. */
export async function twoParticipants(test: AfterHook, stepTimeoutMs: number, mode: MediaMode = 'direct', options: TwoParticipantsOptions = {}): Promise<TwoParticipants> {
  const t = lifo(test);
  const modeStack = await startModeStack(t, mode, options);
  const browser = await launchChromium(options.browser);
  t.after(() => browser.close());
  const agentContext = await mediaContext(browser);
  // The client runs under the join page's real CSP; it is bypassed only if that CSP does not let
  // the page reach the LiveKit server, which e2e/call.test.ts asserts against (so a regression
  // fails that test while the other stories still prove the rest).
  const clientContext = await mediaContext(browser, options.clientPermissions, { bypassCSP: !modeStack.joinPageAllowsMedia });
  const agent = await agentContext.newPage();
  const client = await clientContext.newPage();
  agent.setDefaultTimeout(stepTimeoutMs);
  client.setDefaultTimeout(stepTimeoutMs);
  return { ...modeStack, browser, agent, client, agentContext, clientContext };
}
