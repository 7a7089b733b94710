// Opens the store for the app and closes it last; with it, what the instances sharing it coordinate through (live bus, job locks).
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import { MemoryLiveBus, type LiveBus } from '../live/live-bus.js';
import { PostgresLiveBus } from '../live/postgres-live-bus.js';
import { openDatabase } from '../store/database.js';
import { localJobLock, postgresJobLock, type JobLock } from '../store/job-lock.js';
import type { Database } from '../store/schema.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The query layer over PGlite or PostgreSQL. */
    db: Kysely<Database>;
    /** Presence and messages of the live sockets across instances (in memory on PGlite, LISTEN/NOTIFY on PostgreSQL). */
    liveBus: LiveBus;
    /** Runs periodic jobs (the sweeps) on one instance at a time. */
    jobLock: JobLock;
  }
}

async function storePlugin(fastify: FastifyInstance, opts: { config: Config }): Promise<void> {
  const { config } = opts;
  const storeLog = fastify.log.child({ module: 'store' });
  const db = await openDatabase({
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    onConnectionError: (err) => storeLog.warn(`a pooled database connection broke: ${err.message}`),
  });
  let bus: LiveBus;
  if (config.databaseUrl) {
    const log = fastify.log.child({ module: 'live-bus' });
    const pgBus = new PostgresLiveBus({ db, databaseUrl: config.databaseUrl, timings: config.liveBus, onError: (message) => log.warn(message) });
    try {
      await pgBus.start();
    } catch (err) {
      await pgBus.close().catch(() => undefined);
      await db.destroy();
      throw err;
    }
    bus = pgBus;
  } else {
    bus = new MemoryLiveBus();
  }
  fastify.decorate('db', db);
  fastify.decorate('liveBus', bus);
  fastify.decorate('jobLock', config.databaseUrl ? postgresJobLock(db) : localJobLock);
  fastify.addHook('onClose', async () => {
    await bus.close();
    await db.destroy();
  });
}

/** Decorates `db`, `liveBus` and `jobLock`. */
export default fp(storePlugin, { name: 'switchboard-store', fastify: '5.x' });
