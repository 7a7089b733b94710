// Queries of the live bus on PostgreSQL: presence rows, instance heartbeats, NOTIFY and the large-message table.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.js';

/** The NOTIFY channel every instance LISTENs on. */
export const LIVE_CHANNEL = 'switchboard_live';
/** Largest NOTIFY payload sent inline (PostgreSQL refuses 8000 bytes or more); larger messages go through live_messages. */
export const MAX_INLINE_NOTIFY_BYTES = 7_000;
/** First key of the advisory locks serialising each call's presence changes (the second is a hash of the call id). */
const PRESENCE_LOCK_SPACE = 0x5b1e;

/** What a NOTIFY on LIVE_CHANNEL carries: the call it is about, and the message or the live_messages id holding it. */
export type LiveEnvelope = { c: string; m: unknown } | { c: string; ref: string };

/** A role's socket in a call, as recorded in live_presence. */
export interface PresenceRow {
  callId: string;
  role: 'agent' | 'client';
  connectionId: string;
  instanceId: string;
  sessionId: string;
}

/** The connections holding each role of a call right after a presence change, and the version of that change. */
export interface PresenceState {
  version: number;
  connections: { agent: string | null; client: string | null };
}

/** Builds the message announcing a presence change, once its version is known. */
export type PresenceNotice = (version: number) => unknown;

/** Repository of live_presence, live_instances and live_messages; every change is announced with NOTIFY in its transaction. */
export class LiveStore {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** Records an instance as running. */
  async register(instanceId: string): Promise<void> {
    await sql`insert into live_instances (id, started_at, heartbeat_at) values (${instanceId}, now(), now())
      on conflict (id) do update set heartbeat_at = now()`.execute(this.#db);
  }

  /** Renews an instance's heartbeat; false when its row was gone (the others took it for dead), in which case it is recorded again. */
  async heartbeat(instanceId: string): Promise<boolean> {
    const renewed = await sql`update live_instances set heartbeat_at = now() where id = ${instanceId} returning id`.execute(this.#db);
    if (renewed.rows.length > 0) return true;
    await this.register(instanceId);
    return false;
  }

  /** Removes an instance's row (graceful shutdown, after its presence rows were withdrawn). */
  async leave(instanceId: string): Promise<void> {
    await this.#db.deleteFrom('live_instances').where('id', '=', instanceId).execute();
  }

  /** Makes a socket its role's connection in a call (replacing any other) and returns the call's presence at that version. */
  async announce(row: PresenceRow, notice: PresenceNotice): Promise<PresenceState> {
    return this.#db.transaction().execute(async (trx) => {
      await this.#lock(trx, row.callId);
      const version = await this.#nextVersion(trx);
      await trx.insertInto('live_presence')
        .values({ call_id: row.callId, role: row.role, connection_id: row.connectionId, instance_id: row.instanceId, session_id: row.sessionId, connected_at: new Date() })
        .onConflict((oc) => oc.columns(['call_id', 'role']).doUpdateSet((eb) => ({
          connection_id: eb.ref('excluded.connection_id'),
          instance_id: eb.ref('excluded.instance_id'),
          session_id: eb.ref('excluded.session_id'),
          connected_at: eb.ref('excluded.connected_at'),
        })))
        .execute();
      const rows = await trx.selectFrom('live_presence').select(['role', 'connection_id']).where('call_id', '=', row.callId).execute();
      await this.#notify(trx, row.callId, notice(version));
      const of = (role: PresenceRow['role']) => rows.find((r) => r.role === role)?.connection_id ?? null;
      return { version, connections: { agent: of('agent'), client: of('client') } };
    });
  }

