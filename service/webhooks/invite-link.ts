// Rebuilds invites' join links when their webhooks are sent: the outbox row never held them.
import type { Kysely } from 'kysely';
import { joinSecretFor, joinUrlFor } from '../domain/join-secret.js';
import type { Database } from '../store/schema.js';

/** Where and with what a join link is rebuilt. */
export interface InviteLinkOptions {
  db: Kysely<Database>;
  /** PUBLIC_URL, the base of join links. */
  publicUrl: string;
  /** SERVICE_SECRET, from which each call's join secret is derived. */
  serviceSecret: string;
}

/**
 * A function giving the join URLs of calls (one statement for all of them: the invites of one lease), each null when it
 * cannot be rebuilt: unknown call, or a derived secret that no longer matches the stored hash (SERVICE_SECRET changed
 * since the call was created), where a link would not work.
 */
export function inviteLinks(opts: InviteLinkOptions): (callIds: readonly string[]) => Promise<Map<string, string | null>> {
  return async (callIds) => {
    const links = new Map<string, string | null>();
    if (callIds.length === 0) return links;
    const rows = await opts.db.selectFrom('calls').select(['id', 'secret_hash']).where('id', 'in', [...new Set(callIds)]).execute();
    const stored = new Map(rows.map((r) => [r.id, r.secret_hash]));
    for (const callId of callIds) {
      const { secret, hash } = joinSecretFor(opts.serviceSecret, callId);
      links.set(callId, stored.get(callId) === hash ? joinUrlFor(opts.publicUrl, callId, secret) : null);
    }
    return links;
  };
}
