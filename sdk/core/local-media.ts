// Capture of camera, microphone and screen, with errors classified into what the user can act on.
import { en } from '../i18n/en.js';
import type { TrackSource } from './types.js';

/** Why a capture failed. */
export const MediaErrorKind = {
  permissionDenied: 'permission_denied',
  /** The operating system refuses the browser (macOS privacy settings: Chrome says "Permission denied by system"). */
  blockedByOs: 'blocked_by_os',
  deviceBusy: 'device_busy',
  notFound: 'not_found',
  unsupported: 'unsupported',
  insecure: 'insecure',
  unknown: 'unknown',
} as const;
/** A capture failure kind. */
export type MediaErrorKind = (typeof MediaErrorKind)[keyof typeof MediaErrorKind];

/** A capture failure with a human message saying what to do. */
export class LocalMediaError extends Error {
  override readonly name = 'LocalMediaError';
  /** The classified failure. */
  readonly kind: MediaErrorKind;
  /** Which device failed. */
  readonly device: TrackSource;
  /** The browser's error name (`NotAllowedError`…), for escalation. */
  readonly browserErrorName: string;

  constructor(kind: MediaErrorKind, device: TrackSource, browserErrorName: string) {
    super(en.media[kind][device]);
    this.kind = kind;
    this.device = device;
    this.browserErrorName = browserErrorName;
  }
}

/** Maps a getUserMedia/getDisplayMedia rejection to a {@link LocalMediaError}. */
export function classifyMediaError(error: unknown, device: TrackSource): LocalMediaError {
  if (error instanceof LocalMediaError) return error;
  const name = error instanceof Error || error instanceof DOMException ? error.name : 'Error';
  switch (name) {
    case 'NotAllowedError':
    case 'PermissionDeniedError':
    case 'SecurityError':
      return new LocalMediaError(deniedBySystem(error) ? 'blocked_by_os' : 'permission_denied', device, name);
    case 'NotReadableError':
    case 'TrackStartError':
      return new LocalMediaError('device_busy', device, name);
    case 'NotFoundError':
    case 'DevicesNotFoundError':
    case 'OverconstrainedError':
      return new LocalMediaError('not_found', device, name);
    case 'NotSupportedError':
    case 'TypeError':
      return new LocalMediaError('unsupported', device, name);
    default:
      return new LocalMediaError('unknown', device, name);
  }
}

/** Chrome and Edge tell an OS-level refusal apart from the user's in the message ("Permission denied by system"). */
function deniedBySystem(error: unknown): boolean {
  return error instanceof Error && /by system/i.test(error.message);
}

function checkAvailable(device: TrackSource): MediaDevices {
  if (typeof window !== 'undefined' && window.isSecureContext === false) {
    throw new LocalMediaError('insecure', device, 'InsecureContext');
  }
  const devices = typeof navigator === 'undefined' ? undefined : navigator.mediaDevices;
  const supported = device === 'screen' ? typeof devices?.getDisplayMedia === 'function' : typeof devices?.getUserMedia === 'function';
  if (!devices || !supported) throw new LocalMediaError('unsupported', device, 'Unsupported');
  return devices;
}

/** Opens the microphone. */
export async function captureMicrophone(constraints: MediaTrackConstraints | true = true): Promise<MediaStreamTrack> {
  return captureUserTrack('microphone', { audio: constraints });
}

/** Opens the camera. */
export async function captureCamera(constraints: MediaTrackConstraints | true = true): Promise<MediaStreamTrack> {
  return captureUserTrack('camera', { video: constraints });
}

/** Asks the user for a screen, window or tab (video only). */
export async function captureScreen(): Promise<MediaStreamTrack> {
  const devices = checkAvailable('screen');
  let stream: MediaStream;
  try {
    stream = await devices.getDisplayMedia({ video: true, audio: false });
  } catch (error) {
    throw classifyMediaError(error, 'screen');
  }
  const [track] = stream.getVideoTracks();
  if (!track) throw new LocalMediaError('not_found', 'screen', 'NoTrack');
  return track;
}

async function captureUserTrack(device: 'microphone' | 'camera', constraints: MediaStreamConstraints): Promise<MediaStreamTrack> {
  const devices = checkAvailable(device);
  let stream: MediaStream;
  try {
    stream = await devices.getUserMedia(constraints);
  } catch (error) {
    throw classifyMediaError(error, device);
  }
  const [track] = device === 'microphone' ? stream.getAudioTracks() : stream.getVideoTracks();
  if (!track) throw new LocalMediaError('not_found', device, 'NoTrack');
  return track;
}
