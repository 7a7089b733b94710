// Real calls through `npm start` in Debian's Chromium (fake devices, loopback), in one media mode.
import { performance } from 'node:perf_hooks';
import type { Page } from 'playwright-core';
import { inboundBytes, launchChromium, mediaContext } from '../support/browser.js';
import { startModeStack, type MediaMode } from '../support/modes.js';
import { quantile, summary } from './stats.js';

/** Real calls made by the call figures per media mode (each is a full call in two browser contexts). */
const CALLS = 5;
/** Longest wait for one step of a benchmarked call (the bench stays bounded in time). */
const STEP_TIMEOUT_MS = 20_000;
/** How long the last call runs, with both cameras on, while the agent tab's CPU is measured. */
const CPU_CALL_SECONDS = Number(process.env.BENCH_CALL_CPU_SECONDS ?? 60);

/**
 * CPU the agent's tab used during a running call, from Chromium's own counters (CDP
 * Performance.getMetrics, TaskDuration: the renderer main thread's busy time), as a share of
 * one core; the decode/encode threads and the GPU process are not in it.
 */
async function agentTabCpu(agent: Page, seconds: number): Promise<number> {
  const cdp = await agent.context().newCDPSession(agent);
  await cdp.send('Performance.enable');
  const busy = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0;
  const [busy0, t0] = [await busy(), performance.now()];
  await agent.waitForTimeout(seconds * 1000);
  const share = (await busy()) - busy0;
  return share / ((performance.now() - t0) / 1000);
}

/** The join path's User Timing marks of a page (sdk/core/timing.ts), by step, in epoch milliseconds. */
async function joinMarks(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() => Object.fromEntries(performance.getEntriesByType('mark')
    .filter((mark) => mark.name.startsWith('switchboard:'))
    .map((mark) => [mark.name.slice('switchboard:'.length), performance.timeOrigin + mark.startTime])));
}

/** The steps of Join → connected printed, per side, in the order they usually happen. */
const JOIN_STEPS = {
  client: ['start', 'live-open', 'hello', 'media-signal-connected', 'media-connected', 'peer-present', 'connected'],
  agent: ['peer-present', 'connected'],
} as const;

/**
 * Where Join → connected goes: for each step (a mark on the client's or the agent's page), the p50
 * of its time after the client's `join-pressed` mark. Both pages run in one Chromium: one clock.
 */
function stepSplit(mode: MediaMode, calls: { client: Record<string, number>; agent: Record<string, number> }[]): void {
  const parts: string[] = [];
  for (const side of ['client', 'agent'] as const) {
    for (const step of JOIN_STEPS[side]) {
      const samples = calls.flatMap((call) => {
        const at = call[side][step];
        const t0 = call.client['join-pressed'];
        return at === undefined || t0 === undefined ? [] : [at - t0];
      }).sort((a, b) => a - b);
      if (samples.length > 0) parts.push(`${side} ${step} ${quantile(samples, 0.5).toFixed(0)}`);
    }
  }
  console.log(`[${mode}] Join pressed → each step, p50 ms after the client's click handler: ${parts.join(' · ')}`);
}

/** Real calls through `npm start` and two Chromium contexts in one media mode: how long each step takes. */
export async function callFigures(mode: MediaMode): Promise<void> {
  const cleanups: (() => Promise<unknown>)[] = [];
  const invite: number[] = [];
  const preview: number[] = [];
  const connected: number[] = [];
  const media: number[] = [];
  const steps: { client: Record<string, number>; agent: Record<string, number> }[] = [];
  let cpu: number | null = null;
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
      steps.push({ client: await joinMarks(client), agent: await joinMarks(agent) });
      // The last call runs on, video both ways, while the agent tab's CPU is measured (an agent works in it all day).
      if (i === CALLS - 1 && CPU_CALL_SECONDS > 0) cpu = await agentTabCpu(agent, CPU_CALL_SECONDS);
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
  stepSplit(mode, steps);
  if (cpu !== null) console.log(`[${mode}] agent tab main-thread CPU during a ${CPU_CALL_SECONDS} s video call: ${(cpu * 100).toFixed(1)} % of one core`);
}
