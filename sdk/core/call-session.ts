// One participant's call: wires the service client, the live socket, the media session and
// the ringtone around the pure state machine. Each concern lives in its own part — the other
// participant (session/remote-participant.ts), this side's devices (session/local-devices.ts),
// asking the service why contact was lost (session/live-prober.ts), the client's way in from its
// link (session/client-entry.ts) — so a new media mode touches none of them. Framework-free; the UI subscribes to snapshots.
import { canRejoin, initialCallState, isRinging, isTerminal, otherRole, transition } from './call-state.js';
import type { CallState, CallStateEvent } from './call-state.js';
import { LiveConnection } from './live-connection.js';
import type { ServerMessage } from './live-connection.js';
import { createMediaSession, prepareMedia } from './media/create-session.js';
import type { PreparedMedia } from './media/create-session.js';
import type { MediaConnectionState, MediaDisconnectReason, MediaSession, SwitchableSource } from './media/media-session.js';
import { Ringtone } from './ringtone.js';
import { ServiceClient, ServiceError } from './service-client.js';
import { CallQuality } from './session/call-quality.js';
import type { CallSessionOptions, CallSnapshot, StartDevices } from './session/call-session-types.js';
import { ClientEntry } from './session/client-entry.js';
import { LiveProber } from './session/live-prober.js';
import { LocalDevices } from './session/local-devices.js';
import { RemoteParticipant } from './session/remote-participant.js';
import { ShareRequests } from './session/share-request.js';
import { markStep } from './timing.js';
import type { CallEventReport, CallView, Credentials, Role, TrackSource } from './types.js';

const END_REQUEST_TIMEOUT_MS = 5000;
/** Ask for fresh credentials this long before the current ones expire (they live minutes). */
const RENEW_BEFORE_EXPIRY_MS = 120_000;
/** Never ask more often than this, even for credentials that are about to expire. */
const MIN_RENEW_DELAY_MS = 5_000;

export type { CallSessionOptions, CallSnapshot, StartDevices } from './session/call-session-types.js';

/** A participant's call, from credentials (agent) or a join link (client) to the end. */
export class CallSession {
  readonly role: Role;
  readonly #options: CallSessionOptions;
  readonly #client: ServiceClient;
  readonly #ringtone: Ringtone;
  readonly #listeners = new Set<(snapshot: CallSnapshot) => void>();
  readonly #abort = new AbortController();
  readonly #prober: LiveProber;
  readonly #remote: RemoteParticipant;
  readonly #local: LocalDevices;
  readonly #quality = new CallQuality(() => this.#changed());
  readonly #share: ShareRequests;
  #state: CallState;
  #credentials: Credentials | null = null;
  #live: LiveConnection | null = null;
  #media: MediaSession | null = null;
  /** What {@link prepare} fetched ahead of {@link start} (used once). */
  #prepared: PreparedMedia | null = null;
  /** The other participant's presence as the media server's room tells it (LiveKit mode). */
  #mediaPeerPresent = false;
  #renewTimer: ReturnType<typeof setTimeout> | undefined;
  /** Devices the pre-join reported blocked (`device/reason`): the call's first identical report is not sent again. */
  readonly #reportedBeforeEntering = new Set<string>();
  /** Client: the link, from {@link open} to {@link enter}. */
  readonly #entry: ClientEntry;
  #snapshot: CallSnapshot;

