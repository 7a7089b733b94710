// Media through a LiveKit SFU (livekit-client). Loaded as its own chunk, only when the
// credentials say `livekit`: livekit-client is most of the SDK's weight.
//
// The room is the source of truth for presence, remote tracks and mutes; this class keeps only
// the local tracks it captured (wrapped as LiveKit local tracks), because they exist before the
// room is joined and between a camera turned off and on again.
//   microphone off: muted publication, live track (`enabled = false`), like direct mode;
//   camera off: muted publication, device track stopped (its light goes off); on again swaps a
//     fresh track into the same publication, so the other side sees an unmute, not a new track;
//   screen off: unpublished.
import { ConnectionQuality, ConnectionState, DefaultReconnectPolicy, LocalAudioTrack, LocalVideoTrack, RemoteParticipant, Room, RoomEvent, Track } from 'livekit-client';
import type { LocalTrack, Participant, RemoteTrack as LiveKitRemoteTrack, RemoteTrackPublication, TrackPublication } from 'livekit-client';
import { Emitter } from '../emitter.js';
import { classifyMediaError } from '../local-media.js';
import { markStep } from '../timing.js';
import type { QualityLevel } from '../quality.js';
import type { Role, TrackSource } from '../types.js';
import { DEFAULT_CAPTURE, DeviceChoice } from './device-choice.js';
import type { CaptureFunctions } from './device-choice.js';
import { describeConnectFailure, describeDisconnect } from './livekit-reasons.js';
import type { MediaSession, MediaSessionEvents, RemoteTrack, SwitchableSource } from './media-session.js';

/** Delays between LiveKit's reconnect attempts (then it gives up and the room offers Rejoin). */
const RECONNECT_DELAYS_MS = [0, 300, 1200, 2700, 4800, 7000];

/** Options of {@link LiveKitSession}, from `credentials.media` (`{mode: 'livekit', url, token}`). */
export interface LiveKitSessionOptions {
  /** This participant's role; the other role is the one whose presence and tracks count. */
  role: Role;
  /** The LiveKit server's WebSocket URL. */
  url: string;
  /** The room token minted by the service for this participant. */
  token: string;
  /** How local tracks are captured; real devices by default. */
  capture?: Partial<CaptureFunctions>;
  /** A room from {@link prepareRoom} (its connection warmed during the pre-join), joined instead of a new one; never connected before. */
  room?: Room;
}

const SOURCES: readonly TrackSource[] = ['microphone', 'camera', 'screen'];

/** The media server's quality (computed from every participant's stats) on our three levels. */
const QUALITY_LEVEL: Record<ConnectionQuality, QualityLevel | null> = {
  [ConnectionQuality.Excellent]: 'good',
  [ConnectionQuality.Good]: 'fair',
  [ConnectionQuality.Poor]: 'poor',
  [ConnectionQuality.Lost]: 'poor',
  [ConnectionQuality.Unknown]: null,
};

const LIVEKIT_SOURCE: Record<TrackSource, Track.Source> = {
  microphone: Track.Source.Microphone,
  camera: Track.Source.Camera,
  screen: Track.Source.ScreenShare,
};

/** The role a LiveKit participant plays: its identity prefix (`agent:<id>`, `client:<id>`), else its `role` attribute; null for anyone else. */
export function roleOf(participant: Pick<Participant, 'identity' | 'attributes'>): Role | null {
  const [prefix, rest] = participant.identity.split(':', 2);
  if ((prefix === 'agent' || prefix === 'client') && rest) return prefix;
  const attribute = participant.attributes?.['role'];
  return attribute === 'agent' || attribute === 'client' ? attribute : null;
}

/** Our name for a LiveKit track source; null for what the call does not show (screen-share audio). */
function toTrackSource(source: Track.Source, kind: Track.Kind): TrackSource | null {
  switch (source) {
    case Track.Source.Microphone:
      return 'microphone';
    case Track.Source.Camera:
      return 'camera';
    case Track.Source.ScreenShare:
      return 'screen';
    case Track.Source.ScreenShareAudio:
      return null;
    default:
      // Published without a source (another SDK): by kind, as direct mode does.
      return kind === Track.Kind.Audio ? 'microphone' : 'camera';
  }
}

