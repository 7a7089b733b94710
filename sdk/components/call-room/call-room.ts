import { LitElement, html, nothing } from 'lit';
import type { PropertyValues, TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { isTerminal, otherRole } from '../../core/call-state.js';
import type { RoomStatus } from '../../core/call-state.js';
import { CallSession } from '../../core/call-session.js';
import type { CallSessionOptions, CallSnapshot } from '../../core/call-session.js';
import type { CallView, Credentials, Role, TrackSource } from '../../core/types.js';
import { CallSessionController } from '../../controllers/call-session-controller.js';
import { en, format } from '../../i18n/en.js';
import { CallEndedEvent } from '../internal/events.js';
import { expandIcon, minimizeIcon } from '../internal/icons.js';
import { Modal } from '../internal/modal.js';
import { callRoomStyles } from './call-room.styles.js';
import { renderControls, renderPresenting } from './room-controls.js';
import { DiagnosticsControl, diagnosticsStyles } from './room-diagnostics.js';
import { renderShareAsk, renderShareConsent, renderShareStatus, shareRequestStyles } from './room-share-request.js';
import { renderStage } from './room-stage.js';
import { statusText } from './room-status.js';

/** Transports a {@link CallRoom} may hand its session instead of the browser's (tests, custom integrations). */
export type CallRoomSessionOptions = Partial<Omit<CallSessionOptions, 'role' | 'serviceUrl'>>;

/**
 * The full-screen call: status, remote and local video, and the controls. A modal dialog: focus
 * moves into it when it opens, Tab and Shift+Tab stay inside while it is on the page, Escape
 * does nothing, and focus returns to the element that had it (the phone button of
 * <call-button>) when it goes away. Laid out for any width from 360 px, portrait or landscape:
 * controls are at least 44 px and wrap, END CALL / LEAVE is never pushed off screen. The agent
 * can dock it (Minimize) into a corner panel to work in the page, then Expand it again.
 * Agent (`side="agent"`): set `serviceUrl`, `call` and `credentials` (what <call-button> does).
 * Client (`side="client"`, the default): set `serviceUrl`, `callId` and `joinSecret` (the join page
 * does); it joins by itself.
 *
 * @fires call-ended - {@link CallEndedEvent}: the call ended for any reason (or the agent closed a failed room).
 *
 * @csspart overlay - The full-screen dialog container (takes focus when the room opens).
 * @csspart header - Title and status bar.
 * @csspart title - "Call with …" (one line, ellipsis; the full text is its title).
 * @csspart status - The status text (wraps, never clipped).
 * @csspart stage - Where videos go.
 * @csspart tile - A video with its name label (also `main-tile`, `thumbnail-tile`).
 * @csspart main-video - The big video (remote screen, else remote camera).
 * @csspart video-label - The name on each video ("Bob Lambert", "You", "Bob Lambert's screen").
 * @csspart placeholder - Shown in the stage when there is no remote video: avatar, name, "Camera off".
 * @csspart avatar - The other participant's initials (a person icon when the name is unknown).
 * @csspart name - The other participant's name under the avatar.
 * @csspart camera-off - "Camera off", while the other participant is in the call without video.
 * @csspart thumbnails - Container of the small videos.
 * @csspart thumbnail - Each small video.
 * @csspart remote-camera - The remote camera video (main or thumbnail).
 * @csspart remote-screen - The remote screen video.
 * @csspart local-preview - The local camera preview (mirrored).
 * @csspart messages - The notices and errors between the stage and the controls (scrolls when long).
 * @csspart notice - Remote mute notice.
 * @csspart error - Local media or call failure message.
 * @csspart presenting - The "You are presenting" banner, while this side shares its screen.
 * @csspart presenting-text - Its text.
 * @csspart stop-presenting - Its Stop button.
 * @csspart controls - The control bar.
 * @csspart control - Each toggle button (also `microphone`, `camera`, `screen`).
 * @csspart control-label - The text of each control button.
 * @csspart enable-sound - Shown when the browser blocked the remote audio until a click.
 * @csspart end - END CALL (agent) / LEAVE (client) / Close (failed room).
 * @csspart rejoin - Rejoin, shown when the call failed in a way trying again can fix (network, media server).
 * @csspart ask-share - Agent: "Ask to share screen" (a control), while the client is in the call and not sharing.
 * @csspart share-status - Agent: what came of the request ("… declined", "… is presenting", "… stopped sharing").
 * @csspart share-request - Client: the consent card (also `share-request-title`, `share-request-text`, `share-accept`, `share-decline`).
 * @csspart copy-diagnostics - "Copy diagnostics", in the header (also `diagnostics-feedback`, and `diagnostics-text` where the clipboard was refused).
 * @csspart dock - Agent: Minimize, in the header (the room becomes a panel in a corner).
 * @csspart undock - Agent: Expand, in the header of the docked panel (full screen again).
 *
 * @cssprop --call-room-z-index - Stacking order (default 2147483000).
 * @cssprop --call-room-background - Overlay background.
 * @cssprop --call-room-color - Text color.
 * @cssprop --call-room-control-background - Control buttons.
 * @cssprop --call-room-control-active-background - Screen share button while sharing.
 * @cssprop --call-room-control-off-background - Microphone/camera button while off.
 * @cssprop --call-room-end-background - END CALL button.
 * @cssprop --call-room-rejoin-background - Rejoin button.
 * @cssprop --call-room-presenting-background - The "You are presenting" banner.
 * @cssprop --call-room-avatar-background - The initials avatar.
 * @cssprop --call-room-control-size - Minimum width and height of a control (default 44px, the touch target size).
 * @cssprop --call-room-thumbnail-width - Width of thumbnails.
 * @cssprop --call-room-font - Font family.
 * @cssprop --call-room-docked-width - Width of the docked panel (default 22rem, at most the window less 2rem).
 * @cssprop --call-room-docked-height - Height of the docked panel (default 26rem; at most 55 % of a phone's height).
 * @cssprop --call-room-docked-inset - Where the docked panel sits (an `inset` value; default `auto 1rem 1rem auto`: bottom right).
 */
export class CallRoom extends LitElement {
  static override styles = [...callRoomStyles, shareRequestStyles, diagnosticsStyles];

  /** This participant's side: `agent` or `client` (reflected as the `side` attribute). */
  @property({ reflect: true }) accessor side: Role = 'client';
  /**
   * @deprecated Use `side`. `role` is the ARIA role of an element: `role="client"` on the host was an
   * invalid ARIA role. Still read (attribute and property) for pages written before; the attribute is
   * moved to `side` when the element is connected.
   */
  override get role(): Role {
    return this.side;
  }
  override set role(side: Role) {
    this.side = side;
  }
  /** Base URL of the service. */
  @property({ attribute: 'service-url' }) accessor serviceUrl = '';
  /** Client: the call id from the link. */
  @property({ attribute: 'call-id' }) accessor callId = '';
  /** Client: the secret from the link's fragment (`location.hash.slice(1)`); '' means the link is incomplete. */
  @property({ attribute: false }) accessor joinSecret: string | undefined = undefined;
  /** Agent: the call from `POST /v1/calls`. */
  @property({ attribute: false }) accessor call: CallView | undefined = undefined;
  /** Agent: the credentials from `POST /v1/calls`. */
  @property({ attribute: false }) accessor credentials: Credentials | undefined = undefined;
  /** Transports for the session (fetch, WebSocket, media engine, audio) instead of the browser's; read when a session starts. */
  @property({ attribute: false }) accessor sessionOptions: CallRoomSessionOptions = {};
  /**
   * Agent: the call is a small panel in a corner and the page behind stays usable (the agent reads
   * and writes in the conversation); not modal then. The header's Minimize / Expand buttons set it.
   */
  @property({ type: Boolean, reflect: true }) accessor docked = false;
  /** Read-only: the room status. */
  @property({ reflect: true }) accessor status: RoomStatus = 'connecting';
  /** Read-only: the agent is waiting and the ringtone plays. */
  @property({ type: Boolean, reflect: true }) accessor ringing = false;
  /** Read-only: the other participant muted their microphone. */
  @property({ type: Boolean, reflect: true, attribute: 'remote-mic-muted' }) accessor remoteMicMuted = false;

  /** The browser refused to play the remote audio without a click (autoplay policy). */
  @state() private accessor _soundBlocked = false;

  @query('[part~="overlay"]') private accessor _overlay: HTMLElement | null = null;

  readonly #session = new CallSessionController(this);
  readonly #modal = new Modal({ host: this, container: () => this._overlay });
  readonly #diagnostics = new DiagnosticsControl(this);
  readonly #previewStreams = new WeakMap<MediaStreamTrack, MediaStream>();
  #endedFired = false;

  /** The underlying session (for integrations and tests); null before it starts. */
  get session(): CallSession | null {
    return this.#session.session;
  }

  /** Gathers the diagnostics report (merged with the client's half on the agent's side) and copies it as text. */
  async copyDiagnostics(): Promise<void> {
    await this.#diagnostics.copy();
  }

  /** Agent: ends the call for everyone. Client: leaves it. */
  async end(): Promise<void> {
    await this.#session.session?.end();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    const legacy = this.getAttribute('role');
    if (legacy === 'agent' || legacy === 'client') {
      this.side = legacy;
      this.removeAttribute('role');
    }
    // Before the first render takes focus: remember who had it, to give it back on close.
    this.#modal.activate();
    if (this.docked) this.#modal.release();
    // Re-inserted after a removal: the previous session was disposed, start again.
    this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#modal.deactivate();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('docked') && this.isConnected) {
      if (this.docked) this.#modal.release();
      else this.#modal.trap();
    }
    if (!this.#session.session) this.#maybeStart();
    const snapshot = this.#session.snapshot;
    if (snapshot) {
      this.status = snapshot.state.status;
      this.ringing = snapshot.ringing;
      this.remoteMicMuted = snapshot.remote.microphone !== null && snapshot.remoteMuted.microphone;
    }
  }

  protected override firstUpdated(): void {
    this.#modal.focusInside();
  }

  protected override updated(changed: PropertyValues<this>): void {
    // Expanded again: focus goes back into the dialog (Minimize moved it to Expand, which is inside already).
    if (changed.has('docked') && changed.get('docked') === true) this.#modal.focusInside();
    // A control that disappeared or was disabled under the keyboard leaves focus on <body>: bring it back.
    if (this.#modal.active && (!document.activeElement || document.activeElement === document.body)) this.#modal.focusInside();
    const audio = this.renderRoot.querySelector('audio');
    if (audio?.paused && !this._soundBlocked) {
      audio.play().catch((err: unknown) => {
        // AbortError only means a newer stream replaced this one; NotAllowedError is the autoplay policy.
        if (err instanceof DOMException && err.name === 'NotAllowedError') this._soundBlocked = true;
      });
    }
    const snapshot = this.#session.snapshot;
    if (snapshot?.state.status === 'ended' && !this.#endedFired) {
      this.#endedFired = true;
      this.dispatchEvent(new CallEndedEvent({ callId: snapshot.call?.id ?? null, cause: snapshot.state.cause, call: snapshot.call }));
    }
  }

  protected override render() {
    const snapshot = this.#session.snapshot;
    const otherName = this.#otherName(snapshot);
    const title = format(en.room.title[this.side], { name: otherName ?? en.room.unnamed[this.side] });
    const status = statusText(snapshot, this.side);
    return html`
      <div part="overlay" role="dialog" aria-modal=${this.docked ? 'false' : 'true'} aria-labelledby="title" tabindex="-1">
        <header part="header">
          <h2 part="title" id="title" title=${title}>${title}</h2>
          <span part="status" role="status" aria-live="polite" title=${status}>${status}</span>
          ${this.#diagnostics.renderButton()} ${this.#renderDockButton(snapshot)}
        </header>
        ${this.#diagnostics.renderFallback()}
        ${renderStage({ snapshot, otherName, fallbackName: en.room.unnamed[this.side], previewStream: (track) => this.#previewStream(track) })}
        ${this.#renderMessages(snapshot, otherName ?? en.room.unnamed[this.side])}
        ${renderShareConsent(snapshot, this.side, otherName ?? en.room.unnamed[this.side], (share) => void this.#session.session?.answerShareRequest(share))}
        ${renderPresenting(snapshot, () => void this.#session.session?.setEnabled('screen', false))}
        ${(this._soundBlocked || snapshot?.audioBlocked) && snapshot?.remote.microphone && !isTerminal(snapshot.state)
          ? html`<button part="enable-sound" type="button" @click=${this.#enableSound}>${en.room.controls.enableSound}</button>`
          : nothing}
        ${renderControls({
          snapshot,
          role: this.side,
          toggle: (source) => void this.#session.session?.toggle(source),
          end: () => void this.end(),
          rejoin: () => this.#rejoin(),
          close: () => this.#closeFailed(),
          extra: renderShareAsk(snapshot, this.side, () => this.#session.session?.askToShareScreen()),
        })}
        ${snapshot?.remote.microphone ? html`<audio autoplay .srcObject=${snapshot.remote.microphone.stream}></audio>` : nothing}
      </div>
    `;
  }

  #maybeStart(previous: CallSession | null = null): void {
    if (!this.isConnected || !this.serviceUrl) return;
    const options = { ...this.sessionOptions, serviceUrl: this.serviceUrl };
    if (this.side === 'agent') {
      if (!this.call || !this.credentials) return;
      const session = new CallSession({ ...options, role: 'agent' });
      // A rejoin goes on with the freshest credentials (renewed over the live socket) and asks the
      // service to restore the call's media first (a restarted media server lost its room).
      const credentials = previous?.credentials ?? this.credentials;
      const call = previous?.snapshot.call ?? this.call;
      this.#session.attach(session);
      this.#diagnostics.follow(session, this.serviceUrl, options.fetch);
      if (previous) void session.resume(call, credentials);
      else session.start(call, credentials);
    } else {
      if (!this.callId || this.joinSecret === undefined) return;
      const session = new CallSession({ ...options, role: 'client' });
      this.#session.attach(session);
      this.#diagnostics.follow(session, this.serviceUrl, options.fetch);
      void session.join(this.callId, this.joinSecret);
    }
  }

  /** Agent, while the call runs: Minimize (full screen) or Expand (docked). */
  #renderDockButton(snapshot: CallSnapshot | null): TemplateResult | typeof nothing {
    if (this.side !== 'agent' || (snapshot && isTerminal(snapshot.state))) return nothing;
    const c = en.room.controls;
    // One button whose words change, so keyboard focus stays on it across the switch.
    return html`<button part=${this.docked ? 'undock' : 'dock'} type="button" @click=${() => (this.docked = !this.docked)}>
      ${this.docked ? expandIcon : minimizeIcon}<span part="control-label">${this.docked ? c.expand : c.minimize}</span>
    </button>`;
  }

  /** The other participant's name; null when the call record does not say it. */
  #otherName(snapshot: CallSnapshot | null): string | null {
    const call = snapshot?.call ?? this.call;
    return (this.side === 'agent' ? call?.clientName : call?.agentName) ?? null;
  }

  #renderMessages(snapshot: CallSnapshot | null, name: string): TemplateResult | typeof nothing {
    const lines: TemplateResult[] = [];
    if (this.remoteMicMuted) lines.push(html`<p part="notice" role="status">${en.room.remoteMicMuted[otherRole(this.side)]}</p>`);
    if (snapshot?.localNotice) lines.push(html`<p part="notice local-notice" role="status">${snapshot.localNotice}</p>`);
    lines.push(...this.#remoteBlockedNotices(snapshot, name));
    const share = renderShareStatus(snapshot, this.side, name);
    if (share) lines.push(share);
    lines.push(...this.#mediaErrorMessages(snapshot).map((message) => html`<p part="error" role="alert">${message}</p>`));
    return lines.length ? html`<div part="messages">${lines}</div>` : nothing;
  }

  /** One line per failed device; camera and microphone blocked together say so once. */
  #mediaErrorMessages(snapshot: CallSnapshot | null): string[] {
    const errors = snapshot?.mediaErrors ?? [];
    const blocked = errors.filter((e) => e.kind === 'permission_denied' && e.device !== 'screen');
    if (blocked.length === 2) return [en.media.permission_denied.both, ...errors.filter((e) => !blocked.includes(e)).map((e) => e.message)];
    return errors.map((e) => e.message);
  }

  #remoteBlockedNotices(snapshot: CallSnapshot | null, name: string): TemplateResult[] {
    if (!snapshot || isTerminal(snapshot.state)) return [];
    return (Object.entries(snapshot.remoteBlocked) as [TrackSource, string][]).map(([device, reason]) => {
      const template = en.room.remoteBlocked[reason] ?? en.room.remoteBlocked.other!;
      return html`<p part="notice remote-blocked" role="status">${format(template, { name, device: en.room.devices[device] })}</p>`;
    });
  }

  #enableSound(): void {
    const audio = this.renderRoot.querySelector('audio');
    this._soundBlocked = false;
    void this.#session.session?.startAudio();
    audio?.play().catch((err: unknown) => {
      if (err instanceof DOMException && err.name === 'NotAllowedError') this._soundBlocked = true;
    });
  }

  /** Starts a fresh session of the same call: the client re-joins from its link, the agent reconnects. */
  #rejoin(): void {
    const previous = this.#session.session;
    this.#endedFired = false;
    this._soundBlocked = false;
    this.#maybeStart(previous);
  }

  #closeFailed(): void {
    const call = this.#session.snapshot?.call ?? null;
    this.dispatchEvent(new CallEndedEvent({ callId: call?.id ?? this.call?.id ?? null, cause: 'failed', call }));
  }

  #previewStream(track: MediaStreamTrack): MediaStream {
    let stream = this.#previewStreams.get(track);
    if (!stream) this.#previewStreams.set(track, (stream = new MediaStream([track])));
    return stream;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'call-room': CallRoom;
  }
}
