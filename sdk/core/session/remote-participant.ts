// What this side knows of the other participant's media: tracks, mutes, devices they could
// not start, and whether the browser lets their audio play. One concern, one place.
import type { MediaErrorKind } from '../local-media.js';
import type { MediaSession, RemoteTrack } from '../media/media-session.js';
import type { CallEvent, Role, TrackSource } from '../types.js';

/** How far the client got before joining: opened the link, then on the pre-join screen. */
export type ClientArrival = 'link_opened' | 'prejoin';

/** The other participant as the UI renders it. */
export interface RemoteView {
  tracks: Record<TrackSource, RemoteTrack | null>;
  muted: { microphone: boolean; camera: boolean };
  /** Devices the other participant could not start (from their `call.media_blocked` reports), and why. */
  blocked: Partial<Record<TrackSource, MediaErrorKind>>;
  /** The browser refuses to play their audio until this page gets a click (autoplay policy). */
  audioBlocked: boolean;
  /** The client's progress before joining, from `call.link_opened` / `call.client_prejoin` (null: nothing heard). */
  arrival: ClientArrival | null;
}

const DEVICES: readonly TrackSource[] = ['microphone', 'camera', 'screen'];

/** Follows the media session's remote events and the other side's reported facts. */
export class RemoteParticipant {
  readonly #self: Role;
  readonly #onChange: () => void;
  #tracks: Record<TrackSource, RemoteTrack | null> = { microphone: null, camera: null, screen: null };
  #muted = { microphone: false, camera: false };
  #blocked: Partial<Record<TrackSource, MediaErrorKind>> = {};
  #audioBlocked = false;
  #arrival: ClientArrival | null = null;

  constructor(self: Role, onChange: () => void) {
    this.#self = self;
    this.#onChange = onChange;
  }

  /** The current view (a fresh object each time it changed). */
  get view(): RemoteView {
    return { tracks: { ...this.#tracks }, muted: { ...this.#muted }, blocked: { ...this.#blocked }, audioBlocked: this.#audioBlocked, arrival: this.#arrival };
  }

  /** Starts following a media session's remote events. */
  bind(media: MediaSession): void {
    media.on('remote-track-added', (remote) => {
      this.#tracks[remote.source] = remote;
      // The device works after all (permission granted on a retry).
      if (this.#blocked[remote.source]) {
        const { [remote.source]: _gone, ...rest } = this.#blocked;
        this.#blocked = rest;
      }
      this.#onChange();
    });
    media.on('remote-track-removed', (remote) => {
      if (this.#tracks[remote.source] === remote) this.#tracks[remote.source] = null;
      this.#onChange();
    });
    media.on('remote-mute', ({ source, muted }) => {
      this.#muted = { ...this.#muted, [source]: muted };
      this.#onChange();
    });
    media.on('audio-blocked', ({ blocked }) => {
      this.#audioBlocked = blocked;
      this.#onChange();
    });
  }

  /** The other participant reported a device it could not start. */
  reported(event: CallEvent): void {
    if (event.by === this.#self) return;
    if (event.type === 'call.link_opened' || event.type === 'call.client_prejoin') {
      // A late link_opened (relayed after the pre-join report) must not step back.
      if (event.type === 'call.client_prejoin' || this.#arrival === null) this.#arrival = event.type === 'call.client_prejoin' ? 'prejoin' : 'link_opened';
      this.#onChange();
      return;
    }
    if (event.type !== 'call.media_blocked') return;
    const data = event.data as { device?: unknown; reason?: unknown };
    const device = DEVICES.find((d) => d === data.device);
    if (!device) return;
    const reason = typeof data.reason === 'string' ? data.reason : 'unknown';
    this.#blocked = { ...this.#blocked, [device]: reason as MediaErrorKind };
    this.#onChange();
  }

  /** They left: what they reported no longer holds. (Not on arrival: their report may come first.) */
  left(): void {
    this.#muted = { microphone: false, camera: false };
    this.#blocked = {};
    this.#arrival = null;
    this.#onChange();
  }

  /** The page got the click the autoplay policy wanted. */
  audioUnblocked(): void {
    if (!this.#audioBlocked) return;
    this.#audioBlocked = false;
    this.#onChange();
  }
}
