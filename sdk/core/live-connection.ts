import type { ClientMessage, DirectSignal, LiveCloseCode as WireCloseCode, ServerMessage } from '../../protocol/live.js';
import { Emitter } from './emitter.js';

export type { ClientMessage, ServerMessage } from '../../protocol/live.js';

/** Live-socket subprotocol. */
export const LIVE_PROTOCOL = 'switchboard.v1';

/** Close codes the service uses on the live socket (checked against protocol/live.ts at compile time). */
export const LiveCloseCode = {
  callEnded: 4000,
  replaced: 4001,
  policyViolation: 4008,
  credentialsRejected: 4401,
  goingAway: 1001,
} as const satisfies Pick<typeof WireCloseCode, 'callEnded' | 'replaced' | 'policyViolation' | 'credentialsRejected'> & { goingAway: typeof WireCloseCode.shuttingDown };

/** Codes after which reconnecting cannot help. */
const FINAL_CLOSE_CODES: ReadonlySet<number> = new Set([1000, LiveCloseCode.callEnded, LiveCloseCode.replaced, LiveCloseCode.credentialsRejected]);

/** Connection states. */
export const LiveConnectionState = {
  connecting: 'connecting',
  open: 'open',
  reconnecting: 'reconnecting',
  closed: 'closed',
} as const;
/** A connection state. */
export type LiveConnectionState = (typeof LiveConnectionState)[keyof typeof LiveConnectionState];

/** Events of {@link LiveConnection}. */
export interface LiveConnectionEvents {
  message: ServerMessage;
  state: LiveConnectionState;
  /** The connection is closed for good (no reconnect follows). */
  closed: { code: number; reason: string };
}

/** Options of {@link LiveConnection}. */
export interface LiveConnectionOptions {
  /** `credentials.liveUrl`. */
  url: string;
  /** `credentials.token`, sent as the second subprotocol. */
  token: string;
  /** First reconnect delay; doubles up to {@link maxDelayMs}. Default 500. */
  initialDelayMs?: number;
  /** Longest reconnect delay. Default 8000. */
  maxDelayMs?: number;
  /** Reconnect attempts in a row before giving up (state `closed`, code 1006). Default 12. */
  maxAttempts?: number;
  /** Keep-alive ping period. Default 20000; 0 disables. */
  pingIntervalMs?: number;
  /** WebSocket constructor, injectable for tests. */
  WebSocket?: typeof WebSocket;
}

/** The call's live socket: typed messages, keep-alive, reconnect with backoff on abnormal close. */
export class LiveConnection extends Emitter<LiveConnectionEvents> {
  readonly #options: Required<Omit<LiveConnectionOptions, 'WebSocket'>> & { WebSocket: typeof WebSocket };
  #socket: WebSocket | null = null;
  #state: LiveConnectionState = 'closed';
  #attempts = 0;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #pingTimer: ReturnType<typeof setInterval> | undefined;
  #stopped = false;

  constructor(options: LiveConnectionOptions) {
    super();
    this.#options = {
      initialDelayMs: 500,
      maxDelayMs: 8000,
      maxAttempts: 12,
      pingIntervalMs: 20_000,
      WebSocket: globalThis.WebSocket,
      ...options,
    };
  }

  /** Current state. */
  get state(): LiveConnectionState {
    return this.#state;
  }

  /** Opens the socket (no-op when already open or connecting). */
  connect(): void {
    if (this.#socket || this.#stopped) return;
    this.#setState(this.#attempts === 0 ? 'connecting' : 'reconnecting');
    const socket = new this.#options.WebSocket(this.#options.url, [LIVE_PROTOCOL, this.#options.token]);
    this.#socket = socket;
    socket.addEventListener('open', () => {
      this.#attempts = 0;
      this.#setState('open');
      this.#startPing();
    });
    socket.addEventListener('message', (event: MessageEvent) => {
      if (typeof event.data !== 'string') return;
      let message: ServerMessage;
      try {
        message = JSON.parse(event.data) as ServerMessage;
      } catch {
        return;
      }
      this.emit('message', message);
    });
    socket.addEventListener('close', (event: CloseEvent) => this.#onClose(socket, event.code, event.reason));
  }

  /** Uses renewed credentials from now on (the next reconnect presents them). */
  setToken(token: string): void {
    this.#options.token = token;
  }

  /** Sends a message; returns false when the socket is not open. */
  send(message: ClientMessage): boolean {
    if (this.#socket?.readyState !== WebSocket.OPEN) return false;
    this.#socket.send(JSON.stringify(message));
    return true;
  }

  /** Sends `{ type: 'signal', data }` to the other participant. */
  sendSignal(data: DirectSignal): boolean {
    return this.send({ type: 'signal', data });
  }

  /** Closes for good. */
  close(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    clearTimeout(this.#retryTimer);
    this.#stopPing();
    const socket = this.#socket;
    this.#socket = null;
    socket?.close(1000, 'closed by client');
    this.#setState('closed');
    this.emit('closed', { code: 1000, reason: 'closed by client' });
  }

  #onClose(socket: WebSocket, code: number, reason: string): void {
    if (socket !== this.#socket) return;
    this.#socket = null;
    this.#stopPing();
    if (this.#stopped) return;
    if (FINAL_CLOSE_CODES.has(code) || this.#attempts >= this.#options.maxAttempts) {
      this.#stopped = true;
      this.#setState('closed');
      this.emit('closed', { code, reason });
      return;
    }
    const delay = Math.min(this.#options.initialDelayMs * 2 ** this.#attempts, this.#options.maxDelayMs);
    this.#attempts += 1;
    this.#setState('reconnecting');
    this.#retryTimer = setTimeout(() => this.connect(), delay * (0.8 + Math.random() * 0.4));
  }

  #startPing(): void {
    this.#stopPing();
    if (this.#options.pingIntervalMs > 0) {
      this.#pingTimer = setInterval(() => this.send({ type: 'ping' }), this.#options.pingIntervalMs);
    }
  }

  #stopPing(): void {
    clearInterval(this.#pingTimer);
    this.#pingTimer = undefined;
  }

  #setState(state: LiveConnectionState): void {
    if (state === this.#state) return;
    this.#state = state;
    this.emit('state', state);
  }
}
