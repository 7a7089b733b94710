// Rebuilds an invite's join link when the webhook is sent: the outbox row never held it.
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
 * A function giving the join URL of a call, or null when it cannot be rebuilt: unknown call, or a derived secret that
 * no longer matches the stored hash (SERVICE_SECRET changed since the call was created), where a link would not work.
 */
export function inviteLinks(opts: InviteLinkOptions): (callId: string) => Promise<string | null> {
  return async (callId) => {
    const row = await opts.db.selectFrom('calls').select('secret_hash').where('id', '=', callId).executeTakeFirst();
    const { secret, hash } = joinSecretFor(opts.serviceSecret, callId);
    return row?.secret_hash === hash ? joinUrlFor(opts.publicUrl, callId, secret) : null;
  };
}
