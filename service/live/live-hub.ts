// The in-memory live hub: one agent and one client socket per call, presence, signal relay, lifecycle effects.
import type { WebSocket } from 'ws';
import type { CallView } from '../domain/call-view.js';
import type { Role } from '../domain/credentials.js';
import type { RecordedEvent } from '../domain/events.js';

/** Close codes of the live socket. */
export const LiveCloseCode = {
  callEnded: 4000,
  replaced: 4001,
  credentialsRejected: 4401,
  shuttingDown: 1001,
} as const;

/** Largest `signal` message accepted, in bytes. */
export const MAX_SIGNAL_BYTES = 64 * 1024;

/** What the hub needs from the calls service. */
export interface LiveCalls {
  get(callId: string): Promise<CallView | null>;
  clientJoined(callId: string): Promise<void>;
  clientLeft(callId: string): Promise<void>;
}

/** Options of the live hub. */
export interface LiveHubOptions {
  calls: LiveCalls;
  pingIntervalMs: number;
  onError?: (message: string) => void;
}

interface Session {
  socket: WebSocket;
  role: Role;
  /** Set when the socket is closed by the hub, so its close is not a departure. */
  dismissed: boolean;
  alive: boolean;
}

type Room = Partial<Record<Role, Session>>;

const other = (role: Role): Role => (role === 'agent' ? 'client' : 'agent');

/** Keeps the sockets of each call and turns their comings and goings into lifecycle effects. */
export class LiveHub {
  readonly #rooms = new Map<string, Room>();
  readonly #opts: LiveHubOptions;
  readonly #pinger: NodeJS.Timeout;

  constructor(opts: LiveHubOptions) {
    this.#opts = opts;
    this.#pinger = setInterval(() => this.#pingAll(), opts.pingIntervalMs);
    this.#pinger.unref();
  }

  /** Takes a newly upgraded socket of a participant. */
  async connect(callId: string, role: Role, socket: WebSocket): Promise<void> {
    const session: Session = { socket, role, dismissed: false, alive: true };
    const room = this.#rooms.get(callId) ?? {};
    this.#rooms.set(callId, room);
    const previous = room[role];
    room[role] = session;
    if (previous) this.#dismiss(previous, LiveCloseCode.replaced, 'replaced by a newer session');
    socket.on('message', (raw, isBinary) => this.#onMessage(callId, session, raw as Buffer, isBinary));
    socket.on('close', () => void this.#onClose(callId, session).catch((err: Error) => this.#opts.onError?.(err.message)));
    socket.on('pong', () => (session.alive = true));
    socket.on('error', () => undefined);

    if (role === 'client') await this.#opts.calls.clientJoined(callId);
    const call = await this.#opts.calls.get(callId);
    if (room[role] !== session || socket.readyState !== socket.OPEN) return;
    if (!call || call.status === 'ended') {
      this.#dismiss(session, LiveCloseCode.callEnded, 'call ended');
      return;
    }
    send(socket, { type: 'hello', role, call, peers: { agent: !!room.agent, client: !!room.client } });
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

  #onMessage(callId: string, session: Session, raw: Buffer, isBinary: boolean): void {
    if (isBinary) return send(session.socket, { type: 'error', code: 'invalid_message', message: 'Messages are JSON text' });
    if (raw.length > MAX_SIGNAL_BYTES) {
      return send(session.socket, { type: 'error', code: 'message_too_large', message: `Messages are limited to ${MAX_SIGNAL_BYTES} bytes` });
    }
    let message: { type?: unknown; data?: unknown };
    try {
      message = JSON.parse(raw.toString('utf8')) as { type?: unknown; data?: unknown };
    } catch {
      return send(session.socket, { type: 'error', code: 'invalid_message', message: 'Messages are JSON objects' });
    }
    if (message?.type === 'ping') return send(session.socket, { type: 'pong' });
    if (message?.type === 'signal' && message.data !== undefined) {
      const room = this.#rooms.get(callId);
      if (room?.[session.role] !== session) return;
      // Nobody to relay to is not an error: the peer renegotiates from scratch when it (re)appears.
      return this.#sendTo(room[other(session.role)], { type: 'signal', from: session.role, data: message.data });
    }
    send(session.socket, { type: 'error', code: 'invalid_message', message: 'Unknown message type' });
  }

  async #onClose(callId: string, session: Session): Promise<void> {
    const room = this.#rooms.get(callId);
    if (session.dismissed || !room || room[session.role] !== session) return;
    delete room[session.role];
    this.#sendTo(room[other(session.role)], { type: 'presence', role: session.role, present: false });
    if (!room.agent && !room.client) this.#rooms.delete(callId);
    if (session.role === 'client') await this.#opts.calls.clientLeft(callId);
  }

  #dismiss(session: Session, code: number, reason: string): void {
    session.dismissed = true;
    if (session.socket.readyState === session.socket.OPEN || session.socket.readyState === session.socket.CONNECTING) {
      session.socket.close(code, reason);
    }
  }

  #sendTo(session: Session | undefined, message: object): void {
    if (session) send(session.socket, message);
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
}

function send(socket: WebSocket, message: object): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
}
