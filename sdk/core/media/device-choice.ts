// How both engines capture local tracks, and which microphone and camera the user chose
// (MediaSession.switchDevice): one place, so the two modes cannot drift apart.
import { captureCamera, captureMicrophone, captureScreen } from '../local-media.js';
import type { SwitchableSource } from './media-session.js';

/** Track factories, injectable for tests; `deviceId`: the device chosen with switchDevice, if any. */
export interface CaptureFunctions {
  microphone: (deviceId?: string) => Promise<MediaStreamTrack>;
  camera: (deviceId?: string) => Promise<MediaStreamTrack>;
  screen: () => Promise<MediaStreamTrack>;
}

/** Real capture, on the chosen device when there is one. */
export const DEFAULT_CAPTURE: CaptureFunctions = {
  microphone: (deviceId) => captureMicrophone(deviceId ? { deviceId: { exact: deviceId } } : true),
  camera: (deviceId) => captureCamera(deviceId ? { deviceId: { exact: deviceId } } : true),
  screen: () => captureScreen(),
};

/** The chosen microphone and camera. */
export class DeviceChoice {
  readonly #preferred: Partial<Record<SwitchableSource, string>> = {};

  /** The chosen device of a source (undefined: the browser's default). */
  get(source: SwitchableSource): string | undefined {
    return this.#preferred[source];
  }

  /**
   * Chooses `deviceId`; when the source is live, captures a track on it with `capture` (which
   * reads the choice through {@link get}). A failed capture restores the previous choice and throws.
   */
  async choose(source: SwitchableSource, deviceId: string, live: boolean, capture: () => Promise<MediaStreamTrack>): Promise<MediaStreamTrack | null> {
    const previous = this.#preferred[source];
    this.#preferred[source] = deviceId;
    if (!live) return null;
    try {
      return await capture();
    } catch (error) {
      if (previous === undefined) delete this.#preferred[source];
      else this.#preferred[source] = previous;
      throw error;
    }
  }
}
