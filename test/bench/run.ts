/**
 * `npm run bench`: prints figures, asserts nothing.
 * - bundle: bytes (raw and gzip) of the first load (dist/switchboard.js and its static
 *   imports) against what loads lazily when a call opens;
 * - service: latency of creating a call and of joining it, through Fastify's inject on
 *   an in-memory PGlite store (the embedded default's query path, without the network);
 * - calls: real calls through `npm start` in Debian's Chromium (fake devices, loopback), in each
 *   media mode (direct peer-to-peer, and LiveKit with a local LiveKit server started here):
 *   click → invite in the conversation, link opened → both connected → first video bytes.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../../service/config.js';
import { DIST, firstLoadFiles, lazyFiles, sizeOf } from '../support/bundle.js';
import { inboundBytes, launchChromium, mediaContext } from '../support/browser.js';
import { MEDIA_MODES, startModeStack, type MediaMode } from '../support/modes.js';
import { buildApp } from '../../service/app.js';
import { signAgentToken } from '../../service/domain/agent-token.js';

const ITERATIONS = 200;
/** Real calls made by the call figures per media mode (each is a full call in two browser contexts). */
const CALLS = 5;
/** Longest wait for one step of a benchmarked call (the bench stays bounded in time). */
const STEP_TIMEOUT_MS = 20_000;

function bundleFigures(): void {
  if (!existsSync(join(DIST, 'switchboard.js'))) {
    console.log('bundle: dist/ is missing, run `npm run build` first');
    return;
  }
  const first = firstLoadFiles();
  const lazy = lazyFiles();
  const [f, l] = [sizeOf(first), sizeOf(lazy)];
  console.log(`bundle first load (${first.length} file(s)): ${f.raw} B raw, ${f.gzip} B gzip`);
  console.log(`bundle lazy on call open (${lazy.length} file(s)): ${l.raw} B raw, ${l.gzip} B gzip`);
}

function summary(name: string, samples: number[]): void {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(2);
  const mean = (samples.reduce((a, b) => a + b, 0) / samples.length).toFixed(2);
  console.log(`${name}: n=${samples.length} mean=${mean} ms p50=${at(0.5)} ms p95=${at(0.95)} ms max=${at(1)} ms`);
}

async function serviceFigures(): Promise<void> {
  const config = loadConfig({ DATA_DIR: 'memory://', LOG_LEVEL: 'silent', ORG_WEBHOOK_URL: 'http://127.0.0.1:9/unreachable' });
  // One agent and one address make every request here: the limits (30 calls a minute…) would answer 429.
  for (const rule of Object.values(config.rateLimits)) rule.max = Number.MAX_SAFE_INTEGER;
  const app = await buildApp(config);
  try {
    const create: number[] = [];
    const join: number[] = [];
    for (let i = 0; i < ITERATIONS; i++) {
      const token = await signAgentToken(config, {
        sub: 'agent-1', name: 'Bench Agent', conversation_id: `bench-${i}`, client_id: `client-${i}`,
        conversation_started: true, conversation_owner_id: 'agent-1',
      });
      let t0 = performance.now();
      const res = await app.inject({ method: 'POST', url: '/v1/calls', headers: { authorization: `Bearer ${token}` }, payload: { media: 'video' } });
      create.push(performance.now() - t0);
      if (res.statusCode !== 201) throw new Error(`POST /v1/calls answered ${res.statusCode}: ${res.body}`);
      const { joinUrl } = res.json<{ joinUrl: string }>();
      const url = new URL(joinUrl);
      const callId = url.pathname.split('/').pop()!;
      t0 = performance.now();
      const joined = await app.inject({ method: 'POST', url: '/v1/join', payload: { callId, secret: url.hash.slice(1) } });
      join.push(performance.now() - t0);
      if (res.statusCode !== 201 || joined.statusCode !== 200) throw new Error(`unexpected ${res.statusCode}/${joined.statusCode}`);
    }
    summary('POST /v1/calls (PGlite in memory)', create);
    summary('POST /v1/join  (PGlite in memory)', join);
  } finally {
    await app.close();
  }
}

/** Real calls through `npm start` and two Chromium contexts in one media mode: how long each step takes. */
async function callFigures(mode: MediaMode): Promise<void> {
  const cleanups: (() => Promise<unknown>)[] = [];
  const invite: number[] = [];
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
  summary(`[${mode}] client opens link → both connected`, connected);
  summary(`[${mode}] client opens link → first video bytes`, media);
}

bundleFigures();
await serviceFigures();
if (existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium')) {
  for (const mode of MEDIA_MODES) await callFigures(mode);
} else {
  console.log('calls: Chromium is missing, skipped (npm test installs it)');
}
