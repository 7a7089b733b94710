// "Ask to share screen", as each side lives it. The agent asks over the live socket and follows
// the answer, then the client's screen share itself (from its reported events, which also tell
// when the browser's own "Stop sharing" bar ended it). The client sees the request until it
// answers; its Share goes through the ordinary screen-share path (the click is the user gesture
// getDisplayMedia needs). One concern, one place: the session only routes messages here.
import type { ClientMessage, ServerMessage, ShareAnswer } from '../../../protocol/live.js';
import type { CallEvent, Role } from '../types.js';

/** Where the agent's request stands (reflected in the room as a status line). */
export const ShareAskStatus = {
  /** Nothing asked, or the last answer was seen through. */
  idle: 'idle',
  pending: 'pending',
  declined: 'declined',
  /** The client said yes but the browser did not share (permission refused, picker cancelled). */
  failed: 'failed',
  presenting: 'presenting',
  stopped: 'stopped',
} as const;
/** Where the agent's request stands. */
export type ShareAskStatus = (typeof ShareAskStatus)[keyof typeof ShareAskStatus];

/** The share-request facts the UI renders. */
export interface ShareRequestView {
  /** Agent: its request and what came of it. */
  ask: ShareAskStatus;
  /** Client: the agent asks this side to share; the consent card shows until it answers. */
  asked: boolean;
}

/** An unanswered request is given up after this long (the service stops counting it as pending too). */
export const SHARE_ASK_TIMEOUT_MS = 60_000;

/** Follows one side's share requests. */
export class ShareRequests {
  readonly #role: Role;
  readonly #send: (message: ClientMessage) => boolean;
  readonly #onChange: () => void;
  #ask: ShareAskStatus = ShareAskStatus.idle;
  #asked = false;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(role: Role, send: (message: ClientMessage) => boolean, onChange: () => void) {
    this.#role = role;
    this.#send = send;
    this.#onChange = onChange;
  }

  /** The current view (a fresh object). */
  get view(): ShareRequestView {
    return { ask: this.#ask, asked: this.#asked };
  }

  /** Agent: asks the client to share; false when it could not be sent (not the agent, one pending, socket down). */
  request(): boolean {
    if (this.#role !== 'agent' || this.#ask === ShareAskStatus.pending) return false;
    if (!this.#send({ type: 'share_request' })) return false;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#setAsk(ShareAskStatus.idle), SHARE_ASK_TIMEOUT_MS);
    this.#setAsk(ShareAskStatus.pending);
    return true;
  }

  /** Client: answers the pending request. */
  answer(answer: ShareAnswer): void {
    if (this.#role !== 'client' || !this.#asked) return;
    this.#asked = false;
    this.#send({ type: 'share_answer', answer });
    this.#onChange();
  }

  /** A live message; true when it was a share one (handled here). */
  received(message: ServerMessage): boolean {
    if (message.type === 'share_request') {
      if (this.#role !== 'client') return true;
      this.#asked = true;
      this.#onChange();
      return true;
    }
    if (message.type === 'share_answer') {
      // Accepted means sharing is starting: "presenting" comes with the screen_share_started report.
      if (message.answer === 'declined') this.#setAsk(ShareAskStatus.declined);
      else if (message.answer === 'failed') this.#setAsk(ShareAskStatus.failed);
      else clearTimeout(this.#timer);
      return true;
    }
    // The service refused the request (the client left meanwhile): nothing is pending.
    if (message.type === 'error' && message.code.startsWith('share_request')) {
      if (this.#ask === ShareAskStatus.pending && message.code !== 'share_request_pending') this.#setAsk(ShareAskStatus.idle);
      return true;
    }
    return false;
  }

  /** A reported call event: the agent follows the client's screen share, asked for or not. */
  reported(event: CallEvent): void {
    if (this.#role !== 'agent' || event.by !== 'client') return;
    if (event.type === 'call.screen_share_started') this.#setAsk(ShareAskStatus.presenting);
    else if (event.type === 'call.screen_share_stopped' && this.#ask === ShareAskStatus.presenting) this.#setAsk(ShareAskStatus.stopped);
  }

  /** The other participant left: a request to or from them is void. */
  peerLeft(): void {
    this.#asked = false;
    this.#setAsk(ShareAskStatus.idle);
  }

  /** Stops the timer (the session ended). */
  dispose(): void {
    clearTimeout(this.#timer);
  }

  #setAsk(ask: ShareAskStatus): void {
    if (ask !== ShareAskStatus.pending) clearTimeout(this.#timer);
    if (ask === this.#ask) return;
    this.#ask = ask;
    this.#onChange();
  }
}
