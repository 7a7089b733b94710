// The call timer of <call-room>: time since both sides were first connected, in the header.
// It ticks every second but is not announced (role=timer is not a live region): a screen reader
// reads it when asked. It stops, and keeps its last value, when the call is over.
import { html, nothing } from 'lit';
import type { ReactiveController, ReactiveControllerHost, TemplateResult } from 'lit';
import { isTerminal } from '../../core/call-state.js';
import type { CallSnapshot } from '../../core/call-session.js';
import { activeLang, formatElapsed, strings } from '../../i18n/index.js';

/** Follows the snapshot: starts at the first `connected`, stops at the end. */
export class RoomTimer implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #snapshot: () => CallSnapshot | null;
  readonly #now: () => number;
  #startedAt: number | null = null;
  #stoppedAt: number | null = null;
  #tick: ReturnType<typeof setInterval> | undefined;

  constructor(host: ReactiveControllerHost, snapshot: () => CallSnapshot | null, now: () => number = () => Date.now()) {
    this.#host = host;
    this.#snapshot = snapshot;
    this.#now = now;
    host.addController(this);
  }

  hostUpdate(): void {
    const snapshot = this.#snapshot();
    if (!snapshot) return;
    if (this.#startedAt === null && snapshot.state.status === 'connected') {
      this.#startedAt = this.#now();
      this.#stoppedAt = null;
      this.#tick = setInterval(() => this.#host.requestUpdate(), 1000);
    }
    if (this.#startedAt !== null && this.#stoppedAt === null && isTerminal(snapshot.state)) this.#stop();
  }

  hostDisconnected(): void {
    clearInterval(this.#tick);
    this.#tick = undefined;
    // Back on the page (a rejoin re-renders): resume ticking if the call still runs.
    if (this.#startedAt !== null && this.#stoppedAt === null) this.#startedAt = null;
  }

  /** Elapsed milliseconds; null before both sides were connected. */
  get elapsedMs(): number | null {
    if (this.#startedAt === null) return null;
    return (this.#stoppedAt ?? this.#now()) - this.#startedAt;
  }

  /** The timer, once the call was connected. */
  render(): TemplateResult | typeof nothing {
    const elapsed = this.elapsedMs;
    if (elapsed === null) return nothing;
    return html`<span part="timer" role="timer" aria-label=${strings().inCall.timer.label} title=${strings().inCall.timer.label}>${formatElapsed(elapsed / 1000, activeLang())}</span>`;
  }

  #stop(): void {
    this.#stoppedAt = this.#now();
    clearInterval(this.#tick);
    this.#tick = undefined;
  }
}
