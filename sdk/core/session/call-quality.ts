// Connection quality of both sides of the call, as the media session reports it (direct mode:
// measured here and told by the other side; LiveKit mode: computed by the media server).
import type { MediaSession } from '../media/media-session.js';
import type { QualityLevel } from '../quality.js';

/** Both sides' quality; null where it is not known (no connection yet, the other side left). */
export interface QualityView {
  local: QualityLevel | null;
  remote: QualityLevel | null;
}

/** Follows a media session's `quality` events. */
export class CallQuality {
  readonly #onChange: () => void;
  #view: QualityView = { local: null, remote: null };

  constructor(onChange: () => void) {
    this.#onChange = onChange;
  }

  /** The current view (a fresh object each time it changed). */
  get view(): QualityView {
    return this.#view;
  }

  /** Starts following a media session. */
  bind(media: MediaSession): void {
    media.on('quality', ({ side, level }) => {
      if (this.#view[side] === level) return;
      this.#view = { ...this.#view, [side]: level };
      this.#onChange();
    });
  }

  /** The other side left: what it said of its connection no longer holds. */
  remoteLeft(): void {
    if (this.#view.remote === null) return;
    this.#view = { ...this.#view, remote: null };
    this.#onChange();
  }
}
