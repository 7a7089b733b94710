/**
 * `npm start` (scripts/start.ts) as a person runs it: readable log lines by default, so the URL
 * banner is not buried under JSON; pino's JSON lines with LOG_FORMAT=json; a bad LOG_FORMAT stops
 * it with a message naming the variable.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../../service/config.js';
import { startStack, type Stack } from '../support/stack.js';

async function withStack(t: { after: (fn: () => Promise<unknown>) => void }, env: Record<string, string>): Promise<Stack> {
  const stack = await startStack({ env: { LOG_LEVEL: 'info', ...env } });
  t.after(() => stack.stop());
  // One request to each app, and a refused one.
  await fetch(`${stack.serviceUrl}/healthz`);
  await fetch(`${stack.demoUrl}/api/conversations`);
  await fetch(`${stack.serviceUrl}/v1/calls`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  await new Promise((resolve) => setTimeout(resolve, 300));
  return stack;
}

/** The lines written after the banner (the request logs). */
function linesAfterBanner(output: string): string[] {
  return output.slice(output.indexOf('Stop with Ctrl+C.')).split('\n').slice(1).filter((line) => line.trim() !== '');
}

test('npm start logs one readable line per entry by default: time, level, request id, method, URL, status, duration', async (t) => {
  const stack = await withStack(t, {});
  const lines = linesAfterBanner(stack.output());
  assert.ok(lines.length >= 6, `request lines were logged:\n${stack.output()}`);
  assert.ok(lines.every((line) => !line.trimStart().startsWith('{')), `no JSON line:\n${lines.join('\n')}`);
  assert.ok(lines.some((line) => /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: \[[\w-]+\] incoming request GET \/healthz$/.test(line)), lines.join('\n'));
  assert.ok(lines.some((line) => /INFO: \[[\w-]+\] request completed → 200 in \d+ ms$/.test(line)), lines.join('\n'));
  assert.ok(lines.some((line) => /incoming request GET \/api\/conversations$/.test(line)), 'the demo logs the same way');
  assert.ok(lines.some((line) => /request completed → 401 in \d+ ms$/.test(line)));
});

test('LOG_FORMAT=json writes pino JSON lines (for log shippers)', async (t) => {
  const stack = await withStack(t, { LOG_FORMAT: 'json' });
  const lines = linesAfterBanner(stack.output());
  assert.ok(lines.length >= 6, stack.output());
  const entries = lines.map((line) => JSON.parse(line) as { level: number; msg: string; req?: { url: string }; res?: { statusCode: number } });
  assert.ok(entries.some((e) => e.msg === 'incoming request' && e.req?.url === '/healthz'));
  assert.ok(entries.some((e) => e.msg === 'request completed' && e.res?.statusCode === 401));
});

test('a bad LOG_FORMAT stops npm start with a message naming the variable', async () => {
  const run = promisify(execFile);
  const failure = await run(join(repoRoot, 'node_modules', '.bin', 'tsx'), ['scripts/start.ts'], {
    cwd: repoRoot, env: { ...process.env, LOG_FORMAT: 'xml', PORT: '0', DEMO_PORT: '0', DATA_DIR: 'memory://' }, timeout: 30_000,
  }).then(() => null, (error: unknown) => error as { code: number; stderr: string });
  assert.ok(failure, 'npm start refused to start');
  assert.equal(failure.code, 1);
  assert.match(failure.stderr, /LOG_FORMAT: must be one of pretty, json/);
});