/** A room with the options every call uses. */
function newRoom(): Room {
  return new Room({
    // The call screen renders the remote MediaStreams in its own elements, which LiveKit
    // cannot see: adaptive stream would take them for hidden and pause the video.
    adaptiveStream: false,
    // The publisher stops encoding simulcast layers nobody receives (the other side not there yet).
    dynacast: true,
    stopLocalTrackOnUnpublish: true,
    // About 16 s of "Reconnecting…" before the room fails with a Rejoin button (livekit-client's
    // default waits about 44 s, long for someone on a support call).
    reconnectPolicy: new DefaultReconnectPolicy(RECONNECT_DELAYS_MS),
  });
}

/**
 * A room for a call not entered yet, whose connection to the media server is warmed at once
 * (`Room.prepareConnection`: DNS, TCP and TLS to `url`; on LiveKit Cloud, the region too). Joining
 * it later is joining the room: give it to {@link LiveKitSession} as `room`.
 */
export function prepareRoom(url: string, token: string): Room {
  const room = newRoom();
  // Best effort: livekit-client logs and swallows a failure, and connect() works without it.
  void room.prepareConnection(url, token).catch(() => undefined);
  return room;
}

/** The LiveKit-mode {@link MediaSession}. */
export class LiveKitSession extends Emitter<MediaSessionEvents> implements MediaSession {
  readonly role: Role;
  readonly presenceSource = 'media' as const;
  readonly #peerRole: Role;
  readonly #url: string;
  readonly #token: string;
  readonly #capture: CaptureFunctions;
  readonly #room: Room;
  readonly #local: Record<TrackSource, LocalTrack | null> = { microphone: null, camera: null, screen: null };
  /** Remote tracks shown, by track sid; the LiveKit track is kept for its receiver's stats. */
  readonly #remote = new Map<string, { remote: RemoteTrack; track: LiveKitRemoteTrack }>();
  readonly #pending = new Map<TrackSource, Promise<void>>();
  readonly #devices = new DeviceChoice();
  #joining: Promise<void> | null = null;
  /**
   * new → joining → joined → left (the room ended or refused us: final) / closed (disconnect()).
   * Local tracks are published while `joined`, held for the join before it, refused after it.
   */
  #phase: 'new' | 'joining' | 'joined' | 'left' | 'closed' = 'new';
  #peerPresent = false;

  constructor(options: LiveKitSessionOptions) {
    super();
    this.role = options.role;
    this.#peerRole = options.role === 'agent' ? 'client' : 'agent';
    this.#url = options.url;
    this.#token = options.token;
    this.#capture = { ...DEFAULT_CAPTURE, ...options.capture };
    this.#room = options.room ?? newRoom();
    this.#listen();
  }

  /** Joins the room; resolves once joined or failed (a failure arrives as `connection-state` failed + `error`). */
  connect(): Promise<void> {
    this.#joining ??= this.#join();
    return this.#joining;
  }

  /** The LiveKit room this session owns (integrations: data, connection quality; tests: simulated reconnects). */
  get room(): Room {
    return this.#room;
  }

  /** Receiver stats of every remote track shown (inbound-rtp bytes and the like). */
  async getReceiverStats(): Promise<RTCStatsReport[]> {
    const reports = await Promise.all([...this.#remote.values()].map(({ track }) => track.getRTCStatsReport()));
    return reports.filter((report): report is RTCStatsReport => report !== undefined);
  }

  /**
   * The statistics of the room's two peer connections, publisher then subscriber, in one report
   * (entries keyed `<0|1>:<id>`, each entry as the browser gave it): the subscriber's inbound RTP and
   * the selected candidate pair of each give diagnostics its round-trip time and packet loss. Null
   * before the room has a peer connection.
   */
  async getStats(): Promise<RTCStatsReport | null> {
    const transports = this.#room.engine.pcManager;
    if (!transports) return null;
    const statsOf = async (transport: typeof transports.subscriber): Promise<RTCStatsReport | undefined> => {
      try {
        return await transport?.getStats();
      } catch {
        return undefined; // a peer connection closing meanwhile: the other one's figures still count
      }
    };
    const reports = await Promise.all([statsOf(transports.publisher), statsOf(transports.subscriber)]);
    const merged = new Map<string, unknown>();
    reports.forEach((report, index) => report?.forEach((entry: unknown, id: string) => merged.set(`${index}:${id}`, entry)));
    // A Map is what an RTCStatsReport is to its readers (a read-only maplike of the same entries).
    return merged.size > 0 ? merged : null;
  }

  /** Resumes remote audio the browser blocked (call it from a click). */
  async startAudio(): Promise<void> {
    await this.#room.startAudio();
  }

  localTrack(source: TrackSource): MediaStreamTrack | null {
    const track = this.#local[source]?.mediaStreamTrack;
    return track?.readyState === 'live' ? track : null;
  }

  isEnabled(source: TrackSource): boolean {
    return this.localTrack(source) !== null && this.#local[source]?.isMuted === false;
  }

  setMicrophoneEnabled(enabled: boolean): Promise<void> {
    return this.#serial('microphone', async () => {
      if (enabled) await this.#turnOn('microphone');
      else await this.#local.microphone?.mute();
      this.emit('local-tracks-changed', { source: 'microphone', track: this.localTrack('microphone') });
    });
  }

