// What stands between a live socket's bytes and the hub: size, JSON, schema and rate checks.
import { Compile } from 'typebox/compile';
import { ClientMessage, LiveErrorCode, MAX_LIVE_MESSAGE_BYTES } from '../../protocol/live.js';

const checker = Compile(ClientMessage);

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


/** A message that passed every check, or why it was refused. */
export type GuardResult =
  | { ok: true; message: ClientMessage }
  | { ok: false; code: (typeof LiveErrorCode)[keyof typeof LiveErrorCode]; message: string };

/** Parses and validates one incoming frame; never throws. */
export function parseClientMessage(raw: Buffer, isBinary: boolean): GuardResult {
  if (isBinary) return { ok: false, code: LiveErrorCode.invalidMessage, message: 'Messages are JSON text' };
  if (raw.length > MAX_LIVE_MESSAGE_BYTES) {
    return { ok: false, code: LiveErrorCode.messageTooLarge, message: `Messages are limited to ${MAX_LIVE_MESSAGE_BYTES} bytes` };
  }
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch {
    return { ok: false, code: LiveErrorCode.invalidMessage, message: 'Messages are JSON objects' };
  }
  // The schema bounds depth and size, so whatever passes can be re-serialised safely.
  if (!checker.Check(value)) return { ok: false, code: LiveErrorCode.invalidMessage, message: describe(value) };
  return { ok: true, message: value };
}

function describe(value: unknown): string {
  const type = (value as { type?: unknown } | null)?.type;
  if (type === 'signal') return 'Invalid signal: see the direct-mode signaling contract';
  if (typeof type === 'string' && type.length <= 32) return `Unknown or malformed message type ${JSON.stringify(type)}`;
  return 'Messages are objects with a known "type"';
}

/**
 * A token bucket per socket. Synchronous on purpose: an async limiter would let a later
 * signal overtake an earlier one, and direct-mode negotiation depends on their order.
 */
export class TokenBucket {
  #tokens: number;
  #last: number;
  constructor(private readonly burst: number, private readonly perSecond: number, private readonly now = () => performance.now()) {
    this.#tokens = burst;
    this.#last = now();
  }

  /** Takes one token; false when the bucket is empty. */
  take(): boolean {
    const now = this.now();
    this.#tokens = Math.min(this.burst, this.#tokens + ((now - this.#last) / 1000) * this.perSecond);
    this.#last = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}
