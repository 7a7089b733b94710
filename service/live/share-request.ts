// "Ask to share screen" on the live socket: who may send which share message, and how many may
// wait. The agent asks, the client answers; both travel over the live bus like signals. A client
// holding a join link is untrusted: it may not ask, it may only answer a request that reached its
// own socket (once), and an agent has at most one request pending at a time.
import { LiveErrorCode, type ShareAnswer } from '../../protocol/live.js';
import type { Role } from '../domain/credentials.js';

/** An unanswered request stops blocking the next one after this long (the client may never answer). */
export const SHARE_REQUEST_TIMEOUT_MS = 60_000;

/** What travels over the bus: the agent's request, or the client's answer. */
export type ShareRelay = { kind: 'request' } | { kind: 'answer'; answer: ShareAnswer };

/** A share message of this socket, checked: relay it, or answer the sender with an error. */
export type ShareDecision =
  | { ok: true; relay: ShareRelay }
  | { ok: false; code: (typeof LiveErrorCode)[keyof typeof LiveErrorCode]; message: string };

/** A share message as the socket sent it. */
export type ShareMessage = { type: 'share_request' } | { type: 'share_answer'; answer: ShareAnswer };

/** One socket's share-request state: kept by the hub beside the socket. */
export class ShareRequestGate {
  readonly #role: Role;
  readonly #now: () => number;
  /** Agent socket: until when its unanswered request counts as pending (`now()` ms); 0 when none. */
  #pendingUntil = 0;
  /** Client socket: a request reached it and it has not answered yet. */
  #asked = false;

  constructor(role: Role, now: () => number = () => performance.now()) {
    this.#role = role;
    this.#now = now;
  }

  /** Checks a share message sent by this socket; `peerPresent`: the other role holds a socket of the call. */
  outgoing(message: ShareMessage, peerPresent: boolean): ShareDecision {
    if (message.type === 'share_request') {
      if (this.#role !== 'agent') return refuse(LiveErrorCode.notAllowedForRole, 'Only the agent may ask to share the screen');
      if (!peerPresent) return refuse(LiveErrorCode.noShareRequestPeer, 'The client is not in the call');
      if (this.#now() < this.#pendingUntil) return refuse(LiveErrorCode.shareRequestPending, 'A share request is already waiting for an answer');
      this.#pendingUntil = this.#now() + SHARE_REQUEST_TIMEOUT_MS;
      return { ok: true, relay: { kind: 'request' } };
    }
    if (this.#role !== 'client') return refuse(LiveErrorCode.notAllowedForRole, 'Only the client answers a share request');
    if (!this.#asked) return refuse(LiveErrorCode.noShareRequestPeer, 'There is no share request to answer');
    this.#asked = false;
    return { ok: true, relay: { kind: 'answer', answer: message.answer } };
  }

  /** A relayed share message for this socket: the message to send it (null: not for this role). */
  deliver(relay: ShareRelay): ShareMessage | null {
    if (relay.kind === 'request') {
      if (this.#role !== 'client') return null;
      this.#asked = true;
      return { type: 'share_request' };
    }
    if (this.#role !== 'agent') return null;
    this.#pendingUntil = 0;
    return { type: 'share_answer', answer: relay.answer };
  }

  /** The other participant left: a request to or from them is no longer pending. */
  peerLeft(): void {
    this.#pendingUntil = 0;
    this.#asked = false;
  }
}

function refuse(code: (typeof LiveErrorCode)[keyof typeof LiveErrorCode], message: string): ShareDecision {
  return { ok: false, code, message };
}
