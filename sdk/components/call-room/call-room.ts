import { LitElement, html, nothing } from 'lit';
import type { PropertyValues, TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { isTerminal, isUnanswered, otherRole } from '../../core/call-state.js';
import type { RoomStatus } from '../../core/call-state.js';
import { CallSession } from '../../core/call-session.js';
import type { CallSessionOptions, CallSnapshot, StartDevices } from '../../core/call-session.js';
import { deviceCapture } from '../../core/local-media.js';
import { ServiceClient } from '../../core/service-client.js';
import type { CallView, Credentials, Role, TrackSource } from '../../core/types.js';
import { CallSessionController } from '../../controllers/call-session-controller.js';
import { format, strings, useLanguageOf } from '../../i18n/index.js';
import { DockDrag } from '../internal/dock-drag.js';
import { CallEndedEvent } from '../internal/events.js';
import { expandIcon, minimizeIcon } from '../internal/icons.js';
import { Modal } from '../internal/modal.js';
import { callRoomStyles } from './call-room.styles.js';
import { inCallStyles } from './room-in-call.styles.js';
import { isLive, renderControls, renderPresenting } from './room-controls.js';
import { RoomDevices } from './room-devices.js';
import { RoomPermissionHelp } from './room-permission-help.js';
import { qualityWarnings, renderQuality } from './room-quality.js';
import { RoomTimer } from './room-timer.js';
import { DiagnosticsControl, diagnosticsStyles } from './room-diagnostics.js';
import { renderShareAsk, renderShareConsent, renderShareStatus, shareRequestStyles } from './room-share-request.js';
import { renderStage } from './room-stage.js';
import { RESEND_AFTER_SECONDS, ResendController } from './room-resend.js';
import { statusText } from './room-status.js';
import { joinedCalls, PrejoinController } from './room-prejoin-controller.js';
import { prejoinStatus, renderPrejoin } from './room-prejoin.js';
import { roomPrejoinStyles } from './room-prejoin.styles.js';

/** Transports a {@link CallRoom} may hand its session instead of the browser's (tests, custom integrations). */
export type CallRoomSessionOptions = Partial<Omit<CallSessionOptions, 'role' | 'serviceUrl'>>;

/**
 * The full-screen call: status, remote and local video, and the controls. A modal dialog: focus
 * moves into it when it opens, Tab and Shift+Tab stay inside while it is on the page, Escape
 * does nothing, and focus returns to the element that had it (the phone button of
 * <call-button>) when it goes away. Laid out for any width from 360 px, portrait or landscape:
 * controls are at least 44 px and wrap, END CALL / LEAVE is never pushed off screen. The agent
 * can dock it (Minimize) into a corner panel to work in the page, drag that panel by its header,
 * then Expand it again.
 * Agent (`side="agent"`): set `serviceUrl`, `call` and `credentials` (what <call-button> does).
 * Client (`side="client"`, the default): set `serviceUrl`, `callId` and `joinSecret` (the join page
 * does). The link is checked first; then a pre-join screen shows the camera preview, a microphone
 * level, device choice and "Join with camera off", and the client enters on Join (`skip-prejoin`:
 * straight in, as before the pre-join existed). After LEAVE, Rejoin brings them back.
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
 * @csspart prejoin - Client, before joining: the pre-join screen (also `prejoin-intro`, `prejoin-preview` (mirrored),
 *   `prejoin-preview-off`, `meter`, `meter-fill`, `prejoin-error`, `device-select`, `choice`, `join`).
 * @csspart rejoin - Rejoin, shown when the call failed in a way trying again can fix (network, media server).
 * @csspart resend - Agent, while nobody has joined for `resend-after` seconds: holds the "Send the link again" button.
 * @csspart resend-link - That button (posts the invite into the conversation again).
 * @csspart resend-sent - "Link sent again to the conversation", after it worked.
 * @csspart timer - Call duration in the header (mm:ss, h:mm:ss past an hour; role=timer, not announced).
 * @csspart qualities - Both connection-quality indicators; each is `quality` (`quality-local` / `quality-remote`, `data-level`) with three `quality-bar`s (`quality-bar-on` when lit).
 * @csspart quality-warning - The plain-words warning while a side's connection is poor.
 * @csspart devices-toggle - The Settings button opening the devices panel.
 * @csspart devices - The devices panel; `device-field`, `device-label`, `device-select` (also `audioinput`, `videoinput`, `audiooutput`), `devices-close`.
 * @csspart fix - The steps that fix a blocked device in this browser and OS.
 * @csspart screen-unavailable - Why there is no screen-share button (the browser has no getDisplayMedia).
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
 * @cssprop --call-room-join-background - The pre-join's Join button.
 * @cssprop --call-room-presenting-background - The "You are presenting" banner.
 * @cssprop --call-room-avatar-background - The initials avatar.
 * @cssprop --call-room-control-size - Minimum width and height of a control (default 44px, the touch target size).
 * @cssprop --call-room-thumbnail-width - Width of thumbnails.
 * @cssprop --call-room-font - Font family.
 * @cssprop --call-room-radius - Corner radius of the controls and the docked panel (thumbnails use two thirds of it; default 0.75rem).
 * @cssprop --call-room-docked-width - Width of the docked panel (default 22rem, at most the window less 2rem).
 * @cssprop --call-room-docked-height - Height of the docked panel (default 26rem; at most 55 % of a phone's height).
 * @cssprop --call-room-docked-inset - Where the docked panel sits (an `inset` value; default `auto 1rem 1rem auto`: bottom right).
 */
export class CallRoom extends LitElement {
  static override styles = [callRoomStyles, roomPrejoinStyles, inCallStyles, shareRequestStyles, diagnosticsStyles];

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
  /** Client: enter the call at once, without the pre-join screen (the behaviour before it existed). */
  @property({ type: Boolean, attribute: 'skip-prejoin' }) accessor skipPrejoin = false;
  /** Agent: seconds without a join, after the latest invite, before "Send the link again" is offered. */
  @property({ type: Number, attribute: 'resend-after' }) accessor resendAfter = RESEND_AFTER_SECONDS;
  /** Read-only: the room status. */
  @property({ reflect: true }) accessor status: RoomStatus = 'connecting';
  /** Read-only: the agent is waiting and the ringtone plays. */
  @property({ type: Boolean, reflect: true }) accessor ringing = false;
  /** Read-only: the other participant muted their microphone. */
  @property({ type: Boolean, reflect: true, attribute: 'remote-mic-muted' }) accessor remoteMicMuted = false;

  /** The browser refused to play the remote audio without a click (autoplay policy). */
  @state() private accessor _soundBlocked = false;
  /** Client: Join was pressed (or the pre-join is skipped): the call screen shows instead of the pre-join. */
  @state() private accessor _entered = false;

  @query('[part~="overlay"]') private accessor _overlay: HTMLElement | null = null;

  readonly #session = new CallSessionController(this);
  readonly #modal = new Modal({ host: this, container: () => this._overlay });
  readonly #resend = new ResendController(this, { afterSeconds: () => this.resendAfter, send: () => this.#resendInvite() });
  readonly #diagnostics = new DiagnosticsControl(this);
  readonly #previewStreams = new WeakMap<MediaStreamTrack, MediaStream>();
  readonly #prejoin = new PrejoinController(this);
  /** Client: the devices chosen on the pre-join, kept for Rejoin. */
  #devices: StartDevices | null = null;
  // In the call: devices panel, timer, fixes for blocked devices (room-devices.ts, room-timer.ts, room-permission-help.ts).
  readonly #deviceSettings = new RoomDevices(this, () => this.#session.session);
  readonly #timer = new RoomTimer(this, () => this.#session.snapshot);
  readonly #help = new RoomPermissionHelp(this);

  #endedFired = false;

  constructor() {
    super();
    // Docked: the panel is dragged by its header.
    new DockDrag({ host: this, docked: () => this.docked, handle: () => this.renderRoot.querySelector('[part~="header"]') });
  }

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
    // LEAVE: opening the link again (or reloading) shows the pre-join, not straight in.
    if (this.side === 'client') joinedCalls.forget(this.callId);
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
    if (this.side === 'agent') this.#resend.sync(snapshot);
  }

  protected override firstUpdated(): void {
    this.#modal.focusInside();
  }

  protected override updated(changed: PropertyValues<this>): void {
    // Expanded again: focus goes back into the dialog (Minimize moved it to Expand, which is inside already).
    if (changed.has('docked') && changed.get('docked') === true) this.#modal.focusInside();
    // A control that disappeared or was disabled under the keyboard leaves focus on <body>: bring it back.
    if (this.#modal.active && (!document.activeElement || document.activeElement === document.body)) this.#modal.focusInside();
    // A video given a stream sometimes stays paused at readyState 0 although autoplay and muted are
    // set (seen on the pre-join preview, about one open in two): start any that did not.
    for (const video of this.renderRoot.querySelectorAll('video')) {
      if (video.paused && video.srcObject) video.play().catch(() => undefined);
    }
    const audio = this.renderRoot.querySelector('audio');
    if (audio?.paused && !this._soundBlocked) {
      audio.play().catch((err: unknown) => {
        // AbortError only means a newer stream replaced this one; NotAllowedError is the autoplay policy.
        if (err instanceof DOMException && err.name === 'NotAllowedError') this._soundBlocked = true;
      });
    }
    const snapshot = this.#session.snapshot;
    // A call nobody answered keeps the agent's room open to say so, until Close.
    if (snapshot?.state.status === 'ended' && !this.#endedFired && !(this.side === 'agent' && isUnanswered(snapshot.state))) {
      this.#endedFired = true;
      this.dispatchEvent(new CallEndedEvent({ callId: snapshot.call?.id ?? null, cause: snapshot.state.cause, call: snapshot.call }));
    }
  }

  protected override render() {
    // The strings of this element's language (its lang, an ancestor's, the page's or the browser's).
    useLanguageOf(this);
    const snapshot = this.#session.snapshot;
    const otherName = this.#otherName(snapshot);
    const title = format(strings().room.title[this.side], { name: otherName ?? strings().room.unnamed[this.side] });
    const prejoin = this.#prejoinShown(snapshot);
    const status = prejoin ? prejoinStatus({ agentName: otherName, view: this.#prejoin.view }) : statusText(snapshot, this.side);
    return html`
      <div part="overlay" role="dialog" aria-modal=${this.docked ? 'false' : 'true'} aria-labelledby="title" tabindex="-1">
        <div part="header">
          <h2 part="title" id="title" title=${title}>${title}</h2>
          <span part="status" role="status" aria-live="polite" title=${status}>${status}</span>
          ${this.#timer.render()} ${renderQuality(snapshot, otherName ?? strings().room.unnamed[this.side])}
          ${this.#diagnostics.renderButton()} ${this.#renderDockButton(snapshot)}
        </div>
        ${this.#diagnostics.renderFallback()}
        ${prejoin ? this.#renderPrejoin(snapshot, otherName) : this.#renderCall(snapshot, otherName)}
      </div>
    `;
  }

  #renderCall(snapshot: CallSnapshot | null, otherName: string | null): TemplateResult {
    return html`
        ${renderStage({ snapshot, otherName, fallbackName: strings().room.unnamed[this.side], previewStream: (track) => this.#previewStream(track) })}
        ${this.#renderMessages(snapshot, otherName ?? strings().room.unnamed[this.side])}
        ${this.side === 'agent' ? this.#resend.render() : nothing}
        ${renderShareConsent(snapshot, this.side, otherName ?? strings().room.unnamed[this.side], (share) => void this.#session.session?.answerShareRequest(share))}
        ${renderPresenting(snapshot, () => void this.#session.session?.setEnabled('screen', false))}
        ${(this._soundBlocked || snapshot?.audioBlocked) && snapshot?.remote.microphone && !isTerminal(snapshot.state)
          ? html`<button part="enable-sound" type="button" @click=${this.#enableSound}>${strings().room.controls.enableSound}</button>`
          : nothing}
        ${this.#deviceSettings.renderPanel(snapshot, isLive(snapshot))}
        ${renderControls({
          snapshot,
          extra: html`${this.#deviceSettings.renderButton(snapshot, isLive(snapshot))}
            ${renderShareAsk(snapshot, this.side, () => this.#session.session?.askToShareScreen())}`,
          role: this.side,
          toggle: (source) => void this.#session.session?.toggle(source),
          end: () => void this.end(),
          rejoin: () => this.#rejoin(),
          close: () => this.#closeFailed(),
        })}
        ${snapshot?.remote.microphone ? html`<audio autoplay .srcObject=${snapshot.remote.microphone.stream}></audio>` : nothing}
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
      // A reload of a call this tab had joined goes straight back in, with the same choices.
      const recalled = previous || this.skipPrejoin || this._entered ? null : joinedCalls.recall(this.callId);
      if (recalled) {
        this.#devices = { choice: recalled, capture: deviceCapture(recalled) };
        this.#deviceSettings.useSpeaker(recalled.speakerId ?? undefined);
        this._entered = true;
      }
      // Rejoin (or a room put back on the page after Join) goes straight in with the devices already chosen.
      if (previous || this.skipPrejoin || recalled || this._entered) void session.join(this.callId, this.joinSecret, this.#devices ?? undefined);
      else void this.#prejoin.open(session, this.callId, this.joinSecret, () => this.#session.session === session);
    }
  }

  #prejoinShown(snapshot: CallSnapshot | null): boolean {
    return this.side === 'client' && !this.skipPrejoin && !this._entered && !(snapshot && isTerminal(snapshot.state));
  }

  #renderPrejoin(snapshot: CallSnapshot | null, otherName: string | null): TemplateResult {
    const prejoin = this.#prejoin;
    const preview = prejoin.preview;
    return renderPrejoin({
      agentName: otherName,
      video: snapshot?.call?.media === 'video',
      view: prejoin.view,
      level: prejoin.level,
      stream: (track) => this.#previewStream(track),
      select: (kind, id) => void preview?.select(kind, id),
      cameraOn: (on) => void preview?.setCameraOn(on),
      microphoneOn: (on) => preview?.setMicrophoneOn(on),
      join: () => this.#join(),
    });
  }

  /** Client: Join on the pre-join: the preview's tracks and choices go to the call. */
  #join(): void {
    const handover = this.#prejoin.handOver();
    this.#devices = handover ? { choice: handover.choice, capture: handover.capture } : null;
    this.#deviceSettings.useSpeaker(handover?.choice.speakerId ?? undefined);
    this._entered = true;
    if (this.#devices) joinedCalls.remember(this.callId, this.#devices.choice);
    void this.#session.session?.enter(this.#devices ?? undefined);
  }

  /** Agent, while the call runs: Minimize (full screen) or Expand (docked). */
  #renderDockButton(snapshot: CallSnapshot | null): TemplateResult | typeof nothing {
    if (this.side !== 'agent' || (snapshot && isTerminal(snapshot.state))) return nothing;
    const c = strings().room.controls;
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
    if (this.remoteMicMuted) lines.push(html`<p part="notice" role="status">${strings().room.remoteMicMuted[otherRole(this.side)]}</p>`);
    if (snapshot?.localNotice) lines.push(html`<p part="notice local-notice" role="status">${snapshot.localNotice}</p>`);
    lines.push(...this.#remoteBlockedNotices(snapshot, name));
    lines.push(...qualityWarnings(snapshot, name));
    const share = renderShareStatus(snapshot, this.side, name);
    if (share) lines.push(share);
    lines.push(...this.#mediaErrorMessages(snapshot).map((message) => html`<p part="error" role="alert">${message}</p>`));
    lines.push(...this.#help.render(snapshot?.mediaErrors ?? []));
    const screenNote = this.#help.renderScreenUnavailable(isLive(snapshot));
    if (screenNote !== nothing) lines.push(screenNote);
    return lines.length ? html`<div part="messages">${lines}</div>` : nothing;
  }

  /** One line per failed device; camera and microphone blocked together say so once. */
  #mediaErrorMessages(snapshot: CallSnapshot | null): string[] {
    const errors = snapshot?.mediaErrors ?? [];
    const blocked = errors.filter((e) => e.kind === 'permission_denied' && e.device !== 'screen');
    if (blocked.length === 2) return [strings().media.permission_denied.both, ...errors.filter((e) => !blocked.includes(e)).map((e) => e.message)];
    return errors.map((e) => e.message);
  }

  #remoteBlockedNotices(snapshot: CallSnapshot | null, name: string): TemplateResult[] {
    if (!snapshot || isTerminal(snapshot.state)) return [];
    return (Object.entries(snapshot.remoteBlocked) as [TrackSource, string][]).map(([device, reason]) => {
      const template = strings().room.remoteBlocked[reason] ?? strings().room.remoteBlocked.other!;
      return html`<p part="notice remote-blocked" role="status">${format(template, { name, device: strings().room.devices[device] })}</p>`;
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
    // The tracks handed over last time were stopped when the call ended: capture the same devices again.
    if (this.#devices) {
      this.#devices = { choice: this.#devices.choice, capture: deviceCapture(this.#devices.choice) };
      if (this.side === 'client') joinedCalls.remember(this.callId, this.#devices.choice);
    }
    this.#endedFired = false;
    this._soundBlocked = false;
    this.#maybeStart(previous);
  }

  /** Close on a failed room, or on a call nobody answered (its `call-ended` was held until now). */
  #closeFailed(): void {
    const state = this.#session.snapshot?.state;
    const call = this.#session.snapshot?.call ?? null;
    this.#endedFired = true;
    this.dispatchEvent(new CallEndedEvent({ callId: call?.id ?? this.call?.id ?? null, cause: state?.status === 'ended' ? state.cause : 'failed', call }));
  }

  async #resendInvite(): Promise<void> {
    const session = this.#session.session;
    const call = session?.snapshot.call;
    const token = session?.credentials?.token;
    if (!call || !token) throw new Error('no call to send the link of');
    await new ServiceClient({ serviceUrl: this.serviceUrl, fetch: this.sessionOptions.fetch }).resendInvite(call.id, token);
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
