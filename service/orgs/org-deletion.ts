// Deleting an org: its keys stop working at once, its open calls end (org_deleted), then every row of it is removed.
import type { FastifyInstance } from 'fastify';
import { sql, type Kysely } from 'kysely';
import { ServiceError } from '../errors.js';
import type { Database } from '../store/schema.js';

/** The reason recorded on (and sent to the sockets of) calls ended by their org's deletion. */
export const ORG_DELETED_REASON = 'org_deleted';
/** Open calls ended per round (a round is repeated until none is left). */
const END_BATCH = 200;
/** How long the deletion waits for the live sockets of the ended calls to close (on any instance) before removing the rows. */
const SOCKETS_DRAIN_MS = 5_000;
const SOCKETS_POLL_MS = 50;

/** What a deletion needs from the rest of the service. */
export interface OrgDeletionDeps {
  db: Kysely<Database>;
  /** Ends a call (CallsService.end): its timeline, its sockets told on every instance, its media room deleted (LiveKit). */
  endCall: (callId: string, by: 'system', reason: string) => Promise<unknown>;
  /** Whether a call still has a live socket on any instance (the live bus's presence). */
  connected: (callId: string) => Promise<boolean>;
  /** The org of the environment (ORG_ID): not deletable, its ORG_* variables would make it again at the next start. */
  envOrgId: string;
  now?: () => Date;
}

/** What a deletion did. */
export interface OrgDeletionResult {
  id: string;
  deletedAt: string;
  /** Calls that were open and were ended with reason org_deleted. */
  callsEnded: number;
  /** Calls removed (open and past ones). */
  callsDeleted: number;
  /** Webhook deliveries removed (pending ones are never sent). */
  deliveriesDeleted: number;
}

/** A deletion's dependencies from a built app (admin route, CLI): its calls service, live bus and env org. */
export const orgDeletionDeps = (app: FastifyInstance): OrgDeletionDeps => ({
  db: app.db,
  endCall: (callId, by, reason) => app.calls.end(callId, by, reason),
  connected: async (callId) => (await app.liveBus.present(callId, 'agent')) || (await app.liveBus.present(callId, 'client')),
  envOrgId: app.orgs.envOrgId,
});

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Deletes an org, in this order, so that nothing of it works after the first step and nothing is left after the last:
 * 1. every signing key and API key is revoked (keys are read at each use: agent tokens and API keys get 401 at once,
 *    on every instance); 2. its open calls end (`org_deleted`): sockets are closed with "call ended", LiveKit rooms
 *    deleted; 3. its rows are removed in one transaction: calls, timelines, webhook deliveries, LiveKit and presence
 *    rows, keys, and the org. Call credentials then get 401 (their call no longer exists). A deletion cut short
 *    (crash) leaves the org with its keys revoked; running it again finishes it.
 */
export async function deleteOrg(deps: OrgDeletionDeps, orgId: string): Promise<OrgDeletionResult> {
  const { db } = deps;
  const now = deps.now?.() ?? new Date();
  if (orgId === deps.envOrgId) {
    throw new ServiceError('org_in_environment', `${JSON.stringify(orgId)} is the org of the environment (ORG_ID): the next start would make it again from ORG_*`);
  }
  const org = await db.selectFrom('orgs').select('id').where('id', '=', orgId).executeTakeFirst();
  if (!org) throw new ServiceError('org_not_found', 'No such org');

  await db.transaction().execute(async (trx) => {
    await trx.updateTable('org_signing_keys').set({ revoked_at: now }).where('org_id', '=', orgId).where('revoked_at', 'is', null).execute();
    await trx.updateTable('org_api_keys').set({ revoked_at: now }).where('org_id', '=', orgId).where('revoked_at', 'is', null).execute();
  });

  const ended: string[] = [];
  for (;;) {
    const open = await db.selectFrom('calls').select('id').where('org_id', '=', orgId).where('status', '<>', 'ended')
      .orderBy('id').limit(END_BATCH).execute();
    if (open.length === 0) break;
    for (const { id } of open) {
      await deps.endCall(id, 'system', ORG_DELETED_REASON);
      ended.push(id);
    }
  }
  await drainSockets(deps, ended);

  const counts = await db.transaction().execute(async (trx) => {
    const calls = trx.selectFrom('calls').select('id').where('org_id', '=', orgId);
    await trx.deleteFrom('call_events').where('call_id', 'in', calls).execute();
    // The LiveKit tables are typed by livekit/livekit-store.ts, not in Database.
    await sql`delete from livekit_participants where call_id in (select id from calls where org_id = ${orgId})`.execute(trx);
    await sql`delete from livekit_tracks where call_id in (select id from calls where org_id = ${orgId})`.execute(trx);
    await trx.deleteFrom('live_presence').where('call_id', 'in', calls).execute();
    const deliveries = await trx.deleteFrom('webhook_deliveries').where('org_id', '=', orgId).executeTakeFirst();
    const deletedCalls = await trx.deleteFrom('calls').where('org_id', '=', orgId).executeTakeFirst();
    await trx.deleteFrom('org_api_keys').where('org_id', '=', orgId).execute();
    await trx.deleteFrom('org_signing_keys').where('org_id', '=', orgId).execute();
    await trx.deleteFrom('orgs').where('id', '=', orgId).execute();
    return { calls: Number(deletedCalls.numDeletedRows), deliveries: Number(deliveries.numDeletedRows) };
  });
  return { id: orgId, deletedAt: now.toISOString(), callsEnded: ended.length, callsDeleted: counts.calls, deliveriesDeleted: counts.deliveries };
}

/**
 * Waits (bounded) until no ended call has a socket left: each hub reads the ended call to close its sockets, and a hub
 * that read it after the rows were gone would keep them open. Past SOCKETS_DRAIN_MS the rows go anyway.
 */
async function drainSockets(deps: OrgDeletionDeps, callIds: string[]): Promise<void> {
  const deadline = Date.now() + SOCKETS_DRAIN_MS;
  let pending = callIds;
  while (pending.length > 0 && Date.now() < deadline) {
    const still = await Promise.all(pending.map(async (id) => ((await deps.connected(id)) ? id : null)));
    pending = still.filter((id): id is string => id !== null);
    if (pending.length > 0) await wait(SOCKETS_POLL_MS);
  }
}
