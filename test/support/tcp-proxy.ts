// A TCP proxy for tests that need a server to become unreachable and come back on the same address.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { freePort } from './free-port.js';

/** A TCP proxy on 127.0.0.1 in front of `target` (a LiveKit server's API) that can be cut and restored on the same port. */
export async function tcpProxy(target: number): Promise<{ port: number; up(): Promise<void>; down(): Promise<void> }> {
  const port = await freePort();
  const sockets = new Set<Socket>();
  let server: Server | null = null;
  const up = () => new Promise<void>((resolve) => {
    server = createServer((client) => {
      const upstream = connect(target, '127.0.0.1');
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const down = () => new Promise<void>((resolve) => {
    for (const s of sockets) s.destroy();
    if (!server) return resolve();
    server.close(() => resolve());
    server = null;
  });
  await up();
  return { port, up, down };
}
