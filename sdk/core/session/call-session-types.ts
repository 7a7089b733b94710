// The shapes CallSession is built from and hands the UI: its options, its snapshot, the devices a
// call starts with. Re-exported by call-session.ts.
import type { CallState } from '../call-state.js';
import type { DeviceCapture, DeviceChoice, LocalMediaError, MediaErrorKind } from '../local-media.js';
import type { PreparedMedia } from '../media/create-session.js';
import type { MediaSession, RemoteTrack, SignalingChannel } from '../media/media-session.js';
import type { CallView, Credentials, Role, TrackSource } from '../types.js';
import type { QualityView } from './call-quality.js';
import type { ClientArrival } from './remote-participant.js';
import type { ShareRequestView } from './share-request.js';

/** Options of `CallSession`. */
export interface CallSessionOptions {
  /** Which side this is. */
  role: Role;
  /** Base URL of the service. */
  serviceUrl: string;
  /** fetch implementation (tests). */
  fetch?: typeof fetch;
  /** AudioContext factory for the ringtone (tests). */
  createAudioContext?: () => AudioContext;
  /** Media engine factory; picks by `credentials.media.mode` by default. `prepared`: what `CallSession.prepare` started, if anything. */
  createMedia?: (credentials: Credentials, signaling: SignalingChannel, capture?: DeviceCapture, prepared?: PreparedMedia | null) => MediaSession;
  /** WebSocket constructor (tests). */
  WebSocket?: typeof WebSocket;
}

/** Everything the UI renders, recomputed on each change. */
export interface CallSnapshot {
  state: CallState;
  /** The call record (from the state). */
  call: CallView | null;
  /** Derived: the agent is waiting for the client. */
  ringing: boolean;
  /** Derived: a Rejoin button can help. */
  rejoinable: boolean;
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
  /** The browser blocks the other side's audio until a click: call `CallSession.startAudio` from one. */
  audioBlocked: boolean;
  /** Agent: how far the client got before joining (opened the link, on the pre-join screen); null once they are in or unknown. */
  clientArrival: ClientArrival | null;
  /** Connection quality of this side and of the other side (null: not measured). */
  quality: QualityView;
  /** "Ask to share screen": the agent's request and its outcome; the client's pending request (session/share-request.ts). */
  shareRequest: ShareRequestView;
}

/** The devices a call starts with (the client's pre-join choice): what to open, and how to capture it. */
export interface StartDevices {
  choice: DeviceChoice;
  capture: DeviceCapture;
}
