// `npm run admin`: the CLI spawned against a temporary DATA_DIR (PGlite), then the service started on that store.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { repoRoot } from '../../service/config.js';
import { buildTestApp, fastConfig } from './helper.js';
import { bearer, createOrgCall, orgToken } from './orgs-helper.js';

const run = promisify(execFile);

/** Runs the CLI; resolves with its exit code and output (a non-zero exit does not throw). */
async function admin(dataDir: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: dataDir, LOG_LEVEL: 'silent', ORG_WEBHOOK_URL: 'http://127.0.0.1:1/webhook' };
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'scripts/admin.ts', ...args], { cwd: repoRoot, env, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

test('the admin CLI makes orgs and keys in the service\'s store, prints secrets once, and the service honours them', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-admin-'));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));

  const created = await admin(dataDir, 'org', 'create', '--name', 'Acme', '--webhook-url', 'http://127.0.0.1:9/hook', '--origins', 'https://desk.acme.example', '--json');
  assert.equal(created.code, 0, created.stderr);
  const made = JSON.parse(created.stdout) as { org: { id: string }; signingKey: { kid: string; secret: string }; apiKey: { id: string; key: string }; webhookSecret: string };
  const secrets = [made.signingKey.secret, made.apiKey.key, made.webhookSecret];

  const listed = await admin(dataDir, 'org', 'list');
  assert.equal(listed.code, 0, listed.stderr);
  assert.match(listed.stdout, /demo {2}Demo Helpdesk/, 'the org of the environment, made on first use');
  assert.match(listed.stdout, new RegExp(`${made.org.id} {2}Acme`));
  assert.match(listed.stdout, /allowed origins: https:\/\/desk\.acme\.example/);
  for (const secret of secrets) assert.ok(!listed.stdout.includes(secret), 'a listing shows no secret');

  const key = await admin(dataDir, 'key', 'create', '--org', made.org.id, '--name', 'reporting', '--json');
  const reporting = JSON.parse(key.stdout) as { id: string; key: string };
  assert.equal((await admin(dataDir, 'key', 'revoke', '--org', made.org.id, '--key', made.apiKey.id)).code, 0);
  const rotated = JSON.parse((await admin(dataDir, 'signing-key', 'rotate', '--org', made.org.id, '--json')).stdout) as { kid: string; secret: string };
  const revokedKid = await admin(dataDir, 'signing-key', 'revoke', '--org', made.org.id, '--kid', made.signingKey.kid);
  assert.equal(revokedKid.code, 0);
  assert.match(revokedKid.stdout, new RegExp(`Revoked ${made.signingKey.kid}`));

  const usage = await admin(dataDir, 'key', 'create', '--org', made.org.id);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /--name is required/);
  const unknown = await admin(dataDir, 'signing-key', 'rotate', '--org', 'no-such-org');
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /org_not_found/);

  // The service on the same store (PGlite: the CLI has exited, so the files are free).
  const app = await buildTestApp(t, { ...fastConfig({ DATA_DIR: dataDir }), databaseUrl: null });
  const org = { id: made.org.id, kid: rotated.kid, signingSecret: rotated.secret };
  const call = await createOrgCall(app, await orgToken(org), { origin: 'https://desk.acme.example' });
  assert.equal(call.res.statusCode, 201, 'the rotated key signs');
  assert.equal((await createOrgCall(app, await orgToken({ ...org, kid: made.signingKey.kid, signingSecret: made.signingKey.secret }))).res.statusCode, 401, 'the revoked kid does not');
  assert.equal((await app.inject({ url: `/v1/calls/${call.body.call.id}`, headers: bearer(reporting.key) })).statusCode, 200);
  assert.equal((await app.inject({ url: `/v1/calls/${call.body.call.id}`, headers: bearer(made.apiKey.key) })).statusCode, 401, 'the revoked API key');
});
