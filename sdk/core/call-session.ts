// One participant's call: wires the service client, the live socket, the media session and
// the ringtone around the pure state machine. Framework-free; the UI subscribes to snapshots.
import { en } from '../i18n/en.js';
import { initialCallState, isRinging, isTerminal, transition } from './call-state.js';
import type { CallState, CallStateEvent } from './call-state.js';
import { LiveConnection } from './live-connection.js';
import type { ServerMessage } from './live-connection.js';
import { classifyMediaError } from './local-media.js';
import { createMediaSession } from './media/create-session.js';
import type { MediaSession, RemoteTrack, SignalingChannel } from './media/media-session.js';
import { Ringtone } from './ringtone.js';
import type { LocalMediaError, MediaErrorKind } from './local-media.js';
import { ServiceClient, ServiceError } from './service-client.js';
import type { CallEvent, CallEventReport, CallView, Credentials, Role, TrackSource } from './types.js';

/** Options of {@link CallSession}. */
export interface CallSessionOptions {
  /** Which side this is. */
  role: Role;
  /** Base URL of the service. */
  serviceUrl: string;
  /** fetch implementation (tests). */
  fetch?: typeof fetch;
  /** AudioContext factory for the ringtone (tests). */
  createAudioContext?: () => AudioContext;
  /** Media engine factory; picks by `credentials.media.mode` by default. */
  createMedia?: (credentials: Credentials, signaling: SignalingChannel) => MediaSession;
  /** WebSocket constructor (tests). */
  WebSocket?: typeof WebSocket;
}

/** Everything the UI renders, recomputed on each change. */
export interface CallSnapshot {
  state: CallState;
  call: CallView | null;
  /** Derived: the agent is waiting for the client. */
  ringing: boolean;
  /** Live local tracks (a muted microphone keeps its track). */
  local: Record<TrackSource, MediaStreamTrack | null>;
  /** Which local sources are on (microphone: unmuted). */
  enabled: Record<TrackSource, boolean>;
  /** Sources with a toggle in flight. */
  pending: ReadonlySet<TrackSource>;
  remote: Record<TrackSource, RemoteTrack | null>;
  remoteMuted: { microphone: boolean; camera: boolean };
  /** Local devices that failed to start, one per device (microphone, camera, screen order), with human messages. */
  mediaErrors: LocalMediaError[];
  /** Set when the browser stopped a local device (unplugged, permission revoked, "Stop sharing"). */
  localNotice: string | null;
  /** Devices the other participant could not start (from their `call.media_blocked` reports), and why. */
  remoteBlocked: Partial<Record<TrackSource, MediaErrorKind>>;
}

const SOURCES: readonly TrackSource[] = ['microphone', 'camera', 'screen'];
const END_REQUEST_TIMEOUT_MS = 5000;
/** Ask for fresh credentials this long before the current ones expire (they live minutes). */
const RENEW_BEFORE_EXPIRY_MS = 120_000;
/** Never ask more often than this, even for credentials that are about to expire. */
const MIN_RENEW_DELAY_MS = 5_000;

