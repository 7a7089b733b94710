// Orgs for the app: the env org made or updated at start, then the directory auth and the webhook worker ask.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config.js';
import { bootstrapEnvOrg } from './bootstrap.js';
import { OrgAdmin } from './org-admin.js';
import { OrgDirectory } from './org-directory.js';
import { OrgStore } from './org-store.js';

/** The orgs' parts: queries, request-time answers (keys, policy, endpoints, origins), and administration. */
export interface Orgs {
  store: OrgStore;
  directory: OrgDirectory;
  admin: OrgAdmin;
  /** The org of the environment (ORG_ID), made and kept in step with ORG_* at each start. */
  envOrgId: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Orgs: store, directory and administration. */
    orgs: Orgs;
  }
}

async function orgsPlugin(fastify: FastifyInstance, opts: { config: Config }): Promise<void> {
  const { config } = opts;
  const store = new OrgStore(fastify.db);
  // Before any request: the embedded default (and every deployment configured by ORG_*) has its org from the first one.
  const outcome = await bootstrapEnvOrg(store, config);
  const log = fastify.log.child({ module: 'orgs' });
  // Variable names only: some of them are secrets.
  if (outcome.created) log.info(`org ${config.org.id} created from the environment (ORG_*)`);
  else if (outcome.changed.length > 0) log.info(`org ${config.org.id}: applied the changed ${outcome.changed.join(', ')}`);
  const directory = new OrgDirectory(store);
  fastify.decorate('orgs', { store, directory, admin: new OrgAdmin(store, config), envOrgId: config.org.id } satisfies Orgs);
}

/** Decorates `orgs`. */
export default fp(orgsPlugin, { name: 'switchboard-orgs', fastify: '5.x', dependencies: ['switchboard-store'] });
