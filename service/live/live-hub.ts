// The live hub: this instance's sockets of each call, presence, signal relay, lifecycle effects.
//
// Sockets of one call may be on different instances (PostgreSQL): everything that must reach a
// call's sockets goes over the live bus (live-bus.ts), and each hub delivers it to its own sockets,
// one call's messages in bus order (see live-room.ts for how presence stays exact).
//
// Anyone holding a join link reaches this code, so every socket is bounded: each frame is
// size-, JSON- and schema-checked before anything acts on it or relays it, each socket has a
// message budget, what the service buffers towards a socket that does not read is capped,
// and no handler's failure can escape into the process.
import { randomUUID } from 'node:crypto';
import type { WebSocket } from 'ws';
import { LiveCloseCode, LiveErrorCode } from '../../protocol/live.js';
import type { CallView } from '../domain/call-view.js';
import type { Participant, Role } from '../domain/credentials.js';
import type { RecordedEvent } from '../domain/events.js';
import type { BusMessage, LiveBus, PresenceEntry, PresenceSnapshot } from './live-bus.js';
import { KeyedQueue } from './keyed-queue.js';
import { LiveRoom, otherRole, type RoomEffect } from './live-room.js';
import { DEFAULT_LIVE_LIMITS, parseClientMessage, TokenBucket, type LiveLimits } from './message-guard.js';

export { DEFAULT_LIVE_LIMITS, type LiveLimits };
import { ShareRequestGate } from './share-request.js';

export { LiveCloseCode };

/** What the hub needs from the calls service. */
export interface LiveCalls {
  get(callId: string): Promise<CallView | null>;
  clientJoined(callId: string): Promise<void>;
  clientLeft(callId: string): Promise<void>;
  /** Fresh credentials for the same session; throws when they were revoked or the call ended. */
  renewCredentials(participant: Participant): Promise<{ token: string; expiresAt: string }>;
  /** The agent's socket is gone for good (not replaced, not dismissed): its grace period starts. */
  agentLeft?(callId: string): Promise<void>;
  /** An agent socket is connected again: the grace period ends. */
  agentReturned?(callId: string): Promise<void>;
}

/** Options of the live hub. */
export interface LiveHubOptions {
  calls: LiveCalls;
  /** Carries presence and messages between the instances (in memory on PGlite). */
  bus: LiveBus;
  pingIntervalMs: number;
  limits?: Partial<LiveLimits>;
  /** Reports a failure; `callId` when it concerns one call (the logger binds it). */
  onError?: (message: string, callId?: string) => void;
}

interface Session {
  socket: WebSocket;
  participant: Participant;
  role: Role;
  /** This socket's id in the presence records: a departure only removes its own record. */
  connectionId: string;
  /** Version of its own presence announcement (LiveRoom). */
  version: number | null;
  /** The announcement in flight or done; a departure waits for it, so that it cannot be overtaken by it. */
  announcing: Promise<PresenceSnapshot> | null;
  /** Set when the hub closed the socket, so that its close is not a departure. */
  dismissed: boolean;
  /** Set once its departure started (withdrawal from presence, client_left). */
  departure: Promise<void> | null;
  /** The call as last sent to it (JSON): unchanged reads are not sent again. */
  lastCall: string | null;
  alive: boolean;
  bucket: TokenBucket;
  droppedInARow: number;
  invalid: number;
  lastRateError: number;
  renewing: boolean;
  /** "Ask to share screen": what this socket may send and has pending. */
  share: ShareRequestGate;
}

const RATE_ERROR_INTERVAL_MS = 1000;
/**
 * Only facts about participants travel as `event` messages (the agent follows the client's arrival: link opened,
 * pre-join); every other change arrives as a `call` message.
 */
const PARTICIPANT_EVENT = /^call\.(screen_share_|media_blocked|link_opened|client_prejoin)/;

