// "Send the link again" on the agent's call screen: offered once the client has not joined for a while after the
// latest invite; it asks the service to post the invite again (POST /v1/calls/:id/invite) and says when it is sent.
import { html, nothing } from 'lit';
import type { ReactiveController, ReactiveControllerHost, TemplateResult } from 'lit';
import { isRinging } from '../../core/call-state.js';
import type { CallSnapshot } from '../../core/call-session.js';
import { strings } from '../../i18n/index.js';

/** Default wait, after the latest invite, before the agent is offered to send the link again. */
export const RESEND_AFTER_SECONDS = 30;

/** Where the offer is in its cycle. */
const ResendPhase = { waiting: 'waiting', offered: 'offered', sending: 'sending', sent: 'sent', failed: 'failed' } as const;
type ResendPhase = (typeof ResendPhase)[keyof typeof ResendPhase];

/** What the controller needs from its element. */
export interface ResendOptions {
  /** Seconds after the latest invite before the offer shows (read at each invite). */
  afterSeconds: () => number;
  /** Sends the invite again; rejects when the service refused. */
  send: () => Promise<void>;
}

/** Offers "Send the link again" while the agent waits (the ringtone plays), with "Link sent" feedback. */
export class ResendController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #opts: ResendOptions;
  #phase: ResendPhase = ResendPhase.waiting;
  /** The invite (its time, and the wait) the current wait is for; a new invite starts a new wait. */
  #invite: string | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;

  constructor(host: ReactiveControllerHost, opts: ResendOptions) {
    this.#host = host;
    this.#opts = opts;
    host.addController(this);
  }

  hostDisconnected(): void {
    this.#clear();
    this.#invite = null;
  }

  /** Follows the call: call from the element's willUpdate with the latest snapshot. */
  sync(snapshot: CallSnapshot | null): void {
    const invitedAt = snapshot && isRinging(snapshot.state) ? snapshot.call?.invitedAt ?? null : null;
    // A changed wait (the `resend-after` attribute) starts the wait again too.
    const invite = invitedAt === null ? null : `${invitedAt}|${this.#opts.afterSeconds()}`;
    if (invite === this.#invite) return;
    this.#invite = invite;
    this.#clear();
    if (invite === null) {
      this.#phase = ResendPhase.waiting;
      return;
    }
    // A fresh invite (ours included): "Link sent" stays until the offer comes back.
    if (this.#phase !== ResendPhase.sent) this.#phase = ResendPhase.waiting;
    // Counted on this browser's clock from when it saw the invite: a skewed clock cannot make it show early or never.
    this.#timer = setTimeout(() => {
      this.#phase = ResendPhase.offered;
      this.#host.requestUpdate();
    }, Math.max(0, this.#opts.afterSeconds()) * 1000);
  }

  /** The offer, its progress or its outcome; nothing while waiting. */
  render(): TemplateResult | typeof nothing {
    const t = strings().callEndings;
    switch (this.#phase) {
      case ResendPhase.waiting:
        return nothing;
      case ResendPhase.sent:
        return html`<p part="notice resend-sent" role="status">${t.resent}</p>`;
      default: {
        const sending = this.#phase === ResendPhase.sending;
        return html`<div part="resend">
          ${this.#phase === ResendPhase.failed ? html`<p part="error resend-failed" role="alert">${t.resendFailed}</p>` : nothing}
          <button part="resend-link" type="button" ?disabled=${sending} @click=${() => void this.#send()}>${sending ? t.resending : t.resend}</button>
        </div>`;
      }
    }
  }

  async #send(): Promise<void> {
    this.#phase = ResendPhase.sending;
    this.#host.requestUpdate();
    try {
      await this.#opts.send();
      this.#phase = ResendPhase.sent;
    } catch {
      this.#phase = ResendPhase.failed;
    }
    this.#host.requestUpdate();
  }

  #clear(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
