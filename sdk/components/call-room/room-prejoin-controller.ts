// Binds the pre-join preview (core/device-preview.ts) to <call-room>: re-renders on each change,
// samples the microphone level for the meter, and stops the preview when the room leaves the page.
// While the client looks at it, the call is checked every few seconds (GET /v1/calls/:id; not the
// live socket, which would mean "joined"), so an ended, missed or expired call shows at once.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { CallSession } from '../../core/call-session.js';
import { isTerminal } from '../../core/call-state.js';
import { DevicePreview } from '../../core/device-preview.js';
import type { DevicePreviewOptions, PreviewHandover, PreviewView } from '../../core/device-preview.js';
import type { DeviceChoice } from '../../core/local-media.js';

/** How often the meter reads the microphone level. */
const METER_INTERVAL_MS = 100;
/** How often the pre-join asks whether the call is still open (the service allows 120 reads a minute per call and role). */
export const CALL_CHECK_INTERVAL_MS = 5_000;
/** The same in a hidden tab: nobody is looking; the check runs again as soon as the tab shows. */
export const HIDDEN_CALL_CHECK_INTERVAL_MS = 30_000;

/** The pre-join preview of a <call-room>; null view before it starts. */
export class PrejoinController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  #preview: DevicePreview | null = null;
  #level = 0;
  #meter: ReturnType<typeof setInterval> | undefined;
  /** Stops watching the call (timer, visibility listener, session subscription); null when not watching. */
  #unwatch: (() => void) | null = null;

  constructor(host: ReactiveControllerHost) {
    this.#host = host;
    host.addController(this);
  }

  /** What the preview shows; null when it has not started (or was handed over). */
  get view(): PreviewView | null {
    return this.#preview?.view ?? null;
  }

  /** The microphone level, 0 to 100, as the meter shows it. */
  get level(): number {
    return Math.round(this.#level * 100);
  }

  /** The preview in use (tests, integrations). */
  get preview(): DevicePreview | null {
    return this.#preview;
  }

  /**
   * Client: checks the link first (no device is asked for before: a refused link fails the room at
   * once), then tells the agent, prefetches what Join needs (CallSession.prepare) and opens the preview. `current` says
   * whether this session is still the room's when the answer comes.
   */
  async open(session: CallSession, callId: string, secret: string, current: () => boolean): Promise<void> {
    if (!(await session.open(callId, secret)) || !current()) return;
    session.prepare();
    session.report({ type: 'client_prejoin' });
    this.start(session.snapshot.call?.media === 'video', {
      onBlocked: (error) => session.report({ type: 'media_blocked', device: error.device, reason: error.kind }),
    });
    this.#watch(session);
  }

  /**
   * Asks the service every few seconds (slower in a hidden tab) whether the call is still open, until
   * Join, the room leaving the page, or the end of the call: then the preview's devices are released
   * and the room shows the ended/missed/expired screen Join would have shown.
   */
  #watch(session: CallSession): void {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const check = async () => {
      clearTimeout(timer);
      if (stopped) return;
      const again = await session.checkStillOpen();
      if (again && !stopped) schedule();
    };
    const schedule = () => {
      clearTimeout(timer);
      timer = setTimeout(() => void check(), document.hidden ? HIDDEN_CALL_CHECK_INTERVAL_MS : CALL_CHECK_INTERVAL_MS);
    };
    const onVisibility = () => {
      if (!document.hidden) void check();
      else schedule();
    };
    const unsubscribe = session.subscribe((snapshot) => {
      if (isTerminal(snapshot.state)) this.#stop();
    });
    document.addEventListener('visibilitychange', onVisibility);
    this.#unwatch = () => {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibility);
      unsubscribe();
      this.#unwatch = null;
    };
    schedule();
  }

  /** Opens the devices (asks the browser); the camera only for a video call. */
  start(camera: boolean, options: Omit<DevicePreviewOptions, 'onChange'> = {}): void {
    this.#stop();
    const preview = new DevicePreview({ ...options, onChange: () => this.#host.requestUpdate() });
    this.#preview = preview;
    void preview.start({ camera });
    this.#meter = setInterval(() => {
      const level = preview.level();
      // Re-render only when the bar would visibly move.
      if (Math.abs(level - this.#level) < 0.01) return;
      this.#level = level;
      this.#host.requestUpdate();
    }, METER_INTERVAL_MS);
  }

  /** Hands the tracks and choices to the call and stops sampling; null when nothing was started. */
  handOver(): PreviewHandover | null {
    this.#unwatch?.();
    const preview = this.#preview;
    if (!preview) return null;
    clearInterval(this.#meter);
    this.#preview = null;
    this.#level = 0;
    return preview.handOver();
  }

  hostDisconnected(): void {
    this.#stop();
  }

  #stop(): void {
    this.#unwatch?.();
    clearInterval(this.#meter);
    this.#preview?.close();
    this.#preview = null;
    this.#level = 0;
  }
}

const JOINED_KEY = 'switchboard.joined.';

/**
 * Remembers, for this tab, that the client joined a call and with which choices, so that a
 * reload goes straight back in (as it did before the pre-join existed) instead of showing the
 * pre-join again. LEAVE forgets it. sessionStorage: per tab, gone when the tab closes; no secret is kept.
 */
export const joinedCalls = {
  remember(callId: string, choice: DeviceChoice): void {
    try {
      sessionStorage.setItem(JOINED_KEY + callId, JSON.stringify(choice));
    } catch {
      // Storage refused (private mode, quota): a reload shows the pre-join again, nothing worse.
    }
  },
  recall(callId: string): DeviceChoice | null {
    try {
      const saved = JSON.parse(sessionStorage.getItem(JOINED_KEY + callId) ?? 'null') as Partial<DeviceChoice> | null;
      if (!saved || typeof saved !== 'object') return null;
      const id = (v: unknown) => (typeof v === 'string' && v.length <= 256 ? v : null);
      return { microphoneId: id(saved.microphoneId), cameraId: id(saved.cameraId), speakerId: id(saved.speakerId), microphone: saved.microphone !== false, camera: saved.camera !== false };
    } catch {
      return null;
    }
  },
  forget(callId: string): void {
    try {
      sessionStorage.removeItem(JOINED_KEY + callId);
    } catch {
      // see remember()
    }
  },
};
