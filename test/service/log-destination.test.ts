// JSON log lines leave the request path: they are buffered and written asynchronously, yet none is lost when the
// service closes or the process dies of an uncaught error (docs/performance.md, "Fixes").
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('./log-child.ts', import.meta.url));

/** Runs the child; its stdout as lines: the marker as is, log lines by their request id and message. */
function run(mode: 'close' | 'crash') {
  const child = spawnSync(process.execPath, ['--import', 'tsx', CHILD, mode], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, SWITCHBOARD_TEST_DATABASE: '' } });
  const lines = child.stdout.split('\n').filter(Boolean).map((line) => {
    if (!line.startsWith('{')) return line;
    const entry = JSON.parse(line) as { reqId?: string; msg?: string };
    return entry.reqId === 'log-probe' ? `${entry.reqId} ${entry.msg}` : 'other';
  }).filter((line) => line !== 'other');
  return { status: child.status, lines, stderr: child.stderr };
}

test('log lines are written after the code that logged them has moved on, and all of them by the time the app is closed', () => {
  const { status, lines, stderr } = run('close');
  assert.equal(status, 0, stderr);
  assert.deepEqual(lines, ['MARK', 'log-probe incoming request', 'log-probe request completed', 'CLOSED']);
});

test('lines still buffered when an uncaught error ends the process are written before it exits', () => {
  const { status, lines, stderr } = run('crash');
  assert.notEqual(status, 0);
  assert.match(stderr, /boom/);
  assert.deepEqual(lines, ['MARK', 'log-probe incoming request', 'log-probe request completed']);
});
