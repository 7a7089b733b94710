/**
 * `npm run bench`: prints figures, asserts nothing.
 * - bundle: bytes (raw and gzip) of the first load (dist/switchboard.js and its static
 *   imports) against what loads lazily when a call opens;
 * - service: latency of creating a call and of joining it, through Fastify's inject on
 *   an in-memory PGlite store (the embedded default's query path, without the network).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../../service/config.js';
import { DIST, firstLoadFiles, lazyFiles, sizeOf } from '../support/bundle.js';
import { buildApp } from '../../service/app.js';
import { signAgentToken } from '../../service/domain/agent-token.js';

const ITERATIONS = 200;

function bundleFigures(): void {
  if (!existsSync(join(DIST, 'switchboard.js'))) {
    console.log('bundle: dist/ is missing, run `npm run build` first');
    return;
  }
  const first = firstLoadFiles();
  const lazy = lazyFiles();
  const [f, l] = [sizeOf(first), sizeOf(lazy)];
  console.log(`bundle first load (${first.length} file(s)): ${f.raw} B raw, ${f.gzip} B gzip`);
  console.log(`bundle lazy on call open (${lazy.length} file(s)): ${l.raw} B raw, ${l.gzip} B gzip`);
}

function summary(name: string, samples: number[]): void {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(2);
  const mean = (samples.reduce((a, b) => a + b, 0) / samples.length).toFixed(2);
  console.log(`${name}: n=${samples.length} mean=${mean} ms p50=${at(0.5)} ms p95=${at(0.95)} ms max=${at(1)} ms`);
}

async function serviceFigures(): Promise<void> {
  const config = loadConfig({ DATA_DIR: 'memory://', LOG_LEVEL: 'silent', ORG_WEBHOOK_URL: 'http://127.0.0.1:9/unreachable' });
  const app = await buildApp(config);
  try {
    const create: number[] = [];
    const join: number[] = [];
    for (let i = 0; i < ITERATIONS; i++) {
      const token = await signAgentToken(config, {
        sub: 'agent-1', name: 'Bench Agent', conversation_id: `bench-${i}`, client_id: `client-${i}`,
        conversation_started: true, conversation_owner_id: 'agent-1',
      });
      let t0 = performance.now();
      const res = await app.inject({ method: 'POST', url: '/v1/calls', headers: { authorization: `Bearer ${token}` }, payload: { media: 'video' } });
      create.push(performance.now() - t0);
      const { joinUrl } = res.json<{ joinUrl: string }>();
      const url = new URL(joinUrl);
      const callId = url.pathname.split('/').pop()!;
      t0 = performance.now();
      const joined = await app.inject({ method: 'POST', url: '/v1/join', payload: { callId, secret: url.hash.slice(1) } });
      join.push(performance.now() - t0);
      if (res.statusCode !== 201 || joined.statusCode !== 200) throw new Error(`unexpected ${res.statusCode}/${joined.statusCode}`);
    }
    summary('POST /v1/calls (PGlite in memory)', create);
    summary('POST /v1/join  (PGlite in memory)', join);
  } finally {
    await app.close();
  }
}

bundleFigures();
await serviceFigures();