  /** Removes a socket's row if it is still its role's connection; false when a newer socket holds the role (or none does). */
  async withdraw(row: Pick<PresenceRow, 'callId' | 'role' | 'connectionId'>, notice: PresenceNotice): Promise<boolean> {
    return this.#db.transaction().execute(async (trx) => {
      await this.#lock(trx, row.callId);
      const removed = await trx.deleteFrom('live_presence')
        .where('call_id', '=', row.callId).where('role', '=', row.role).where('connection_id', '=', row.connectionId)
        .returning('call_id').executeTakeFirst();
      if (!removed) return false;
      await this.#notify(trx, row.callId, notice(await this.#nextVersion(trx)));
      return true;
    });
  }

  /** Whether a role of a call has a socket on any instance. */
  async present(callId: string, role: PresenceRow['role']): Promise<boolean> {
    const row = await this.#db.selectFrom('live_presence').select('call_id').where('call_id', '=', callId).where('role', '=', role).executeTakeFirst();
    return !!row;
  }

  /** The presence rows held by one instance. */
  async rowsOf(instanceId: string): Promise<PresenceRow[]> {
    const rows = await this.#db.selectFrom('live_presence').selectAll().where('instance_id', '=', instanceId).execute();
    return rows.map(toPresenceRow);
  }

  /** Presence rows of instances whose heartbeat is older than `timeoutMs` (by the database's clock) or that are not registered. */
  async orphanedRows(timeoutMs: number): Promise<PresenceRow[]> {
    const rows = await this.#db.selectFrom('live_presence as p').selectAll('p')
      .where((eb) => eb.not(eb.exists(eb.selectFrom('live_instances as i').select('i.id')
        .whereRef('i.id', '=', 'p.instance_id')
        .where(sql<boolean>`i.heartbeat_at > now() - make_interval(secs => ${timeoutMs / 1000})`))))
      .limit(500).execute();
    return rows.map(toPresenceRow);
  }

  /** Forgets instances silent for longer than `timeoutMs` that hold no presence row any more. */
  async forgetSilentInstances(timeoutMs: number): Promise<void> {
    await this.#db.deleteFrom('live_instances')
      .where(sql<boolean>`heartbeat_at <= now() - make_interval(secs => ${timeoutMs / 1000})`)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('live_presence').select('call_id').whereRef('live_presence.instance_id', '=', 'live_instances.id'))))
      .execute();
  }

  /** Sends a message to every instance: inline when it fits a NOTIFY payload, else stored and referenced by id. */
  async publish(callId: string, message: unknown): Promise<void> {
    await this.#notify(this.#db, callId, message);
  }

  /** A stored message by id; null once pruned. */
  async loadMessage(id: string): Promise<unknown> {
    const row = await this.#db.selectFrom('live_messages').select('payload').where('id', '=', id).executeTakeFirst();
    return row ? JSON.parse(row.payload) as unknown : null;
  }

  /** Deletes stored messages older than `ageMs` (every instance has read them within milliseconds). */
  async pruneMessages(ageMs: number): Promise<void> {
    await this.#db.deleteFrom('live_messages').where(sql<boolean>`created_at < now() - make_interval(secs => ${ageMs / 1000})`).execute();
  }

  /** The call's presence lock, held to commit: a call's presence changes take turns, so their versions follow commit order. */
  async #lock(trx: Transaction<Database>, callId: string): Promise<void> {
    await sql`select pg_advisory_xact_lock(${PRESENCE_LOCK_SPACE}, hashtext(${callId}))`.execute(trx);
  }

  /** The next presence version (taken under the call's lock). */
  async #nextVersion(trx: Transaction<Database>): Promise<number> {
    const { rows } = await sql<{ version: string }>`select nextval('live_presence_version')::text as version`.execute(trx);
    return Number(rows[0]!.version);
  }

  /** NOTIFY inside the caller's transaction (delivered at its commit, in commit order), or in one statement of its own. */
  async #notify(db: Kysely<Database>, callId: string, message: unknown): Promise<void> {
    const inline = JSON.stringify({ c: callId, m: message } satisfies LiveEnvelope);
    if (Buffer.byteLength(inline) <= MAX_INLINE_NOTIFY_BYTES) {
      await sql`select pg_notify(${LIVE_CHANNEL}, ${inline})`.execute(db);
      return;
    }
    // One statement: the row and its NOTIFY commit together, so a listener that gets the id can read the row.
    await sql`with stored as (insert into live_messages (payload) values (${JSON.stringify(message)}) returning id)
      select pg_notify(${LIVE_CHANNEL}, json_build_object('c', ${callId}::text, 'ref', stored.id::text)::text) from stored`.execute(db);
  }
}

function toPresenceRow(r: { call_id: string; role: PresenceRow['role']; connection_id: string; instance_id: string; session_id: string }): PresenceRow {
  return { callId: r.call_id, role: r.role, connectionId: r.connection_id, instanceId: r.instance_id, sessionId: r.session_id };
}
