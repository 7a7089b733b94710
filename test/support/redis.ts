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