  setCameraEnabled(enabled: boolean): Promise<void> {
    return this.#serial('camera', async () => {
      if (enabled === this.isEnabled('camera')) return;
      if (enabled) await this.#turnOn('camera');
      else await this.#release('camera');
      this.emit('local-tracks-changed', { source: 'camera', track: this.localTrack('camera') });
    });
  }

  setScreenShareEnabled(enabled: boolean): Promise<void> {
    return this.#serial('screen', async () => {
      if (enabled === this.isEnabled('screen')) return;
      if (enabled) await this.#turnOn('screen');
      else await this.#unpublish('screen');
      this.emit('local-tracks-changed', { source: 'screen', track: this.localTrack('screen') });
    });
  }

  /**
   * Our own capture and replaceTrack rather than room.switchActiveDevice: the tracks are captured
   * here (injectable, errors classified like every other capture), and LiveKit cannot restart a
   * track it did not create. Same publication: the other side sees no new track.
   */
  switchDevice(source: SwitchableSource, deviceId: string): Promise<void> {
    return this.#serial(source, async () => {
      const current = this.#local[source];
      const live = current !== null && current.mediaStreamTrack.readyState === 'live' && !this.#over;
      const track = await this.#devices.choose(source, deviceId, live, () => this.#captureOrThrow(source));
      if (!current || !track) return;
      const old = current.mediaStreamTrack;
      track.enabled = !current.isMuted;
      track.addEventListener('ended', () => void this.#onLocalEnded(source, track));
      if (this.#isPublished(source, current)) {
        await current.replaceTrack(track, true);
      } else {
        const local = track.kind === 'audio' ? new LocalAudioTrack(track, undefined, true) : new LocalVideoTrack(track, undefined, true);
        if (current.isMuted) await local.mute();
        this.#local[source] = local;
      }
      old.stop();
      this.emit('local-tracks-changed', { source, track: this.localTrack(source) });
    });
  }

  preferredDevice(source: SwitchableSource): string | null {
    return this.#devices.get(source) ?? null;
  }

  disconnect(): void {
    if (this.#closed) return;
    this.#phase = 'closed';
    this.#stopLocalTracks();
    // Sends LiveKit's leave, so the other side sees us go at once rather than after a timeout.
    void this.#room.disconnect(true);
    this.#dropRemote();
    this.emit('connection-state', { state: 'closed' });
  }

  async #join(): Promise<void> {
    if (this.#closed) return;
    this.#phase = 'joining';
    try {
      await this.#room.connect(this.#url, this.#token);
    } catch (error) {
      if (this.#closed) return;
      this.#phase = 'left';
      this.#stopLocalTracks();
      this.emit('connection-state', { state: 'failed', reason: describeConnectFailure(error) });
      this.emit('error', { error: toError(error) });
      return;
    }
    if (this.#closed) return;
    this.#phase = 'joined';
    // LiveKit drops participant and track events while it connects: catch up on who is there.
    this.#syncPresence();
    for (const participant of this.#room.remoteParticipants.values()) {
      for (const publication of participant.trackPublications.values()) {
        if (publication.track && publication.isSubscribed) this.#onSubscribed(publication.track, publication, participant);
      }
    }
    for (const source of SOURCES) {
      // In line with the source's toggles, so one turned off meanwhile is not published behind its back.
      this.#serial(source, async () => {
        const local = this.#local[source];
        if (local && !this.#over && !this.#isPublished(source, local)) await this.#publish(source, local);
      }).catch((error: unknown) => this.#failLocal(source, error));
    }
  }

  #listen(): void {
    const room = this.#room;
    room
      .on(RoomEvent.SignalConnected, () => markStep('media-signal-connected'))
      .on(RoomEvent.ConnectionStateChanged, (state) => {
        if (this.#closed) return;
        if (state === ConnectionState.Connecting) this.emit('connection-state', { state: 'connecting' });
        else if (state === ConnectionState.Connected) this.emit('connection-state', { state: 'connected' });
        else if (state === ConnectionState.Reconnecting || state === ConnectionState.SignalReconnecting) {
          this.emit('connection-state', { state: 'reconnecting' });
        }
        // Disconnected is reported by RoomEvent.Disconnected, which knows why.
      })
      .on(RoomEvent.Disconnected, (reason) => {
        // Our own disconnect() reported `closed`; a failed join reports `failed` from #join.
        if (this.#phase !== 'joined') return;
        this.#phase = 'left';
        this.#stopLocalTracks();
        this.#dropRemote();
        this.emit('connection-state', { state: 'disconnected', reason: describeDisconnect(reason) });
      })
      .on(RoomEvent.ParticipantConnected, () => this.#syncPresence())
      .on(RoomEvent.ParticipantDisconnected, () => this.#syncPresence())
      .on(RoomEvent.ParticipantAttributesChanged, () => this.#syncPresence())
      .on(RoomEvent.TrackSubscribed, (track, publication, participant) => this.#onSubscribed(track, publication, participant))
      .on(RoomEvent.TrackUnsubscribed, (_track, publication) => this.#onUnsubscribed(publication.trackSid))
      .on(RoomEvent.TrackMuted, (publication, participant) => this.#onRemoteMute(publication, participant, true))
      .on(RoomEvent.TrackUnmuted, (publication, participant) => this.#onRemoteMute(publication, participant, false))
      .on(RoomEvent.ConnectionQualityChanged, (quality, participant) => {
        if (this.#closed) return;
        const level = QUALITY_LEVEL[quality] ?? null;
        if (participant === room.localParticipant) this.emit('quality', { side: 'local', level });
        else if (roleOf(participant) === this.#peerRole) this.emit('quality', { side: 'remote', level });
      })
      .on(RoomEvent.AudioPlaybackStatusChanged, () => {
        if (!this.#closed) this.emit('audio-blocked', { blocked: !room.canPlaybackAudio });
      });
  }

  /** Emits `remote-participant` when the other role's presence changed (several LiveKit participants may share it during a takeover). */
  #syncPresence(): void {
    if (this.#closed) return;
    const present = [...this.#room.remoteParticipants.values()].some((participant) => roleOf(participant) === this.#peerRole);
    if (present === this.#peerPresent) return;
    this.#peerPresent = present;
    this.emit('remote-participant', { role: this.#peerRole, present });
  }

  #onSubscribed(track: LiveKitRemoteTrack, publication: RemoteTrackPublication, participant: RemoteParticipant): void {
    if (this.#closed || roleOf(participant) !== this.#peerRole || this.#remote.has(publication.trackSid)) return;
    const source = toTrackSource(publication.source, track.kind);
    if (!source) return;
    const remote: RemoteTrack = { track: track.mediaStreamTrack, stream: new MediaStream([track.mediaStreamTrack]), source };
    this.#remote.set(publication.trackSid, { remote, track });
    this.emit('remote-track-added', remote);
    // A track may arrive muted (their camera was off before we joined).
    if (source !== 'screen') this.emit('remote-mute', { source, muted: publication.isMuted });
  }

  #onUnsubscribed(trackSid: string): void {
    const entry = this.#remote.get(trackSid);
    if (!entry) return;
    this.#remote.delete(trackSid);
    if (!this.#closed) this.emit('remote-track-removed', entry.remote);
  }

  #onRemoteMute(publication: TrackPublication, participant: Participant, muted: boolean): void {
    if (this.#closed || !(participant instanceof RemoteParticipant) || roleOf(participant) !== this.#peerRole) return;
    const source = toTrackSource(publication.source, publication.kind);
    if (source === 'microphone' || source === 'camera') this.emit('remote-mute', { source, muted });
  }

  /** Unmutes the source's track, or captures a fresh one (first use, or its device track was stopped or ended). */
  async #turnOn(source: TrackSource): Promise<void> {
    // The room is gone for good: asking for a device now would only hold it.
    if (this.#over) return;
    const current = this.#local[source];
    if (current && current.mediaStreamTrack.readyState === 'live') {
      await current.unmute();
      return;
    }
    const track = await this.#captureOrThrow(source);
    if (this.#over) {
      track.stop();
      return;
    }
    track.addEventListener('ended', () => void this.#onLocalEnded(source, track));
    if (current && this.#isPublished(source, current)) {
      // Same publication: the other side sees an unmute instead of a new track.
      await current.replaceTrack(track, true);
      await current.unmute();
      return;
    }
    current?.stop();
    const local = track.kind === 'audio' ? new LocalAudioTrack(track, undefined, true) : new LocalVideoTrack(track, undefined, true);
    this.#local[source] = local;
    // Before the room is joined, #join publishes it (LiveKit's own deferral would stop it after 15 s).
    if (this.#phase === 'joined') await this.#publish(source, local);
  }

  /** Camera off: the publication stays (muted), the device is released. */
  async #release(source: TrackSource): Promise<void> {
    const local = this.#local[source];
    if (!local) return;
    await local.mute();
    local.mediaStreamTrack.stop();
    if (!this.#isPublished(source, local)) this.#local[source] = null;
  }

  async #unpublish(source: TrackSource): Promise<void> {
    const local = this.#local[source];
    this.#local[source] = null;
    if (!local) return;
    try {
      // LiveKit unpublishes an ended screen track by itself too; whichever comes second finds nothing to do.
      if (this.#isPublished(source, local)) await this.#room.localParticipant.unpublishTrack(local, true);
    } finally {
      local.stop();
    }
  }

  async #publish(source: TrackSource, local: LocalTrack): Promise<void> {
    try {
      await this.#room.localParticipant.publishTrack(local, { source: LIVEKIT_SOURCE[source], name: source });
    } catch (error) {
      if (this.#local[source] === local) this.#local[source] = null;
      local.stop();
      throw error;
    }
  }

  /** The browser ended a local track ("Stop sharing", device unplugged, permission revoked): turn the source off and say so. */
  async #onLocalEnded(source: TrackSource, track: MediaStreamTrack): Promise<void> {
    if (this.#closed || this.#local[source]?.mediaStreamTrack !== track) return;
    await this.#serial(source, async () => {
      if (this.#local[source]?.mediaStreamTrack !== track) return;
      if (source === 'screen') await this.#unpublish(source);
      else await this.#release(source);
      this.emit('local-tracks-changed', { source, track: null });
      this.emit('local-track-ended', { source });
    });
  }

  /** A track captured before the join could not be published after it. */
  #failLocal(source: TrackSource, error: unknown): void {
    if (this.#closed) return;
    this.emit('local-tracks-changed', { source, track: null });
    this.emit('error', { error: toError(error) });
  }

  /** disconnect() was called. (A getter: TypeScript would keep a narrowed `#phase` across awaits.) */
  get #closed(): boolean {
    return this.#phase === 'closed';
  }

  /** The room is left or closed: nothing will be published any more. */
  get #over(): boolean {
    return this.#phase === 'left' || this.#phase === 'closed';
  }

  #isPublished(source: TrackSource, local: LocalTrack): boolean {
    return this.#room.localParticipant.getTrackPublication(LIVEKIT_SOURCE[source])?.track === local;
  }

  #stopLocalTracks(): void {
    for (const source of SOURCES) {
      const local = this.#local[source];
      this.#local[source] = null;
      local?.stop();
      if (local && !this.#closed) this.emit('local-tracks-changed', { source, track: null });
    }
  }

  #dropRemote(): void {
    const entries = [...this.#remote.values()];
    this.#remote.clear();
    for (const { remote } of entries) this.emit('remote-track-removed', remote);
    if (this.#peerPresent) {
      this.#peerPresent = false;
      this.emit('remote-participant', { role: this.#peerRole, present: false });
    }
  }

  async #captureOrThrow(source: TrackSource): Promise<MediaStreamTrack> {
    try {
      return await (source === 'screen' ? this.#capture.screen() : this.#capture[source](this.#devices.get(source)));
    } catch (error) {
      throw classifyMediaError(error, source);
    }
  }

  #serial(source: TrackSource, operation: () => Promise<void>): Promise<void> {
    const previous = this.#pending.get(source) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(operation);
    this.#pending.set(source, next);
    return next;
  }
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
