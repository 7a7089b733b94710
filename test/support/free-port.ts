/** Finds free TCP ports on 127.0.0.1 (for processes that must know their ports up front). */
import { createServer, type Server } from 'node:net';

/** Resolves with a port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const [port] = await freePorts(1);
  return port!;
}

/**
 * Resolves with `count` distinct ports that were free a moment ago. All are held open
 * until every one is found: two freePort() calls in a row may get the same port back
 * (the kernel hands out a port again once it is closed), which makes a server that
 * listens on both exit at start.
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < count; i++) {
      const server = createServer();
      server.unref();
      servers.push(server);
      ports.push(
        await new Promise<number>((resolve, reject) => {
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => {
            const address = server.address();
            resolve(typeof address === 'object' && address ? address.port : 0);
          });
        }),
      );
    }
    return ports;
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }
}
