/**
 * POST /v1/calls (each request a conversation of its own, so each makes a call) and POST /v1/join (a client opening a
 * call's link), on the given servers: as fast as 10 connections go, and at the target rate.
 */
import type { BenchServer } from './servers.js';
import { runLoad, type LoadOptions, type LoadResult } from './load.js';
import { runPaced } from './paced.js';
import { loadLine, ms, verdict } from './report.js';
import type { Receiver } from './receiver.js';
import { agentTokenFor, type BenchOrg } from './tokens.js';
import { BARE_POST_PATH } from './bare-server.js';

/** How long each run lasts and how many connections it uses. */
export interface Timing {
  /** Closed-loop runs (as the issue's autocannon runs: 10 connections, 10 s). */
  seconds: number;
  connections: number;
  /** Runs at a fixed rate (paced.ts): shorter, with enough connections that a slow answer does not hold the rate back. */
  rateSeconds: number;
  rateConnections: number;
  /** Unmeasured load first, so that the JIT and the pools are warm. */
  warmupSeconds: number;
}

/** The bare app's figures for one number of instances: closed loop, and at each rate asked. */
export interface BareFigures {
  closed: LoadResult;
  atRate: Map<number, LoadResult>;
}

/** Measures the bare app on these servers: closed loop, then at each rate. */
export async function bareFigures(servers: BenchServer[], timing: Timing, rates: number[]): Promise<BareFigures> {
  const urls = servers.map((s) => s.url);
  const request = (n: number) => ({ body: JSON.stringify({ media: 'video', n }) });
  await runLoad({ urls, path: BARE_POST_PATH, connections: timing.connections, durationSeconds: timing.warmupSeconds, request });
  const closed = await runLoad({ urls, path: BARE_POST_PATH, connections: timing.connections, durationSeconds: timing.seconds, request });
  const atRate = new Map<number, LoadResult>();
  for (const rate of rates) {
    atRate.set(rate, await runPaced({ urls, path: BARE_POST_PATH, connections: timing.rateConnections, durationSeconds: timing.rateSeconds, rate, request }));
  }
  return { closed, atRate };
}

/** One setup of the service: its servers and the rate it should sustain. */
export interface ServiceSetup {
  label: string;
  servers: BenchServer[];
  /** Calls per second the setup should sustain (the per-instance target times the instances). */
  targetPerSecond: number;
  bare: BareFigures;
}

/** What the service's HTTP figures came to, for the verdicts and the docs. */
export interface HttpOutcome {
  label: string;
  create: LoadResult;
  createAtTarget: LoadResult;
  join: LoadResult;
  targetPerSecond: number;
  targetMet: boolean;
}

let conversations = 0;
/** Longest wait for the outbox worker to catch up after a run. */
const DRAIN_TIMEOUT_MS = 30_000;

/** Waits until the receiver has both webhooks of every call made since `before` (or the timeout); the seconds waited. */
async function drained(receiver: Receiver, before: number, calls: number): Promise<number> {
  const started = performance.now();
  while (receiver.received() - before < 2 * calls && performance.now() - started < DRAIN_TIMEOUT_MS) await new Promise((r) => setTimeout(r, 20));
  return (performance.now() - started) / 1000;
}

const cpuMs = async (servers: BenchServer[]) => (await Promise.all(servers.map((s) => s.cpuMs()))).reduce((a, b) => a + b, 0);

/** Runs the create and join figures on a setup and prints them. */
export async function serviceFigures(setup: ServiceSetup, org: BenchOrg, timing: Timing, receiver: Receiver): Promise<HttpOutcome> {
  const urls = setup.servers.map((s) => s.url);
  const links: { callId: string; secret: string }[] = [];
  const receivedBefore = receiver.received();
  const create = (seconds: number, connections: number, rate?: number) => {
    const options: LoadOptions = { urls, path: '/v1/calls', connections, durationSeconds: seconds, request: createRequest, onResponse: keepLink };
    return rate ? runPaced({ ...options, rate }) : runLoad(options);
  };
  const createRequest = () => {
    const n = conversations++;
    return { body: '{"media":"video"}', headers: { authorization: `Bearer ${agentTokenFor(org, `bench-${n}`, n)}` } };
  };
  const keepLink = (status: number, body: string) => {
    if (status !== 201 || links.length >= 50_000) return;
    const { joinUrl } = JSON.parse(body) as { joinUrl: string };
    const [path, secret] = joinUrl.split('#');
    links.push({ callId: path!.slice(path!.lastIndexOf('/') + 1), secret: secret! });
  };
  await create(timing.warmupSeconds, timing.connections);
  await drained(receiver, receivedBefore, links.length);
  const webhooksBefore = receiver.received();
  const cpuBefore = await cpuMs(setup.servers);
  const closed = await create(timing.seconds, timing.connections);
  const webhooks = receiver.received() - webhooksBefore;
  const lagSeconds = await drained(receiver, receivedBefore, links.length);
  const cpuPerCall = (await cpuMs(setup.servers) - cpuBefore) / closed.ok;
  const atTarget = await create(timing.rateSeconds, timing.rateConnections, setup.targetPerSecond);
  const join = await runLoad({
    urls, path: '/v1/join', connections: timing.connections, durationSeconds: timing.seconds,
    request: (n) => ({ body: JSON.stringify(links[n % links.length]) }),
  });
  const atRateBare = setup.bare.atRate.get(setup.targetPerSecond) ?? null;
  const reached = atTarget.gaveUpAfterSeconds === undefined && atTarget.perSecond >= setup.targetPerSecond * 0.97;
  const targetMet = reached && atTarget.p99Ms < 100;
  console.log(loadLine(`POST /v1/calls  ${setup.label}, ${timing.connections} connections`, closed, setup.bare.closed, 'calls'));
  console.log(`  webhooks received meanwhile: ${(webhooks / Math.max(1, closed.ok)).toFixed(2)} per call made (2 when the outbox worker keeps up); the rest ${lagSeconds.toFixed(1)} s after the load`);
  console.log(`  service CPU per call made, its 2 webhooks included: ${cpuPerCall.toFixed(2)} ms${setup.servers.length > 1 ? ' (both instances)' : ''}`);
  console.log(loadLine(`POST /v1/calls  ${setup.label}, at ${setup.targetPerSecond}/s`, atTarget, atRateBare, 'calls'));
  const gaveUp = atTarget.gaveUpAfterSeconds === undefined ? '' : `: a second of requests was waiting after ${atTarget.gaveUpAfterSeconds.toFixed(1)} s, sending stopped`;
  console.log(`  target ≥ ${setup.targetPerSecond}/s with p99 < 100 ms: ${verdict(targetMet)}${reached ? '' : ` (rate not reached${gaveUp})`} (p99 ${ms(atTarget.p99Ms)})`);
  console.log(loadLine(`POST /v1/join   ${setup.label}, ${timing.connections} connections`, join, setup.bare.closed, 'joins'));
  return { label: setup.label, create: closed, createAtTarget: atTarget, join, targetPerSecond: setup.targetPerSecond, targetMet };
}
