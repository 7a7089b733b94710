/**
 * Resident memory of one instance with open calls (both live sockets of each call open), and live-socket latency with
 * that many sockets open, beside the bare app holding as many sockets.
 *
 * 10,000 open calls are 20,000 sockets in the server process: past `ulimit -n` (20,000, soft and hard, on the bench
 * machine), which the bench does not raise. It measures up to the most calls whose sockets fit, and extrapolates.
 * Latencies are timed with 10,000 sockets open (5,000 calls), as the issue asks.
 */
import { mb, quantile } from '../stats.js';
import { int, ms, times } from './report.js';
import type { BenchServer } from './servers.js';
import { barePairs, makeCalls, startHolder } from './sockets.js';
import type { BenchOrg } from './tokens.js';

/** The largest figure. */
const WANTED_CALLS = 10_000;
/** Calls open when the latencies are timed (10,000 sockets). */
const LATENCY_CALLS = 5_000;
/** File descriptors a server or holder process needs besides its sockets (pool, LISTEN, files, IPC). */
const SPARE_FDS = 400;

/** Open calls at which memory is measured: 1,000, 5,000, and 10,000 or the most whose sockets fit under `ulimit -n`. */
export function openCallSteps(fdLimit: number): number[] {
  return [1_000, LATENCY_CALLS, Math.min(WANTED_CALLS, Math.floor((fdLimit - SPARE_FDS) / 2 / 100) * 100)];
}
const RELAY_SAMPLES = 500;
const EVENT_SAMPLES = 200;

/** What one server came to with open sockets. */
export interface SocketOutcome {
  idleRss: number;
  /** RSS at each step of openCallSteps(). */
  rss: number[];
  relayMs: number[];
  eventMs: number[];
}

const rssOf = async (server: BenchServer) => (await server.memory()).usage.rss;
const sorted = (samples: number[]) => [...samples].sort((a, b) => a - b);

/** Opens calls step by step on a server (the service, or the bare app when `org` is null) and measures. */
export async function socketFigures(server: BenchServer, org: BenchOrg | null, steps: number[]): Promise<SocketOutcome> {
  const holder = startHolder();
  try {
    const idleRss = await rssOf(server);
    const rss: number[] = [];
    let open = 0;
    let relayMs: number[] = [];
    let eventMs: number[] = [];
    for (const calls of steps) {
      const pairs = org ? await makeCalls(server.url, org, calls - open, open) : barePairs(server.url, calls - open, open);
      const opened = await holder.open(pairs);
      if (opened.failed > 0) throw new Error(`${opened.failed} call(s) did not get both hellos`);
      open = calls;
      const memory = await server.memory();
      if (memory.sockets !== open * 2) throw new Error(`the server holds ${memory.sockets} sockets, ${open * 2} expected`);
      rss.push(memory.usage.rss);
      console.log(`  ${org ? 'service' : 'bare'}: ${int(open)} calls, ${int(open * 2)} sockets open (the last ${int(pairs.length * 2)} in ${opened.seconds.toFixed(1)} s): RSS ${mb(memory.usage.rss)}, heap ${mb(memory.usage.heapUsed)}`);
      if (calls !== LATENCY_CALLS) continue;
      relayMs = sorted(await holder.relay(RELAY_SAMPLES));
      eventMs = org ? sorted(await holder.event(EVENT_SAMPLES)) : [];
    }
    return { idleRss, rss, relayMs, eventMs };
  } finally {
    await holder.close();
  }
}

/** Prints the memory and latency lines of the service beside the bare app's. */
export function printSocketFigures(label: string, steps: number[], fdLimit: number, service: SocketOutcome, bare: SocketOutcome): { perCallBytes: number; tenThousandRss: number } {
  console.log(`memory ${label}, idle: RSS ${mb(service.idleRss)} (${times(service.idleRss, bare.idleRss)} ${mb(bare.idleRss)})`);
  steps.forEach((calls, i) => {
    console.log(`memory ${label}, ${int(calls)} open calls (${int(calls * 2)} sockets): RSS ${mb(service.rss[i]!)} (${times(service.rss[i]!, bare.rss[i]!)} ${mb(bare.rss[i]!)} holding as many sockets)`);
  });
  const [first, last] = [steps[0]!, steps[steps.length - 1]!];
  const perCallBytes = (service.rss[steps.length - 1]! - service.rss[0]!) / (last - first);
  const barePerCall = (bare.rss[steps.length - 1]! - bare.rss[0]!) / (last - first);
  const tenThousandRss = service.rss[steps.length - 1]! + perCallBytes * (WANTED_CALLS - last);
  console.log(`memory ${label}, per open call (${int(first)} → ${int(last)}): ${(perCallBytes / 1024).toFixed(1)} KB (${times(perCallBytes, barePerCall)} ${(barePerCall / 1024).toFixed(1)} KB for two bare sockets)`);
  if (last < WANTED_CALLS) {
    console.log(`memory ${label}, ${int(WANTED_CALLS)} open calls: ${int(WANTED_CALLS * 2)} sockets exceed ulimit -n ${fdLimit} of one process; extrapolated from ${int(last)}: ${mb(tenThousandRss)}`);
  }
  const line = (name: string, samples: number[], bareSamples: number[]) => {
    const [p50, p99] = [quantile(samples, 0.5), quantile(samples, 0.99)];
    const [b50, b99] = [quantile(bareSamples, 0.5), quantile(bareSamples, 0.99)];
    console.log(`${name}: n=${samples.length} p50 ${ms(p50)} (${times(p50, b50)} ${ms(b50)})  p99 ${ms(p99)} (${times(p99, b99)} ${ms(b99)})`);
  };
  line(`live relay ${label} (agent signal → client socket), ${int(LATENCY_CALLS * 2)} sockets open`, service.relayMs, bare.relayMs);
  line(`live event ${label} (client POST /events → agent socket), ${int(LATENCY_CALLS * 2)} sockets open`, service.eventMs, bare.relayMs);
  return { perCallBytes, tenThousandRss };
}
