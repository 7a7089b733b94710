import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { openDatabase } from '../../service/store/database.js';

// Records every module specifier the child resolves, from the loader thread.
const RECORD_RESOLVES = `data:text/javascript,${encodeURIComponent(`
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  appendFileSync(1, specifier + '\\n');
  return next(specifier, context);
}`)}`;

test('the service loads PGlite only when it opens a PGlite store, not on PostgreSQL', () => {
  const app = new URL('../../service/app.ts', import.meta.url).href;
  const script = `import { register } from 'node:module'; register(${JSON.stringify(RECORD_RESOLVES)}); await import(${JSON.stringify(app)});`;
  const resolved = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: fileURLToPath(new URL('../..', import.meta.url)), encoding: 'utf8', timeout: 60_000 });
  assert.match(resolved, /store\/database\.js/, 'the resolve hook saw the store');
  assert.doesNotMatch(resolved, /@electric-sql\/pglite/);
});

test('an in-memory PGlite store still opens and answers', async () => {
  const db = await openDatabase({ dataDir: 'memory://', databaseUrl: null });
  try {
    const { rows } = await sql<{ one: number }>`select 1 as one`.execute(db);
    assert.equal(rows[0]?.one, 1);
  } finally {
    await db.destroy();
  }
});
