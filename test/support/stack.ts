/**
 * Runs what `npm start` runs (service + demo) as a child process on free ports with a fresh
 * data folder, the way a person would, and stops it (the whole process group) afterwards.
 * `npm start` rebuilds the bundle every time (~20 s on 2 cores); here scripts/start.ts runs on the
 * bundle in dist/ (built once when missing): run `npm run build` after changing sdk/.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../../service/config.js';
import { freePorts } from './free-port.js';

/** A running `npm start`. */
export interface Stack {
  serviceUrl: string;
  demoUrl: string;
  /** Everything the processes printed so far (for failure messages). */
  output: () => string;
  stop: () => Promise<void>;
}

/** Options of startStack; every field is optional. */
export interface StackOptions {
  /** Extra environment (LIVEKIT_*, ICE_SERVERS…), over this process's. */
  env?: Record<string, string>;
  /** The service's port, when something must know it before the stack starts (LiveKit's webhook URL); free one when unset. */
  port?: number;
  /** The demo's port; free one when unset. */
  demoPort?: number;
  /** Run dist-service/start.js with plain node, as `npm start` does (built here, once per process), instead of tsx. */
  compiled?: boolean;
}

const START_TIMEOUT_MS = 120_000;
/** What the bundle is built from: a change in any of these makes dist/ stale. */
const BUNDLE_SOURCES = ['sdk', 'protocol', 'rollup.config.mjs', 'tsconfig.json', 'package-lock.json'];

let building: Promise<void> | undefined;
let buildingService: Promise<unknown> | undefined;

/** Builds dist-service/ (`npm run build:service`) once per process. */
function ensureServiceBuild(): Promise<unknown> {
  buildingService ??= promisify(execFile)(process.execPath, ['scripts/build-service.mjs'], { cwd: repoRoot, timeout: 120_000 });
  return buildingService;
}

function newestMtimeMs(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestMtimeMs(join(path, name))), stat.mtimeMs);
}

/**
 * Builds dist/ with `npm run build` when it is missing (once per process). A bundle older than
 * its sources is used as it is, with a warning: sdk/ may be mid-edit, and `npm test` builds first.
 */
export function ensureBundle(): Promise<void> {
  building ??= (async () => {
    const bundle = join(repoRoot, 'dist', 'switchboard.js');
    if (existsSync(bundle)) {
      const sources = Math.max(...BUNDLE_SOURCES.map((p) => newestMtimeMs(join(repoRoot, p))));
      if (statSync(bundle).mtimeMs < sources) console.warn('warning: dist/ is older than sdk/ or protocol/: these tests run the old bundle (npm run build)');
      return;
    }
    await promisify(execFile)('npm', ['run', 'build', '--silent'], { cwd: repoRoot, maxBuffer: 16 * 1024 * 1024 });
  })();
  return building;
}

/** Starts the service and demo with PORT, DEMO_PORT and DATA_DIR of their own; resolves once they print their URLs. */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  await ensureBundle();
  if (options.compiled) await ensureServiceBuild();
  const [freeA, freeB] = (await freePorts(2)) as [number, number];
  const port = options.port ?? freeA;
  const demoPort = options.demoPort ?? (freeB === port ? freeA : freeB);
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-stack-'));
  const [command, args] = options.compiled
    ? [process.execPath, ['dist-service/start.js']]
    : [join(repoRoot, 'node_modules', '.bin', 'tsx'), ['scripts/start.ts']];
  const child: ChildProcess = spawn(command, args, {
    cwd: repoRoot,
    env: { ...process.env, PORT: String(port), DEMO_PORT: String(demoPort), DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));

  // A test process that dies without stop() must not leave the stack behind holding its ports.
  const killOnExit = () => { try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ } };
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null && child.pid) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
      const timer = setTimeout(() => { try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ } }, 5_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  await new Promise<void>((resolve, reject) => {
    const deadline = setTimeout(() => reject(new Error(`npm start did not come up in time:\n${out}`)), START_TIMEOUT_MS);
    const check = () => {
      if (out.includes('Switchboard is running')) { clearTimeout(deadline); resolve(); }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => { clearTimeout(deadline); reject(new Error(`npm start exited with ${code}:\n${out}`)); });
  }).catch(async (err: unknown) => { await stop(); throw err; });

  return {
    serviceUrl: `http://127.0.0.1:${port}`,
    demoUrl: `http://127.0.0.1:${demoPort}`,
    output: () => out,
    stop,
  };
}
