// The in-memory live hub: one agent and one client socket per call, presence, signal relay, lifecycle effects.
//
// Anyone holding a join link reaches this code, so every socket is bounded: each frame is
// size-, JSON- and schema-checked before anything acts on it or relays it, each socket has a
// message budget, what the service buffers towards a socket that does not read is capped,
// and no handler's failure can escape into the process.
import type { WebSocket } from 'ws';
import { LiveCloseCode, LiveErrorCode } from '../../protocol/live.js';
import type { CallView } from '../domain/call-view.js';
import type { Participant, Role } from '../domain/credentials.js';
import type { RecordedEvent } from '../domain/events.js';
import { parseClientMessage, TokenBucket } from './message-guard.js';

export { LiveCloseCode };

/** What the hub needs from the calls service. */
export interface LiveCalls {
  get(callId: string): Promise<CallView | null>;
  clientJoined(callId: string): Promise<void>;
  clientLeft(callId: string): Promise<void>;
  /** Fresh credentials for the same session; throws when they were revoked or the call ended. */
  renewCredentials(participant: Participant): Promise<{ token: string; expiresAt: string }>;
}

/** Bounds of one live socket. */
export interface LiveLimits {
  /** Messages a socket may send in a burst. */
  messageBurst: number;
  /** Messages per second a socket may sustain. */
  messagesPerSecond: number;
  /** Messages dropped in a row (over budget) before the socket is closed with 4008. */
  maxDroppedInARow: number;
  /** Invalid messages in a session before it is closed with 4008. */
  maxInvalidMessages: number;
  /** Bytes the service may hold for a socket that does not read; past it the socket is cut. */
  maxBufferedBytes: number;
}

/** Default bounds: a direct-mode negotiation sends a few dozen messages in its first second. */
export const DEFAULT_LIVE_LIMITS: LiveLimits = {
  messageBurst: 200,
  messagesPerSecond: 50,
  maxDroppedInARow: 200,
  maxInvalidMessages: 50,
  maxBufferedBytes: 1024 * 1024,
};

/** Options of the live hub. */
export interface LiveHubOptions {
  calls: LiveCalls;
  pingIntervalMs: number;
  limits?: Partial<LiveLimits>;
  onError?: (message: string) => void;
}

interface Session {
  socket: WebSocket;
  participant: Participant;
  role: Role;
  /** In its call's room (after `hello`). */
  registered: boolean;
  /** Set when the socket is closed by the hub, so its close is not a departure. */
  dismissed: boolean;
  alive: boolean;
  bucket: TokenBucket;
  droppedInARow: number;
  invalid: number;
  lastRateError: number;
  renewing: boolean;
}

type Room = Partial<Record<Role, Session>>;

const other = (role: Role): Role => (role === 'agent' ? 'client' : 'agent');
const RATE_ERROR_INTERVAL_MS = 1000;

/** Keeps the sockets of each call and turns their comings and goings into lifecycle effects. */
export class LiveHub {
  readonly #rooms = new Map<string, Room>();
  readonly #opts: LiveHubOptions;
  readonly #limits: LiveLimits;
  readonly #pinger: NodeJS.Timeout;

  constructor(opts: LiveHubOptions) {
    this.#opts = opts;
    this.#limits = { ...DEFAULT_LIVE_LIMITS, ...opts.limits };
    this.#pinger = setInterval(() => this.#guard('ping', () => this.#pingAll()), opts.pingIntervalMs);
    this.#pinger.unref();
  }