/** Keeps this instance's sockets of each call and turns their comings and goings into lifecycle effects. */
export class LiveHub {
  readonly #rooms = new Map<string, LiveRoom<Session>>();
  /** Connection ids of this instance's sockets, from their announcement to the end of their departure. */
  readonly #held = new Set<string>();
  /** One call's bus messages and greetings run one at a time, in order. */
  readonly #queue = new KeyedQueue();
  readonly #opts: LiveHubOptions;
  readonly #bus: LiveBus;
  readonly #limits: LiveLimits;
  readonly #pinger: NodeJS.Timeout;
  #closing: Promise<void> | null = null;

  constructor(opts: LiveHubOptions) {
    this.#opts = opts;
    this.#bus = opts.bus;
    this.#limits = { ...DEFAULT_LIVE_LIMITS, ...opts.limits };
    this.#pinger = setInterval(() => this.#guard('ping', () => this.#pingAll()), opts.pingIntervalMs);
    this.#pinger.unref();
    this.#bus.listen({
      hosts: (callId) => this.#rooms.has(callId),
      holds: (connectionId) => this.#held.has(connectionId),
      deliver: (delivery) => void this.#enqueue(delivery.callId, async () => {
        const message = await delivery.message();
        if (message) await this.#onBusMessage(message);
      }),
      reaped: (entries) => {
        // This instance removed a crashed instance's client socket: the departure is ours to record, once.
        for (const entry of entries) void this.#departed(entry.callId, entry.role);
      },
      desynced: (reason) => {
        this.#report(`live hub: ${reason}; sockets asked to reconnect`);
        for (const session of this.#allSessions()) this.#dismiss(session, LiveCloseCode.shuttingDown, 'reconnect');
      },
    });
  }

  /**
   * Takes a newly upgraded socket of a verified participant. The lifecycle change is applied and the
   * socket announced first; it gets its `hello` once this instance has caught up with its own
   * announcement, so `hello` is its first message and says who is connected on every instance.
   */
  async connect(participant: Participant, socket: WebSocket): Promise<void> {
    const { callId, role } = participant;
    const session: Session = {
      socket, participant, role, connectionId: randomUUID(), version: null, announcing: null, dismissed: false, departure: null,
      lastCall: null, alive: true, bucket: new TokenBucket(this.#limits.messageBurst, this.#limits.messagesPerSecond),
      droppedInARow: 0, invalid: 0, lastRateError: 0, renewing: false, share: new ShareRequestGate(role),
    };
    socket.on('message', (raw, isBinary) => this.#guard('message', () => this.#onMessage(session, raw as Buffer, isBinary)));
    socket.on('close', () => void this.#depart(session));
    socket.on('pong', () => (session.alive = true));
    socket.on('error', () => undefined);
    if (this.#closing) return this.#dismiss(session, LiveCloseCode.shuttingDown, 'service shutting down');

    if (role === 'client') await this.#opts.calls.clientJoined(callId);
    const call = await this.#opts.calls.get(callId);
    if (socket.readyState !== socket.OPEN) {
      // Gone while we were reading: undo the join unless another client socket (on any instance) holds the call.
      if (role === 'client' && !(await this.#bus.present(callId, 'client'))) await this.#opts.calls.clientLeft(callId);
      return;
    }
    if (!call || call.status === 'ended') return this.#dismiss(session, LiveCloseCode.callEnded, 'call ended');
    if (this.#closing) return this.#dismiss(session, LiveCloseCode.shuttingDown, 'service shutting down');
    const room = this.#rooms.get(callId) ?? new LiveRoom<Session>(callId);
    this.#rooms.set(callId, room);
    room.add(session);
    this.#held.add(session.connectionId);
    session.announcing = this.#bus.announce(this.#entry(session));
    const snapshot = await session.announcing.catch((err: Error) => {
      this.#dismiss(session, 1011, 'internal error');
      throw err;
    });
    if (role === 'agent') await this.#opts.calls.agentReturned?.(callId);
    await this.#enqueue(callId, () => this.#carryOut(room, room.announced(session, snapshot)));
  }

  /** Tells every instance's sockets of the call that it changed (each reads it); an ended call closes them with 4000. */
  callChanged(call: CallView): void {
    this.#publish({ kind: 'call', callId: call.id });
  }

  /** Broadcasts events reported by participants (screen share, media blocked). */
  eventsRecorded(callId: string, events: RecordedEvent[]): void {
    const relayed = events.filter((e) => (e.by === 'agent' || e.by === 'client') && PARTICIPANT_EVENT.test(e.type));
    if (relayed.length > 0) this.#publish({ kind: 'events', callId, events: relayed });
  }

  /** Closes, on every instance, a role's socket whose session is no longer the current one (a newer join revoked it). */
  revokeOtherSessions(callId: string, role: Role, currentSessionId: string): void {
    this.#publish({ kind: 'revoke', callId, role, sessionId: currentSessionId });
  }

  /** This instance's live sockets by role, greeted or not (the metrics' gauge). */
  socketCounts(): Record<Role, number> {
    const counts: Record<Role, number> = { agent: 0, client: 0 };
    for (const session of this.#allSessions()) counts[session.role] += 1;
    return counts;
  }

  /** Whether a role of a call has a greeted socket on this instance. */
  isPresent(callId: string, role: Role): boolean {
    return !!this.#rooms.get(callId)?.open[role];
  }

  /** Closes every socket with 1001 (reconnect: another instance may answer) and withdraws their presence. */
  close(): Promise<void> {
    if (this.#closing) return this.#closing;
    clearInterval(this.#pinger);
    const sessions = this.#allSessions();
    for (const session of sessions) this.#dismiss(session, LiveCloseCode.shuttingDown, 'service shutting down');
    // #dismiss started each departure.
    this.#closing = Promise.all(sessions.map((s) => s.departure ?? Promise.resolve())).then(() => undefined);
    return this.#closing;
  }

  async #onBusMessage(message: BusMessage): Promise<void> {
    const room = this.#rooms.get(message.callId);
    if (!room) return;
    switch (message.kind) {
      case 'presence':
        return this.#carryOut(room, room.change(message));
      case 'call': {
        if (room.empty) return;
        const call = await this.#opts.calls.get(message.callId);
        if (!call) return;
        for (const session of Object.values(room.open)) this.#sendCall(session, call);
        if (call.status === 'ended') for (const session of room.members()) this.#dismiss(session, LiveCloseCode.callEnded, 'call ended');
        return;
      }
      case 'events':
        for (const event of message.events) for (const session of Object.values(room.open)) this.#send(session, { type: 'event', event });
        return;
      case 'signal':
        // Only from the socket holding the role now: a replaced socket's late signals would confuse the new negotiation.
        if (room.view[message.from] !== message.connectionId) return;
        return this.#sendTo(room.open[otherRole(message.from)], { type: 'signal', from: message.from, data: message.data });
      case 'share': {
        if (room.view[message.from] !== message.connectionId) return;
        const to = room.open[otherRole(message.from)];
        const delivered = to?.share.deliver(message.relay);
        return delivered ? this.#sendTo(to, delivered) : undefined;
      }
      case 'revoke':
        for (const session of room.members()) {
          // Not a departure (no client_left): the newer session is about to connect and take over.
          if (session.role === message.role && session.participant.sessionId !== message.sessionId) {
            this.#dismiss(session, LiveCloseCode.credentialsRejected, 'credentials replaced by a newer join');
          }
        }
    }
  }

  async #carryOut(room: LiveRoom<Session>, effects: RoomEffect<Session>[]): Promise<void> {
    for (const effect of effects) {
      switch (effect.type) {
        case 'presence':
          if (!effect.present) effect.to.share.peerLeft();
          this.#send(effect.to, { type: 'presence', role: effect.role, present: effect.present });
          break;
        case 'replaced':
          this.#dismiss(effect.session, LiveCloseCode.replaced, 'replaced by a newer session');
          break;
        case 'evicted':
          this.#dismiss(effect.session, LiveCloseCode.shuttingDown, 'reconnect');
          break;
        case 'hello':
          await this.#hello(room, effect.session, effect.peers);
      }
    }
  }

  /** The call is read now, after the presence it goes with: later changes of both come after this message. */
  async #hello(room: LiveRoom<Session>, session: Session, peers: Record<Role, boolean>): Promise<void> {
    const call = await this.#opts.calls.get(room.callId).catch((err: Error) => {
      // Without its hello a socket would wait forever: close it, the browser reconnects.
      this.#dismiss(session, 1011, 'internal error');
      throw err;
    });
    if (session.departure) return;
    if (!call || call.status === 'ended') return this.#dismiss(session, LiveCloseCode.callEnded, 'call ended');
    session.lastCall = JSON.stringify(call);
    this.#send(session, { type: 'hello', role: session.role, call, peers });
  }

  #sendCall(session: Session, call: CallView): void {
    const text = JSON.stringify(call);
    if (text === session.lastCall) return;
    session.lastCall = text;
    this.#send(session, { type: 'call', call });
  }

  #onMessage(session: Session, raw: Buffer, isBinary: boolean): void {
    if (!session.bucket.take()) return this.#overBudget(session);
    session.droppedInARow = 0;
    const parsed = parseClientMessage(raw, isBinary);
    if (!parsed.ok) {
      session.invalid += 1;
      if (session.invalid > this.#limits.maxInvalidMessages) return this.#cut(session, 'too many invalid messages');
      return this.#send(session, { type: 'error', code: parsed.code, message: parsed.message });
    }
    const message = parsed.message;
    switch (message.type) {
      case 'ping':
        return this.#send(session, { type: 'pong' });
      case 'renew':
        return void this.#renew(session);
      case 'signal': {
        if (this.#rooms.get(session.participant.callId)?.open[session.role] !== session) return;
        // Nobody to relay to is not an error: the peer renegotiates from scratch when it (re)appears.
        return this.#publish({ kind: 'signal', callId: session.participant.callId, from: session.role, connectionId: session.connectionId, data: message.data });
      }
      case 'share_request':
      case 'share_answer': {
        const room = this.#rooms.get(session.participant.callId);
        if (room?.open[session.role] !== session) return;
        const decision = session.share.outgoing(message, room.view[otherRole(session.role)] !== null);
        if (!decision.ok) return this.#send(session, { type: 'error', code: decision.code, message: decision.message });
        return this.#publish({ kind: 'share', callId: room.callId, from: session.role, connectionId: session.connectionId, relay: decision.relay });
      }
    }
  }

  #overBudget(session: Session): void {
    session.droppedInARow += 1;
    if (session.droppedInARow > this.#limits.maxDroppedInARow) return this.#cut(session, 'message rate exceeded');
    const now = performance.now();
    if (now - session.lastRateError < RATE_ERROR_INTERVAL_MS) return;
    session.lastRateError = now;
    this.#send(session, { type: 'error', code: LiveErrorCode.rateLimited, message: `At most ${this.#limits.messagesPerSecond} messages per second` });
  }

  async #renew(session: Session): Promise<void> {
    if (session.renewing) return;
    session.renewing = true;
    try {
      const credentials = await this.#opts.calls.renewCredentials(session.participant);
      this.#send(session, { type: 'credentials', credentials });
    } catch {
      this.#dismiss(session, LiveCloseCode.credentialsRejected, 'credentials revoked');
    } finally {
      session.renewing = false;
    }
  }

  /**
   * The socket is gone (closed, cut, or dismissed by the hub): it leaves its room and its presence is withdrawn once its
   * announcement is done. A client's departure counts (client_left) only if it still held the role and was not dismissed.
   */
  #depart(session: Session): Promise<void> {
    session.departure ??= (async () => {
      const room = this.#rooms.get(session.participant.callId);
      room?.remove(session);
      if (room?.empty) this.#rooms.delete(room.callId);
      if (!session.announcing) return;
      await session.announcing.catch(() => undefined);
      const withdrawn = await this.#bus.withdraw(this.#entry(session));
      if (withdrawn && !session.dismissed) await this.#departed(session.participant.callId, session.role);
    })().catch((err: Error) => this.#report(`live departure: ${err.message}`, session.participant.callId))
      // Once released, a row it failed to withdraw is withdrawn by the bus's next heartbeat.
      .finally(() => this.#held.delete(session.connectionId));
    return session.departure;
  }

  /** A role's last socket left the call: the client's departure is `client_left`, the agent's starts its grace period. */
  async #departed(callId: string, role: Role): Promise<void> {
    const leave = role === 'client' ? this.#opts.calls.clientLeft(callId) : this.#opts.calls.agentLeft?.(callId);
    await leave?.catch((err: Error) => this.#report(`${role} departure: ${err.message}`, callId));
  }

  /** Closes a misbehaving socket; it may reconnect, so its departure counts as one. */
  #cut(session: Session, reason: string): void {
    if (session.socket.readyState === session.socket.OPEN) session.socket.close(LiveCloseCode.policyViolation, reason);
  }

  /** Closes a socket on the service's initiative (ended, replaced, revoked, shutting down): not a departure of its role. */
  #dismiss(session: Session, code: number, reason: string): void {
    session.dismissed = true;
    if (session.socket.readyState === session.socket.OPEN || session.socket.readyState === session.socket.CONNECTING) {
      session.socket.close(code, reason);
    }
    // At once rather than on the close handshake, which a silent peer can stretch to 30 s: the other side learns now.
    void this.#depart(session);
  }

  #entry(session: Session): PresenceEntry {
    return { callId: session.participant.callId, role: session.role, connectionId: session.connectionId, sessionId: session.participant.sessionId };
  }

  #allSessions(): Session[] {
    return [...this.#rooms.values()].flatMap((room) => room.members());
  }

  /** Runs one call's work after the work queued before it; a failure is reported, not thrown. */
  #enqueue(callId: string, task: () => Promise<void>): Promise<void> {
    return this.#queue.run(callId, task).catch((err: Error) => this.#report(`live ${callId}: ${err.message}`, callId));
  }

  #publish(message: Parameters<LiveBus['publish']>[0]): void {
    this.#bus.publish(message).catch((err: Error) => this.#report(`live bus publish (${message.kind}) failed: ${err.message}`, message.callId));
  }

  #sendTo(session: Session | undefined, message: object): void {
    if (session) this.#send(session, message);
  }

  /** Sends unless the socket already holds too much unread data, in which case it is cut off. */
  #send(session: Session, message: object): void {
    const socket = session.socket;
    if (socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount > this.#limits.maxBufferedBytes) {
      // A close frame would queue behind the unread data: drop the connection now.
      this.#report(`live socket of ${session.role} in ${session.participant.callId} cut: ${socket.bufferedAmount} bytes unread`, session.participant.callId);
      socket.terminate();
      return;
    }
    socket.send(JSON.stringify(message));
  }

  #pingAll(): void {
    for (const session of this.#allSessions()) {
      if (!session.alive) {
        session.socket.terminate();
        continue;
      }
      session.alive = false;
      session.socket.ping();
    }
  }

  /** Runs a socket handler so that nothing it throws can reach the process. */
  #guard(what: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.#report(`live ${what} handler failed: ${(err as Error).message}`);
    }
  }

  #report(message: string, callId?: string): void {
    try {
      this.#opts.onError?.(message, callId);
    } catch {
      // a logger's failure is not ours to crash on
    }
  }
}
