/**
 * scripts/ensure-livekit.mjs as `npm test` runs it, in the cases that need no build: a
 * LIVEKIT_SERVER_BIN is used as given (or refused with a one-line reason), and a machine
 * without Go ≥ 1.26 gets a one-line instruction instead of a stack trace.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../../service/config.js';

function ensure(env: Record<string, string>) {
  const result = spawnSync(process.execPath, ['scripts/ensure-livekit.mjs'], { cwd: repoRoot, env: { ...env, HOME: env.HOME ?? tmpdir() }, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout.trim(), stderr: result.stderr.trim() };
}

test('LIVEKIT_SERVER_BIN is used as given when it is executable, and refused in one line when it is not', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-ensure-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  assert.deepEqual(ensure({ LIVEKIT_SERVER_BIN: process.execPath }), { status: 0, stdout: process.execPath, stderr: '' });
  const notExecutable = join(dir, 'server');
  writeFileSync(notExecutable, 'not a program', { mode: 0o644 });
  const refused = ensure({ LIVEKIT_SERVER_BIN: notExecutable });
  assert.equal(refused.status, 1);
  assert.equal(refused.stderr, `LIVEKIT_SERVER_BIN=${notExecutable} is not an executable file; point it at a livekit-server binary or unset it.`);
});

test('with no cached build and no Go on the PATH, it stops with a one-line instruction', (t) => {
  const cache = mkdtempSync(join(tmpdir(), 'switchboard-ensure-'));
  t.after(() => rmSync(cache, { recursive: true, force: true }));
  const result = ensure({ LIVEKIT_CACHE_DIR: cache, PATH: join(cache, 'no-go-here') });
  assert.equal(result.status, 1);
  assert.equal(result.stderr.split('\n').length, 1, result.stderr);
  assert.match(result.stderr, /^The LiveKit tests need livekit-server 1\.13\.5: install Go >= 1\.26 \(https:\/\/go\.dev\/dl\/\) or set LIVEKIT_SERVER_BIN, then retry\.$/);
});
