/**
 * Load at a fixed rate, open loop: request i is due at start + i / rate whatever became of the earlier ones, and its
 * latency counts from when it was due (a slow server's backlog shows up in the figures instead of slowing the sender).
 * autocannon's own rate limit sends each connection's quota for a second back to back and then waits, bursts a
 * server would never see from independent clients. Requests alternate between the servers. A server that cannot keep
 * the rate is not buried under minutes of backlog: once a second's worth of requests waits, sending stops.
 */
import { Agent, request as httpRequest } from 'node:http';
import { quantile } from '../stats.js';
import type { LoadOptions, LoadResult } from './load.js';

/** How often the sender wakes to send what has come due. */
const TICK_MS = 1;
/** Past this many seconds of requests waiting for answers the rate is out of reach: sending stops (the run stays short). */
const MAX_BACKLOG_SECONDS = 1;

function post(agent: Agent, url: URL, body: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const req = httpRequest(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      res.on('error', () => resolve({ status: 0, body: '' }));
    });
    req.on('error', () => resolve({ status: 0, body: '' }));
    req.end(body);
  });
}

/** Sends `rate` requests a second for `durationSeconds`, then waits for the last answers. */
export async function runPaced(options: LoadOptions & { rate: number }): Promise<LoadResult> {
  const targets = options.urls.map((u) => ({
    url: new URL(options.path, u),
    agent: new Agent({ keepAlive: true, maxSockets: Math.max(1, Math.floor(options.connections / options.urls.length)) }),
  }));
  const total = Math.round(options.rate * options.durationSeconds);
  const samples: number[] = [];
  const failures: Record<string, number> = {};
  const inFlight: Promise<void>[] = [];
  const started = performance.now();
  let sent = 0;
  let answered = 0;
  let gaveUp = false;
  while (sent < total) {
    if (sent - answered > options.rate * MAX_BACKLOG_SECONDS) {
      gaveUp = true;
      break;
    }
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * options.rate) + 1);
    for (; sent < due; sent++) {
      const dueAt = started + (sent * 1000) / options.rate;
      const target = targets[sent % targets.length]!;
      const { body, headers = {} } = options.request(sent);
      inFlight.push(post(target.agent, target.url, body, headers).then((res) => {
        answered += 1;
        if (res.status >= 200 && res.status < 300) samples.push(performance.now() - dueAt);
        else failures[res.status || 'error'] = (failures[res.status || 'error'] ?? 0) + 1;
        options.onResponse?.(res.status, res.body);
      }));
    }
    await new Promise((resolve) => setTimeout(resolve, TICK_MS));
  }
  await Promise.all(inFlight);
  const seconds = (performance.now() - started) / 1000;
  for (const t of targets) t.agent.destroy();
  samples.sort((a, b) => a - b);
  return {
    ok: samples.length, failures, seconds, perSecond: samples.length / seconds, p50Ms: quantile(samples, 0.5), p99Ms: quantile(samples, 0.99),
    ...(gaveUp ? { gaveUpAfterSeconds: (performance.now() - started) / 1000 } : {}),
  };
}
