/**
 * Runs `npm start` (service + demo) as a child process on free ports with a fresh data
 * folder, the way a person would, and stops it (the whole process group) afterwards.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';

/** A running `npm start`. */
export interface Stack {
  serviceUrl: string;
  demoUrl: string;
  /** Everything the processes printed so far (for failure messages). */
  output: () => string;
  stop: () => Promise<void>;
}

const START_TIMEOUT_MS = 120_000;

/** Starts `npm start` with PORT, DEMO_PORT and DATA_DIR of its own; resolves once it prints its URLs. */
export async function startStack(env: Record<string, string> = {}): Promise<Stack> {
  const [port, demoPort] = [await freePort(), await freePort()];
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-stack-'));
  const child: ChildProcess = spawn('npm', ['start', '--silent'], {
    cwd: new URL('../../', import.meta.url),
    env: { ...process.env, PORT: String(port), DEMO_PORT: String(demoPort), DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));

  const stop = async () => {
    if (child.exitCode === null && child.pid) {
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
