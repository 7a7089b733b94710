// The live bus over PostgreSQL: LISTEN/NOTIFY for messages, live_presence for who is connected where, heartbeats for crashes.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { LIVE_CHANNEL, LiveStore, type LiveEnvelope, type PresenceRow } from '../store/live-store.js';
import type { Database } from '../store/schema.js';
import type { Role } from '../domain/credentials.js';
import { KeyedQueue } from './keyed-queue.js';
import type { BusListener, BusMessage, LiveBus, PresenceEntry, PresenceMessage, PresenceSnapshot } from './live-bus.js';

/** Timings of the PostgreSQL bus; every duration has its unit in its name. */
export interface PostgresBusTimings {
  /** How often this instance renews its heartbeat, looks for crashed instances and prunes stored messages. */
  heartbeatIntervalMs: number;
  /** An instance silent for this long is taken for crashed: its sockets' presence is removed by the others. */
  instanceTimeoutMs: number;
  /** How long a message too large for NOTIFY stays readable in live_messages. */
  messageTtlMs: number;
}

/** Options of the PostgreSQL bus. */
export interface PostgresLiveBusOptions {
  db: Kysely<Database>;
  /** The same database as `db`: the LISTEN connection is a client of its own, outside the pool. */
  databaseUrl: string;
  timings: PostgresBusTimings;
  onError?: (message: string) => void;
}

/** Longest wait between two attempts to bring a lost LISTEN connection back. */
const MAX_RECONNECT_DELAY_MS = 10_000;

/** LISTEN/NOTIFY bus; `start()` registers the instance and listens, `close()` withdraws its sockets and unregisters it. */
export class PostgresLiveBus implements LiveBus {
  readonly instanceId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  readonly #store: LiveStore;
  readonly #opts: PostgresLiveBusOptions;
  readonly #timings: PostgresBusTimings;
  /** This instance's publications, one call's at a time (see publish). */
  readonly #publishing = new KeyedQueue();
  #client: pg.Client | null = null;
  #listener: BusListener | null = null;
  #timer: NodeJS.Timeout | null = null;
  #reconnectTimer: NodeJS.Timeout | null = null;
  #reconnectDelayMs = 250;
  #closed = false;
  #ticking = false;

  constructor(opts: PostgresLiveBusOptions) {
    this.#opts = opts;
    this.#store = new LiveStore(opts.db);
    this.#timings = opts.timings;
  }

  get connected(): boolean {
    return this.#client !== null;
  }

  /** Registers the instance, opens the LISTEN connection and starts the heartbeat. */
  async start(): Promise<void> {
    await this.#store.register(this.instanceId);
    await this.#listen();
    this.#timer = setInterval(() => void this.#tick(), this.#timings.heartbeatIntervalMs);
    this.#timer.unref();
  }

  listen(listener: BusListener): void {
    this.#listener = listener;
  }

  announce(entry: PresenceEntry): Promise<PresenceSnapshot> {
    return this.#store.announce({ ...entry, instanceId: this.instanceId }, (version) => presence(entry, true, version));
  }

  withdraw(entry: PresenceEntry): Promise<boolean> {
    return this.#store.withdraw(entry, (version) => presence(entry, false, version));
  }

  present(callId: string, role: Role): Promise<boolean> {
    return this.#store.present(callId, role);
  }

  /** One call's messages from this instance are NOTIFYed one after another: on separate pool connections they could commit out of order. */
  publish(message: Exclude<BusMessage, PresenceMessage>): Promise<void> {
    return this.#publishing.run(message.callId, () => this.#store.publish(message.callId, message));
  }

