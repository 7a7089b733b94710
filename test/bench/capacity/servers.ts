/** Starts the measured servers (server-process.ts) as child processes, asks them for their memory, and stops them. */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { BenchOrg } from './tokens.js';

/** What a server process runs. */
export interface ServerSpec {
  kind: 'app' | 'bare';
  /** PostgreSQL; null: in-memory PGlite. */
  databaseUrl: string | null;
  webhookUrl: string;
  webhookSecret: string;
  serviceSecret: string;
  org: BenchOrg;
  /** LOG_LEVEL of the service (its lines go to /dev/null); the bench keeps the default, info. */
  logLevel?: string;
  /** LOG_FORMAT of the service; the bench uses json, what a deployment behind a log shipper sets (pretty is for terminals). */
  logFormat?: string;
  /** The folder served at /sdk/ (dist/). */
  sdkDir: string;
  /** Run the esbuild bundle of server-process.ts with plain node instead of the TypeScript through tsx. */
  compiled?: boolean;
}

/** Messages a server process sends. */
export type ChildMessage =
  | { type: 'ready'; url: string }
  | { type: 'memory'; id: number; usage: NodeJS.MemoryUsage; sockets: number }
  | { type: 'cpu'; id: number; usage: NodeJS.CpuUsage };

/** Messages a server process takes. */
export type ParentMessage = { type: 'memory' | 'cpu'; id: number } | { type: 'close' };

/** A running server process. */
export interface BenchServer {
  url: string;
  pid: number;
  /** Memory after a full collection, and the live sockets it holds. */
  memory(): Promise<{ usage: NodeJS.MemoryUsage; sockets: number }>;
  /** CPU time the process has used so far (user + system), in ms. */
  cpuMs(): Promise<number>;
  stop(): Promise<void>;
}

const ENTRY = fileURLToPath(new URL('./server-process.ts', import.meta.url));
/** Inside node_modules so that the bundle's package imports resolve as the sources' do. */
const BUNDLE_DIR = fileURLToPath(new URL('../../../node_modules/.cache/switchboard-bench/', import.meta.url));
const BUNDLE = `${BUNDLE_DIR}server-process.js`;
let bundled: Promise<unknown> | null = null;

/**
 * Bundles server-process.ts and the service (packages stay external), once per bench run. Split at the dynamic imports:
 * each chunk imports its own packages, so the bare app's process loads none of the service's.
 */
function bundle(): Promise<unknown> {
  bundled ??= build({
    entryPoints: [ENTRY], outdir: BUNDLE_DIR, outExtension: { '.js': '.js' }, bundle: true, splitting: true, platform: 'node', format: 'esm',
    target: 'node20', packages: 'external', logLevel: 'warning', banner: { js: '// esbuild bundle of test/bench/capacity/server-process.ts (npm run bench)' },
  });
  return bundled;
}
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;
const running = new Set<ChildProcess>();

/** Options of startServer. */
export interface StartOptions {
  /** A folder to write a CPU profile (--cpu-prof) into when the server stops. */
  cpuProfileDir?: string;
  /** A folder to write a sampling heap profile (--heap-prof) into when the server stops. */
  heapProfileDir?: string;
}

/** Starts a server process and waits until it listens. */
export async function startServer(spec: ServerSpec, options: StartOptions = {}): Promise<BenchServer> {
  if (spec.compiled) await bundle();
  const execArgv = spec.compiled ? ['--expose-gc'] : ['--import', 'tsx', '--expose-gc'];
  if (options.cpuProfileDir) execArgv.push('--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`);
  if (options.heapProfileDir) execArgv.push('--heap-prof', `--heap-prof-dir=${options.heapProfileDir}`);
  const child = fork(spec.compiled ? BUNDLE : ENTRY, [], { execArgv, env: { ...process.env, BENCH_SERVER_SPEC: JSON.stringify(spec) }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${spec.kind} server not ready within ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS);
    child.on('message', (m: ChildMessage) => {
      if (m.type === 'ready') {
        clearTimeout(timer);
        resolve(m.url);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${spec.kind} server exited with ${code} before listening`));
    });
  }).catch((err: Error) => {
    child.kill('SIGKILL');
    throw err;
  });
  let nextId = 0;
  const ask = <T extends 'memory' | 'cpu'>(type: T) => new Promise<Extract<ChildMessage, { type: T }>>((resolve) => {
    const id = nextId++;
    const onMessage = (m: ChildMessage) => {
      if (m.type !== type || !('id' in m) || m.id !== id) return;
      child.off('message', onMessage);
      resolve(m as Extract<ChildMessage, { type: T }>);
    };
    child.on('message', onMessage);
    child.send({ type, id } satisfies ParentMessage);
  });
  return {
    url,
    pid: child.pid!,
    memory: async () => {
      const m = await ask('memory');
      return { usage: m.usage, sockets: m.sockets };
    },
    cpuMs: async () => {
      const { usage } = await ask('cpu');
      return (usage.user + usage.system) / 1000;
    },
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.send({ type: 'close' } satisfies ParentMessage);
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Kills what is still running (the bench was interrupted or failed). */
export function killServers(): void {
  for (const child of running) child.kill('SIGKILL');
}