/** A participant's call, from credentials (agent) or a join link (client) to the end. */
export class CallSession {
  readonly role: Role;
  readonly #options: CallSessionOptions;
  readonly #client: ServiceClient;
  readonly #ringtone: Ringtone;
  readonly #listeners = new Set<(snapshot: CallSnapshot) => void>();
  readonly #abort = new AbortController();
  #state: CallState;
  #call: CallView | null = null;
  #credentials: Credentials | null = null;
  #live: LiveConnection | null = null;
  #media: MediaSession | null = null;
  #pending = new Set<TrackSource>();
  #remote: Record<TrackSource, RemoteTrack | null> = { microphone: null, camera: null, screen: null };
  #remoteMuted = { microphone: false, camera: false };
  #mediaErrors: Partial<Record<TrackSource, LocalMediaError>> = {};
  #localNotice: string | null = null;
  #remoteBlocked: Partial<Record<TrackSource, MediaErrorKind>> = {};
  /** A "why did the live socket drop?" request is in flight. */
  #asking = false;
  /** Set while our own end request is in flight, so the service's echo counts as a local end. */
  #endingLocally = false;
  #snapshot: CallSnapshot;
  #renewTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: CallSessionOptions) {
    this.role = options.role;
    this.#options = options;
    this.#client = new ServiceClient({ serviceUrl: options.serviceUrl, ...(options.fetch ? { fetch: options.fetch } : {}) });
    this.#ringtone = new Ringtone(options.createAudioContext ? { createAudioContext: options.createAudioContext } : {});
    this.#state = initialCallState(options.role);
    this.#snapshot = this.#makeSnapshot();
  }

  /** The current snapshot. */
  get snapshot(): CallSnapshot {
    return this.#snapshot;
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
  async join(callId: string, secret: string): Promise<void> {
    if (!secret) return this.#dispatch({ type: 'failed', code: 'link_incomplete', message: 'the link has no secret' });
    try {
      const { call, credentials } = await this.#client.join(callId, secret, this.#abort.signal);
      this.start(call, credentials);
    } catch (error) {
      if (this.#abort.signal.aborted) return;
      const code = error instanceof ServiceError ? error.code : 'network_error';
      this.#dispatch({ type: 'failed', code, message: error instanceof Error ? error.message : String(error) });
    }
  }

  /** Connects the live socket and the media, then opens the microphone (and camera for video calls). */
  start(call: CallView, credentials: Credentials): void {
    if (this.#live || isTerminal(this.#state)) return;
    this.#call = call;
    this.#credentials = credentials;
    const live = new LiveConnection({
      url: credentials.liveUrl,
      token: credentials.token,
      ...(this.#options.WebSocket ? { WebSocket: this.#options.WebSocket } : {}),
    });
    this.#live = live;
    try {
      this.#media = (this.#options.createMedia ?? createMediaSession)(credentials, live);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      this.#dispatch({ type: 'failed', code: typeof code === 'string' ? code : 'generic', message: String(error) });
      return;
    }
    this.#wireMedia(this.#media);
    live.on('message', (message) => this.#onLiveMessage(message));
    live.on('state', (state) => {
      if (state !== 'reconnecting') return;
      this.#dispatch({ type: 'live-reconnecting' });
      void this.#askWhyDisconnected();
    });
    live.on('closed', ({ code }) => this.#dispatch({ type: 'live-closed', code }));
    void this.#media.connect();
    live.connect();
    this.#changed();
    void this.setEnabled('microphone', true);
    if (call.media === 'video') void this.setEnabled('camera', true);
  }

  /** Turns a local source on or off; failures land in `snapshot.mediaErrors` (and are reported). */
  async setEnabled(source: TrackSource, enabled: boolean): Promise<void> {
    const media = this.#media;
    if (!media || isTerminal(this.#state)) return;
    this.#pending.add(source);
    this.#changed();
    try {
      if (source === 'microphone') await media.setMicrophoneEnabled(enabled);
      else if (source === 'camera') await media.setCameraEnabled(enabled);
      else await media.setScreenShareEnabled(enabled);
      delete this.#mediaErrors[source];
      this.#localNotice = null;
      if (source === 'screen') this.#report({ type: enabled ? 'screen_share_started' : 'screen_share_stopped' });
    } catch (error) {
      const failure = classifyMediaError(error, source);
      this.#mediaErrors = { ...this.#mediaErrors, [source]: failure };
      this.#report({ type: 'media_blocked', device: source, reason: failure.kind });
    } finally {
      this.#pending.delete(source);
      this.#changed();
    }
  }

  /** Flips a local source. */
  toggle(source: TrackSource): Promise<void> {
    return this.setEnabled(source, !this.#snapshot.enabled[source]);
  }

  /** Agent: ends the call for everyone (POST /end, best effort). Client: leaves. Then stops everything. */
  async end(): Promise<void> {
    if (isTerminal(this.#state)) return;
    const call = this.#call;
    const token = this.#credentials?.token;
    this.#endingLocally = true;
    if (this.role === 'agent' && call && token) {
      const request = this.#client.endCall(call.id, token, 'ended_by_agent').then(
        (updated) => {
          this.#call = updated;
        },
        () => undefined,
      );
      await Promise.race([request, new Promise((resolve) => setTimeout(resolve, END_REQUEST_TIMEOUT_MS))]);
    }
    this.#dispatch({ type: 'end-requested' });
  }

  /** Stops everything without telling the service (the element left the page). */
  dispose(): void {
    this.#abort.abort();
    this.#teardown();
    this.#listeners.clear();
  }

  #onLiveMessage(message: ServerMessage): void {
    switch (message.type) {
      case 'hello':
        this.#scheduleRenewal();
        this.#call = message.call;
        this.#dispatch({ type: 'hello', call: message.call, peers: message.peers });
        break;
      case 'call':
        this.#call = message.call;
        this.#dispatch({ type: 'call-updated', call: message.call });
        break;
      case 'presence':
        if (!message.present) {
          this.#remoteMuted = { microphone: false, camera: false };
          // Gone: what they reported no longer holds. (Not on arrival: their report may come first.)
          this.#remoteBlocked = {};
        }
        this.#dispatch({ type: 'presence', role: message.role, present: message.present });
        break;
      case 'event':
        this.#onRemoteFact(message.event);
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

  /**
   * A browser cannot see why a WebSocket closed or was refused, so ask the REST API: an
   * ended call or rejected credentials stop the retries at once; an unreachable service
   * leaves them running (the network may come back).
   */
  async #askWhyDisconnected(): Promise<void> {
    const call = this.#call;
    const credentials = this.#credentials;
    if (this.#asking || !call || !credentials) return;
    this.#asking = true;
    try {
      const latest = await this.#client.getCall(call.id, credentials.token, this.#abort.signal);
      if (latest.status === 'ended') {
        this.#call = latest;
        this.#dispatch({ type: 'call-updated', call: latest });
      }
    } catch (error) {
      if (error instanceof ServiceError && (error.status === 401 || error.status === 404)) {
        this.#dispatch({ type: 'failed', code: 'credentials_rejected', message: error.message });
      }
    } finally {
      this.#asking = false;
    }
  }

  /** The other participant reported a device it could not start: say so on this side. */
  #onRemoteFact(event: CallEvent): void {
    if (event.type !== 'call.media_blocked' || event.by === this.role) return;
    const data = (event.data ?? {}) as { device?: unknown; reason?: unknown };
    if (data.device !== 'microphone' && data.device !== 'camera' && data.device !== 'screen') return;
    const reason = typeof data.reason === 'string' ? data.reason : 'unknown';
    this.#remoteBlocked = { ...this.#remoteBlocked, [data.device]: reason as MediaErrorKind };
    this.#changed();
  }

  #wireMedia(media: MediaSession): void {
    media.on('remote-track-added', (remote) => {
      this.#remote[remote.source] = remote;
      // The device works after all (permission granted on a retry).
      if (this.#remoteBlocked[remote.source]) {
        const { [remote.source]: _gone, ...rest } = this.#remoteBlocked;
        this.#remoteBlocked = rest;
      }
      this.#changed();
    });
    media.on('remote-track-removed', (remote) => {
      if (this.#remote[remote.source] === remote) this.#remote[remote.source] = null;
      this.#changed();
    });
    media.on('remote-mute', ({ source, muted }) => {
      this.#remoteMuted = { ...this.#remoteMuted, [source]: muted };
      this.#changed();
    });
    media.on('local-tracks-changed', () => this.#changed());
    media.on('local-track-ended', ({ source }) => {
      if (source === 'screen') this.#report({ type: 'screen_share_stopped' });
      this.#localNotice = en.media.endedByBrowser[source];
      this.#changed();
    });
  }

  #dispatch(event: CallStateEvent): void {
    let next = transition(this.#state, event);
    if (next === this.#state) return;
    if (next.status === 'ended' && this.#endingLocally) next = { ...next, cause: 'local' };
    this.#state = next;
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

  #teardown(): void {
    clearTimeout(this.#renewTimer);
    this.#ringtone.stop();
    this.#media?.disconnect();
    this.#live?.close();
  }

  #report(event: CallEventReport): void {
    const call = this.#call;
    const token = this.#credentials?.token;
    if (!call || !token || isTerminal(this.#state)) return;
    this.#client.reportEvent(call.id, token, event).catch(() => undefined);
  }

  #changed(): void {
    this.#snapshot = this.#makeSnapshot();
    for (const listener of [...this.#listeners]) listener(this.#snapshot);
  }

  #makeSnapshot(): CallSnapshot {
    const media = this.#media;
    const local = {} as Record<TrackSource, MediaStreamTrack | null>;
    const enabled = {} as Record<TrackSource, boolean>;
    for (const source of SOURCES) {
      local[source] = media?.localTrack(source) ?? null;
      enabled[source] = media?.isEnabled(source) ?? false;
    }
    return {
      state: this.#state,
      call: this.#call,
      ringing: isRinging(this.#state),
      local,
      enabled,
      pending: new Set(this.#pending),
      remote: { ...this.#remote },
      remoteMuted: { ...this.#remoteMuted },
      mediaErrors: SOURCES.flatMap((source) => this.#mediaErrors[source] ?? []),
      localNotice: this.#localNotice,
      remoteBlocked: { ...this.#remoteBlocked },
    };
  }
}
