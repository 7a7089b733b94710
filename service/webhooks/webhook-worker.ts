// The outbox worker: delivers webhook_deliveries rows as Standard Webhooks, at least once, each call's rows in write order.
import { Webhook } from 'standardwebhooks';
import { EventType } from '../domain/events.js';
import { needsJoinUrl, withJoinUrl } from '../domain/invite.js';
import type { DeliveryRow } from '../store/schema.js';
import { coalescing, mayCoalesce } from './coalescing.js';
import { parseRetryAfter, retryDelayMs } from './retry-schedule.js';
import type { WebhookOutbox } from './webhook-outbox.js';
import { postWebhook, type WebhookPostResult } from './webhook-post.js';
import { TurnBatch } from './turn-batch.js';

/** Options of the webhook worker; every duration has its unit in its name. */
export interface WebhookWorkerOptions {
  /** The outbox's queries (leases, outcomes, coalescing). */
  outbox: WebhookOutbox;
  /**
   * Where a row's org takes its webhooks, and the Standard Webhooks secret (`whsec_…`) to sign them with; asked at each
   * attempt (the org may have changed its endpoint since the row was written). Null: the org has no webhook URL.
   */
  endpoint: (orgId: string) => Promise<WebhookEndpoint | null>;
  /** Wait before each retry (the first attempt is immediate); once used up, the row is marked failed. */
  retryScheduleMs: readonly number[];
  /** Per-attempt timeout. */
  timeoutMs: number;
  /** Longest wait between two scans of the outbox. */
  pollIntervalMs: number;
  /**
   * The join URLs of calls (the invites of one lease, asked at once), rebuilt when their invites are sent; null for a
   * call whose link cannot be (its row is then given up).
   */
  joinUrls: (callIds: readonly string[]) => Promise<Map<string, string | null>>;
  /** Called after rows were answered 2xx and recorded: the rows recorded together (answered in one event-loop turn). */
  onDelivered?: (rows: DeliveryRow[]) => Promise<void>;
  /** Reports delivery failures. */
  onError?: (message: string, row?: DeliveryRow) => void;
  /** Source of the retry jitter; tests pin it. */
  random?: () => number;
}

/** Heads in flight at most: one per call, so this many calls are served in parallel. */
const MAX_IN_FLIGHT = 20;
/**
 * While rows are in flight, leases are at least this far apart: under load one lease claims the heads of many calls
 * (a lease is one statement, and the invites it claims get their links in one more) instead of one lease per row, and
 * no row waits longer than this for it, whatever the endpoints in flight are doing. With nothing in flight, a
 * kick leases at once.
 */
const LEASE_SPACING_MS = 10;
/** Rows looked at behind a head when coalescing. */
const COALESCE_WINDOW = 500;
/** HTTP 410 Gone: the receiver says this endpoint will never take the row; retrying is pointless. */
const HTTP_GONE = 410;

/** Where an org's webhooks go and the secret they are signed with. */
export interface WebhookEndpoint {
  url: string;
  secret: string;
  /** A rotated-out secret still valid: the message is signed with it too (Standard Webhooks allows several signatures). */
  previousSecret?: string;
}

/** Signers kept per secret (one per org, a few more while secrets change); past this many the map starts over. */
const MAX_SIGNERS = 1000;

/** How one attempt ended. */
type Attempt = { ok: true } | { ok: false; error: string; gone: boolean; retryAfterMs: number | null };

/** One finished attempt at an outbox row, as observers (metrics) see it. */
export interface WebhookAttemptReport {
  eventType: string;
  callId: string | null;
  /** `retrying`: failed, tried again later; `failed`: given up (schedule used up, 410, or no join link). */
  outcome: 'delivered' | 'retrying' | 'failed';
  /** The HTTP round trip; null when no request was made. */
  latencyMs: number | null;
}

/** Sends due outbox rows; kick() after a commit, start() at boot, stop() on close. */
export class WebhookWorker {
  readonly #opts: WebhookWorkerOptions;
  readonly #outbox: WebhookOutbox;
  readonly #signers = new Map<string, Webhook>();
  readonly #abort = new AbortController();
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  /** Something may have become due since the last lease: a kick, or a row finished (its call's next row is the head). */
  #again = false;
  #wake: (() => void) | null = null;
  #wakeSoon = false;
  #lastLeaseAt = 0;
  #stopped = true;
  /** The rows being handled, each until its outcome is recorded. */
  readonly #inFlight = new Set<Promise<void>>();
  /** 2xx answers of one event-loop turn, recorded in one statement. */
  readonly #delivered = new TurnBatch<DeliveryRow>((rows) => this.#recordDelivered(rows));
  readonly #observers = new Set<(report: WebhookAttemptReport) => void>();

