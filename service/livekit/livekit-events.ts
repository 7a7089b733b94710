// LiveKit webhooks turned into call lifecycle: who is in the room, who shares a screen, whether the room still exists.
//
// Webhooks arrive late, twice or out of order (and LiveKit drops those queued over 30 s), and
// their `createdAt` has a resolution of one second, too coarse to order a join and a leave. So
// the call's state is derived, not replayed: each participant connection (sid) and each track
// (sid) is recorded as joined/published, then left/unpublished for good; a late "joined" after
// its "left" changes nothing. Presence and screen sharing are computed from those records after
// every event, and when they say the client left, LiveKit's own participant list has the last word.
import { ParticipantInfo_State, TrackSource, WebhookReceiver, type ParticipantInfo, type WebhookEvent } from 'livekit-server-sdk';
import type { Kysely } from 'kysely';
import type { CallView } from '../domain/call-view.js';
import type { CallsService } from '../domain/calls-service.js';
import { ServiceError } from '../errors.js';
import { callIdOfRoom, identityFor, parseIdentity, roomNameFor, type LivekitMedia, type MediaLog } from '../media/livekit.js';
import type { Database } from '../store/schema.js';
import { LivekitStore, type ParticipantRecord } from './livekit-store.js';

type Role = 'agent' | 'client';

/** What a verified webhook did: changed state, was a repeat of an applied id, or was not about a call of ours. */
export type WebhookOutcome = 'applied' | 'duplicate' | 'ignored';

/** Dependencies of LivekitEvents. */
export interface LivekitEventsOptions {
  db: Kysely<Database>;
  calls: Pick<CallsService, 'get' | 'clientJoined' | 'clientLeft' | 'end' | 'recordClientEvent' | 'clientSessionId'>;
  media: LivekitMedia;
  log: MediaLog;
  now?: () => Date;
}

/** Clock skew allowed on the webhook's signature (LiveKit signs each delivery for 5 minutes). */
const SIGNATURE_CLOCK_TOLERANCE_SECONDS = 30;
/** Participant states LiveKit lists for someone in the room or about to be. */
const IN_ROOM = new Set([ParticipantInfo_State.JOINED, ParticipantInfo_State.ACTIVE]);

/** Verifies LiveKit webhooks and applies them to calls, idempotently and in any order. */
export class LivekitEvents {
  readonly #opts: LivekitEventsOptions;
  readonly #store: LivekitStore;
  readonly #receiver: WebhookReceiver;
  readonly #now: () => Date;
  /** Per-call queue: one instance applies a call's events one at a time (the records make other instances safe). */
  readonly #queues = new Map<string, Promise<unknown>>();

  constructor(opts: LivekitEventsOptions) {
    this.#opts = opts;
    this.#store = new LivekitStore(opts.db);
    this.#receiver = new WebhookReceiver(opts.media.settings.apiKey, opts.media.settings.apiSecret);
    this.#now = opts.now ?? (() => new Date());
  }

  /** The event, if `authorization` is LiveKit's signature (a JWT with the body's sha256) over exactly this body; throws otherwise. */
  verify(rawBody: string, authorization: string | undefined): Promise<WebhookEvent> {
    return this.#receiver.receive(rawBody, authorization, false, SIGNATURE_CLOCK_TOLERANCE_SECONDS);
  }

  /** Applies a verified event once per id; a failure forgets the id so that LiveKit's retry is applied. */
  async apply(event: WebhookEvent): Promise<WebhookOutcome> {
    const callId = callIdOfRoom(event.room?.metadata) ?? event.room?.name;
    if (!callId || event.room?.name !== roomNameFor(callId)) return 'ignored';
    if (event.id && !(await this.#store.rememberEvent(event.id, this.#now()))) return 'duplicate';
    try {
      return await this.#serial(callId, () => this.#applyToCall(callId, event));
    } catch (err) {
      if (event.id) await this.#store.forgetEvent(event.id).catch(() => undefined);
      throw err;
    }
  }

  async #applyToCall(callId: string, event: WebhookEvent): Promise<WebhookOutcome> {
    const call = await this.#opts.calls.get(callId);
    if (!call) return 'ignored';
    const at = event.createdAt ? new Date(Number(event.createdAt) * 1000) : this.#now();
    switch (event.event) {
      case 'room_finished':
        // LiveKit closed the room (everyone gone past the departure timeout, or deleted): nobody can be in this call.
        if (call.status !== 'ended') await this.#opts.calls.end(callId, 'system', 'room_finished');
        return 'applied';
      case 'participant_joined':
      case 'participant_left':
      case 'participant_connection_aborted':
        return this.#participantEvent(call, event, at);
      case 'track_published':
      case 'track_unpublished':
        return this.#trackEvent(call, event, at);
      default:
        return 'ignored';
    }
  }

  async #participantEvent(call: CallView, event: WebhookEvent, at: Date): Promise<WebhookOutcome> {
    const record = participantRecord(call.id, event.participant);
    if (!record) return 'ignored';
    if (event.event === 'participant_joined') {
      await this.#store.participantJoined(record);
      await this.#oneSessionPerRole(call.id, record.role);
    } else {
      const sharing = await this.#store.sharingScreen(call.id, record.role);
      await this.#store.participantLeft(record, at);
      await this.#screenShareChanged(call, record, sharing);
    }
    if (call.status !== 'ended') await this.#syncClientPresence(call);
    return 'applied';
  }

