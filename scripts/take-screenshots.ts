/**
 * `tsx scripts/take-screenshots.ts`: the screenshots of docs/user-guide.md, taken in headless
 * Chromium (fake camera and microphone) against a real `npm start` stack on free ports:
 * the agent waiting, a connected call on a desktop, the client on a 390 px phone, and a call
 * whose connection was lost (failed, with Rejoin). Run `npm run build` first.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { repoRoot } from '../service/config.js';
import { launchChromium, RECORD_MEDIA } from '../test/support/browser.js';
import { agentStartsCall } from '../test/support/call-flow.js';
import { lifo, startModeStack } from '../test/support/modes.js';

const OUT = join(repoRoot, 'docs', 'screenshots');
const DESKTOP: BrowserContextOptions = { viewport: { width: 1024, height: 640 } };
const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const STEP_TIMEOUT_MS = 60_000;

async function shot(page: Page, name: string): Promise<void> {
  // Let the videos show a frame and the status settle.
  await page.waitForTimeout(800);
  await page.screenshot({ path: join(OUT, name), animations: 'disabled', caret: 'hide' });
  console.log(`wrote docs/screenshots/${name}`);
}

async function newPage(browser: Browser, options: BrowserContextOptions): Promise<Page> {
  const context = await browser.newContext({ ...options, permissions: ['camera', 'microphone'] });
  await context.addInitScript(RECORD_MEDIA);
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT_MS);
  return page;
}

mkdirSync(OUT, { recursive: true });
const cleanups: (() => Promise<unknown>)[] = [];
// LiveKit mode: its server can be killed, which is the simplest real way to a failed call with Rejoin.
const { stack, livekit } = await startModeStack(lifo({ after: (fn) => cleanups.push(fn) }), 'livekit');
const browser = await launchChromium();
try {
  const agent = await newPage(browser, DESKTOP);
  const client = await newPage(browser, PHONE);

  const joinUrl = await agentStartsCall(agent, stack.demoUrl);
  await agent.locator('call-room [part="status"]').filter({ hasText: /join link was posted/ }).waitFor();
  await shot(agent, 'agent-waiting.png');

  await client.goto(joinUrl);
  await client.locator('call-room [part~="join"]').click();
  await client.locator('call-room[status="connected"]').waitFor();
  await agent.locator('call-room video[part~="main-video"]').waitFor();
  await client.locator('call-room video[part~="main-video"]').waitFor();
  await shot(agent, 'agent-connected-desktop.png');
  await shot(client, 'client-phone-390.png');

  // The media server goes away mid-call: reconnecting, then failed with Rejoin (about 16 s).
  await livekit!.kill();
  await agent.locator('call-room[status="failed"]').waitFor();
  await shot(agent, 'agent-failed-rejoin.png');
} finally {
  await browser.close();
  for (const cleanup of cleanups) await cleanup();
}
