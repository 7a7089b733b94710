// Moving the docked call panel: drag it by its header with a mouse, pen or finger. The position
// is kept inside the window (also when the window shrinks) and forgotten when the panel is
// expanded again. (Keyboard users move between the corner panel and full screen with
// Minimize / Expand; the panel's default corner is set with --call-room-docked-inset.)
import type { ReactiveController, ReactiveControllerHost } from 'lit';

interface Drag {
  pointerId: number;
  /** Where in the panel the pointer went down. */
  dx: number;
  dy: number;
}

/** Options of {@link DockDrag}. */
export interface DockDragOptions {
  host: ReactiveControllerHost & HTMLElement;
  /** Whether the panel is docked (only then it moves). */
  docked: () => boolean;
  /** The drag handle (the header). */
  handle: () => HTMLElement | null;
}

/** Lets the docked panel be moved; sets the host's inline `inset`. */
export class DockDrag implements ReactiveController {
  readonly #opts: DockDragOptions;
  #drag: Drag | null = null;
  #moved = false;

  constructor(options: DockDragOptions) {
    this.#opts = options;
    options.host.addController(this);
  }

  hostConnected(): void {
    const host = this.#opts.host;
    host.addEventListener('pointerdown', this.#down);
    host.addEventListener('pointermove', this.#move);
    host.addEventListener('pointerup', this.#up);
    host.addEventListener('pointercancel', this.#up);
    window.addEventListener('resize', this.#clampToWindow);
  }

  hostDisconnected(): void {
    const host = this.#opts.host;
    host.removeEventListener('pointerdown', this.#down);
    host.removeEventListener('pointermove', this.#move);
    host.removeEventListener('pointerup', this.#up);
    host.removeEventListener('pointercancel', this.#up);
    window.removeEventListener('resize', this.#clampToWindow);
  }

  hostUpdated(): void {
    // Expanded: full screen again; the next docking starts from the default corner.
    if (!this.#opts.docked() && this.#moved) {
      this.#opts.host.style.removeProperty('inset');
      this.#moved = false;
      this.#drag = null;
    }
  }

  /** True when the event started on the handle itself, not on a button inside it. */
  #onHandle(event: Event): boolean {
    const handle = this.#opts.handle();
    if (!handle || !this.#opts.docked()) return false;
    for (const target of event.composedPath()) {
      if (target === handle) return true;
      if (target instanceof HTMLButtonElement) return false;
    }
    return false;
  }

  readonly #down = (event: PointerEvent) => {
    if (event.button !== 0 || !this.#onHandle(event)) return;
    const rect = this.#opts.host.getBoundingClientRect();
    this.#drag = { pointerId: event.pointerId, dx: event.clientX - rect.left, dy: event.clientY - rect.top };
    this.#opts.host.setPointerCapture(event.pointerId);
    event.preventDefault();
  };

  readonly #move = (event: PointerEvent) => {
    if (!this.#drag || event.pointerId !== this.#drag.pointerId) return;
    this.#place(event.clientX - this.#drag.dx, event.clientY - this.#drag.dy);
  };

  readonly #up = (event: PointerEvent) => {
    if (!this.#drag || event.pointerId !== this.#drag.pointerId) return;
    this.#drag = null;
    if (this.#opts.host.hasPointerCapture(event.pointerId)) this.#opts.host.releasePointerCapture(event.pointerId);
  };

  readonly #clampToWindow = () => {
    if (!this.#moved) return;
    const rect = this.#opts.host.getBoundingClientRect();
    this.#place(rect.left, rect.top);
  };

  /** Puts the panel's top left corner at (left, top), kept inside the window. */
  #place(left: number, top: number): void {
    const host = this.#opts.host;
    const rect = host.getBoundingClientRect();
    const x = Math.round(Math.min(Math.max(0, left), Math.max(0, window.innerWidth - rect.width)));
    const y = Math.round(Math.min(Math.max(0, top), Math.max(0, window.innerHeight - rect.height)));
    host.style.setProperty('inset', `${y}px auto auto ${x}px`);
    this.#moved = true;
  }
}
