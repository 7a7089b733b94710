/**
 * Closed-loop HTTP load with autocannon (each connection sends its next request when the answer came) on one or two
 * servers at once: the connections are split between them, and every answer's latency is kept (autocannon's own
 * histograms round to whole milliseconds, too coarse beside a bare route). Fixed rates: paced.ts.
 */
import autocannon from 'autocannon';
import { quantile } from '../stats.js';

/** One request of a load: its body and extra headers. */
export interface LoadRequest {
  body: string;
  headers?: Record<string, string>;
}

/** Options of a load run. */
export interface LoadOptions {
  /** Base URLs; with two, half the connections go to each (no load balancer: the bench alternates). */
  urls: string[];
  path: string;
  /** Connections in all. */
  connections: number;
  durationSeconds: number;
  /** Requests in all instead of a duration (split between the servers). */
  amount?: number;
  /** The n-th request of the run (n counts across the servers). */
  request: (n: number) => LoadRequest;
  /** Sees each answer's status and body (only asked for when given: reading bodies costs the generator). */
  onResponse?: (status: number, body: string) => void;
}

/** What a load run measured; latencies of 2xx answers only. */
export interface LoadResult {
  ok: number;
  /** Non-2xx answers by status, and connection errors under `error`. */
  failures: Record<string, number>;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Fixed rate only: the backlog passed a second's worth of requests this many seconds in, and sending stopped. */
  gaveUpAfterSeconds?: number;
}

function runOne(url: string, options: LoadOptions, connections: number, next: () => number, samples: number[], failures: Record<string, number>): Promise<void> {
  let done!: (err: Error | null) => void;
  const finished = new Promise<void>((resolve, reject) => (done = (err) => (err ? reject(err) : resolve())));
  const instance = autocannon({
    url,
    connections,
    ...(options.amount ? { amount: Math.ceil(options.amount / options.urls.length) } : { duration: options.durationSeconds }),
    requests: [{
      method: 'POST',
      path: options.path,
      setupRequest: (req) => {
        const { body, headers } = options.request(next());
        return { ...req, body, headers: { 'content-type': 'application/json', ...headers } };
      },
      ...(options.onResponse ? { onResponse: options.onResponse } : {}),
    }],
  }, (err: Error | null) => done(err));
  instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
    if (status >= 200 && status < 300) samples.push(ms);
    else failures[status] = (failures[status] ?? 0) + 1;
  });
  instance.on('reqError', () => (failures.error = (failures.error ?? 0) + 1));
  return finished;
}

/** Runs the load and waits for it to end. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  let n = 0;
  const next = () => n++;
  const samples: number[] = [];
  const failures: Record<string, number> = {};
  const perServer = Math.max(1, Math.floor(options.connections / options.urls.length));
  const started = performance.now();
  await Promise.all(options.urls.map((url) => runOne(url, options, perServer, next, samples, failures)));
  const seconds = (performance.now() - started) / 1000;
  samples.sort((a, b) => a - b);
  return { ok: samples.length, failures, seconds, perSecond: samples.length / seconds, p50Ms: quantile(samples, 0.5), p99Ms: quantile(samples, 0.99) };
}
