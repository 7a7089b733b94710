// The outbox's queries: which rows are due (the head of each call, in write order) and what became of each row.
import type { Kysely } from 'kysely';
import type { Database, DeliveryRow } from '../store/schema.js';

/** What became of a delivery. */
export type DeliveryStatus = DeliveryRow['status'];

/**
 * Rows that hold back the later rows of their call: not yet sent, or given up (an integrator may replay it, and
 * the later rows must not overtake it meanwhile).
 */
const BLOCKING_STATUSES: DeliveryStatus[] = ['pending', 'failed'];

/** Filter of WebhookOutbox.list(); newest first. */
export interface DeliveryFilter {
  /** Only this org's rows: an API key sees its own org's deliveries and no other. */
  orgId: string;
  status?: DeliveryStatus;
  callId?: string;
  limit: number;
  /** Only rows written before this `seq` (the cursor of the previous page). */
  beforeSeq?: string;
}

/** Repository of webhook_deliveries for the worker and the deliveries routes. */
export class WebhookOutbox {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /**
   * Claims up to `limit` due heads by pushing their next attempt to `leaseUntil`, so another instance (or this one
   * after a crash) only takes them again once the lease has lapsed. A head is a pending row with no earlier pending or
   * failed row of its call: while it is unsent, leased or given up, the call's later rows wait, whichever instance looks.
   */
  async leaseHeads(now: Date, leaseUntil: Date, limit: number): Promise<DeliveryRow[]> {
    const rows = await this.#db.updateTable('webhook_deliveries')
      .set({ next_attempt_at: leaseUntil })
      .where('id', 'in', this.#heads().select('d.id').where('d.next_attempt_at', '<=', now)
        .orderBy('d.next_attempt_at').orderBy('d.seq').limit(limit).forUpdate().skipLocked())
      .returningAll().execute();
    return rows.sort((a, b) => Number(a.seq) - Number(b.seq));
  }

  /** When the earliest head is due; null when nothing can be sent (rows behind a blocked head do not count). */
  async nextDueAt(): Promise<Date | null> {
    const next = await this.#heads().select('d.next_attempt_at').orderBy('d.next_attempt_at').limit(1).executeTakeFirst();
    return next ? new Date(next.next_attempt_at) : null;
  }

  /** The rows written after `row` in its call, in write order (whatever their status). */
  async following(row: DeliveryRow, limit: number): Promise<DeliveryRow[]> {
    if (row.call_id === null) return [];
    return this.#db.selectFrom('webhook_deliveries').selectAll()
      .where('call_id', '=', row.call_id).where('seq', '>', row.seq).orderBy('seq').limit(limit).execute();
  }

  /** Marks still-pending rows as coalesced into `into` (null: they cancelled out and nothing stands for them). */
  async coalesce(ids: string[], into: string | null): Promise<void> {
    if (ids.length === 0) return;
    await this.#db.updateTable('webhook_deliveries')
      .set({ status: 'coalesced', coalesced_into: into, last_error: null })
      .where('id', 'in', ids).where('status', '=', 'pending').execute();
  }

  /** Records a 2xx; `payload` replaces the stored one when given (scrubbing an old-format invite). */
  async delivered(row: DeliveryRow, payload?: Record<string, unknown>): Promise<void> {
    await this.#db.updateTable('webhook_deliveries')
      .set({ status: 'delivered', attempts: row.attempts + 1, delivered_at: new Date(), last_error: null, ...(payload ? { payload: JSON.stringify(payload) } : {}) })
      .where('id', '=', row.id).execute();
  }

  /**
   * Records a 2xx for each of these leased rows in one statement (the worker's batch of one event-loop turn). The
   * attempt is counted on the row itself: a leased row is changed by nothing else meanwhile.
   */
  async deliveredAll(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.#db.updateTable('webhook_deliveries')
      .set((eb) => ({ status: 'delivered', attempts: eb('attempts', '+', 1), delivered_at: new Date(), last_error: null }))
      .where('id', 'in', ids).execute();
  }

  /** Records a failed attempt: tried again at `retryAt`, or given up (`failed`) when retryAt is null. */
  async attemptFailed(row: DeliveryRow, error: string, retryAt: Date | null): Promise<void> {
    await this.#db.updateTable('webhook_deliveries')
      .set({ status: retryAt ? 'pending' : 'failed', attempts: row.attempts + 1, last_error: error, next_attempt_at: retryAt ?? new Date() })
      .where('id', '=', row.id).execute();
  }

  /** Ends a lease early without counting an attempt (shutdown cut the request short): due again at once. */
  async release(id: string): Promise<void> {
    await this.#db.updateTable('webhook_deliveries').set({ next_attempt_at: new Date() }).where('id', '=', id).execute();
  }

  /** Deliveries matching the filter, newest first. */
  async list(filter: DeliveryFilter): Promise<DeliveryRow[]> {
    let query = this.#db.selectFrom('webhook_deliveries').selectAll().where('org_id', '=', filter.orgId);
    if (filter.status) query = query.where('status', '=', filter.status);
    if (filter.callId) query = query.where('call_id', '=', filter.callId);
    if (filter.beforeSeq) query = query.where('seq', '<', filter.beforeSeq);
    return query.orderBy('seq', 'desc').limit(filter.limit).execute();
  }

  /**
   * Puts a row back to pending, due now, with its attempts reset. It keeps its `seq`, hence its place in its call's
   * order: a replayed head goes out before the rows it held back. Undefined when the org has no such row.
   */
  async replay(id: string, orgId: string): Promise<DeliveryRow | undefined> {
    return this.#db.updateTable('webhook_deliveries')
      .set({ status: 'pending', attempts: 0, next_attempt_at: new Date(), last_error: null, delivered_at: null, coalesced_into: null })
      .where('id', '=', id).where('org_id', '=', orgId).returningAll().executeTakeFirst();
  }

  #heads() {
    return this.#db.selectFrom('webhook_deliveries as d')
      .where('d.status', '=', 'pending')
      .where((eb) => eb.not(eb.exists(
        eb.selectFrom('webhook_deliveries as e').select('e.id')
          .whereRef('e.call_id', '=', 'd.call_id').whereRef('e.seq', '<', 'd.seq').where('e.status', 'in', BLOCKING_STATUSES),
      )));
  }
}
