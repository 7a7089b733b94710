// This side's microphone, camera and screen: toggles in flight, failures with human messages,
// and what the browser stopped by itself. Failures are reported to the service (media_blocked).
import { strings } from '../../i18n/index.js';
import { classifyMediaError, LocalMediaError } from '../local-media.js';
import type { MediaSession, SwitchableSource } from '../media/media-session.js';
import type { CallEventReport, TrackSource } from '../types.js';

/** This side's devices as the UI renders them. */
export interface LocalView {
  /** Live local tracks (a muted microphone keeps its track). */
  tracks: Record<TrackSource, MediaStreamTrack | null>;
  /** Which sources are on (microphone: unmuted). */
  enabled: Record<TrackSource, boolean>;
  /** Sources with a toggle in flight. */
  pending: ReadonlySet<TrackSource>;
  /** Devices that failed to start, one per device (microphone, camera, screen order). */
  errors: LocalMediaError[];
  /** Set when the browser stopped a device (unplugged, permission revoked, "Stop sharing"). */
  notice: string | null;
}

const SOURCES: readonly TrackSource[] = ['microphone', 'camera', 'screen'];

/** Options of {@link LocalDevices}. */
export interface LocalDevicesOptions {
  onChange: () => void;
  /** Tells the service a fact (screen share started/stopped, a device blocked). */
  report: (event: CallEventReport) => void;
}

/** Turns sources on and off through the media session and keeps what went wrong. */
export class LocalDevices {
  readonly #opts: LocalDevicesOptions;
  readonly #pending = new Set<TrackSource>();
  #media: MediaSession | null = null;
  #errors: Partial<Record<TrackSource, LocalMediaError>> = {};
  #notice: string | null = null;

  constructor(opts: LocalDevicesOptions) {
    this.#opts = opts;
  }

  /** The current view. */
  get view(): LocalView {
    const media = this.#media;
    const tracks = {} as Record<TrackSource, MediaStreamTrack | null>;
    const enabled = {} as Record<TrackSource, boolean>;
    for (const source of SOURCES) {
      tracks[source] = media?.localTrack(source) ?? null;
      enabled[source] = media?.isEnabled(source) ?? false;
    }
    return { tracks, enabled, pending: new Set(this.#pending), errors: SOURCES.flatMap((s) => this.#errors[s] ?? []), notice: this.#notice };
  }

  /** Starts following a media session's local events. */
  bind(media: MediaSession): void {
    this.#media = media;
    media.on('local-tracks-changed', () => this.#opts.onChange());
    media.on('local-track-ended', ({ source }) => {
      if (source === 'screen') this.#opts.report({ type: 'screen_share_stopped' });
      this.#notice = strings().media.endedByBrowser[source];
      this.#opts.onChange();
    });
    // LiveKit reports a track it captured but could not publish here, not as a rejected toggle.
    media.on('error', ({ error }) => {
      if (error instanceof LocalMediaError) this.#failed(error.device, error);
    });
  }

  /** Turns a source on or off; a failure lands in the view (and is reported), never thrown. */
  async setEnabled(source: TrackSource, enabled: boolean): Promise<void> {
    const media = this.#media;
    if (!media) return;
    this.#pending.add(source);
    this.#opts.onChange();
    try {
      if (source === 'microphone') await media.setMicrophoneEnabled(enabled);
      else if (source === 'camera') await media.setCameraEnabled(enabled);
      else await media.setScreenShareEnabled(enabled);
      delete this.#errors[source];
      this.#notice = null;
      if (source === 'screen') this.#opts.report({ type: enabled ? 'screen_share_started' : 'screen_share_stopped' });
    } catch (error) {
      this.#failed(source, classifyMediaError(error, source));
    } finally {
      this.#pending.delete(source);
      this.#opts.onChange();
    }
  }

  /** Uses another microphone or camera; a failure lands in the view (the previous device stays), never thrown. */
  async switchDevice(source: SwitchableSource, deviceId: string): Promise<void> {
    const media = this.#media;
    if (!media) return;
    this.#pending.add(source);
    this.#opts.onChange();
    try {
      await media.switchDevice(source, deviceId);
      delete this.#errors[source];
    } catch (error) {
      this.#failed(source, classifyMediaError(error, source));
    } finally {
      this.#pending.delete(source);
      this.#opts.onChange();
    }
  }

  #failed(source: TrackSource, failure: LocalMediaError): void {
    this.#errors = { ...this.#errors, [source]: failure };
    this.#opts.report({ type: 'media_blocked', device: source, reason: failure.kind });
    this.#opts.onChange();
  }
}
