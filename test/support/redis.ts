/** The machine's Redis, as the multi-node LiveKit tests use it (they only ever read it here). */
import { connect } from 'node:net';

/** Where these machines run Redis. */
export const REDIS_ADDRESS = '127.0.0.1:6379';
/**
 * The Redis database the test LiveKit clusters keep their node registry and rooms in, away from
 * database 0 and anything else on the shared Redis (nothing is ever flushed).
 */
export const LIVEKIT_TEST_REDIS_DB = 11;

/** Whether something answers PING with PONG on REDIS_ADDRESS (within 1 s). */
export function redisUp(): Promise<boolean> {
  const [host, port] = REDIS_ADDRESS.split(':') as [string, string];
  return new Promise((resolve) => {
    const socket = connect(Number(port), host);
    const done = (up: boolean) => { socket.destroy(); resolve(up); };
    socket.setTimeout(1_000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

/**
 * Redis for the multi-node tests: the machine's when it answers; otherwise Debian's
 * `redis-server` is started on REDIS_ADDRESS (these machines run one before a session, so
 * this only matters where it stopped). Resolves null when Redis is up, else why it cannot be.
 */
export async function ensureRedis(): Promise<string | null> {
  if (await redisUp()) return null;
  const { execFileSync } = await import('node:child_process');
  const [host, port] = REDIS_ADDRESS.split(':') as [string, string];
  try {
    execFileSync('redis-server', ['--daemonize', 'yes', '--bind', host, '--port', port, '--save', '', '--appendonly', 'no'], { stdio: 'ignore', timeout: 10_000 });
  } catch {
    return `no Redis on ${REDIS_ADDRESS} and no redis-server to start (apt-get install -y redis-server)`;
  }
  for (let i = 0; i < 50; i++) {
    if (await redisUp()) return null;
    await new Promise((r) => setTimeout(r, 100));
  }
  return `redis-server was started but does not answer on ${REDIS_ADDRESS}`;
}
