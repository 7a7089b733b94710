/** Finds free TCP ports on 127.0.0.1 (for processes that must know their ports up front). */
import { createServer, type Server } from 'node:net';
import { mkdirSync, openSync, closeSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Resolves with a port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const [port] = await freePorts(1);
  return port!;
}

/** Every port this process has handed out: none is handed out twice. */
const handedOut = new Set<number>();

/**
 * Test files run in parallel processes (`--test-concurrency`), and two of them may be handed the
 * same free port in the moment between probing it and their server binding it. A port is claimed
 * across processes by creating a marker file for it; a marker older than CLAIM_MS is stale (its
 * test has long bound the port or finished) and may be claimed again.
 */
const CLAIMS = join(tmpdir(), 'switchboard-test-ports');
const CLAIM_MS = 5 * 60_000;

function claim(port: number): boolean {
  mkdirSync(CLAIMS, { recursive: true });
  const marker = join(CLAIMS, String(port));
  try {
    closeSync(openSync(marker, 'wx'));
    return true;
  } catch {
    try {
      if (Date.now() - statSync(marker).mtimeMs < CLAIM_MS) return false;
      const now = new Date();
      utimesSync(marker, now, now);
      return true;
    } catch {
      return false;
    }
  }
}

/**
 * Resolves with `count` distinct ports that were free a moment ago and that this process
 * has not handed out before. Two freePort() calls in a row may otherwise get the same port
 * back (the kernel hands out a port again once it is closed), and a server told to listen
 * on both, or started after another server took the first, exits at start.
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    const ports: number[] = [];
    while (ports.length < count) {
      const server = createServer();
      server.unref();
      servers.push(server);
      const port = await new Promise<number>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => {
          const address = server.address();
          resolve(typeof address === 'object' && address ? address.port : 0);
        });
      });
      if (handedOut.has(port) || !claim(port)) continue;
      handedOut.add(port);
      ports.push(port);
    }
    return ports;
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }
}
