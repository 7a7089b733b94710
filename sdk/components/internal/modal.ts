// Modal focus, after Shoelace's internal/modal.ts: focus moves into the modal when it opens,
// Tab and Shift+Tab cycle through its controls only while it is open, and focus goes back to
// whatever opened it when it closes. Works across shadow roots (the trigger is often a button
// inside another element's shadow root, like <call-button>'s).

/** The focused element, looking inside open shadow roots. */
export function deepActiveElement(root: DocumentOrShadowRoot = document): Element | null {
  let active = root.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

const FOCUSABLE = 'button, [href], input, select, textarea, video[controls], [tabindex]';

/** Controls of `root` that Tab can reach, in document order (no positive tabindex here). */
export function tabbableElements(root: ParentNode): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
    (el) => el.tabIndex >= 0 && !(el as HTMLButtonElement).disabled && el.checkVisibility({ visibilityProperty: true }),
  );
}

/** Open modals, oldest first: only the last one keeps focus (two rooms on one page must not fight over it). */
const openModals: Modal[] = [];

/** Options of {@link Modal}. */
export interface ModalOptions {
  /** The element whose shadow root holds the modal's controls. */
  host: HTMLElement;
  /** What gets focus when the modal opens, and when focus would otherwise be lost (the dialog container, tabindex=-1). */
  container: () => HTMLElement | null;
}

/** Focus handling of one modal element. */
export class Modal {
  readonly #host: HTMLElement;
  readonly #container: () => HTMLElement | null;
  #trigger: HTMLElement | null = null;
  #active = false;

  constructor(options: ModalOptions) {
    this.#host = options.host;
    this.#container = options.container;
  }

  /** Is focus being kept inside (open, and the most recent modal)? */
  get active(): boolean {
    return this.#active && openModals.at(-1) === this;
  }

  /** Remembers the element that had focus (the trigger) and starts keeping focus inside. */
  activate(): void {
    if (this.#active) return;
    const active = deepActiveElement();
    this.#trigger = active instanceof HTMLElement && active !== document.body && !this.#contains(active) ? active : null;
    this.trap();
  }

  /** Keeps focus inside again after {@link release} (the trigger is kept). */
  trap(): void {
    if (this.#active) return;
    this.#active = true;
    openModals.push(this);
    document.addEventListener('keydown', this.#onKeyDown, true);
    document.addEventListener('focusin', this.#onFocusIn);
  }

  /** Stops keeping focus inside without giving it back (the element stays open, but not modal). */
  release(): void {
    if (!this.#active) return;
    this.#active = false;
    openModals.splice(openModals.indexOf(this), 1);
    document.removeEventListener('keydown', this.#onKeyDown, true);
    document.removeEventListener('focusin', this.#onFocusIn);
  }

  /** Moves focus into the modal (its container) unless it is already inside, or another modal opened since. */
  focusInside(): void {
    if (!this.active) return;
    const active = deepActiveElement();
    if (active && active !== document.body && this.#contains(active)) return;
    this.#container()?.focus({ preventScroll: true });
  }

  /** Stops keeping focus inside and gives it back to the trigger when focus was inside or lost. */
  deactivate(): void {
    this.release();
    const trigger = this.#trigger;
    this.#trigger = null;
    const active = deepActiveElement();
    const focusWasOurs = !active || active === document.body || this.#contains(active);
    if (trigger?.isConnected && focusWasOurs) trigger.focus({ preventScroll: true });
  }

  #contains(node: Node): boolean {
    for (let current: Node | null = node; current; current = current.parentNode ?? (current as ShadowRoot).host ?? null) {
      if (current === this.#host) return true;
    }
    return false;
  }

  readonly #onKeyDown = (event: KeyboardEvent): void => {
    if (event.key !== 'Tab' || event.altKey || event.ctrlKey || event.metaKey || !this.active) return;
    const root = this.#host.shadowRoot;
    if (!root) return;
    // Every Tab is ours while open: the browser's order would leave the dialog after its last control.
    event.preventDefault();
    const tabbables = tabbableElements(root);
    if (tabbables.length === 0) {
      this.#container()?.focus({ preventScroll: true });
      return;
    }
    const index = tabbables.indexOf(deepActiveElement() as HTMLElement);
    const step = event.shiftKey ? -1 : 1;
    const next = index === -1 ? (event.shiftKey ? tabbables.length - 1 : 0) : (index + step + tabbables.length) % tabbables.length;
    tabbables[next]!.focus({ preventScroll: true });
  };

  /** Focus that lands outside (a click on the page behind, a script) is brought back. */
  readonly #onFocusIn = (event: FocusEvent): void => {
    if (this.active && !event.composedPath().includes(this.#host)) this.#container()?.focus({ preventScroll: true });
  };
}
