// The media engine's interface: direct (peer-to-peer) and LiveKit (SFU) implement it, so the
// call never knows which mode runs.
import type { DirectSignal } from '../../../protocol/live.js';
import type { Emitter } from '../emitter.js';
import type { LocalMediaError } from '../local-media.js';
import type { QualityLevel } from '../quality.js';
import type { ServerMessage } from '../live-connection.js';
import type { Role, TrackSource } from '../types.js';

/**
 * Connection state of the media path. `reconnecting`: the path dropped and the engine is
 * restoring it by itself (LiveKit only); `disconnected` in LiveKit mode is final and carries a reason.
 */
export type MediaConnectionState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'disconnected' | 'failed' | 'closed';

/** Why the media path closed or could not open, when the media server said so. */
export interface MediaDisconnectReason {
  /** Stable code for logic and logs (`room_deleted`, `duplicate_identity`, `not_allowed`…). */
  code: string;
  /** English sentence for people. */
  message: string;
}

/** A remote track and where it comes from. */
export interface RemoteTrack {
  track: MediaStreamTrack;
  stream: MediaStream;
  source: TrackSource;
}

/** Events of a {@link MediaSession}. */
export interface MediaSessionEvents {
  /** The other participant appeared or left. */
  'remote-participant': { role: Role; present: boolean };
  'remote-track-added': RemoteTrack;
  'remote-track-removed': RemoteTrack;
  /** The other participant muted/unmuted a source. */
  'remote-mute': { source: 'microphone' | 'camera'; muted: boolean };
  /** The local tracks changed (a device turned on/off or a screen share started/stopped). */
  'local-tracks-changed': { source: TrackSource; track: MediaStreamTrack | null };
  /** The browser ended a local track ("Stop sharing", device unplugged, permission revoked). */
  'local-track-ended': { source: TrackSource };
  /** `reason` is set on `disconnected` / `failed` when the media server gave one. */
  'connection-state': { state: MediaConnectionState; reason?: MediaDisconnectReason };
  /** The browser blocks remote audio until a user gesture calls `startAudio()` (LiveKit mode only). */
  'audio-blocked': { blocked: boolean };
  error: { error: LocalMediaError | Error };
  /**
   * Connection quality of this side (`local`) or the other side (`remote`) changed; null: not
   * measured (no connection, or the other side never said).
   */
  quality: { side: 'local' | 'remote'; level: QualityLevel | null };
}

/** The capture devices a participant can switch between during the call. */
export type SwitchableSource = 'microphone' | 'camera';

/** What a media session needs from the live connection (a {@link LiveConnection} fits). */
export interface SignalingChannel {
  on(type: 'message', listener: (message: ServerMessage) => void): () => void;
  sendSignal(data: DirectSignal): boolean;
}

/** A participant's media in one call. */
export interface MediaSession extends Pick<Emitter<MediaSessionEvents>, 'on'> {
  /** This participant's role. */
  readonly role: Role;
  /**
   * Where the other participant's presence comes from in this mode: the live socket
   * (`signaling`: direct mode, whose peer connection follows it) or the media server's room
   * (`media`: its `remote-participant` events). The call uses exactly one.
   */
  readonly presenceSource: 'signaling' | 'media';
  /** Starts the media path (follows the signaling channel, or joins the LiveKit room). Never rejects: failures arrive as events. */
  connect(): Promise<void>;
  /** Opens or unmutes (true) / mutes (false) the microphone. Rejects with a LocalMediaError. */
  setMicrophoneEnabled(enabled: boolean): Promise<void>;
  /** Opens (true) or stops and releases (false) the camera. Rejects with a LocalMediaError. */
  setCameraEnabled(enabled: boolean): Promise<void>;
  /** Starts (true, asks the user) or stops (false) screen sharing. Rejects with a LocalMediaError. */
  setScreenShareEnabled(enabled: boolean): Promise<void>;
  /** The live local track of a source, if any (a muted microphone still has one). */
  localTrack(source: TrackSource): MediaStreamTrack | null;
  /** Is the source on (microphone: open and unmuted)? */
  isEnabled(source: TrackSource): boolean;
  /**
   * Uses this microphone or camera (a `deviceId` from enumerateDevices) from now on. A live track
   * is replaced in place (same sender or publication: the other side keeps receiving, nothing is
   * renegotiated) and keeps its mute state; a source that is off uses it when turned on.
   * Rejects with a LocalMediaError (the previous device then stays in use).
   */
  switchDevice(source: SwitchableSource, deviceId: string): Promise<void>;
  /** The device a source was asked to use, if one was chosen (else the browser's default). */
  preferredDevice(source: SwitchableSource): string | null;
  /** Stops every local track and closes the media path. */
  disconnect(): void;
  /**
   * The media connection's WebRTC statistics (candidate pairs, inbound and outbound RTP…), for
   * diagnostics; null without a connection yet. LiveKit mode: its two peer connections in one report.
   */
  getStats(): Promise<RTCStatsReport | null>;
  /** Unblocks remote audio after `audio-blocked`; call it from a click handler. Absent where audio is never blocked by the engine. */
  startAudio?(): Promise<void>;
}
