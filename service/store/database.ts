// Opens the store (PGlite files, in-memory PGlite, or PostgreSQL) and migrates it.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { Kysely, PGliteDialect, PostgresDialect, type DatabaseConnection, type Dialect, type Driver, type TransactionSettings } from 'kysely';
import { Pool } from 'pg';
import { Migrator } from 'kysely/migration';
import type { Database } from './schema.js';
import { migrationProvider } from './migrations.js';

/** Options of openDatabase. */
export interface DatabaseOptions {
  /** Folder for PGlite files, or 'memory://'. Ignored when databaseUrl is set. */
  dataDir: string;
  databaseUrl: string | null;
  /** Reports a pooled PostgreSQL connection that broke while idle (server restart, failover); the pool replaces it. */
  onConnectionError?: (err: Error) => void;
}

/** Connections each instance keeps to PostgreSQL (the live bus's LISTEN connection and a sweep's lock holder come out of or beside it). */
const POOL_SIZE = 10;

/**
 * PostgreSQL through a pg pool. An idle client whose server connection ends makes the pool emit `error`, which
 * without a listener is an uncaught exception: a database restart would take the whole process down.
 */
function postgresDialect(databaseUrl: string, onConnectionError: (err: Error) => void): Dialect {
  const pool = new Pool({ connectionString: databaseUrl, max: POOL_SIZE });
  pool.on('error', onConnectionError);
  return new PostgresDialect({ pool });
}

/**
 * PGlite is one connection; Kysely's PGlite driver hands it to every caller, so a query could land
 * inside someone else's transaction. This wrapper serialises connection use, as Kysely does for SQLite.
 */
class SerialDriver implements Driver {
  #queue: Promise<void> = Promise.resolve();
  #release: (() => void) | null = null;
  constructor(private readonly inner: Driver) {}
  init(): Promise<void> {
    return this.inner.init();
  }
  async acquireConnection(): Promise<DatabaseConnection> {
    const previous = this.#queue;
    let release!: () => void;
    this.#queue = new Promise<void>((r) => (release = r));
    await previous;
    this.#release = release;
    return this.inner.acquireConnection();
  }
  beginTransaction(c: DatabaseConnection, s: TransactionSettings): Promise<void> {
    return this.inner.beginTransaction(c, s);
  }
  commitTransaction(c: DatabaseConnection): Promise<void> {
    return this.inner.commitTransaction(c);
  }
  rollbackTransaction(c: DatabaseConnection): Promise<void> {
    return this.inner.rollbackTransaction(c);
  }
  async releaseConnection(c: DatabaseConnection): Promise<void> {
    await this.inner.releaseConnection(c);
    const release = this.#release;
    this.#release = null;
    release?.();
  }
  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}

function pgliteDialect(dataDir: string): Dialect {
  const inner = new PGliteDialect({
    // Loaded only when used: a service on PostgreSQL does not carry PGlite's ~40 MB of resident modules (docs/performance.md).
    pglite: async (): Promise<PGlite> => {
      const { PGlite } = await import('@electric-sql/pglite');
      if (dataDir === 'memory://') return new PGlite();
      const dir = join(dataDir, 'pglite');
      mkdirSync(dir, { recursive: true });
      return new PGlite(dir);
    },
  });
  return {
    createAdapter: () => inner.createAdapter(),
    createDriver: () => new SerialDriver(inner.createDriver()),
    createIntrospector: (db) => inner.createIntrospector(db),
    createQueryCompiler: () => inner.createQueryCompiler(),
  };
}

/** Opens the database named by the options and applies pending migrations. */
export async function openDatabase(options: DatabaseOptions): Promise<Kysely<Database>> {
  const dialect = options.databaseUrl
    ? postgresDialect(options.databaseUrl, options.onConnectionError ?? (() => undefined))
    : pgliteDialect(options.dataDir);
  const db = new Kysely<Database>({ dialect });
  const { error } = await new Migrator({ db, provider: migrationProvider }).migrateToLatest();
  if (error) {
    await db.destroy();
    throw error instanceof Error ? error : new Error('migration failed', { cause: error });
  }
  return db;
}
