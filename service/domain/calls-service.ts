// The calls service: creation, joining, ending and lifecycle effects, over the store.
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { EndReason } from '../../protocol/call.js';
import { errors } from '../errors.js';
import type { CallRow, Database } from '../store/schema.js';
import { presenceSource, type CallsObserver, type CallsServiceOptions, type ClientEventInput, type CreateCallResult, type PresenceSource } from './calls-ports.js';
import type { AgentClaims } from './agent-token.js';
import { CallStatus, isRinging, transition, type EndedBy, type LifecycleEvent } from './call-lifecycle.js';
import { isAbandoned, lifecycleEvents, overdueReason } from './call-endings.js';
import { MediaReleases } from './media-releases.js';
import { toCallView, type CallView, type Credentials } from './call-view.js';
import { CREDENTIALS_TTL_SECONDS, type Participant, type Role } from './credentials.js';
import { EventType, recordEvents, type RecordedEvent } from './events.js';
import { storedInviteData } from './invite.js';
import { joinSecretFor, joinSecretMatches, joinUrlFor } from './join-secret.js';
import { checkPrerequisites } from './prerequisites.js';


export type { CallPolicies, CallPolicy, CallsObserver, CallsServiceOptions, ClientEventInput, CreateCallResult, LivePresence, PresenceSource } from './calls-ports.js';

/** Authoritative call lifecycle; every state change commits its timeline and outbox rows in one transaction. */
export class CallsService {
  readonly #db: Kysely<Database>;
  readonly #opts: CallsServiceOptions;
  readonly #now: () => Date;
  readonly #observers = new Set<CallsObserver>();
  readonly #releases: MediaReleases;

  constructor(opts: CallsServiceOptions) {
    this.#opts = opts;
    this.#db = opts.db;
    this.#now = opts.now ?? (() => new Date());
    this.#releases = new MediaReleases({ db: opts.db, media: opts.media, log: opts.log, now: this.#now });
  }

  /** Registers an observer; returns a function removing it. */
  observe(observer: CallsObserver): () => void {
    this.#observers.add(observer);
    return () => this.#observers.delete(observer);
  }

