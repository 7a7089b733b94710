// The pre-join preview: the camera and microphone a person will join with, opened once, with the
// devices to pick from and a microphone level. Its tracks are handed to the call on Join
// (deviceCapture), so the browser asks once and the picture does not flicker. Framework-free.
import { deviceOptions } from './device-names.js';
import type { DeviceOption } from './device-names.js';
import { classifyMediaError, deviceCapture, LocalMediaError } from './local-media.js';
import type { DeviceCapture, DeviceChoice } from './local-media.js';

export type { DeviceOption } from './device-names.js';

/** What the preview shows. */
export interface PreviewView {
  /** `starting`: asking the browser for the devices; `ready`: done (with or without devices). */
  status: 'idle' | 'starting' | 'ready';
  /** Live preview tracks. */
  microphone: MediaStreamTrack | null;
  camera: MediaStreamTrack | null;
  /** Devices that could not be opened, with the words to show. */
  errors: LocalMediaError[];
  devices: { microphone: DeviceOption[]; camera: DeviceOption[]; speaker: DeviceOption[] };
  choice: DeviceChoice;
  /** The browser can route audio to a chosen speaker (`HTMLMediaElement.prototype.setSinkId`). */
  speakerSelectable: boolean;
}

/** What the call takes over on Join. */
export interface PreviewHandover {
  choice: DeviceChoice;
  capture: DeviceCapture;
}

/** Options of {@link DevicePreview}. */
export interface DevicePreviewOptions {
  onChange: () => void;
  /** A device could not be opened (reported to the service as `media_blocked`). */
  onBlocked?: (error: LocalMediaError) => void;
  /** getUserMedia (tests); the browser's by default. */
  getUserMedia?: (constraints: MediaStreamConstraints) => Promise<MediaStream>;
  /** AudioContext factory for the level meter (tests). */
  createAudioContext?: () => AudioContext;
}

type Kind = 'microphone' | 'camera';

/** Whether this browser lets a page pick the audio output. */
export function speakerSelectable(): boolean {
  return typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype;
}

/** Opens, switches and hands over the pre-join devices; measures the microphone level. */
export class DevicePreview {
  readonly #opts: DevicePreviewOptions;
  #status: PreviewView['status'] = 'idle';
  #tracks: Record<Kind, MediaStreamTrack | null> = { microphone: null, camera: null };
  #errors: Partial<Record<Kind, LocalMediaError>> = {};
  #devices: PreviewView['devices'] = { microphone: [], camera: [], speaker: [] };
  #choice: DeviceChoice = { microphoneId: null, cameraId: null, speakerId: null, microphone: true, camera: true };
  #wantCamera = true;
  #audio: { context: AudioContext; analyser: AnalyserNode; source: MediaStreamAudioSourceNode; samples: Float32Array<ArrayBuffer> } | null = null;
  #closed = false;

  constructor(opts: DevicePreviewOptions) {
    this.#opts = opts;
  }

