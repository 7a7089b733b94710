// The outbox worker: delivers webhook_deliveries rows as Standard Webhooks, at least once, with backoff.
import type { Kysely } from 'kysely';
import { Webhook } from 'standardwebhooks';
import type { Database, DeliveryRow } from '../store/schema.js';

/** Options of the webhook worker; every field has the unit in its name. */
export interface WebhookWorkerOptions {
  db: Kysely<Database>;
  /** Receiver URL (ORG_WEBHOOK_URL). */
  url: string;
  /** Standard Webhooks secret (`whsec_…`). */
  secret: string;
  /** Delay before the second attempt; doubles after each failure. */
  initialBackoffMs: number;
  /** Attempts before a row is marked failed. */
  maxAttempts: number;
  /** Per-attempt timeout. */
  timeoutMs: number;
  /** Longest wait between two scans of the outbox. */
  pollIntervalMs: number;
  /** Called after a row was answered 2xx. */
  onDelivered?: (row: DeliveryRow) => Promise<void>;
  /** Reports delivery failures. */
  onError?: (message: string, row?: DeliveryRow) => void;
}

const BATCH_SIZE = 20;

/** Sends due outbox rows; kick() after a commit, start() at boot, stop() on close. */
export class WebhookWorker {
  readonly #opts: WebhookWorkerOptions;
  readonly #webhook: Webhook;
  readonly #abort = new AbortController();
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  #again = false;
  #stopped = true;

  constructor(opts: WebhookWorkerOptions) {
    this.#opts = opts;
    this.#webhook = new Webhook(opts.secret);
  }

  /** Starts delivering, beginning with rows left due by a previous run. */
  start(): void {
    this.#stopped = false;
    this.kick();
  }

  /** Asks for a scan now (called after a transaction wrote outbox rows). */
  kick(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#clearTimer();
    this.#running = this.#runUntilIdle().finally(() => {
      this.#running = null;
    });
  }

  /** Resolves once the current scan (if any) has finished; tests use it to wait for deliveries. */
  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }

  /** Stops timers, aborts requests in flight and waits for the current scan. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#clearTimer();
    this.#abort.abort();
    await this.#running?.catch(() => undefined);
  }

  async #runUntilIdle(): Promise<void> {
    do {
      this.#again = false;
      try {
        await this.#scan();
      } catch (err) {
        if (this.#stopped) return;
        this.#opts.onError?.(`outbox scan failed: ${(err as Error).message}`);
      }
    } while (this.#again && !this.#stopped);
    if (!this.#stopped) await this.#scheduleNext();
  }

  async #scan(): Promise<void> {
    for (;;) {
      const due = await this.#lease();
      if (due.length === 0 || this.#stopped) return;
      // One at a time, in write order, so a receiver sees call.created before call.invite.
      for (const row of due) {
        if (this.#stopped) return;
        await this.#deliver(row);
      }
      if (due.length < BATCH_SIZE) return;
    }
  }

  /**
   * Claims due rows by pushing their next attempt past the delivery timeout, so another instance
   * (or this one after a crash) only retries them once the lease has lapsed.
   */
  async #lease(): Promise<DeliveryRow[]> {
    const now = new Date();
    const leaseUntil = new Date(now.getTime() + this.#opts.timeoutMs * 2 + 1000);
    const rows = await this.#opts.db.updateTable('webhook_deliveries')
      .set({ next_attempt_at: leaseUntil })
      .where('id', 'in', (eb) => eb.selectFrom('webhook_deliveries').select('id')
        .where('status', '=', 'pending').where('next_attempt_at', '<=', now)
        .orderBy('next_attempt_at').orderBy('seq').limit(BATCH_SIZE).forUpdate().skipLocked())
      .returningAll().execute();
    return rows.sort((a, b) => new Date(a.created_at).getTime() - new Date(b.created_at).getTime() || Number(a.seq) - Number(b.seq));
  }

  async #scheduleNext(): Promise<void> {
    const next = await this.#opts.db.selectFrom('webhook_deliveries').select('next_attempt_at')
      .where('status', '=', 'pending').orderBy('next_attempt_at').limit(1).executeTakeFirst().catch(() => undefined);
    if (this.#stopped) return;
    const wait = next ? Math.max(0, new Date(next.next_attempt_at).getTime() - Date.now()) : this.#opts.pollIntervalMs;
    this.#clearTimer();
    this.#timer = setTimeout(() => this.kick(), Math.min(wait, this.#opts.pollIntervalMs));
    this.#timer.unref();
  }

  #clearTimer(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  async #deliver(row: DeliveryRow): Promise<void> {
    const body = JSON.stringify(row.payload);
    const sentAt = new Date();
    let failure: string | null = null;
    try {
      const response = await fetch(this.#opts.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Switchboard-Webhooks/1',
          'webhook-id': row.id,
          'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
          'webhook-signature': this.#webhook.sign(row.id, sentAt, body),
        },
        body,
        signal: AbortSignal.any([AbortSignal.timeout(this.#opts.timeoutMs), this.#abort.signal]),
        redirect: 'manual',
      });
      await response.body?.cancel().catch(() => undefined);
      if (response.status < 200 || response.status > 299) failure = `HTTP ${response.status}`;
    } catch (err) {
      failure = (err as Error).name === 'TimeoutError' ? `timed out after ${this.#opts.timeoutMs} ms` : (err as Error).message;
    }
    if (this.#stopped && failure) {
      // Cut short by shutdown, not the receiver's fault: release the lease so the next boot sends it at once.
      await this.#opts.db.updateTable('webhook_deliveries').set({ next_attempt_at: new Date() }).where('id', '=', row.id).execute().catch(() => undefined);
      return;
    }
    await (failure ? this.#recordFailure(row, failure) : this.#recordSuccess(row));
  }

  async #recordSuccess(row: DeliveryRow): Promise<void> {
    await this.#opts.db.updateTable('webhook_deliveries')
      .set({ status: 'delivered', attempts: row.attempts + 1, delivered_at: new Date(), last_error: null, payload: JSON.stringify(redact(row.payload)) })
      .where('id', '=', row.id).execute();
    await this.#opts.onDelivered?.(row).catch((err: Error) => this.#opts.onError?.(`after delivery: ${err.message}`, row));
  }

  async #recordFailure(row: DeliveryRow, failure: string): Promise<void> {
    const attempts = row.attempts + 1;
    const failed = attempts >= this.#opts.maxAttempts;
    const delayMs = this.#opts.initialBackoffMs * 2 ** (attempts - 1);
    await this.#opts.db.updateTable('webhook_deliveries')
      .set({ status: failed ? 'failed' : 'pending', attempts, last_error: failure, next_attempt_at: new Date(Date.now() + delayMs) })
      .where('id', '=', row.id).execute();
    this.#opts.onError?.(`webhook ${row.event_type} attempt ${attempts} failed: ${failure}${failed ? ' (giving up)' : ''}`, row);
  }
}

/** Once delivered, the invite's join secret has no reason to stay in the database. */
function redact(payload: Record<string, unknown>): Record<string, unknown> {
  const data = payload.data as Record<string, unknown> | undefined;
  if (payload.type !== 'call.invite' || !data) return payload;
  return { ...payload, data: { ...data, joinUrl: '[delivered]', text: '[delivered]' } };
}
