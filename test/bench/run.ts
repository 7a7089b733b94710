/**
 * `npm run bench`: prints figures, asserts nothing. `npm run bench -- http sockets` runs only those parts.
 * - bundle: bytes (raw and gzip) of the first load (dist/switchboard.js and its static imports) against what loads
 *   lazily when a call opens;
 * - http: POST /v1/calls and POST /v1/join through real HTTP (autocannon) on PGlite and PostgreSQL, one and two
 *   instances, each beside a bare Fastify route measured in the same run (capacity/http-figures.ts);
 * - sockets: resident memory idle and with open calls, live-socket latency with 10,000 sockets open, beside a bare
 *   Fastify WebSocket relay (capacity/socket-figures.ts);
 * - idle: only the resident memory of an idle instance on PostgreSQL, compiled (as `npm start` runs it) and under tsx
 *   (included in sockets);
 * - calls: real calls through `npm start` in Debian's Chromium (fake devices, loopback), in each media mode (direct
 *   peer-to-peer, and LiveKit with a local LiveKit server started here): click → invite in the conversation, link
 *   opened → pre-join preview showing, Join pressed → both connected → first video bytes.
 * Environment: BENCH_SECONDS (closed-loop run length, default 10), BENCH_PROFILE_DIR (CPU profiles of the service
 * processes, for `node --cpu-prof`-style analysis). Everything listens on 127.0.0.1 and stops when the bench ends.
 */
import { existsSync } from 'node:fs';
import { bundleFigures } from './bundle-figures.js';
import { callFigures } from './call-figures.js';
import { capacityFigures } from './capacity/capacity.js';
import { killServers } from './capacity/servers.js';
import { MEDIA_MODES } from '../support/modes.js';

const PARTS = ['bundle', 'http', 'sockets', 'idle', 'calls'];
const asked = process.argv.slice(2).filter((a) => PARTS.includes(a));
const parts = new Set(asked.length > 0 ? asked : PARTS);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);

// Ctrl+C: no server left behind, and the exit handlers drop the bench's databases.
process.once('SIGINT', () => {
  killServers();
  process.exit(130);
});

const started = performance.now();
if (parts.has('bundle')) bundleFigures();
if (parts.has('http') || parts.has('sockets') || parts.has('idle')) {
  await capacityFigures({
    timing: { seconds, connections: 10, rateSeconds: Math.max(2, seconds / 2), rateConnections: 50, warmupSeconds: Math.max(1, seconds / 5) },
    profileDir: process.env.BENCH_PROFILE_DIR,
    parts,
  });
}
if (parts.has('calls')) {
  if (existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium')) {
    for (const mode of MEDIA_MODES) {
      // One mode failing (a slow machine, LiveKit not starting) must not hide the other's figures.
      await callFigures(mode).catch((err: Error) => console.log(`calls [${mode}]: failed: ${err.message.split('\n')[0]}`));
    }
  } else {
    console.log('calls: Chromium is missing, skipped (npm test installs it)');
  }
}
console.log(`bench: ${((performance.now() - started) / 1000).toFixed(0)} s`);
