// Picks the media engine from the credentials. LiveKit's is a dynamic import, so livekit-client
// lands in a chunk of its own: a direct-mode call never downloads it, nor does the first load.
// DirectSession stays static (small, the default): it must follow the live socket from its first
// message, which a chunk still downloading would miss.
import type { Room } from 'livekit-client';
import type { DeviceCapture } from '../local-media.js';
import type { Credentials, Role } from '../types.js';
import { DirectSession } from './direct-session.js';
import { LazyMediaSession } from './lazy-session.js';
import type { MediaSession, SignalingChannel } from './media-session.js';

/** Thrown when the credentials name a media mode this SDK does not know (a newer service). */
export class UnsupportedMediaModeError extends Error {
  override readonly name = 'UnsupportedMediaModeError';
  /** Stable code for the UI. */
  readonly code = 'media_mode_unsupported';
}

/** Thrown when the browser lacks WebRTC or media devices (old browser, or an insecure page). */
export class UnsupportedBrowserError extends Error {
  override readonly name = 'UnsupportedBrowserError';
  /** Stable code for the UI. */
  readonly code = 'unsupported_browser';
}

const MEDIA_MODES: readonly string[] = ['direct', 'livekit'] satisfies Credentials['media']['mode'][];

/** Can this page make a WebRTC call at all? */
export function browserSupportsCalls(scope: { RTCPeerConnection?: unknown; navigator?: { mediaDevices?: unknown } } = globalThis): boolean {
  return typeof scope.RTCPeerConnection === 'function' && scope.navigator?.mediaDevices !== undefined;
}

/** Throws what would make the call impossible here, before anything is downloaded. */
function assertCallable(credentials: Credentials): void {
  if (!browserSupportsCalls()) {
    throw new UnsupportedBrowserError(window.isSecureContext ? 'WebRTC is not available in this browser' : 'media devices need a secure (https) page');
  }
  const mode = (credentials.media as { mode: string }).mode;
  if (!MEDIA_MODES.includes(mode)) throw new UnsupportedMediaModeError(`Unknown media mode ${mode}`);
}

/**
 * The media session for these credentials, usable at once (LiveKit's loads behind a
 * {@link LazyMediaSession}). Throws {@link UnsupportedBrowserError} / {@link UnsupportedMediaModeError} synchronously.
 */
export function createMediaSession(credentials: Credentials, signaling: SignalingChannel, capture?: DeviceCapture, prepared?: PreparedMedia | null): MediaSession {
  assertCallable(credentials);
  const media = credentials.media;
  const devices = capture ? { capture } : {};
  if (media.mode === 'direct') return new DirectSession({ role: credentials.role, signaling, iceServers: media.iceServers, ...devices });
  // LiveKit presence and signalling travel inside the room: the live socket is not needed for media.
  const room = prepared?.url === media.url ? prepared.room : null;
  return new LazyMediaSession(credentials.role, loadLiveKitSession(credentials.role, media, capture, room));
}

/**
 * What the pre-join prepared for entering (LiveKit mode): the engine's chunk is downloading, and
 * `room` resolves with a LiveKit room for `url` whose connection is being warmed (null if that
 * failed: the call then makes its own). Used once, by the session the call starts.
 */
export interface PreparedMedia {
  readonly url: string;
  readonly room: Promise<Room | null>;
}

/**
 * Starts fetching what a call with these credentials will need, so that Join does not wait for it
 * (the client's pre-join calls it through CallSession.prepare). Direct mode needs nothing: null.
 */
export function prepareMedia(credentials: Credentials): PreparedMedia | null {
  const media = credentials.media;
  if (media.mode !== 'livekit') return null;
  const room = import('./livekit-session.js').then(({ prepareRoom }) => prepareRoom(media.url, media.token), () => null);
  return { url: media.url, room };
}

async function loadLiveKitSession(role: Role, media: { url: string; token: string }, capture: DeviceCapture | undefined, prepared: Promise<Room | null> | null): Promise<MediaSession> {
  const [{ LiveKitSession }, room] = await Promise.all([import('./livekit-session.js'), prepared]);
  return new LiveKitSession({ role, url: media.url, token: media.token, ...(capture ? { capture } : {}), ...(room ? { room } : {}) });
}