  /** The current view (a fresh object). */
  get view(): PreviewView {
    return {
      status: this.#status,
      microphone: this.#tracks.microphone,
      camera: this.#tracks.camera,
      errors: (['microphone', 'camera'] as const).flatMap((k) => this.#errors[k] ?? []),
      devices: this.#devices,
      choice: { ...this.#choice },
      speakerSelectable: speakerSelectable(),
    };
  }

  /** Opens the microphone and (for a video call) the camera, with one permission prompt. */
  async start(options: { camera: boolean }): Promise<void> {
    if (this.#status !== 'idle' || this.#closed) return;
    this.#wantCamera = options.camera;
    this.#choice.camera = options.camera;
    this.#status = 'starting';
    this.#opts.onChange();
    const kinds: Kind[] = options.camera ? ['microphone', 'camera'] : ['microphone'];
    try {
      const stream = await this.#getUserMedia({ audio: true, video: options.camera });
      this.#adopt('microphone', stream.getAudioTracks()[0] ?? null);
      this.#adopt('camera', stream.getVideoTracks()[0] ?? null);
    } catch {
      // One refused device fails the pair: ask for each alone to tell which (and keep the other).
      await Promise.all(kinds.map((kind) => this.#open(kind, null)));
    }
    if (this.#closed) return;
    this.#status = 'ready';
    await this.#listDevices();
    this.#opts.onChange();
  }

  /** Switches a device (`speaker` only records the choice: the call's audio element applies it). */
  async select(kind: Kind | 'speaker', id: string): Promise<void> {
    if (kind === 'speaker') {
      this.#choice.speakerId = id || null;
      this.#opts.onChange();
      return;
    }
    if (kind === 'microphone') this.#choice.microphoneId = id || null;
    else this.#choice.cameraId = id || null;
    if (kind === 'camera' && !this.#choice.camera) return this.#opts.onChange();
    await this.#open(kind, id || null);
    this.#opts.onChange();
  }

  /** "Join with camera off": the camera is released (its light goes off) until turned back on. */
  async setCameraOn(on: boolean): Promise<void> {
    if (!this.#wantCamera) return;
    this.#choice.camera = on;
    if (on) await this.#open('camera', this.#choice.cameraId);
    else this.#release('camera');
    this.#opts.onChange();
  }

  /** "Join muted": the microphone stays open here for the meter, and is not sent until unmuted in the call. */
  setMicrophoneOn(on: boolean): void {
    this.#choice.microphone = on;
    this.#opts.onChange();
  }

  /** The microphone level, 0 to 1 (RMS of the last samples); 0 without a microphone. */
  level(): number {
    const audio = this.#audio;
    if (!audio) return 0;
    audio.analyser.getFloatTimeDomainData(audio.samples);
    let sum = 0;
    for (const sample of audio.samples) sum += sample * sample;
    // RMS of speech sits around 0.02–0.2: scale so that normal speech fills most of the meter.
    return Math.min(1, Math.sqrt(sum / audio.samples.length) * 4);
  }

  /** Hands the open tracks and the choice to the call; the preview lets go of them (it does not stop them). */
  handOver(): PreviewHandover {
    const handed: Partial<Record<Kind, MediaStreamTrack>> = {};
    const { microphone, camera } = this.#tracks;
    if (microphone && this.#choice.microphone) handed.microphone = microphone;
    else microphone?.stop();
    if (camera && this.#choice.camera) handed.camera = camera;
    else camera?.stop();
    this.#tracks = { microphone: null, camera: null };
    const choice = { ...this.#choice, camera: this.#choice.camera && this.#wantCamera };
    this.close();
    return { choice, capture: deviceCapture(choice, handed) };
  }

  /** Stops what is still open (the person left the page, or the call took the tracks). */
  close(): void {
    this.#closed = true;
    this.#stopMeter();
    for (const kind of ['microphone', 'camera'] as const) this.#release(kind);
  }

  async #open(kind: Kind, id: string | null): Promise<void> {
    const constraint: MediaTrackConstraints | true = id ? { deviceId: { exact: id } } : true;
    // A camera is opened once at a time: release the old one first (some cameras refuse a second open).
    if (kind === 'camera') this.#release('camera');
    try {
      const stream = await this.#getUserMedia(kind === 'microphone' ? { audio: constraint } : { video: constraint });
      const track = (kind === 'microphone' ? stream.getAudioTracks() : stream.getVideoTracks())[0] ?? null;
      if (!track) throw new LocalMediaError('not_found', kind, 'NoTrack');
      this.#release(kind);
      this.#adopt(kind, track);
    } catch (error) {
      const failure = classifyMediaError(error, kind);
      this.#errors = { ...this.#errors, [kind]: failure };
      this.#opts.onBlocked?.(failure);
    }
  }

  #adopt(kind: Kind, track: MediaStreamTrack | null): void {
    if (!track) return;
    if (this.#closed) {
      track.stop();
      return;
    }
    this.#tracks[kind] = track;
    const { [kind]: _fixed, ...rest } = this.#errors;
    this.#errors = rest;
    const id = track.getSettings().deviceId;
    if (kind === 'microphone') {
      this.#choice.microphoneId = id ?? this.#choice.microphoneId;
      this.#startMeter(track);
    } else {
      this.#choice.cameraId = id ?? this.#choice.cameraId;
    }
  }

  #release(kind: Kind): void {
    if (kind === 'microphone') this.#stopMeter();
    this.#tracks[kind]?.stop();
    this.#tracks[kind] = null;
  }

  #startMeter(track: MediaStreamTrack): void {
    this.#stopMeter();
    try {
      const context = this.#opts.createAudioContext?.() ?? new AudioContext();
      const source = context.createMediaStreamSource(new MediaStream([track]));
      const analyser = context.createAnalyser();
      analyser.fftSize = 1024;
      source.connect(analyser);
      // A context made without a user gesture may start suspended; resuming needs none for analysis in Chrome.
      void context.resume().catch(() => undefined);
      this.#audio = { context, analyser, source, samples: new Float32Array(analyser.fftSize) };
    } catch {
      // No Web Audio: the meter stays at zero, the microphone still works.
    }
  }

  #stopMeter(): void {
    if (!this.#audio) return;
    this.#audio.source.disconnect();
    void this.#audio.context.close().catch(() => undefined);
    this.#audio = null;
  }

  async #listDevices(): Promise<void> {
    let all: MediaDeviceInfo[];
    try {
      all = await navigator.mediaDevices.enumerateDevices();
    } catch {
      return;
    }
    this.#devices = { microphone: deviceOptions(all, 'audioinput'), camera: deviceOptions(all, 'videoinput'), speaker: deviceOptions(all, 'audiooutput') };
  }

  #getUserMedia(constraints: MediaStreamConstraints): Promise<MediaStream> {
    if (this.#opts.getUserMedia) return this.#opts.getUserMedia(constraints);
    if (typeof navigator === 'undefined' || !navigator.mediaDevices?.getUserMedia) {
      return Promise.reject(new DOMException('getUserMedia is not available', 'NotSupportedError'));
    }
    return navigator.mediaDevices.getUserMedia(constraints);
  }
}
