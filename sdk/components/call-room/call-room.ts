import { LitElement, html, nothing } from 'lit';
import type { PropertyValues, TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { isTerminal, otherRole } from '../../core/call-state.js';
import type { RoomStatus } from '../../core/call-state.js';
import { CallSession } from '../../core/call-session.js';
import type { CallSnapshot } from '../../core/call-session.js';
import type { CallView, Credentials, Role, TrackSource } from '../../core/types.js';
import { CallSessionController } from '../../controllers/call-session-controller.js';
import { en, format } from '../../i18n/en.js';
import { CallEndedEvent } from '../internal/events.js';
import { cameraIcon, cameraOffIcon, hangUpIcon, micIcon, micOffIcon, screenIcon } from '../internal/icons.js';
import { callRoomStyles } from './call-room.styles.js';

/**
 * The full-screen call: status, remote and local video, and the controls.
 * Agent: set `serviceUrl`, `call` and `credentials` (what <call-button> does).
 * Client: set `serviceUrl`, `callId` and `joinSecret` (the join page does); it joins by itself.
 *
 * @fires call-ended - {@link CallEndedEvent}: the call ended for any reason (or the agent closed a failed room).
 *
 * @csspart overlay - The full-screen container.
 * @csspart header - Title and status bar.
 * @csspart title - "Call with …".
 * @csspart status - The status text.
 * @csspart stage - Where videos go.
 * @csspart main-video - The big video (remote screen, else remote camera).
 * @csspart placeholder - Shown in the stage when there is no remote video.
 * @csspart thumbnails - Container of the small videos.
 * @csspart thumbnail - Each small video.
 * @csspart remote-camera - The remote camera video (main or thumbnail).
 * @csspart remote-screen - The remote screen video.
 * @csspart local-preview - The local camera preview (mirrored).
 * @csspart notice - Remote mute notice.
 * @csspart error - Local media or call failure message.
 * @csspart controls - The control bar.
 * @csspart control - Each toggle button (also `microphone`, `camera`, `screen`).
 * @csspart enable-sound - Shown when the browser blocked the remote audio until a click.
 * @csspart end - END CALL (agent) / LEAVE (client) / Close (failed room).
 * @csspart rejoin - Rejoin, shown when the call failed in a way trying again can fix (network, media server).
 *
 * @cssprop --call-room-z-index - Stacking order (default 2147483000).
 * @cssprop --call-room-background - Overlay background.
 * @cssprop --call-room-color - Text color.
 * @cssprop --call-room-control-background - Control buttons.
 * @cssprop --call-room-control-active-background - Screen share button while sharing.
 * @cssprop --call-room-control-off-background - Microphone/camera button while off.
 * @cssprop --call-room-end-background - END CALL button.
 * @cssprop --call-room-thumbnail-width - Width of thumbnails.
 * @cssprop --call-room-font - Font family.
 */
export class CallRoom extends LitElement {
  static override styles = callRoomStyles;

  /** This participant's side. */
  @property({ reflect: true }) override accessor role: Role = 'client';
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
  /** Read-only: the room status. */
  @property({ reflect: true }) accessor status: RoomStatus = 'connecting';
  /** Read-only: the agent is waiting and the ringtone plays. */
  @property({ type: Boolean, reflect: true }) accessor ringing = false;
  /** Read-only: the other participant muted their microphone. */
  @property({ type: Boolean, reflect: true, attribute: 'remote-mic-muted' }) accessor remoteMicMuted = false;

  /** The browser refused to play the remote audio without a click (autoplay policy). */
  @state() private accessor _soundBlocked = false;

  readonly #session = new CallSessionController(this);
  readonly #previewStreams = new WeakMap<MediaStreamTrack, MediaStream>();
  #endedFired = false;

  /** The underlying session (for integrations and tests); null before it starts. */
  get session(): CallSession | null {
    return this.#session.session;
  }

  /** Agent: ends the call for everyone. Client: leaves it. */
  async end(): Promise<void> {
    await this.#session.session?.end();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Re-inserted after a removal: the previous session was disposed, start again.
    this.requestUpdate();
  }

  protected override willUpdate(_changed: PropertyValues<this>): void {
    if (!this.#session.session) this.#maybeStart();
    const snapshot = this.#session.snapshot;
    if (snapshot) {
      this.status = snapshot.state.status;
      this.ringing = snapshot.ringing;
      this.remoteMicMuted = snapshot.remote.microphone !== null && snapshot.remoteMuted.microphone;
    }
  }

  protected override updated(): void {
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
    const name = this.#otherName(snapshot);
    return html`
      <div part="overlay" role="dialog" aria-modal="true" aria-label=${format(en.room.title[this.role], { name })}>
        <header part="header">
          <span part="title">${format(en.room.title[this.role], { name })}</span>
          <span part="status" role="status" aria-live="polite">${this.#statusText(snapshot)}</span>
        </header>
        ${this.#renderStage(snapshot, name)}
        <div>
          ${this.remoteMicMuted ? html`<p part="notice" role="status">${en.room.remoteMicMuted[otherRole(this.role)]}</p>` : nothing}
          ${snapshot?.localNotice ? html`<p part="notice local-notice" role="status">${snapshot.localNotice}</p>` : nothing}
          ${this.#remoteBlockedNotices(snapshot, name)}
          ${this.#mediaErrorMessages(snapshot).map((message) => html`<p part="error" role="alert">${message}</p>`)}
        </div>
        ${(this._soundBlocked || snapshot?.audioBlocked) && snapshot?.remote.microphone && !isTerminal(snapshot.state)
          ? html`<button part="enable-sound" type="button" @click=${this.#enableSound}>${en.room.controls.enableSound}</button>`
          : nothing}
        ${this.#renderControls(snapshot)}
        ${snapshot?.remote.microphone ? html`<audio autoplay .srcObject=${snapshot.remote.microphone.stream}></audio>` : nothing}
      </div>
    `;
  }

  #maybeStart(previous: CallSession | null = null): void {
    if (!this.isConnected || !this.serviceUrl) return;
    if (this.role === 'agent') {
      if (!this.call || !this.credentials) return;
      const session = new CallSession({ role: 'agent', serviceUrl: this.serviceUrl });
      // A rejoin goes on with the freshest credentials (renewed over the live socket) and asks the
      // service to restore the call's media first (a restarted media server lost its room).
      const credentials = previous?.credentials ?? this.credentials;
      const call = previous?.snapshot.call ?? this.call;
      this.#session.attach(session);
      if (previous) void session.resume(call, credentials);
      else session.start(call, credentials);
    } else {
      if (!this.callId || this.joinSecret === undefined) return;
      const session = new CallSession({ role: 'client', serviceUrl: this.serviceUrl });
      this.#session.attach(session);
      void session.join(this.callId, this.joinSecret);
    }
  }

  #otherName(snapshot: CallSnapshot | null): string {
    const call = snapshot?.call ?? this.call;
    if (this.role === 'agent') return call?.clientName ?? en.room.unnamed.agent;
    return call?.agentName ?? en.room.unnamed.client;
  }

  #statusText(snapshot: CallSnapshot | null): string {
    const state = snapshot?.state;
    const agent = this.role === 'agent';
    switch (state?.status ?? 'connecting') {
      case 'waiting':
        if (!agent) return en.room.status.waitingClient;
        return snapshot?.call?.linkDelivered ? en.room.status.waitingAgentLinkSent : en.room.status.waitingAgent;
      case 'connected':
        return agent ? en.room.status.connectedAgent : en.room.status.connectedClient;
      case 'client-left':
        return en.room.status.clientLeft;
      case 'reconnecting':
        return en.room.status.reconnecting;
      case 'ending':
        return en.room.status.ending;
      case 'ended':
        return state?.status === 'ended' && state.cause === 'local' && !agent ? en.room.status.youLeft : en.room.status.ended;
      case 'failed':
        if (state?.status !== 'failed') return en.room.status.failed;
        // A code without words of its own still says whether trying again can help.
        return en.room.errors[state.code] ?? (state.rejoinable ? en.room.errors.media_lost : en.room.errors.generic) ?? en.room.status.failed;
      default:
        return en.room.status.connecting;
    }
  }

  #renderStage(snapshot: CallSnapshot | null, name: string): TemplateResult {
    const screen = snapshot?.remote.screen ?? null;
    const camera = snapshot && !snapshot.remoteMuted.camera ? snapshot.remote.camera : null;
    const localCamera = snapshot?.enabled.camera ? snapshot.local.camera : null;
    const main = screen ?? camera;
    const thumbnails: TemplateResult[] = [];
    if (screen && camera) {
      thumbnails.push(
        html`<video part="thumbnail remote-camera" autoplay playsinline muted .srcObject=${camera.stream} aria-label=${format(en.room.videoLabels.remoteCamera, { name })}></video>`,
      );
    }
    if (localCamera) {
      thumbnails.push(
        html`<video part="thumbnail local-preview" autoplay playsinline muted .srcObject=${this.#previewStream(localCamera)} aria-label=${en.room.videoLabels.localCamera}></video>`,
      );
    }
    return html`
      <div part="stage">
        ${main
          ? html`<video
              part=${main === screen ? 'main-video remote-screen' : 'main-video remote-camera'}
              autoplay
              playsinline
              muted
              .srcObject=${main.stream}
              aria-label=${main === screen ? en.room.videoLabels.remoteScreen : format(en.room.videoLabels.remoteCamera, { name })}
            ></video>`
          : html`<div part="placeholder">${this.#statusText(snapshot)}</div>`}
        ${thumbnails.length ? html`<div part="thumbnails">${thumbnails}</div>` : nothing}
      </div>
    `;
  }

  #renderControls(snapshot: CallSnapshot | null): TemplateResult {
    const terminal = snapshot?.state.status === 'ended' || snapshot?.state.status === 'failed';
    const live = snapshot !== null && snapshot.call !== null && !terminal && snapshot.state.status !== 'ending';
    const toggle = (source: TrackSource, label: string, on: TemplateResult, off: TemplateResult) => {
      const enabled = snapshot?.enabled[source] ?? false;
      return html`<button
        part="control ${source}"
        type="button"
        aria-pressed=${enabled ? 'true' : 'false'}
        ?disabled=${!live || (snapshot?.pending.has(source) ?? false)}
        @click=${() => void this.#session.session?.toggle(source)}
      >
        ${enabled || source === 'screen' ? on : off}<span>${label}</span>
      </button>`;
    };
    const c = en.room.controls;
    let endButton: TemplateResult | typeof nothing = nothing;
    const rejoin = snapshot?.rejoinable
      ? html`<button part="rejoin" type="button" @click=${this.#rejoin}>${c.rejoin}</button>`
      : nothing;
    if (!terminal) {
      endButton = html`<button part="end" type="button" ?disabled=${snapshot?.state.status === 'ending'} @click=${() => void this.end()}>
        ${hangUpIcon}<span>${this.role === 'agent' ? c.endCall : c.leave}</span>
      </button>`;
    } else if (this.role === 'agent' && snapshot?.state.status === 'failed') {
      endButton = html`<button part="end" type="button" @click=${this.#closeFailed}>${c.close}</button>`;
    }
    // Once the call is over there is nothing left to toggle.
    const toggles = terminal
      ? nothing
      : html`${toggle('microphone', c.microphone, micIcon, micOffIcon)} ${toggle('camera', c.camera, cameraIcon, cameraOffIcon)}
          ${toggle('screen', c.screen, screenIcon, screenIcon)}`;
    return html`<div part="controls">${toggles} ${rejoin} ${endButton}</div>`;
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
