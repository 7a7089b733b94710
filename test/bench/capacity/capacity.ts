/**
 * The capacity figures (`npm run bench`): throughput and latency of POST /v1/calls and POST /v1/join on PGlite and on
 * PostgreSQL, with one and two instances; resident memory idle and with open calls; live-socket latency with 10,000
 * sockets open. Each figure is printed beside the same measurement of a bare Fastify app in the same run, as a ratio.
 * Every server is a child process on 127.0.0.1, started here and stopped at the end; PostgreSQL gets fresh databases,
 * dropped when the bench exits (test/support/postgres.ts).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { sdkDir } from '../../../service/config.js';
import { testDatabaseUrl } from '../../support/postgres.js';
import { bareFigures, serviceFigures, type BareFigures, type HttpOutcome, type Timing } from './http-figures.js';
import { startReceiver } from './receiver.js';
import { verdict } from './report.js';
import { killServers, startServer, type BenchServer, type ServerSpec, type StartOptions } from './servers.js';
import { openCallSteps, printSocketFigures, socketFigures } from './socket-figures.js';
import { mb } from '../stats.js';

/** The targets. */
const TARGET_POSTGRES_PER_INSTANCE = 1_000;
const TARGET_PGLITE = 300;
const IDLE_POSTGRES_MAX_BYTES = 150 * 1024 * 1024;
const TEN_THOUSAND_CALLS_MAX_BYTES = 1024 * 1024 * 1024;

/** Options of the capacity figures (environment: BENCH_SECONDS, BENCH_PROFILE_DIR, BENCH_ONLY). */
export interface CapacityOptions {
  timing: Timing;
  /** Writes a CPU profile of every service process into this folder. */
  profileDir?: string;
  /** Runs only these parts: 'http', 'sockets', 'idle' (idle memory only; 'sockets' includes it). */
  parts: Set<string>;
}

function postgresUrl(): string | null {
  try {
    return testDatabaseUrl();
  } catch (err) {
    console.log(`PostgreSQL figures skipped: ${(err as Error).message}`);
    return null;
  }
}

function fdLimit(): number {
  return Number(execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim()) || 1024;
}

