// Periodic jobs (the sweeps) run on one instance at a time: a PostgreSQL advisory lock per run.
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';

/** First key of the job advisory locks (the second is a hash of the job's name). */
const JOB_LOCK_SPACE = 0x5b10;

/** Runs a job unless another instance is running it now. */
export interface JobLock {
  /** Runs `job` and resolves true, or resolves false at once when another instance holds the job's lock. */
  runExclusive(name: string, job: () => Promise<unknown>): Promise<boolean>;
}

/** PGlite: one process owns the files, so there is nobody to exclude (and its single connection could not be held anyway). */
export const localJobLock: JobLock = {
  async runExclusive(_name, job) {
    await job();
    return true;
  },
};

/**
 * PostgreSQL: a session-level `pg_try_advisory_lock` on a connection held for the run, released after it (or by the
 * server when a crashed instance's connection drops). The job's own queries use other connections of the pool.
 */
export function postgresJobLock(db: Kysely<Database>): JobLock {
  return {
    runExclusive(name, job) {
      return db.connection().execute(async (conn) => {
        const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_lock(${JOB_LOCK_SPACE}, hashtext(${name})) as locked`.execute(conn);
        if (!rows[0]?.locked) return false;
        try {
          await job();
        } finally {
          await sql`select pg_advisory_unlock(${JOB_LOCK_SPACE}, hashtext(${name}))`.execute(conn);
        }
        return true;
      });
    },
  };
}
