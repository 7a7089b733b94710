// Queries of the calls listing and of a call's timeline: what integrators read back, never what the lifecycle writes.
import type { Kysely } from 'kysely';
import type { CallStatus } from '../domain/call-lifecycle.js';
import type { CallRow, Database } from './schema.js';

/** Filter of CallHistory.list(); every field narrows, none widens. Newest first. */
export interface CallListFilter {
  orgId: string;
  conversationId?: string;
  clientId?: string;
  agentId?: string;
  /** Any of these statuses. */
  statuses?: readonly CallStatus[];
  /** Made at or after this instant. */
  createdAfter?: Date;
  /** Made strictly before this instant. */
  createdBefore?: Date;
  /** Only calls after this one in the listing's order (created_at, id descending): the previous page's last call. */
  after?: { createdAt: Date; id: string };
  limit: number;
}

/** One timeline row as read (id: the paging key, a string whatever the driver returns). */
export interface TimelineRow {
  id: string;
  type: string;
  by: string;
  at: Date;
  data: Record<string, unknown>;
}

/** Reads calls and their events for the integrators' API. */
export class CallHistory {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** Calls matching the filter, newest first, at most `limit`. Ties on created_at are ordered by id, so paging is exact. */
  async list(filter: CallListFilter): Promise<CallRow[]> {
    let query = this.#db.selectFrom('calls').selectAll().where('org_id', '=', filter.orgId);
    if (filter.conversationId !== undefined) query = query.where('conversation_id', '=', filter.conversationId);
    if (filter.clientId !== undefined) query = query.where('client_id', '=', filter.clientId);
    if (filter.agentId !== undefined) query = query.where('agent_id', '=', filter.agentId);
    if (filter.statuses?.length) query = query.where('status', 'in', [...filter.statuses]);
    if (filter.createdAfter) query = query.where('created_at', '>=', filter.createdAfter);
    if (filter.createdBefore) query = query.where('created_at', '<', filter.createdBefore);
    const after = filter.after;
    if (after) {
      query = query.where((eb) => eb.or([
        eb('created_at', '<', after.createdAt),
        eb.and([eb('created_at', '=', after.createdAt), eb('id', '<', after.id)]),
      ]));
    }
    return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute();
  }

  /** The call if it belongs to the org. */
  find(orgId: string, callId: string): Promise<CallRow | undefined> {
    return this.#db.selectFrom('calls').selectAll().where('id', '=', callId).where('org_id', '=', orgId).executeTakeFirst();
  }

  /** A call's events in the order they were recorded, after the event `afterId` (exclusive), at most `limit`. */
  async timeline(callId: string, limit: number, afterId?: string): Promise<TimelineRow[]> {
    let query = this.#db.selectFrom('call_events').select(['id', 'type', 'by', 'at', 'data']).where('call_id', '=', callId);
    if (afterId !== undefined) query = query.where('id', '>', afterId);
    const rows = await query.orderBy('id').limit(limit).execute();
    return rows.map((r) => ({ ...r, id: String(r.id) }));
  }
}
