import type { Credentials } from '../types.js';
import { DirectSession } from './direct-session.js';
import type { MediaSession, SignalingChannel } from './media-session.js';

/** Thrown when the credentials ask for a media mode this SDK cannot run yet. */
export class UnsupportedMediaModeError extends Error {
  override readonly name = 'UnsupportedMediaModeError';
  /** Stable code for the UI. */
  readonly code = 'livekit_unsupported';
}

/** Thrown when the browser lacks WebRTC or media devices (old browser, or an insecure page). */
export class UnsupportedBrowserError extends Error {
  override readonly name = 'UnsupportedBrowserError';
  /** Stable code for the UI. */
  readonly code = 'unsupported_browser';
}

/** Can this page make a WebRTC call at all? */
export function browserSupportsCalls(scope: { RTCPeerConnection?: unknown; navigator?: { mediaDevices?: unknown } } = globalThis): boolean {
  return typeof scope.RTCPeerConnection === 'function' && scope.navigator?.mediaDevices !== undefined;
}

/** Picks the media engine named by `credentials.media.mode`. */
export function createMediaSession(credentials: Credentials, signaling: SignalingChannel): MediaSession {
  if (!browserSupportsCalls()) {
    throw new UnsupportedBrowserError(window.isSecureContext ? 'WebRTC is not available in this browser' : 'media devices need a secure (https) page');
  }
  const media = credentials.media;
  switch (media.mode) {
    case 'direct':
      return new DirectSession({ role: credentials.role, signaling, iceServers: media.iceServers });
    case 'livekit':
      throw new UnsupportedMediaModeError('LiveKit media mode is not implemented in this SDK version yet');
    default:
      throw new UnsupportedMediaModeError(`Unknown media mode ${(media as { mode: string }).mode}`);
  }
}
