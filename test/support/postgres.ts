/**
 * The machine's PostgreSQL for tests: checks that it answers (starting Debian's cluster when it
 * does not), and hands out fresh databases that are dropped when the test process exits.
 *
 * Synchronous on purpose (psql): `fastConfig()` is called at module top level, before any hook.
 * Run directly (`tsx test/support/postgres.ts`) it checks the server and drops the databases
 * left behind by test processes that died.
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Where these machines run PostgreSQL (trust auth); SWITCHBOARD_TEST_POSTGRES_URL points elsewhere. */
export const POSTGRES_ADMIN_URL = process.env.SWITCHBOARD_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/** Every test database's name starts with this, then the creating process id. */
export const TEST_DATABASE_PREFIX = 'sb_test_';
/** What to do when PostgreSQL cannot be reached, in one line. */
const INSTRUCTION = `PostgreSQL does not answer at ${POSTGRES_ADMIN_URL}: install and start it (apt-get install -y postgresql && pg_ctlcluster 15 main start, trust auth for 127.0.0.1 in pg_hba.conf) or set SWITCHBOARD_TEST_POSTGRES_URL`;

/** Whether the service tests run on PostgreSQL (`SWITCHBOARD_TEST_DATABASE=postgres`, as `npm run test:node:pg` sets it). */
export function usePostgres(): boolean {
  return process.env.SWITCHBOARD_TEST_DATABASE === 'postgres';
}

function psql(sql: string, url = POSTGRES_ADMIN_URL): string {
  return execFileSync('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', sql], { encoding: 'utf8', timeout: 15_000, stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** Whether the server answers a query. */
export function postgresAnswers(): boolean {
  try {
    return psql('select 1') === '1';
  } catch {
    return false;
  }
}

/** Makes sure PostgreSQL answers: starts Debian's clusters when they are down, else throws the one-line instruction. */
export function ensurePostgres(): void {
  if (postgresAnswers()) return;
  try {
    // `pg_lsclusters` lines: version, cluster name, port, status, …
    const clusters = execFileSync('pg_lsclusters', ['--no-header'], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
    for (const line of clusters) {
      const [version, name, , status] = line.split(/\s+/);
      if (version && name && status !== 'online') execFileSync('pg_ctlcluster', [version, name, 'start'], { stdio: 'ignore', timeout: 60_000 });
    }
  } catch {
    // not Debian's packaging, or it failed to start: the instruction below says what to do
  }
  if (!postgresAnswers()) throw new Error(INSTRUCTION);
}

const created = new Set<string>();
let checked = false;

/** A database URL on the same server as POSTGRES_ADMIN_URL. */
export function databaseUrl(name: string): string {
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * The URL of a test database, created now: a fresh one for each call without a key, and the same one for the same key
 * within a process (two apps on one DATA_DIR share a database, as a restart would). Dropped when the process exits.
 */
export function testDatabaseUrl(key?: string): string {
  if (!checked) {
    ensurePostgres();
    checked = true;
    process.once('exit', dropCreatedDatabases);
  }
  const suffix = key === undefined ? randomBytes(6).toString('hex') : createHash('sha256').update(key).digest('hex').slice(0, 12);
  const name = `${TEST_DATABASE_PREFIX}${process.pid}_${suffix}`;
  if (!created.has(name)) {
    psql(`create database ${name}`);
    created.add(name);
  }
  return databaseUrl(name);
}

/** Drops this process's test databases (FORCE: connections an unclosed app still holds are ended). */
export function dropCreatedDatabases(): void {
  if (created.size === 0) return;
  const statements = [...created].flatMap((name) => ['-c', `drop database if exists ${name} with (force)`]);
  created.clear();
  try {
    execFileSync('psql', ['-X', '-q', '-d', POSTGRES_ADMIN_URL, ...statements], { stdio: 'ignore', timeout: 30_000 });
  } catch {
    // the next `tsx test/support/postgres.ts` drops what is left
  }
}

/** Drops test databases whose creating process is gone (a test process killed before its exit handler ran). */
export function dropStaleDatabases(): string[] {
  const names = psql(`select datname from pg_database where datname like '${TEST_DATABASE_PREFIX}%'`).split('\n').filter(Boolean);
  const stale = names.filter((name) => !processAlive(Number(name.slice(TEST_DATABASE_PREFIX.length).split('_')[0])));
  for (const name of stale) psql(`drop database if exists ${name} with (force)`);
  return stale;
}

function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isMain(): boolean {
  try {
    return !!process.argv[1] && realpathSync(fileURLToPath(import.meta.url)) === realpathSync(process.argv[1]);
  } catch {
    return false;
  }
}

if (isMain()) {
  try {
    ensurePostgres();
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
  const stale = dropStaleDatabases();
  console.log(`PostgreSQL answers at ${POSTGRES_ADMIN_URL}${stale.length > 0 ? `; dropped ${stale.length} stale test database(s)` : ''}`);
}