  constructor(options: CallSessionOptions) {
    this.role = options.role;
    this.#options = options;
    this.#client = new ServiceClient({ serviceUrl: options.serviceUrl, ...(options.fetch ? { fetch: options.fetch } : {}) });
    this.#ringtone = new Ringtone(options.createAudioContext ? { createAudioContext: options.createAudioContext } : {});
    this.#prober = new LiveProber(this.#client, this.#abort.signal);
    this.#remote = new RemoteParticipant(options.role, () => this.#changed());
    this.#local = new LocalDevices({ onChange: () => this.#changed(), report: (event) => this.#report(event) });
    this.#share = new ShareRequests(options.role, (message) => this.#live?.send(message) ?? false, () => this.#changed());
    this.#entry = new ClientEntry({
      client: this.#client,
      prober: this.#prober,
      signal: this.#abort.signal,
      state: () => this.#state,
      entered: () => this.#live !== null,
      credentials: () => this.#credentials,
      joined: (call, credentials) => {
        this.#credentials = credentials;
        this.#dispatch({ type: 'started', call });
      },
      dispatch: (event) => this.#dispatch(event),
    });
    this.#state = initialCallState(options.role);
    this.#snapshot = this.#makeSnapshot();
  }

  /** The current snapshot. */
  get snapshot(): CallSnapshot {
    return this.#snapshot;
  }

  /** The credentials in use (renewed over the live socket); null before start. */
  get credentials(): Credentials | null {
    return this.#credentials;
  }

  /** Is the ringtone audible right now? */
  get ringtonePlaying(): boolean {
    return this.#ringtone.playing;
  }

  /** Calls `listener` on every change; returns the unsubscribe function. */
  subscribe(listener: (snapshot: CallSnapshot) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Client: exchanges the link secret for credentials, then starts. */
  async join(callId: string, secret: string, devices?: StartDevices): Promise<void> {
    if (await this.#entry.open(callId, secret)) this.start(this.#state.call!, this.#credentials!, devices);
  }

  /**
   * Client: checks the link by exchanging its secret for credentials, without entering the call
   * (the pre-join screen shows meanwhile). Resolves false, with the room failed, when the link is refused.
   */
  open(callId: string, secret: string): Promise<boolean> {
    return this.#entry.open(callId, secret);
  }

  /**
   * Client, on the pre-join (after {@link open}): fetches what entering needs while the person looks
   * at the preview: the media engine's chunk, and in LiveKit mode a room whose connection to the
   * media server is warmed (`Room.prepareConnection`), the very room {@link start} then joins.
   */
  prepare(): void {
    if (this.#credentials && !this.#prepared && !this.#media) this.#prepared = prepareMedia(this.#credentials);
  }

  /** Client: enters the call {@link open} checked, with the devices chosen before (fresh credentials if those are about to expire). */
  async enter(devices?: StartDevices): Promise<void> {
    markStep('join-pressed');
    if (!(await this.#entry.readyToEnter())) return;
    if (this.#state.call && this.#credentials) this.start(this.#state.call, this.#credentials, devices);
  }

  /** Client, on the pre-join: whether the call is still open (session/client-entry.ts); false when asking again is pointless. */
  checkStillOpen(): Promise<boolean> {
    return this.#entry.checkStillOpen();
  }

  /** Tells the service a fact about this side (client: also before entering, from the pre-join); best effort. */
  report(event: CallEventReport): void {
    if (event.type === 'media_blocked') this.#reportedBeforeEntering.add(`${event.device}/${event.reason}`);
    this.#send(event);
  }

  /**
   * Agent: back into a call after a failure (Rejoin). The service restores the call's media if
   * the media server lost it and issues fresh credentials; then the call starts as usual.
   */
  async resume(call: CallView, credentials: Credentials): Promise<void> {
    this.#credentials = credentials;
    this.#dispatch({ type: 'started', call });
    try {
      const fresh = await this.#client.resume(call.id, credentials.token, this.#abort.signal);
      this.start(fresh.call, fresh.credentials);
    } catch (error) {
      if (this.#abort.signal.aborted) return;
      const code = error instanceof ServiceError ? (error.code === 'call_ended' ? 'call_ended' : error.code) : 'network_error';
      this.#dispatch({ type: 'failed', code, message: error instanceof Error ? error.message : String(error) });
    }
  }

  /** Connects the live socket and the media, then opens the microphone (and camera for video calls) unless `devices` says off. */
  start(call: CallView, credentials: Credentials, devices?: StartDevices): void {
    if (this.#live || isTerminal(this.#state)) return;
    this.#credentials = credentials;
    this.#dispatch({ type: 'started', call });
    const live = new LiveConnection({
      url: credentials.liveUrl,
      token: credentials.token,
      ...(this.#options.WebSocket ? { WebSocket: this.#options.WebSocket } : {}),
    });
    this.#live = live;
    markStep('start');
    const prepared = this.#prepared;
    this.#prepared = null;
    let media: MediaSession;
    try {
      media = (this.#options.createMedia ?? createMediaSession)(credentials, live, devices?.capture, prepared);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      this.#dispatch({ type: 'failed', code: typeof code === 'string' ? code : 'generic', message: String(error) });
      return;
    }
    this.#media = media;
    this.#remote.bind(media);
    this.#local.bind(media);
    this.#quality.bind(media);
    this.#followMedia(media);
    live.on('message', (message) => this.#onLiveMessage(message));
    live.on('state', (state) => {
      if (state === 'open') markStep('live-open');
      if (state !== 'reconnecting') return;
      this.#dispatch({ type: 'live-reconnecting' });
      void this.#askWhyContactLost();
    });
    live.on('closed', ({ code }) => this.#dispatch({ type: 'live-closed', code }));
    void media.connect();
    live.connect();
    this.#changed();
    if (devices?.choice.microphone !== false) void this.setEnabled('microphone', true);
    if (call.media === 'video' && devices?.choice.camera !== false) void this.setEnabled('camera', true);
  }

  /** Turns a local source on or off; failures land in `snapshot.mediaErrors` (and are reported). */
  async setEnabled(source: TrackSource, enabled: boolean): Promise<void> {
    if (isTerminal(this.#state) || this.#state.status === 'ending') return;
    await this.#local.setEnabled(source, enabled);
  }

  /** Flips a local source. */
  toggle(source: TrackSource): Promise<void> {
    return this.setEnabled(source, !this.#snapshot.enabled[source]);
  }

  /** Uses another microphone or camera without leaving the call; failures land in `snapshot.mediaErrors`. */
  async switchDevice(source: SwitchableSource, deviceId: string): Promise<void> {
    if (isTerminal(this.#state) || this.#state.status === 'ending') return;
    await this.#local.switchDevice(source, deviceId);
  }

  /** The microphone or camera chosen with {@link switchDevice}, if any. */
  preferredDevice(source: SwitchableSource): string | null {
    return this.#media?.preferredDevice(source) ?? null;
  }

  /** Lets the other side's audio play: call it from a click when `snapshot.audioBlocked`. */
  async startAudio(): Promise<void> {
    await this.#media?.startAudio?.();
    this.#remote.audioUnblocked();
  }

  /** Agent: asks the client to share their screen; false when it cannot be asked now. */
  askToShareScreen(): boolean {
    if (this.#state.status !== 'connected') return false;
    return this.#share.request();
  }

  /** Client: answers the agent's request. Share starts sharing, so call it from the click (the gesture the browser wants). */
  async answerShareRequest(share: boolean): Promise<void> {
    if (!this.#snapshot.shareRequest.asked) return;
    if (share) await this.setEnabled('screen', true);
    this.#share.answer(!share ? 'declined' : this.#local.view.enabled.screen ? 'accepted' : 'failed');
  }

  /** The media connection's statistics, for diagnostics (null where the engine has none). */
  async mediaStats(): Promise<RTCStatsReport | null> {
    return (await this.#media?.getStats()) ?? null;
  }

  /** Agent: ends the call for everyone (POST /end, best effort). Client: leaves. Then stops everything. */
  async end(): Promise<void> {
    if (isTerminal(this.#state) || this.#state.status === 'ending') return;
    const call = this.#state.call;
    const token = this.#credentials?.token;
    this.#dispatch({ type: 'end-requested' });
    // The client leaves at once; the agent waits (bounded) for the service to end it for everyone.
    if (isTerminal(this.#snapshot.state) || !call || !token) return;
    const request = this.#client.endCall(call.id, token, 'ended_by_agent').then(
      (updated) => this.#dispatch({ type: 'call-updated', call: updated }),
      () => undefined,
    );
    await Promise.race([request, new Promise((resolve) => setTimeout(resolve, END_REQUEST_TIMEOUT_MS))]);
    this.#dispatch({ type: 'end-confirmed' });
  }

  /** Stops everything without telling the service (the element left the page). */
  dispose(): void {
    this.#abort.abort();
    this.#teardown();
    this.#listeners.clear();
  }

  #onLiveMessage(message: ServerMessage): void {
    if (this.#share.received(message)) return;
    switch (message.type) {
      case 'hello': {
        markStep('hello');
        this.#scheduleRenewal();
        // In a mode whose presence is the media room's, the socket's peers say nothing about it.
        const peers = this.#media?.presenceSource === 'media' ? this.#peersFromMedia() : message.peers;
        this.#dispatch({ type: 'hello', call: message.call, peers });
        break;
      }
      case 'call':
        this.#dispatch({ type: 'call-updated', call: message.call });
        break;
      case 'presence':
        if (this.#media?.presenceSource === 'signaling') this.#presence(message.role, message.present);
        break;
      case 'event':
        this.#remote.reported(message.event);
        this.#share.reported(message.event);
        break;
      case 'credentials':
        if (this.#credentials) this.#credentials = { ...this.#credentials, ...message.credentials };
        this.#live?.setToken(message.credentials.token);
        this.#scheduleRenewal();
        break;
      default:
        break;
    }
  }

  #presence(role: Role, present: boolean): void {
    if (role === this.role) return;
    if (present) markStep('peer-present');
    if (!present) {
      this.#remote.left();
      this.#quality.remoteLeft();
      this.#share.peerLeft();
    }
    this.#dispatch({ type: 'presence', role, present });
  }

  #peersFromMedia(): { agent: boolean; client: boolean } {
    const other = otherRole(this.role);
    return { agent: other === 'agent' && this.#mediaPeerPresent, client: other === 'client' && this.#mediaPeerPresent };
  }

  #followMedia(media: MediaSession): void {
    media.on('remote-participant', ({ role, present }) => {
      if (media.presenceSource !== 'media') return;
      this.#mediaPeerPresent = present;
      this.#presence(role, present);
    });
    media.on('connection-state', ({ state, reason }) => this.#onMediaState(media, state, reason));
  }

  #onMediaState(media: MediaSession, state: MediaConnectionState, reason: MediaDisconnectReason | undefined): void {
    if (state === 'reconnecting') return this.#dispatch({ type: 'media', state: 'reconnecting' });
    if (state === 'connected') {
      markStep('media-connected');
      return this.#dispatch({ type: 'media', state: 'connected' });
    }
    if (state !== 'disconnected' && state !== 'failed') return;
    // A peer-to-peer path to a participant who already left dies with them; the next presence rebuilds it.
    if (media.presenceSource === 'signaling' && this.#state.status !== 'connected') return;
    void this.#askWhyContactLost().then((settled) => {
      if (settled) return;
      this.#dispatch({ type: 'media', state: 'lost', code: reason?.code ?? 'media_lost', message: reason?.message ?? 'the media connection was lost' });
    });
  }

  /** Asks the service; resolves true when its answer decided the state (ended, refused). */
  async #askWhyContactLost(): Promise<boolean> {
    const call = this.#state.call;
    const token = this.#credentials?.token;
    if (!call || !token || isTerminal(this.#state)) return false;
    const answer = await this.#prober.probe(call.id, token);
    switch (answer.kind) {
      case 'ended':
        this.#dispatch({ type: 'call-updated', call: answer.call });
        return true;
      case 'rejected':
        this.#dispatch({ type: 'failed', code: answer.code === 'credentials_replaced' ? 'replaced' : 'credentials_rejected', message: answer.message });
        return true;
      default:
        return false;
    }
  }

  /** Short-lived credentials are renewed over the live socket well before they expire. */
  #scheduleRenewal(): void {
    clearTimeout(this.#renewTimer);
    const expiresAt = Date.parse(this.#credentials?.expiresAt ?? '');
    if (!Number.isFinite(expiresAt) || isTerminal(this.#state)) return;
    const delay = Math.max(MIN_RENEW_DELAY_MS, expiresAt - Date.now() - RENEW_BEFORE_EXPIRY_MS);
    this.#renewTimer = setTimeout(() => {
      // Not open now: the next hello schedules it again.
      this.#live?.send({ type: 'renew' });
    }, delay);
  }

  #dispatch(event: CallStateEvent): void {
    const next = transition(this.#state, event);
    if (next === this.#state) return;
    this.#state = next;
    if (next.status === 'connected') markStep('connected');
    if (isRinging(next)) this.#startRingtone();
    else this.#ringtone.stop();
    if (isTerminal(next)) this.#teardown();
    this.#changed();
  }

  #startRingtone(): void {
    try {
      this.#ringtone.start();
    } catch {
      // No audio output available: the status text still says we are waiting.
    }
  }

  #teardown(): void {
    clearTimeout(this.#renewTimer);
    this.#share.dispose();
    this.#ringtone.stop();
    this.#media?.disconnect();
    this.#live?.close();
  }

  #report(event: CallEventReport): void {
    // The call failing the same way the pre-join did (a denied device, denied again) tells the service nothing new.
    if (event.type === 'media_blocked' && this.#reportedBeforeEntering.delete(`${event.device}/${event.reason}`)) return;
    this.#send(event);
  }

  #send(event: CallEventReport): void {
    const call = this.#state.call;
    const token = this.#credentials?.token;
    if (!call || !token || isTerminal(this.#state)) return;
    this.#client.reportEvent(call.id, token, event).catch(() => undefined);
  }

  #changed(): void {
    this.#snapshot = this.#makeSnapshot();
    for (const listener of [...this.#listeners]) listener(this.#snapshot);
  }

  #makeSnapshot(): CallSnapshot {
    const local = this.#local.view;
    const remote = this.#remote.view;
    return {
      state: this.#state,
      call: this.#state.call,
      ringing: isRinging(this.#state),
      rejoinable: canRejoin(this.#state),
      local: local.tracks,
      enabled: local.enabled,
      pending: local.pending,
      remote: remote.tracks,
      remoteMuted: remote.muted,
      mediaErrors: local.errors,
      localNotice: local.notice,
      remoteBlocked: remote.blocked,
      audioBlocked: remote.audioBlocked,
      clientArrival: this.role === 'agent' && (this.#state.status === 'waiting' || this.#state.status === 'client-left') ? remote.arrival : null,
      quality: this.#quality.view,
      shareRequest: this.#share.view,
    };
  }
}
