import { LitElement, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { CallMedia } from '../../core/types.js';
import { CreateCallController } from '../../controllers/create-call-controller.js';
import { strings, useLanguageOf } from '../../i18n/index.js';
import { loadCallRoom } from '../../load-call-room.js';
import { CallCreatedEvent, CallEndedEvent, CallErrorEvent } from '../internal/events.js';
import { phoneIcon } from '../internal/icons.js';
import type { CallRoom } from '../call-room/call-room.js';
import { callButtonStyles } from './call-button.styles.js';

/** Prerequisite codes, in the order they are checked (same codes as the service's 409s). */
const PREREQUISITES = ['client_not_selected', 'conversation_not_started', 'not_conversation_owner'] as const;

/**
 * A phone button that turns the current conversation into a call.
 * Disabled, with the reason shown, while a prerequisite is unmet or after the service refused (409).
 * A click creates the call, then opens a full-screen <call-room side="agent"> on document.body.
 * While the call is being created the button stays focusable (aria-disabled, not disabled), so
 * the room takes focus from it and gives it back when it closes. While the call is on and its room
 * docked (minimized), a click brings the room back to full screen.
 *
 * @fires call-created - {@link CallCreatedEvent}: the call exists and its room is open.
 * @fires call-ended - {@link CallEndedEvent}: the room closed (the call ended).
 * @fires call-error - {@link CallErrorEvent}: the call could not be created (`{ code, message, status }`).
 *
 * @csspart button - The button.
 * @csspart icon - The phone icon.
 * @csspart label - The button's text.
 * @csspart reason - Why the button is disabled.
 * @csspart error - Why the last attempt failed.
 *
 * @cssprop --call-button-background - Button background (default green).
 * @cssprop --call-button-color - Button text color.
 * @cssprop --call-button-disabled-background - Background while disabled.
 * @cssprop --call-button-disabled-color - Text color while disabled.
 * @cssprop --call-button-radius - Corner radius.
 * @cssprop --call-button-font - Font shorthand.
 * @cssprop --call-button-reason-color - Color of the disabled reason.
 * @cssprop --call-button-error-color - Color of the error message.
 */
export class CallButton extends LitElement {
  static override styles = callButtonStyles;

  /** Base URL of the Switchboard service. */
  @property({ attribute: 'service-url' }) accessor serviceUrl = '';
  /** The agent token signed by the host backend (ignored when `tokenProvider` is set). */
  @property() accessor token = '';
  /** Returns a fresh agent token at click time; preferred over `token` (tokens live ≤ 15 min). */
  @property({ attribute: false }) accessor tokenProvider: (() => Promise<string>) | undefined = undefined;
  /** A client is selected in the conversation. */
  @property({ type: Boolean, reflect: true, attribute: 'client-selected' }) accessor clientSelected = false;
  /** The agent started the conversation (open intervention). */
  @property({ type: Boolean, reflect: true, attribute: 'conversation-started' }) accessor conversationStarted = false;
  /** The agent owns the conversation. */
  @property({ type: Boolean, reflect: true, attribute: 'agent-owns' }) accessor agentOwns = false;
  /** `audio` or `video`; unset lets the service choose. */
  @property({ reflect: true }) accessor media: CallMedia | undefined = undefined;

  /** The code of the service's last 409, shown until the inputs change. */
  @state() private accessor _refusal: string | null = null;

  readonly #creation = new CreateCallController(this);
  /** The room this button opened, while it is on the page. */
  #room: CallRoom | null = null;
  /** True from the click until the room is on the page (the request, then the chunk load). */
  #opening = false;

  /** The unmet prerequisite (or the service's refusal) that disables the button, if any. */
  get disabledReason(): string | null {
    const unmet = [!this.clientSelected, !this.conversationStarted, !this.agentOwns];
    const index = unmet.indexOf(true);
    const code = index >= 0 ? PREREQUISITES[index] : this._refusal;
    return code ? (strings().callButton.reasons[code] ?? strings().callButton.errors.generic ?? code) : null;
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    const inputs = ['clientSelected', 'conversationStarted', 'agentOwns', 'token', 'tokenProvider', 'serviceUrl'];
    if (this._refusal && inputs.some((key) => changed.has(key))) this._refusal = null;
  }

  protected override render() {
    useLanguageOf(this);
    const reason = this.disabledReason;
    const busy = this.#creation.status === 'pending';
    const failure = this.#creation.status === 'error' && this.#creation.error?.status !== 409 ? this.#creation.error : null;
    return html`
      <button
        part="button"
        type="button"
        ?disabled=${reason !== null}
        aria-disabled=${busy ? 'true' : nothing}
        aria-busy=${busy ? 'true' : 'false'}
        aria-describedby=${reason ? 'reason' : failure ? 'error' : nothing}
        @click=${this.#onClick}
      >
        <span part="icon">${phoneIcon}</span>
        <span part="label">${busy ? strings().callButton.busy : strings().callButton.label}</span>
      </button>
      ${reason ? html`<span id="reason" part="reason">${reason}</span>` : nothing}
      ${failure && !reason
        ? html`<span id="error" part="error" role="alert">${strings().callButton.errors[failure.code] ?? strings().callButton.errors.generic}</span>`
        : nothing}
    `;
  }

  async #onClick(): Promise<void> {
    // A call is on: the button brings its room back to full screen (the agent had docked it) and never opens another.
    if (this.#room?.isConnected) {
      this.#room.docked = false;
      return;
    }
    if (this.disabledReason || this.#opening) return;
    this.#opening = true;
    try {
      await this.#createAndOpen();
    } finally {
      this.#opening = false;
    }
  }

  async #createAndOpen(): Promise<void> {
    const result = await this.#creation.run({
      serviceUrl: this.serviceUrl,
      getToken: () => (this.tokenProvider ? this.tokenProvider() : Promise.resolve(this.token)),
      media: this.media,
    });
    if (!result) {
      const error = this.#creation.error;
      if (!error) return;
      if (error.status === 409) this._refusal = error.code;
      const message = strings().callButton.reasons[error.code] ?? strings().callButton.errors[error.code] ?? strings().callButton.errors.generic ?? error.message;
      this.dispatchEvent(new CallErrorEvent({ code: error.code, message, status: error.status, reason: error.message }));
      return;
    }
    try {
      await loadCallRoom();
    } catch (error) {
      const message = strings().callButton.errors.network_error ?? '';
      this.dispatchEvent(new CallErrorEvent({ code: 'network_error', message, status: 0, reason: String(error) }));
      return;
    }
    const room: CallRoom = document.createElement('call-room');
    room.side = 'agent';
    room.serviceUrl = this.serviceUrl;
    room.call = result.call;
    room.credentials = result.credentials;
    room.addEventListener(
      'call-ended',
      (event) => {
        room.remove();
        if (this.#room === room) this.#room = null;
        this.dispatchEvent(new CallEndedEvent(event.detail));
      },
      { once: true },
    );
    document.body.append(room);
    this.#room = room;
    this.dispatchEvent(new CallCreatedEvent({ call: result.call, joinUrl: result.joinUrl }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'call-button': CallButton;
  }
}