/** Runs every capacity figure and prints it. */
export async function capacityFigures(options: CapacityOptions): Promise<void> {
  const { timing } = options;
  const receiver = await startReceiver();
  const org = { id: 'bench', signingSecret: randomBytes(32).toString('base64url') };
  // Compiled by default, as `npm start` runs the service (scripts/build-service.mjs); tsx only for the comparison.
  const spec = (kind: ServerSpec['kind'], databaseUrl: string | null, compiled = true): ServerSpec => ({
    kind, databaseUrl, org, webhookUrl: receiver.url, webhookSecret: `whsec_${randomBytes(24).toString('base64')}`,
    serviceSecret: randomBytes(32).toString('base64url'), sdkDir, compiled,
  });
  const start = async (s: ServerSpec, profile = false) => {
    const startOptions: StartOptions = profile && options.profileDir ? { cpuProfileDir: options.profileDir } : {};
    const server = await startServer(s, startOptions);
    return server;
  };
  const stopAll = async (servers: BenchServer[]) => Promise.all(servers.map((s) => s.stop()));
  const idle = async (s: ServerSpec) => {
    const server = await start(s);
    const rss = (await server.memory()).usage.rss;
    await stopAll([server]);
    return rss;
  };
  console.log(`capacity: ${cpus().length} core(s) (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}; servers, load generator, webhook receiver and PostgreSQL share them`);
  console.log(`capacity: closed loop ${timing.connections} connections × ${timing.seconds} s, fixed rate ${timing.rateConnections} connections × ${timing.rateSeconds} s, after ${timing.warmupSeconds} s of warm-up; latencies of 2xx answers`);
  try {
    const outcomes: HttpOutcome[] = [];
    let idlePostgres: number | null = null;
    if (options.parts.has('http')) {
      // One instance's spec shared by both instances: same secrets, one database.
      const bare1 = await start(spec('bare', null));
      const bare2 = await start(spec('bare', null));
      const bareOne = await bareFigures([bare1], timing, [TARGET_PGLITE, TARGET_POSTGRES_PER_INSTANCE]);
      const bareTwo = await bareFigures([bare1, bare2], timing, [2 * TARGET_POSTGRES_PER_INSTANCE]);
      await stopAll([bare1, bare2]);
      const run = async (label: string, servers: BenchServer[], targetPerSecond: number, bare: BareFigures) => {
        outcomes.push(await serviceFigures({ label, servers, targetPerSecond, bare }, org, timing, receiver));
        for (const server of servers) console.log(`  RSS after the load: ${mb((await server.memory()).usage.rss)}`);
        await stopAll(servers);
      };
      await run('PGlite, 1 instance', [await start(spec('app', null), true)], TARGET_PGLITE, bareOne);
      const databaseUrl = postgresUrl();
      if (databaseUrl) {
        await run('PostgreSQL, 1 instance', [await start(spec('app', databaseUrl), true)], TARGET_POSTGRES_PER_INSTANCE, bareOne);
        const shared = spec('app', postgresUrl());
        await run('PostgreSQL, 2 instances', [await start(shared, true), await start(shared, true)], 2 * TARGET_POSTGRES_PER_INSTANCE, bareTwo);
      }
    }
    let tenThousand: number | null = null;
    if (options.parts.has('sockets')) {
      const limit = fdLimit();
      const steps = openCallSteps(limit);
      const idlePglite = await idle(spec('app', null));
      const bare = await start(spec('bare', null));
      const bareOutcome = await socketFigures(bare, null, steps);
      await stopAll([bare]);
      const bareRss = bareOutcome.idleRss;
      console.log(`memory PGlite, idle: RSS ${mb(idlePglite)} (×${(idlePglite / bareRss).toFixed(1)} bare ${mb(bareRss)})`);
      const tsxPglite = await idle(spec('app', null, false));
      const tsxBare = await idle(spec('bare', null, false));
      console.log(`memory PGlite, idle, under tsx (npm start before it was compiled): RSS ${mb(tsxPglite)} (×${(tsxPglite / tsxBare).toFixed(1)} bare ${mb(tsxBare)} also under tsx)`);
      const databaseUrl = postgresUrl();
      if (databaseUrl) {
        const service = await start(spec('app', databaseUrl), true);
        const outcome = await socketFigures(service, org, steps);
        await stopAll([service]);
        idlePostgres = outcome.idleRss;
        tenThousand = printSocketFigures('PostgreSQL', steps, limit, outcome, bareOutcome).tenThousandRss;
        const tsx = await idle(spec('app', postgresUrl(), false));
        console.log(`memory PostgreSQL, idle, under tsx (npm start before it was compiled): RSS ${mb(tsx)} (×${(tsx / tsxBare).toFixed(1)} bare ${mb(tsxBare)} also under tsx)`);
      }
    } else if (options.parts.has('idle')) {
      const databaseUrl = postgresUrl();
      if (databaseUrl) {
        const bare = await idle(spec('bare', null));
        idlePostgres = await idle(spec('app', databaseUrl));
        console.log(`memory PostgreSQL, idle, compiled (as npm start runs it): RSS ${mb(idlePostgres)} (×${(idlePostgres / bare).toFixed(1)} bare ${mb(bare)})`);
        const tsxBare = await idle(spec('bare', null, false));
        const tsx = await idle(spec('app', postgresUrl(), false));
        console.log(`memory PostgreSQL, idle, under tsx (npm start before it was compiled): RSS ${mb(tsx)} (×${(tsx / tsxBare).toFixed(1)} bare ${mb(tsxBare)} also under tsx)`);
      }
    }
    console.log('capacity targets:');
    for (const o of outcomes) console.log(`  ${o.label}: ≥ ${o.targetPerSecond} calls/s with p99 < 100 ms: ${verdict(o.targetMet)}`);
    if (idlePostgres !== null) console.log(`  idle instance on PostgreSQL < 150 MB: ${verdict(idlePostgres < IDLE_POSTGRES_MAX_BYTES)} (${mb(idlePostgres)})`);
    if (tenThousand !== null) console.log(`  10,000 open calls in one instance < 1 GB: ${verdict(tenThousand < TEN_THOUSAND_CALLS_MAX_BYTES)} (${mb(tenThousand)})`);
  } finally {
    killServers();
    await receiver.close();
  }
}
