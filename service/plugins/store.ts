// Opens the store for the app and closes it last.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import { openDatabase } from '../store/database.js';
import type { Database } from '../store/schema.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The query layer over PGlite or PostgreSQL. */
    db: Kysely<Database>;
  }
}

async function storePlugin(fastify: FastifyInstance, opts: { config: Config }): Promise<void> {
  const db = await openDatabase({ dataDir: opts.config.dataDir, databaseUrl: opts.config.databaseUrl });
  fastify.decorate('db', db);
  fastify.addHook('onClose', async () => {
    await db.destroy();
  });
}

/** Decorates `db`. */
export default fp(storePlugin, { name: 'switchboard-store', fastify: '5.x' });