  async #trackEvent(call: CallView, event: WebhookEvent, at: Date): Promise<WebhookOutcome> {
    const participant = participantRecord(call.id, event.participant);
    const track = event.track;
    if (!participant || !track?.sid || track.source !== TrackSource.SCREEN_SHARE) return 'ignored';
    const record = { sid: track.sid, callId: call.id, participantSid: participant.sid, role: participant.role };
    const sharing = await this.#store.sharingScreen(call.id, participant.role);
    if (event.event === 'track_published') await this.#store.trackPublished(record);
    else await this.#store.trackUnpublished(record, at);
    await this.#screenShareChanged(call, participant, sharing);
    return 'applied';
  }

  /** Records screen_share_started/stopped when the role's sharing state changed (repeats and late events change nothing). */
  async #screenShareChanged(call: CallView, who: ParticipantRecord, before: boolean): Promise<void> {
    const after = await this.#store.sharingScreen(call.id, who.role);
    if (after === before || call.status === 'ended') return;
    const participant = { callId: call.id, role: who.role, sessionId: parseIdentity(who.identity)?.sessionId ?? who.identity };
    try {
      await this.#opts.calls.recordClientEvent(participant, { type: after ? 'screen_share_started' : 'screen_share_stopped', device: 'screen' });
    } catch (err) {
      // The call ended meanwhile: nothing left to tell.
      if (!(err instanceof ServiceError && err.code === 'call_ended')) throw err;
    }
  }

  /**
   * One participant per role: the session that appeared last (first join time of its identity) takes
   * the role over, older ones are removed from the room, and an older one that shows up again
   * (a late webhook, a reconnect with an old token) is removed too.
   */
  async #oneSessionPerRole(callId: string, role: Role): Promise<void> {
    const rows = (await this.#store.participants(callId)).filter((p) => p.role === role);
    const current = await this.#currentIdentity(callId, role, rows);
    const stale = new Set(rows.filter((p) => !p.left && p.identity !== current).map((p) => p.identity));
    for (const identity of stale) {
      await this.#opts.media.removeParticipant(callId, identity).catch((err: Error) =>
        this.#opts.log.warn(`LiveKit RemoveParticipant ${identity} in ${callId} failed: ${err.message}`));
    }
  }

  /** Makes the call's status follow the client's presence in the room (derived from the records, checked with LiveKit before a departure). */
  async #syncClientPresence(call: CallView): Promise<void> {
    const clients = (await this.#store.participants(call.id)).filter((p) => p.role === 'client');
    const current = await this.#currentIdentity(call.id, 'client', clients);
    const present = clients.some((p) => p.identity === current && !p.left);
    if (present && call.status !== 'active') return this.#opts.calls.clientJoined(call.id, 'media');
    if (present || call.status !== 'active') return;
    // A "left" while a "joined" may still be on its way, or was dropped: ask the room itself.
    const listed = await this.#opts.media.listParticipants(call.id);
    const stillThere = listed.some((p) => parseIdentity(p.identity)?.role === 'client' && IN_ROOM.has(p.state) && !isOlderSession(p, clients, current));
    if (!stillThere) await this.#opts.calls.clientLeft(call.id, 'media');
  }

  /**
   * The identity that holds a role: the session of the client's latest join once it is in the
   * room (an older client token that connects anyway is then removed), otherwise the newest connection.
   */
  async #currentIdentity(callId: string, role: Role, rows: ParticipantRecord[]): Promise<string | undefined> {
    if (role === 'client') {
      const sessionId = await this.#opts.calls.clientSessionId(callId);
      const joined = sessionId ? identityFor('client', sessionId) : null;
      if (joined && rows.some((r) => r.identity === joined)) return joined;
    }
    return newestIdentity(rows);
  }

  async #serial<T>(callId: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.#queues.get(callId) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    const tail = run.catch(() => undefined);
    this.#queues.set(callId, tail);
    void tail.then(() => {
      if (this.#queues.get(callId) === tail) this.#queues.delete(callId);
    });
    return run;
  }
}

/** The record of a participant this service minted a token for; null for anyone else (egress, agents, foreign identities). */
function participantRecord(callId: string, info: ParticipantInfo | undefined): ParticipantRecord | null {
  const parsed = info?.sid ? parseIdentity(info.identity) : null;
  if (!info || !parsed) return null;
  const joinedAtMs = Number(info.joinedAtMs) || Number(info.joinedAt) * 1000;
  return { sid: info.sid, callId, identity: info.identity, role: parsed.role, joinedAtMs };
}

/** The identity whose first connection is the latest: the session that took the role over last. */
function newestIdentity(rows: ParticipantRecord[]): string | undefined {
  const firstJoin = new Map<string, number>();
  for (const r of rows) firstJoin.set(r.identity, Math.min(firstJoin.get(r.identity) ?? Infinity, r.joinedAtMs));
  let newest: string | undefined;
  for (const [identity, at] of firstJoin) if (newest === undefined || at > firstJoin.get(newest)!) newest = identity;
  return newest;
}

/** A listed participant of a session the records know was superseded. */
function isOlderSession(p: ParticipantInfo, known: ParticipantRecord[], current: string | undefined): boolean {
  return p.identity !== current && known.some((k) => k.identity === p.identity);
}