  /** Runs the heartbeat now (tests use it instead of waiting for the interval). */
  async tick(): Promise<void> {
    await this.#tick();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#timer) clearInterval(this.#timer);
    if (this.#reconnectTimer) clearTimeout(this.#reconnectTimer);
    try {
      // The hub withdrew its sockets already; whatever is left (a socket still joining) goes too, announced to the others.
      for (const row of await this.#store.rowsOf(this.instanceId)) await this.withdraw(row);
      await this.#store.leave(this.instanceId);
    } catch (err) {
      this.#report(`live bus: leaving failed: ${(err as Error).message}`);
    }
    const client = this.#client;
    this.#client = null;
    await client?.end().catch(() => undefined);
  }

  async #listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.#opts.databaseUrl });
    client.on('notification', (n) => {
      if (n.channel === LIVE_CHANNEL && n.payload) this.#onNotification(n.payload);
    });
    client.on('error', (err) => this.#lost(client, err));
    client.on('end', () => this.#lost(client, new Error('connection ended')));
    try {
      await client.connect();
      await client.query(`LISTEN ${LIVE_CHANNEL}`);
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
    if (this.#closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.#client = client;
    this.#reconnectDelayMs = 250;
  }

  /** NOTIFYs sent while the connection was down are gone for good: the hub drops its sockets, which reconnect and start afresh. */
  #lost(client: pg.Client, err: Error): void {
    if (this.#closed || this.#client !== client) return;
    this.#client = null;
    void client.end().catch(() => undefined);
    this.#report(`live bus: LISTEN connection lost (${err.message}); reconnecting`);
    this.#listener?.desynced('live bus connection lost');
    this.#scheduleReconnect();
  }

  #scheduleReconnect(): void {
    if (this.#closed || this.#reconnectTimer) return;
    const delay = this.#reconnectDelayMs;
    this.#reconnectDelayMs = Math.min(delay * 2, MAX_RECONNECT_DELAY_MS);
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = null;
      this.#listen().catch((err: Error) => {
        this.#report(`live bus: reconnecting failed: ${err.message}`);
        this.#scheduleReconnect();
      });
    }, delay);
    this.#reconnectTimer.unref();
  }

  #onNotification(payload: string): void {
    let envelope: LiveEnvelope;
    try {
      envelope = JSON.parse(payload) as LiveEnvelope;
    } catch {
      return this.#report('live bus: unreadable notification');
    }
    const listener = this.#listener;
    if (!listener?.hosts(envelope.c)) return;
    const message = 'm' in envelope
      ? () => Promise.resolve(envelope.m as BusMessage)
      : () => this.#store.loadMessage(envelope.ref).then((m) => m as BusMessage | null);
    listener.deliver({ callId: envelope.c, message });
  }

  async #tick(): Promise<void> {
    if (this.#ticking || this.#closed) return;
    this.#ticking = true;
    try {
      if (!(await this.#store.heartbeat(this.instanceId))) this.#listener?.desynced('this instance was taken for dead');
      await this.#reap();
      await this.#store.pruneMessages(this.#timings.messageTtlMs);
    } catch (err) {
      this.#report(`live bus: heartbeat failed: ${(err as Error).message}`);
    } finally {
      this.#ticking = false;
    }
  }

  /**
   * Withdraws the sockets of crashed instances (every instance may try; each departure is recorded by whoever removed it),
   * and this instance's own rows that no socket of it holds any more (a withdrawal that failed, say during a database blip).
   */
  async #reap(): Promise<void> {
    const own = (await this.#store.rowsOf(this.instanceId)).filter((row) => !this.#listener?.holds(row.connectionId));
    const orphans = [...own, ...await this.#store.orphanedRows(this.#timings.instanceTimeoutMs)];
    const reaped: PresenceRow[] = [];
    for (const row of orphans) if (await this.withdraw(row)) reaped.push(row);
    if (reaped.length > 0) this.#listener?.reaped(reaped);
    await this.#store.forgetSilentInstances(this.#timings.instanceTimeoutMs);
  }

  #report(message: string): void {
    try {
      this.#opts.onError?.(message);
    } catch {
      // a logger's failure is not ours to crash on
    }
  }
}

function presence(entry: PresenceEntry, present: boolean, version: number): PresenceMessage {
  return { kind: 'presence', callId: entry.callId, role: entry.role, connectionId: entry.connectionId, present, version };
}