  /** Creates a call for the agent's conversation, or returns the one already open there. */
  async create(claims: AgentClaims, media: 'audio' | 'video'): Promise<CreateCallResult> {
    const clientId = checkPrerequisites(claims);
    const open = await this.#db.selectFrom('calls').selectAll()
      .where('org_id', '=', claims.orgId).where('conversation_id', '=', claims.conversationId).where('status', '<>', 'ended')
      .executeTakeFirst();
    let stillOpen = !!open && (await this.#settleOverdue(open)).status !== 'ended';
    if (stillOpen && open && (await this.#abandoned(open.id))) {
      // Calling again after walking away rings again with a fresh link and invite (docs/architecture.md, "Abandoned calls").
      await this.#apply(open.id, { type: 'end', by: 'agent', reason: EndReason.replaced });
      stillOpen = false;
    }
    const now = this.#now();
    const id = randomUUID();
    const policy = (await this.#opts.orgs?.policy(claims.orgId)) ?? this.#opts.config;
    // The media room exists before the call does (LiveKit: CreateRoom), never on a join path, and no link goes out for a call nobody could join.
    if (!stillOpen) await this.#opts.media.prepareCall(id);
    const { secret, hash } = joinSecretFor(this.#opts.config.serviceSecret, id);
    const joinUrl = joinUrlFor(this.#opts.config.publicUrl, id, secret);
    const result = await this.#db.transaction().execute(async (trx) => {
      const inserted = await trx.insertInto('calls')
        .values({
          id, org_id: claims.orgId, conversation_id: claims.conversationId, client_id: clientId,
          client_name: claims.clientName, agent_id: claims.agentId, agent_name: claims.agentName, media,
          status: 'created', link_delivered: false, secret_hash: hash, created_at: now,
          expires_at: new Date(now.getTime() + policy.linkTtlSeconds * 1000), ring_timeout_seconds: policy.ringTimeoutSeconds,
        })
        .onConflict((oc) => oc.columns(['org_id', 'conversation_id']).where('status', '<>', 'ended').doNothing())
        .returningAll()
        .executeTakeFirst();
      if (!inserted) {
        const existing = await trx.selectFrom('calls').selectAll()
          .where('org_id', '=', claims.orgId).where('conversation_id', '=', claims.conversationId).where('status', '<>', 'ended')
          .executeTakeFirstOrThrow();
        return { row: existing, events: [] };
      }
      const events = await recordEvents(trx, inserted, [
        { type: EventType.created, by: 'agent', data: { media } },
        {
          type: EventType.invite, by: 'system', data: {},
          // Without the link: the worker derives it when it sends the invite, so the secret is never written down.
          webhookData: storedInviteData({ callId: id, conversationId: claims.conversationId, clientId, agentId: claims.agentId, agentName: claims.agentName, media }),
        },
      ], now);
      return { row: inserted, events };
    });
    const created = result.row.id === id;
    // A concurrent creation won the conversation: release the room prepared for this one. One attempt:
    // no token for it was ever handed out, and LiveKit closes a room nobody joins after its empty timeout.
    if (!created && !stillOpen) void this.#opts.media.releaseCall(id).catch(() => undefined);
    const call = toCallView(result.row);
    // Nothing to tell the live sockets: none can exist before this answer carries the first credentials.
    if (created) this.#notify(null, result.events, call.id);
    return { created, call, credentials: await this.credentialsFor(call, 'agent'), joinUrl: created ? joinUrl : null };
  }

  /** Exchanges a join-link secret for client credentials. */
  async join(callId: string, secret: string): Promise<{ call: CallView; credentials: Credentials }> {
    let row = await this.#find(callId);
    if (!row || !joinSecretMatches(secret, row.secret_hash)) throw errors.linkInvalid();
    row = await this.#settleOverdue(row);
    if (row.status === 'ended') throw row.end_reason === 'expired' ? errors.linkExpired() : errors.callEnded(410);
    const opened = row;
    const sessionId = randomUUID();
    const events = await this.#db.transaction().execute(async (trx) => {
      await trx.updateTable('calls').set({ client_session_id: sessionId }).where('id', '=', callId).execute();
      return recordEvents(trx, opened, [{ type: EventType.linkOpened, by: 'client', data: {} }], this.#now());
    });
    this.#notify(null, events, callId);
    for (const o of this.#observers) {
      try {
        o.clientSessionChanged?.(callId, sessionId);
      } catch {
        // an observer's failure must not undo a committed change
      }
    }
    const call = toCallView(row);
    return { call, credentials: await this.credentialsFor(call, 'client', sessionId) };
  }

  /** The call as it is now (overdue calls are ended first); null when unknown. */
  async get(callId: string): Promise<CallView | null> {
    const row = await this.#find(callId);
    return row ? toCallView(await this.#settleOverdue(row)) : null;
  }

  /** What the hosted join page should show for a call. */
  async linkState(callId: string): Promise<'open' | 'unknown' | 'ended' | 'expired'> {
    const row = await this.#find(callId);
    if (!row) return 'unknown';
    const settled = await this.#settleOverdue(row);
    if (settled.status !== 'ended') return 'open';
    return settled.end_reason === 'expired' ? 'expired' : 'ended';
  }

  /** Ends a call (idempotent: an ended call is returned unchanged). */
  async end(callId: string, by: EndedBy, reason: string): Promise<CallView> {
    const row = await this.#apply(callId, { type: 'end', by, reason });
    if (!row) throw errors.callNotFound();
    return toCallView(row);
  }

  /** Records a fact reported by a participant's browser. */
  async recordClientEvent(participant: Participant, input: ClientEventInput): Promise<void> {
    const row = await this.#find(participant.callId);
    if (!row) throw errors.callNotFound();
    if ((await this.#settleOverdue(row)).status === 'ended') throw errors.callEnded(409);
    if (input.type === 'client_prejoin' && participant.role !== 'client') return; // only a client has a pre-join screen
    const screenShare = input.type === 'screen_share_started' || input.type === 'screen_share_stopped';
    const sharing = screenShare ? (await this.#lastScreenShareEvent(row.id, participant.role)) ?? EventType.screenShareStopped : null;
    if (sharing === `call.${input.type}`) {
      return; // already in that state: a repeat tells the host nothing new
    }
    const data: Record<string, unknown> = {};
    if (input.device) data.device = input.device;
    if (input.reason) data.reason = input.reason;
    const events = await this.#db.transaction().execute((trx) =>
      recordEvents(trx, row, [{ type: `call.${input.type}`, by: participant.role, data }], this.#now()));
    this.#notify(null, events, row.id);
  }

  /** The client's live socket opened, or (`from` 'media') LiveKit saw the client join; each mode heeds one source. */
  async clientJoined(callId: string, from: PresenceSource = 'socket'): Promise<void> {
    if (from !== presenceSource(this.#opts.media)) return;
    // Plain read first: a client already in the call (a reconnect, a flood of upgrades) costs no transaction.
    const row = await this.#find(callId);
    if (!row || transition(row.status, { type: 'client_joined' }) === row.status) return;
    await this.#apply(callId, { type: 'client_joined' });
  }

  /** The client session of the latest join (null before anyone joined). */
  async clientSessionId(callId: string): Promise<string | null> {
    const row = await this.#db.selectFrom('calls').select('client_session_id').where('id', '=', callId).executeTakeFirst();
    return row?.client_session_id ?? null;
  }

  /** Is this participant's session still the current one? (A newer join retires older client sessions.) */
  async isCurrentSession(participant: Participant): Promise<boolean> {
    if (participant.role !== 'client') return true;
    const row = await this.#db.selectFrom('calls').select('client_session_id').where('id', '=', participant.callId).executeTakeFirst();
    return !!row && row.client_session_id === participant.sessionId;
  }

  /** Fresh credentials for the same session, asked over its live socket; refused once revoked or ended. */
  async renewCredentials(participant: Participant): Promise<{ token: string; expiresAt: string }> {
    const row = await this.#find(participant.callId);
    if (!row) throw errors.callNotFound();
    if (row.status === 'ended') throw errors.callEnded(409);
    if (participant.role === 'client' && row.client_session_id !== participant.sessionId) throw errors.credentialsReplaced();
    const expiresAt = this.#credentialsExpiry(toCallView(row));
    const token = await this.#opts.credentials.issue(row.id, participant.role, expiresAt, participant.sessionId);
    return { token, expiresAt: expiresAt.toISOString() };
  }

  /** The client's live socket closed for good, or (`from` 'media') LiveKit saw the client leave. */
  async clientLeft(callId: string, from: PresenceSource = 'socket'): Promise<void> {
    if (from !== presenceSource(this.#opts.media)) return;
    await this.#apply(callId, { type: 'client_left' });
  }

  /** The invite webhook was answered 2xx (see linksDelivered). */
  async linkDelivered(callId: string): Promise<void> {
    await this.linksDelivered([callId]);
  }

  /**
   * The invite webhooks of these calls were answered 2xx (the worker's batch of one event-loop turn). It records no
   * event, so no transaction is needed: one statement marks them all, each row's new status computed from the row as it
   * is when updated (the row lock orders it with a concurrent client arrival, whichever comes first), where it was a
   * read and an update per call (docs/performance.md).
   */
  async linksDelivered(callIds: readonly string[]): Promise<void> {
    if (callIds.length === 0) return;
    const updated = await this.#db.updateTable('calls').set({ status: statusAfter({ type: 'link_delivered' }), link_delivered: true })
      .where('id', 'in', [...new Set(callIds)]).where('link_delivered', '=', false)
      .returningAll().execute();
    for (const row of updated) this.#notify(toCallView(row), []);
  }

  /** The agent's live socket is gone (closed, cut, or its instance died): the grace period starts, the client is told. */
  async agentLeft(callId: string): Promise<void> {
    const updated = await this.#db.updateTable('calls').set({ agent_away_since: this.#now() })
      .where('id', '=', callId).where('status', '<>', 'ended').where('agent_away_since', 'is', null)
      .returningAll().executeTakeFirst();
    if (updated) this.#notify(toCallView(updated), []);
  }

  /** The agent's live socket is back: the grace period is over, the call goes on. */
  async agentReturned(callId: string): Promise<void> {
    const updated = await this.#db.updateTable('calls').set({ agent_away_since: null })
      .where('id', '=', callId).where('agent_away_since', 'is not', null)
      .returningAll().executeTakeFirst();
    if (updated) this.#notify(toCallView(updated), []);
  }

  /**
   * "Send the link again": records a fresh `call.invite` (the host posts the same link again) and rings again: the
   * ring timeout counts from now. Only while nobody has joined (409 `call_not_ringing`), only by the call's agent.
   */
  async resendInvite(participant: Participant): Promise<CallView> {
    if (participant.role !== 'agent') throw errors.forbidden('Only the agent sends the link again');
    const found = await this.#find(participant.callId);
    if (!found) throw errors.callNotFound();
    if ((await this.#settleOverdue(found)).status === 'ended') throw errors.callEnded(409);
    const now = this.#now();
    const outcome = await this.#db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('calls').selectAll().where('id', '=', participant.callId).forUpdate().executeTakeFirstOrThrow();
      if (row.status === 'ended') throw errors.callEnded(409);
      if (!isRinging(row.status)) throw errors.callNotRinging();
      const updated = await trx.updateTable('calls').set({ invited_at: now }).where('id', '=', row.id).returningAll().executeTakeFirstOrThrow();
      const events = await recordEvents(trx, updated, [{
        type: EventType.invite, by: 'agent', data: { resent: true },
        webhookData: storedInviteData({ callId: row.id, conversationId: row.conversation_id, clientId: row.client_id, agentId: row.agent_id, agentName: row.agent_name, media: row.media }),
      }], now);
      return { row: updated, events };
    });
    const call = toCallView(outcome.row);
    this.#notify(call, outcome.events);
    return call;
  }

  /** Ends every call past its ring timeout, link expiry or agent grace; returns how many. */
  async sweep(): Promise<number> {
    const now = this.#now();
    // Each call rings for its own org's timeout, kept on the row when it was made.
    const ringDeadline = sql<Date>`${now}::timestamptz - coalesce(ring_timeout_seconds, ${this.#opts.config.ringTimeoutSeconds}) * interval '1 second'`;
    const rows = await this.#db.selectFrom('calls').selectAll().where('status', '<>', 'ended')
      .where((eb) => eb.or([
        eb('expires_at', '<=', now),
        eb.and([eb('status', 'in', ['created', 'ringing']), eb(sql`coalesce(invited_at, created_at)`, '<=', ringDeadline)]),
        eb('agent_away_since', '<=', new Date(now.getTime() - this.#opts.config.agentGraceSeconds * 1000)),
      ]))
      .limit(500).execute();
    for (const row of rows) await this.#settleOverdue(row);
    // A media server that restarted lost the rooms of open calls and said nothing: make them again.
    const open = await this.#db.selectFrom('calls').select('id').where('status', '<>', 'ended').orderBy('created_at', 'desc').limit(500).execute();
    await this.#opts.media.restoreCalls(open.map((r) => r.id)).catch(() => undefined);
    await this.#releases.releaseDue(now);
    return rows.length;
  }

  /**
   * The agent comes back after losing the media path (Rejoin): the call's media is made again if
   * the media server lost it, and fresh credentials are issued for the same session.
   */
  async resumeAgent(participant: Participant): Promise<{ call: CallView; credentials: Credentials }> {
    if (participant.role !== 'agent') throw errors.forbidden('Only the agent resumes a call this way; the client opens its link again');
    const row = await this.#find(participant.callId);
    if (!row) throw errors.callNotFound();
    const settled = await this.#settleOverdue(row);
    if (settled.status === 'ended') throw errors.callEnded(409);
    await this.#opts.media.restoreCalls([settled.id]);
    const call = toCallView(settled);
    return { call, credentials: await this.credentialsFor(call, 'agent', participant.sessionId) };
  }

  /** Credentials for a role in a call (a new session unless one is given). */
  async credentialsFor(call: CallView, role: Role, sessionId: string = randomUUID()): Promise<Credentials> {
    const expiresAt = this.#credentialsExpiry(call);
    const live = new URL(`/v1/calls/${call.id}/live`, this.#opts.config.publicUrl);
    live.protocol = live.protocol === 'https:' ? 'wss:' : 'ws:';
    return {
      role,
      token: await this.#opts.credentials.issue(call.id, role, expiresAt, sessionId),
      expiresAt: expiresAt.toISOString(),
      liveUrl: live.toString(),
      // The media session shares the credentials' session id (LiveKit: one participant identity per session).
      media: await this.#opts.media.credentialsMedia({ callId: call.id, role, sessionId, name: (role === 'agent' ? call.agentName : call.clientName) ?? 'Client' }),
    };
  }

  /** Credentials live CREDENTIALS_TTL_SECONDS, never past the call's own expiry. */
  #credentialsExpiry(call: CallView): Date {
    return new Date(Math.min(this.#now().getTime() + CREDENTIALS_TTL_SECONDS * 1000, Date.parse(call.expiresAt)));
  }

  async #lastScreenShareEvent(callId: string, role: Role): Promise<string | undefined> {
    const last = await this.#db.selectFrom('call_events').select('type').where('call_id', '=', callId).where('by', '=', role)
      .where('type', 'in', [EventType.screenShareStarted, EventType.screenShareStopped]).orderBy('id', 'desc').limit(1).executeTakeFirst();
    return last?.type;
  }

  #find(callId: string): Promise<CallRow | undefined> {
    return this.#db.selectFrom('calls').selectAll().where('id', '=', callId).executeTakeFirst();
  }

  /** Ends the call if its link expired or nobody answered in time; returns the current row. */
  async #settleOverdue(row: CallRow): Promise<CallRow> {
    if (row.status === 'ended') return row;
    const reason = overdueReason(row, this.#now().getTime(), this.#opts.config);
    if (!reason) return row;
    // A stale away mark (the agent came back on another instance before the mark was written) is cleared, not obeyed.
    if (reason === EndReason.agentLeft && (await this.#opts.presence?.present(row.id, 'agent'))) {
      await this.agentReturned(row.id);
      return row;
    }
    return (await this.#apply(row.id, { type: 'end', by: 'system', reason })) ?? row;
  }

  /** Abandoned (see isAbandoned) and no agent socket connected anywhere. */
  async #abandoned(callId: string): Promise<boolean> {
    const row = await this.#find(callId);
    return !!row && isAbandoned(row) && !(await this.#opts.presence?.present(callId, 'agent'));
  }

  /** Applies a lifecycle event in one transaction (row lock, update, timeline, outbox), then notifies. */
  async #apply(callId: string, event: LifecycleEvent): Promise<CallRow | null> {
    const now = this.#now();
    const outcome = await this.#db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('calls').selectAll().where('id', '=', callId).forUpdate().executeTakeFirst();
      if (!row) return null;
      const status = transition(row.status, event);
      const deliveredNow = event.type === 'link_delivered' && !row.link_delivered;
      if (status === row.status && !deliveredNow) return { row, events: [] as RecordedEvent[], changed: false };
      const updated = await trx.updateTable('calls')
        .set({
          status,
          link_delivered: row.link_delivered || event.type === 'link_delivered',
          ...(event.type === 'end' ? { ended_at: now, ended_by: event.by, end_reason: event.reason } : {}),
          // Its media is to be released (media-releases.ts), written in the same transaction: a crash before the attempt loses nothing.
          ...(event.type === 'end' ? this.#releases.pendingAtEnd(now) : {}),
        })
        .where('id', '=', callId).returningAll().executeTakeFirstOrThrow();
      const joined = event.type === 'end'
        ? await trx.selectFrom('call_events').select('at').where('call_id', '=', callId).where('type', '=', EventType.clientJoined).orderBy('id').limit(1).executeTakeFirst()
        : undefined;
      const events = await recordEvents(trx, updated, lifecycleEvents(row, updated, event, joined?.at ?? null, now), now);
      return { row: updated, events, changed: true };
    });
    if (!outcome) return null;
    if (outcome.changed) {
      if (event.type === 'end') await this.#releases.release(callId, 0);
      this.#notify(toCallView(outcome.row), outcome.events);
    }
    return outcome.row;
  }

  #notify(call: CallView | null, events: RecordedEvent[], callId = call?.id): void {
    for (const o of this.#observers) {
      try {
        if (call) o.callChanged?.(call);
        if (events.length > 0 && callId) o.eventsRecorded?.(callId, events);
        if (events.length > 0) o.outboxWritten?.();
      } catch {
        // an observer's failure must not undo a committed change
      }
    }
  }
}

/**
 * The SQL of `transition(status, event)` for the row being updated: `case status when … then … else status end`, made
 * from the pure function itself, so the rule stays in one place.
 */
function statusAfter(event: LifecycleEvent) {
  const changes = Object.values(CallStatus).filter((status) => transition(status, event) !== status);
  if (changes.length === 0) return sql<CallStatus>`status`;
  const whens = changes.map((status) => sql`when ${status} then ${transition(status, event)}`);
  return sql<CallStatus>`case status ${sql.join(whens, sql` `)} else status end`;
}
