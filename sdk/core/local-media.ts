// Capture of camera, microphone and screen, with errors classified into what the user can act on.
import { strings } from '../i18n/index.js';
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
    super(strings().media[kind][device]);
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

/** The devices a person picked before joining (the pre-join screen), handed to the call. */
export interface DeviceChoice {
  /** `deviceId` of the microphone; null: the browser's default. */
  microphoneId: string | null;
  /** `deviceId` of the camera; null: the browser's default. */
  cameraId: string | null;
  /** `deviceId` of the speaker (`HTMLMediaElement.setSinkId`); null: the default output. */
  speakerId: string | null;
  /** Join with the microphone on (false: muted, nothing captured until they turn it on). */
  microphone: boolean;
  /** Join with the camera on (false: "Join with camera off"). */
  camera: boolean;
}

/** Capture functions of a media session (microphone and camera), as DirectSession and LiveKitSession take them. */
export interface DeviceCapture {
  microphone: () => Promise<MediaStreamTrack>;
  camera: () => Promise<MediaStreamTrack>;
}

/**
 * Capture functions that first hand over tracks already open (the pre-join preview's: no second
 * prompt, no flicker), then capture the chosen devices. Each handed track is used once, and only
 * while it is live: a camera turned off in the call and on again is a fresh capture of that camera.
 */
export function deviceCapture(choice: DeviceChoice, handed: Partial<Record<'microphone' | 'camera', MediaStreamTrack>> = {}): DeviceCapture {
  const take = (source: 'microphone' | 'camera'): MediaStreamTrack | null => {
    const track = handed[source];
    delete handed[source];
    return track?.readyState === 'live' ? track : null;
  };
  const constraint = (id: string | null): MediaTrackConstraints | true => (id ? { deviceId: { exact: id } } : true);
  return {
    microphone: async () => take('microphone') ?? captureMicrophone(constraint(choice.microphoneId)),
    camera: async () => take('camera') ?? captureCamera(constraint(choice.cameraId)),
  };
}
