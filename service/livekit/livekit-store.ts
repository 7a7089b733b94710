// Queries over the LiveKit tables (migration 0006_livekit): applied webhook ids, participants, screen shares.
import { sql, type ColumnType, type Kysely } from 'kysely';
import type { Database } from '../store/schema.js';

type Role = 'agent' | 'client';
type Timestamp = ColumnType<Date | null, Date | string | null, Date | string | null>;

/** The LiveKit tables, as Kysely sees them (kept here: only LiveKit mode uses them; a type, as withTables wants). */
export type LivekitTables = {
  livekit_webhook_events: { id: string; received_at: ColumnType<Date, Date | string, never> };
  livekit_participants: { sid: string; call_id: string; identity: string; role: Role; joined_at_ms: number; left_at: Timestamp };
  livekit_tracks: { sid: string; call_id: string; participant_sid: string; role: Role; unpublished_at: Timestamp };
};

/** A LiveKit participant (one connection of one identity) as the webhooks told it. */
export interface ParticipantRecord {
  sid: string;
  callId: string;
  identity: string;
  role: Role;
  joinedAtMs: number;
}

/** A screen-share track as the webhooks told it. */
export interface TrackRecord {
  sid: string;
  callId: string;
  participantSid: string;
  role: Role;
}

/** How long an applied webhook id is remembered: LiveKit signs each delivery for 5 minutes, so older replays fail verification anyway. */
export const WEBHOOK_ID_RETENTION_MS = 60 * 60 * 1000;

/** The LiveKit webhook state of every call, in the service's database. */
export class LivekitStore {
  readonly #db: Kysely<Database & LivekitTables>;
  constructor(db: Kysely<Database>) {
    this.#db = db.withTables<LivekitTables>();
  }

  /** Records a webhook id; false when it was already there (a replay or a second delivery). */
  async rememberEvent(id: string, now: Date): Promise<boolean> {
    await this.#db.deleteFrom('livekit_webhook_events').where('received_at', '<', new Date(now.getTime() - WEBHOOK_ID_RETENTION_MS)).execute();
    const inserted = await this.#db.insertInto('livekit_webhook_events').values({ id, received_at: now })
      .onConflict((oc) => oc.column('id').doNothing()).returning('id').executeTakeFirst();
    return !!inserted;
  }

  /** Forgets a webhook id whose effects failed, so LiveKit's retry is applied. */
  async forgetEvent(id: string): Promise<void> {
    await this.#db.deleteFrom('livekit_webhook_events').where('id', '=', id).execute();
  }

  /** A participant joined; nothing changes if it is already known (joined twice, or its departure came first). */
  async participantJoined(p: ParticipantRecord): Promise<void> {
    await this.#db.insertInto('livekit_participants')
      .values({ sid: p.sid, call_id: p.callId, identity: p.identity, role: p.role, joined_at_ms: p.joinedAtMs, left_at: null })
      .onConflict((oc) => oc.column('sid').doNothing()).execute();
  }

  /** A participant left for good (also when this is the first we hear of it); its tracks go with it. */
  async participantLeft(p: ParticipantRecord, at: Date): Promise<void> {
    await this.#db.insertInto('livekit_participants')
      .values({ sid: p.sid, call_id: p.callId, identity: p.identity, role: p.role, joined_at_ms: p.joinedAtMs, left_at: at })
      .onConflict((oc) => oc.column('sid').doUpdateSet({ left_at: sql`coalesce(livekit_participants.left_at, excluded.left_at)` }))
      .execute();
    await this.#db.updateTable('livekit_tracks').set({ unpublished_at: at })
      .where('participant_sid', '=', p.sid).where('unpublished_at', 'is', null).execute();
  }

  /** Every participant of a call the webhooks told of. */
  async participants(callId: string): Promise<(ParticipantRecord & { left: boolean })[]> {
    const rows = await this.#db.selectFrom('livekit_participants').selectAll().where('call_id', '=', callId).execute();
    return rows.map((r) => ({ sid: r.sid, callId: r.call_id, identity: r.identity, role: r.role, joinedAtMs: Number(r.joined_at_ms), left: r.left_at !== null }));
  }

  /** A screen-share track was published; nothing changes if it is already known or its participant already left. */
  async trackPublished(t: TrackRecord): Promise<void> {
    const left = await this.#db.selectFrom('livekit_participants').select('left_at').where('sid', '=', t.participantSid).executeTakeFirst();
    await this.#db.insertInto('livekit_tracks')
      .values({ sid: t.sid, call_id: t.callId, participant_sid: t.participantSid, role: t.role, unpublished_at: left?.left_at ?? null })
      .onConflict((oc) => oc.column('sid').doNothing()).execute();
  }

  /** A screen-share track was unpublished for good (also when this is the first we hear of it). */
  async trackUnpublished(t: TrackRecord, at: Date): Promise<void> {
    await this.#db.insertInto('livekit_tracks')
      .values({ sid: t.sid, call_id: t.callId, participant_sid: t.participantSid, role: t.role, unpublished_at: at })
      .onConflict((oc) => oc.column('sid').doUpdateSet({ unpublished_at: sql`coalesce(livekit_tracks.unpublished_at, excluded.unpublished_at)` }))
      .execute();
  }

  /** Whether a role of a call has a screen-share track published now. */
  async sharingScreen(callId: string, role: Role): Promise<boolean> {
    const row = await this.#db.selectFrom('livekit_tracks').select('sid')
      .where('call_id', '=', callId).where('role', '=', role).where('unpublished_at', 'is', null).executeTakeFirst();
    return !!row;
  }
}
