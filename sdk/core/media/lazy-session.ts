// A MediaSession usable the moment a call starts while its engine's chunk (LiveKit's) still
// loads, so the caller (CallSession.start) stays synchronous and the engine stays in its own chunk.
import { Emitter } from '../emitter.js';
import type { Role, TrackSource } from '../types.js';
import type { MediaSession, MediaSessionEvents, SwitchableSource } from './media-session.js';

/** Every event, listed so that a new one fails to compile until it is forwarded too. */
const EVENTS = Object.keys({
  'remote-participant': true,
  'remote-track-added': true,
  'remote-track-removed': true,
  'remote-mute': true,
  'local-tracks-changed': true,
  'local-track-ended': true,
  'connection-state': true,
  'audio-blocked': true,
  error: true,
  quality: true,
} satisfies Record<keyof MediaSessionEvents, true>) as (keyof MediaSessionEvents)[];

/** Forwards to the engine `load` resolves with; calls made before it arrives wait for it. */
export class LazyMediaSession extends Emitter<MediaSessionEvents> implements MediaSession {
  readonly role: Role;
  /** Engines loaded lazily (LiveKit) take presence from their media server's room. */
  readonly presenceSource = 'media' as const;
  readonly #ready: Promise<MediaSession>;
  #engine: MediaSession | null = null;
  #closed = false;

  constructor(role: Role, load: Promise<MediaSession>) {
    super();
    this.role = role;
    this.#ready = load.then((engine) => this.#adopt(engine));
    this.#ready.catch((error: unknown) => {
      if (this.#closed) return;
      // A chunk that fails to download (network, a deploy that removed it) ends the media path.
      this.emit('connection-state', { state: 'failed', reason: { code: 'engine_unavailable', message: 'The call’s media engine could not be loaded.' } });
      this.emit('error', { error: error instanceof Error ? error : new Error(String(error)) });
    });
  }

  /** The engine, once loaded (for integrations and tests). */
  get engine(): MediaSession | null {
    return this.#engine;
  }

  /** Resolves once the engine is loaded and connected (or failed: failures arrive as events). */
  connect(): Promise<void> {
    // A load failure was reported as events already.
    return this.#ready.then((engine) => (this.#closed ? undefined : engine.connect()), () => undefined);
  }

  setMicrophoneEnabled(enabled: boolean): Promise<void> {
    return this.#ready.then((engine) => (this.#closed ? undefined : engine.setMicrophoneEnabled(enabled)));
  }

  setCameraEnabled(enabled: boolean): Promise<void> {
    return this.#ready.then((engine) => (this.#closed ? undefined : engine.setCameraEnabled(enabled)));
  }

  setScreenShareEnabled(enabled: boolean): Promise<void> {
    return this.#ready.then((engine) => (this.#closed ? undefined : engine.setScreenShareEnabled(enabled)));
  }

  switchDevice(source: SwitchableSource, deviceId: string): Promise<void> {
    return this.#ready.then((engine) => (this.#closed ? undefined : engine.switchDevice(source, deviceId)));
  }

  preferredDevice(source: SwitchableSource): string | null {
    return this.#engine?.preferredDevice(source) ?? null;
  }

  localTrack(source: TrackSource): MediaStreamTrack | null {
    return this.#engine?.localTrack(source) ?? null;
  }

  isEnabled(source: TrackSource): boolean {
    return this.#engine?.isEnabled(source) ?? false;
  }

  /** The engine's statistics; null while it loads. */
  async getStats(): Promise<RTCStatsReport | null> {
    return (await this.#engine?.getStats()) ?? null;
  }

  async startAudio(): Promise<void> {
    const engine = await this.#ready;
    await engine.startAudio?.();
  }

  disconnect(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#engine) this.#engine.disconnect();
    else this.emit('connection-state', { state: 'closed' });
  }

  #adopt(engine: MediaSession): MediaSession {
    if (this.#closed) {
      engine.disconnect();
      return engine;
    }
    for (const type of EVENTS) this.#forward(engine, type);
    this.#engine = engine;
    return engine;
  }

  #forward<K extends keyof MediaSessionEvents>(engine: MediaSession, type: K): void {
    engine.on(type, (payload) => this.emit(type, payload));
  }
}