  constructor(opts: WebhookWorkerOptions) {
    this.#opts = opts;
    this.#outbox = opts.outbox;
  }

  /** Starts delivering, beginning with rows left due by a previous run. */
  start(): void {
    this.#stopped = false;
    this.kick();
  }

  /** Asks for a scan now (called after a transaction wrote outbox rows, or after a replay). */
  kick(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#signal();
      return;
    }
    this.#clearTimer();
    this.#running = this.#runUntilIdle().finally(() => {
      this.#running = null;
    });
  }

  /** Calls `observer` after every attempt at an outbox row; returns a function removing it. */
  observe(observer: (report: WebhookAttemptReport) => void): () => void {
    this.#observers.add(observer);
    return () => this.#observers.delete(observer);
  }

  /**
   * Sends one signed message now, outside the outbox (POST /v1/webhooks/test): no row, no retry, no place in any
   * call's order. Answers what the endpoint replied.
   */
  sendUnqueued(orgId: string, id: string, payload: Record<string, unknown>): Promise<WebhookPostResult> {
    return this.#post(orgId, id, payload);
  }

  /** One signed request to the org's endpoint (never throws; an org without a webhook URL is a failed attempt). */
  async #post(orgId: string, id: string, payload: Record<string, unknown>): Promise<WebhookPostResult> {
    const failed = (error: string): WebhookPostResult => ({ status: null, latencyMs: 0, error, retryAfter: null, timedOut: false });
    let endpoint: WebhookEndpoint | null;
    try {
      endpoint = await this.#opts.endpoint(orgId);
    } catch (err) {
      return failed(`the org's webhook endpoint could not be read: ${(err as Error).message}`);
    }
    if (!endpoint) return failed('the org has no webhook URL');
    const webhooks = [this.#signer(endpoint.secret), ...(endpoint.previousSecret ? [this.#signer(endpoint.previousSecret)] : [])];
    return postWebhook({ url: endpoint.url, webhooks, id, payload, timeoutMs: this.#opts.timeoutMs, signal: this.#abort.signal });
  }

  /** The org's signer for this secret, made once. */
  #signer(secret: string): Webhook {
    let webhook = this.#signers.get(secret);
    if (!webhook) {
      if (this.#signers.size >= MAX_SIGNERS) this.#signers.clear();
      webhook = new Webhook(secret);
      this.#signers.set(secret, webhook);
    }
    return webhook;
  }

  /** Resolves once the current scan (if any) has finished; tests use it to wait for deliveries. */
  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }

  /**
   * Stops taking leases; deliveries in flight get `drainMs` to finish (graceful shutdown), then are aborted and their
   * leases released. Resolves once the current scan has ended.
   */
  async stop(options: { drainMs?: number } = {}): Promise<void> {
    this.#stopped = true;
    this.#signal();
    this.#clearTimer();
    const running = this.#running?.catch(() => undefined);
    if (running && options.drainMs) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([running, new Promise<void>((resolve) => (timer = setTimeout(resolve, options.drainMs)))]);
      clearTimeout(timer);
    }
    this.#abort.abort();
    await running;
  }

  async #runUntilIdle(): Promise<void> {
    await this.#scan();
    if (!this.#stopped) await this.#scheduleNext();
  }

  /**
   * Leases heads while any is due, up to MAX_IN_FLIGHT in flight, and leases again whenever rows finish (sending a head
   * makes the next row of its call the new head) or a kick comes: a slow endpoint holds only its own rows' slots, never
   * the rows of other calls or orgs. Returns once nothing is due and nothing is in flight, or after stop() once the rows
   * in flight have finished.
   */
  async #scan(): Promise<void> {
    while (!this.#stopped) {
      this.#again = false;
      const free = MAX_IN_FLIGHT - this.#inFlight.size;
      let leased = 0;
      if (free > 0) {
        try {
          leased = await this.#leaseAndStart(free);
        } catch (err) {
          if (!this.#stopped) this.#opts.onError?.(`outbox scan failed: ${(err as Error).message}`);
          if (this.#inFlight.size === 0) break;
        }
      }
      if (this.#inFlight.size === 0 && leased === 0 && !this.#again) break;
      await this.#nextSignal();
      if (this.#inFlight.size > 0) await this.#spaceLeases();
    }
    await Promise.all(this.#inFlight);
  }

  /** Leases up to `limit` heads and starts handling them; how many it leased. */
  async #leaseAndStart(limit: number): Promise<number> {
    this.#lastLeaseAt = performance.now();
    const now = new Date();
    const heads = await this.#outbox.leaseHeads(now, new Date(now.getTime() + this.#opts.timeoutMs * 2 + 1000), limit);
    // Stopped meanwhile: the leases lapse and another run sends them (as when a lease's holder dies).
    if (heads.length === 0 || this.#stopped) return 0;
    // The join links of the lease's invites, in one statement; a failure here fails them as the lease would have.
    const callIds = heads.filter((row) => needsLink(row) && row.call_id).map((row) => row.call_id!);
    const links = callIds.length > 0 ? await this.#opts.joinUrls(callIds) : new Map<string, string | null>();
    // Heads are of different calls, so they may go out together; a call's own rows wait for their turn.
    for (const row of heads) {
      const handled: Promise<void> = this.#handle(row, links)
        .catch((err: Error) => {
          if (!this.#stopped) this.#opts.onError?.(`webhook ${row.event_type} not handled: ${err.message}`, row);
        })
        .finally(() => {
          this.#inFlight.delete(handled);
          this.#signalSoon();
        });
      this.#inFlight.add(handled);
    }
    return heads.length;
  }

  /** Something may be due: the scan leases again (at once if it is between leases). */
  #signal(): void {
    this.#again = true;
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }

  /** As #signal, once the current turn is over: rows finishing in one turn make one lease, not one each. */
  #signalSoon(): void {
    if (this.#wakeSoon) return;
    this.#wakeSoon = true;
    setImmediate(() => {
      this.#wakeSoon = false;
      this.#signal();
    });
  }

  /** While rows are in flight, waits until LEASE_SPACING_MS have passed since the last lease began. */
  async #spaceLeases(): Promise<void> {
    const wait = this.#lastLeaseAt + LEASE_SPACING_MS - performance.now();
    if (wait > 0 && !this.#stopped) await new Promise((resolve) => setTimeout(resolve, wait));
  }

  #nextSignal(): Promise<void> {
    if (this.#again || this.#stopped) return Promise.resolve();
    return new Promise<void>((resolve) => (this.#wake = resolve));
  }

  async #scheduleNext(): Promise<void> {
    const next = await this.#outbox.nextDueAt().catch(() => null);
    if (this.#stopped) return;
    const wait = next ? Math.max(0, next.getTime() - Date.now()) : this.#opts.pollIntervalMs;
    this.#clearTimer();
    this.#timer = setTimeout(() => this.kick(), Math.min(wait, this.#opts.pollIntervalMs));
    this.#timer.unref();
  }

  #clearTimer(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  async #handle(row: DeliveryRow, links: Map<string, string | null>): Promise<void> {
    const plan = mayCoalesce(row) ? coalescing(row, await this.#outbox.following(row, COALESCE_WINDOW)) : { kind: 'none' as const };
    if (plan.kind === 'cancel') return this.#outbox.coalesce(plan.ids, null);
    if (plan.kind === 'absorb') await this.#outbox.coalesce(plan.ids, row.id);
    const payload = this.#payloadToSend(row, links);
    if (!payload) {
      await this.#outbox.attemptFailed(row, 'the join link cannot be rebuilt (unknown call, or SERVICE_SECRET changed since)', null);
      this.#opts.onError?.(`webhook ${row.event_type} ${row.id}: join link cannot be rebuilt (giving up)`, row);
      this.#report(row, 'failed', null);
      return;
    }
    const { attempt, latencyMs } = await this.#send(row.org_id, row.id, payload);
    if (this.#abort.signal.aborted && !attempt.ok) {
      // Cut short by shutdown, not the receiver's fault: release the lease so the next boot sends it at once.
      await this.#outbox.release(row.id).catch(() => undefined);
      return;
    }
    let outcome: WebhookAttemptReport['outcome'] = 'delivered';
    if (attempt.ok) await this.#recordSuccess(row);
    else outcome = (await this.#recordFailure(row, attempt)) ? 'failed' : 'retrying';
    this.#report(row, outcome, latencyMs);
  }

  #report(row: DeliveryRow, outcome: WebhookAttemptReport['outcome'], latencyMs: number | null): void {
    for (const observer of this.#observers) {
      try {
        observer({ eventType: row.event_type, callId: row.call_id, outcome, latencyMs });
      } catch {
        // an observer's failure must not stop deliveries
      }
    }
  }

  /** The payload as sent: an invite gets its join link now (read with its lease), so the stored row never held the secret. */
  #payloadToSend(row: DeliveryRow, links: Map<string, string | null>): Record<string, unknown> | null {
    if (!needsLink(row)) return row.payload;
    const joinUrl = row.call_id ? links.get(row.call_id) : null;
    return joinUrl ? { ...row.payload, data: withJoinUrl(row.payload.data as Record<string, unknown>, joinUrl) } : null;
  }

  async #send(orgId: string, id: string, payload: Record<string, unknown>): Promise<{ attempt: Attempt; latencyMs: number }> {
    const result = await this.#post(orgId, id, payload);
    const { status, latencyMs } = result;
    if (result.error === null) return { attempt: { ok: true }, latencyMs };
    const gone = status === HTTP_GONE;
    const error = gone ? `HTTP ${HTTP_GONE}: endpoint gone` : result.error;
    return { attempt: { ok: false, error, gone, retryAfterMs: parseRetryAfter(result.retryAfter) }, latencyMs };
  }

  /**
   * Records a 2xx together with the others answered in the same turn (an old-format invite, whose stored payload is
   * scrubbed, alone): the row counts as delivered, and its call's next row becomes the head, once that is written.
   */
  async #recordSuccess(row: DeliveryRow): Promise<void> {
    const scrubbed = legacyInviteScrubbed(row.payload);
    if (!scrubbed) return this.#delivered.add(row);
    await this.#outbox.delivered(row, scrubbed);
    await this.#afterDelivery([row]);
  }

  async #recordDelivered(rows: DeliveryRow[]): Promise<void> {
    await this.#outbox.deliveredAll(rows.map((row) => row.id));
    await this.#afterDelivery(rows);
  }

  async #afterDelivery(rows: DeliveryRow[]): Promise<void> {
    await this.#opts.onDelivered?.(rows).catch((err: Error) => this.#opts.onError?.(`after delivery: ${err.message}`, rows.length === 1 ? rows[0] : undefined));
  }

  /** Records a failed attempt; true when the row was given up. */
  async #recordFailure(row: DeliveryRow, attempt: Extract<Attempt, { ok: false }>): Promise<boolean> {
    const attempts = row.attempts + 1;
    const delayMs = attempt.gone ? null : retryDelayMs(this.#opts.retryScheduleMs, attempts, attempt.retryAfterMs, this.#opts.random);
    await this.#outbox.attemptFailed(row, attempt.error, delayMs === null ? null : new Date(Date.now() + delayMs));
    const outcome = delayMs === null ? ' (giving up)' : ` (next in ${Math.round(delayMs / 1000)} s)`;
    this.#opts.onError?.(`webhook ${row.event_type} ${row.id} attempt ${attempts} failed: ${attempt.error}${outcome}`, row);
    return delayMs === null;
  }
}

/** Whether the row is an invite whose join link is added when it is sent (every invite written since links are rebuilt). */
function needsLink(row: DeliveryRow): boolean {
  const data = row.payload.data as Record<string, unknown> | undefined;
  return row.event_type === EventType.invite && !!data && needsJoinUrl(data);
}

/**
 * Invites written before the link was built at send time carry their join URL; once delivered it has no reason to stay
 * in the database (kept while pending or failed: a replay must still send a working link). Undefined for other rows.
 */
function legacyInviteScrubbed(payload: Record<string, unknown>): Record<string, unknown> | undefined {
  const data = payload.data as Record<string, unknown> | undefined;
  if (payload.type !== EventType.invite || !data || typeof data.joinUrl !== 'string' || needsJoinUrl(data) || data.joinUrl === '[delivered]') return undefined;
  return { ...payload, data: { ...data, joinUrl: '[delivered]', text: '[delivered]' } };
}
