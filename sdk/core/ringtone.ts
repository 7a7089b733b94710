// Waiting beeps, made with WebAudio so no audio file ships with the SDK.

/** Options of {@link Ringtone}; every field has a default. */
export interface RingtoneOptions {
  /** Makes the AudioContext (injectable for tests). Called on each start(); the context is closed on stop(). */
  createAudioContext?: () => AudioContext;
  /** Beep pitch. Default 440. */
  frequencyHz?: number;
  /** Length of one beep. Default 400. */
  beepMs?: number;
  /** Time between the starts of two beep pairs. Default 3000. */
  periodMs?: number;
  /** Loudness, 0..1. Default 0.15. */
  volume?: number;
}

/** Plays a pair of beeps every `periodMs` while started. */
export class Ringtone {
  readonly #options: Required<RingtoneOptions>;
  #context: AudioContext | null = null;
  #timer: ReturnType<typeof setInterval> | undefined;
  #oscillators = new Set<OscillatorNode>();

  constructor(options: RingtoneOptions = {}) {
    this.#options = {
      createAudioContext: () => new AudioContext(),
      frequencyHz: 440,
      beepMs: 400,
      periodMs: 3000,
      volume: 0.15,
      ...options,
    };
  }

  /** True between start() and stop(). */
  get playing(): boolean {
    return this.#context !== null;
  }

  /** Starts beeping (idempotent). */
  start(): void {
    if (this.#context) return;
    this.#context = this.#options.createAudioContext();
    // A context created without a user gesture starts suspended; resume is best effort.
    this.#context.resume().catch(() => undefined);
    this.#ring();
    this.#timer = setInterval(() => this.#ring(), this.#options.periodMs);
  }

  /** Stops beeping and closes the AudioContext (idempotent). */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    for (const oscillator of this.#oscillators) {
      try {
        oscillator.stop();
      } catch {
        // never started: nothing to stop
      }
    }
    this.#oscillators.clear();
    const context = this.#context;
    this.#context = null;
    if (context && context.state !== 'closed') context.close().catch(() => undefined);
  }

  #ring(): void {
    const context = this.#context;
    if (!context) return;
    const beepSeconds = this.#options.beepMs / 1000;
    const now = context.currentTime;
    for (const offset of [0, beepSeconds * 1.5]) this.#beep(context, now + offset, beepSeconds);
  }

  #beep(context: AudioContext, at: number, seconds: number): void {
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    oscillator.frequency.value = this.#options.frequencyHz;
    gain.gain.setValueAtTime(0, at);
    gain.gain.linearRampToValueAtTime(this.#options.volume, at + 0.02);
    gain.gain.setValueAtTime(this.#options.volume, at + seconds - 0.02);
    gain.gain.linearRampToValueAtTime(0, at + seconds);
    oscillator.connect(gain).connect(context.destination);
    oscillator.addEventListener('ended', () => this.#oscillators.delete(oscillator));
    this.#oscillators.add(oscillator);
    oscillator.start(at);
    oscillator.stop(at + seconds);
  }
}
