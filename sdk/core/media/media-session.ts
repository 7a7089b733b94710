// The media engine's interface: direct (peer-to-peer) today, LiveKit later.
import type { Emitter } from '../emitter.js';
import type { LocalMediaError } from '../local-media.js';
import type { ServerMessage } from '../live-connection.js';
import type { Role, TrackSource } from '../types.js';

/** Connection state of the media path to the other participant. */
export type MediaConnectionState = 'idle' | 'connecting' | 'connected' | 'disconnected' | 'failed' | 'closed';

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
  'connection-state': { state: MediaConnectionState };
  error: { error: LocalMediaError | Error };
}

/** What a media session needs from the live connection (a {@link LiveConnection} fits). */
export interface SignalingChannel {
  on(type: 'message', listener: (message: ServerMessage) => void): () => void;
  sendSignal(data: unknown): boolean;
}

/** A participant's media in one call. */
export interface MediaSession extends Pick<Emitter<MediaSessionEvents>, 'on'> {
  /** This participant's role. */
  readonly role: Role;
  /** Starts following the signaling channel. */
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
  /** Stops every local track and closes the media path. */
  disconnect(): void;
}