  /**
   * Takes a newly upgraded socket of a verified participant. The lifecycle change and the
   * call's state are read first and the socket joins its room only then, so `hello` is the
   * first message it receives: nothing broadcast meanwhile can overtake it.
   */
  async connect(participant: Participant, socket: WebSocket): Promise<void> {
    const { callId, role } = participant;
    const session: Session = {
      socket, participant, role, registered: false, dismissed: false, alive: true,
      bucket: new TokenBucket(this.#limits.messageBurst, this.#limits.messagesPerSecond),
      droppedInARow: 0, invalid: 0, lastRateError: 0, renewing: false,
    };
    socket.on('message', (raw, isBinary) => this.#guard('message', () => this.#onMessage(session, raw as Buffer, isBinary)));
    socket.on('close', () => void this.#onClose(session).catch((err: Error) => this.#report(`close: ${err.message}`)));
    socket.on('pong', () => (session.alive = true));
    socket.on('error', () => undefined);

    if (role === 'client') await this.#opts.calls.clientJoined(callId);
    const call = await this.#opts.calls.get(callId);
    if (socket.readyState !== socket.OPEN) {
      // Gone while we were reading: undo the join unless another client session took over.
      if (role === 'client' && !this.isPresent(callId, 'client')) await this.#opts.calls.clientLeft(callId);
      return;
    }
    if (!call || call.status === 'ended') return this.#dismiss(session, LiveCloseCode.callEnded, 'call ended');
    const room = this.#rooms.get(callId) ?? {};
    this.#rooms.set(callId, room);
    const previous = room[role];
    room[role] = session;
    session.registered = true;
    if (previous) this.#dismiss(previous, LiveCloseCode.replaced, 'replaced by a newer session');
    this.#send(session, { type: 'hello', role, call, peers: { agent: !!room.agent, client: !!room.client } });
    // Also on replacement: the other side rebuilds its peer connection whenever this role (re)appears.
    this.#sendTo(room[other(role)], { type: 'presence', role, present: true });
  }

  /** Broadcasts a changed call; an ended call closes every socket with 4000. */
  callChanged(call: CallView): void {
    const room = this.#rooms.get(call.id);
    if (!room) return;
    for (const session of [room.agent, room.client]) this.#sendTo(session, { type: 'call', call });
    if (call.status === 'ended') {
      for (const session of [room.agent, room.client]) if (session) this.#dismiss(session, LiveCloseCode.callEnded, 'call ended');
      this.#rooms.delete(call.id);
    }
  }

  /** Broadcasts events reported by participants (screen share, media blocked). */
  eventsRecorded(callId: string, events: RecordedEvent[]): void {
    const room = this.#rooms.get(callId);
    if (!room) return;
    for (const event of events) {
      if (event.by !== 'agent' && event.by !== 'client') continue;
      if (!/^call\.(screen_share_|media_blocked)/.test(event.type)) continue;
      for (const session of [room.agent, room.client]) this.#sendTo(session, { type: 'event', event });
    }
  }

  /** Closes a role's socket whose session is no longer the current one (a newer join revoked it). */
  revokeOtherSessions(callId: string, role: Role, currentSessionId: string): void {
    const room = this.#rooms.get(callId);
    const session = room?.[role];
    if (!room || !session || session.participant.sessionId === currentSessionId) return;
    // Not a departure (no client_left): the newer session is about to connect and take over.
    delete room[role];
    this.#dismiss(session, LiveCloseCode.credentialsRejected, 'credentials replaced by a newer join');
    this.#sendTo(room[other(role)], { type: 'presence', role, present: false });
  }

  /** Whether a role of a call has a socket now. */
  isPresent(callId: string, role: Role): boolean {
    return !!this.#rooms.get(callId)?.[role];
  }

  /** Closes every socket with 1001 (service shutting down). */
  close(): void {
    clearInterval(this.#pinger);
    for (const room of this.#rooms.values()) {
      for (const session of [room.agent, room.client]) if (session) this.#dismiss(session, LiveCloseCode.shuttingDown, 'service shutting down');
    }
    this.#rooms.clear();
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
        const room = this.#rooms.get(session.participant.callId);
        if (!session.registered || room?.[session.role] !== session) return;
        // Nobody to relay to is not an error: the peer renegotiates from scratch when it (re)appears.
        return this.#sendTo(room[other(session.role)], { type: 'signal', from: session.role, data: message.data });
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

  async #onClose(session: Session): Promise<void> {
    const callId = session.participant.callId;
    const room = this.#rooms.get(callId);
    if (!session.registered || session.dismissed || !room || room[session.role] !== session) return;
    delete room[session.role];
    this.#sendTo(room[other(session.role)], { type: 'presence', role: session.role, present: false });
    if (!room.agent && !room.client) this.#rooms.delete(callId);
    if (session.role === 'client') await this.#opts.calls.clientLeft(callId);
  }

  /** Closes a misbehaving socket; it may reconnect, so its departure counts as one. */
  #cut(session: Session, reason: string): void {
    if (session.socket.readyState === session.socket.OPEN) session.socket.close(LiveCloseCode.policyViolation, reason);
  }

  #dismiss(session: Session, code: number, reason: string): void {
    session.dismissed = true;
    if (session.socket.readyState === session.socket.OPEN || session.socket.readyState === session.socket.CONNECTING) {
      session.socket.close(code, reason);
    }
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
      this.#report(`live socket of ${session.role} in ${session.participant.callId} cut: ${socket.bufferedAmount} bytes unread`);
      socket.terminate();
      return;
    }
    socket.send(JSON.stringify(message));
  }

  #pingAll(): void {
    for (const room of this.#rooms.values()) {
      for (const session of [room.agent, room.client]) {
        if (!session) continue;
        if (!session.alive) {
          session.socket.terminate();
          continue;
        }
        session.alive = false;
        session.socket.ping();
      }
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

  #report(message: string): void {
    try {
      this.#opts.onError?.(message);
    } catch {
      // a logger's failure is not ours to crash on
    }
  }
}
