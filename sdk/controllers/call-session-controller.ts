import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { CallSession, CallSnapshot } from '../core/call-session.js';

/** Binds a {@link CallSession} to an element: re-renders on each snapshot, disposes it when the element leaves the page. */
export class CallSessionController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  #session: CallSession | null = null;
  #unsubscribe: (() => void) | null = null;

  constructor(host: ReactiveControllerHost) {
    this.#host = host;
    host.addController(this);
  }

  /** The bound session, if any. */
  get session(): CallSession | null {
    return this.#session;
  }

  /** The bound session's snapshot, if any. */
  get snapshot(): CallSnapshot | null {
    return this.#session?.snapshot ?? null;
  }

  /** Binds `session` (disposing the previous one). */
  attach(session: CallSession): void {
    this.#release();
    this.#session = session;
    this.#unsubscribe = session.subscribe(() => this.#host.requestUpdate());
    this.#host.requestUpdate();
  }

  hostDisconnected(): void {
    this.#release();
  }

  #release(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    this.#session?.dispose();
    this.#session = null;
  }
}
