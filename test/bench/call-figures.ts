// Real calls through `npm start` in Debian's Chromium (fake devices, loopback), in one media mode.
import { performance } from 'node:perf_hooks';
import { inboundBytes, launchChromium, mediaContext } from '../support/browser.js';
import { startModeStack, type MediaMode } from '../support/modes.js';
import { summary } from './stats.js';

/** Real calls made by the call figures per media mode (each is a full call in two browser contexts). */
const CALLS = 5;
/** Longest wait for one step of a benchmarked call (the bench stays bounded in time). */
const STEP_TIMEOUT_MS = 20_000;

/** Real calls through `npm start` and two Chromium contexts in one media mode: how long each step takes. */
export async function callFigures(mode: MediaMode): Promise<void> {
  const cleanups: (() => Promise<unknown>)[] = [];
  const invite: number[] = [];
  const preview: number[] = [];
  const connected: number[] = [];
  const media: number[] = [];
  try {
    const { stack, joinPageAllowsMedia } = await startModeStack({ after: (fn) => cleanups.push(fn) }, mode);
    if (!joinPageAllowsMedia) console.log(`calls [${mode}]: the join page's CSP blocks the media server; the client's context ignores CSP`);
    const browser = await launchChromium();
    cleanups.push(() => browser.close());
    for (let i = 0; i < CALLS; i++) {
      const agentContext = await mediaContext(browser);
      const clientContext = await mediaContext(browser, undefined, { bypassCSP: !joinPageAllowsMedia });
      const agent = await agentContext.newPage();
      const client = await clientContext.newPage();
      for (const page of [agent, client]) page.setDefaultTimeout(STEP_TIMEOUT_MS);
      await agent.goto(stack.demoUrl);
      await agent.getByRole('button', { name: /Bob Lambert/ }).click();
      const start = agent.getByRole('button', { name: 'Start conversation' });
      if (await start.isVisible()) await start.click();
      await agent.waitForFunction(() => !document.querySelector('call-button')?.shadowRoot?.querySelector('button')?.disabled);
      const links = await agent.locator('#messages a.join-link').count();
      let t0 = performance.now();
      await agent.locator('call-button').getByRole('button').click();
      await agent.locator('#messages a.join-link').nth(links).waitFor();
      invite.push(performance.now() - t0);
      const joinUrl = (await agent.locator('#messages a.join-link').nth(links).getAttribute('href'))!;
      t0 = performance.now();
      await client.goto(joinUrl);
      // The pre-join is interactive: the camera preview shows and Join can be pressed.
      await client.locator('call-room video[part~="prejoin-preview"]').waitFor();
      await client.locator('call-room [part~="join"]:not([disabled])').waitFor();
      preview.push(performance.now() - t0);
      t0 = performance.now();
      await client.locator('call-room [part~="join"]').click();
      await client.locator('call-room[status="connected"]').waitFor();
      await agent.locator('call-room[status="connected"]').waitFor();
      connected.push(performance.now() - t0);
      while ((await inboundBytes(client)).video === 0) await client.waitForTimeout(20);
      media.push(performance.now() - t0);
      await agent.locator('call-room').getByRole('button', { name: /end call/i }).click();
      await agentContext.close();
      await clientContext.close();
    }
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
  }
  summary(`[${mode}] click → invite shown in the conversation`, invite);
  summary(`[${mode}] client opens link → pre-join preview showing`, preview);
  summary(`[${mode}] Join pressed → both connected`, connected);
  summary(`[${mode}] Join pressed → first video bytes`, media);
}
