// Under each blocked device's message, the steps that fix it in this browser and operating
// system (browserInfo(), loaded once per element), and the reason screen sharing is missing
// where the browser has no getDisplayMedia (most phones and tablets).
import { html, nothing } from 'lit';
import type { ReactiveControllerHost, TemplateResult } from 'lit';
import { browserInfo } from '../../core/browser-info.js';
import type { LocalMediaError } from '../../core/local-media.js';
import { permissionHelp } from '../../core/permission-help.js';
import type { HelpBrowser } from '../../core/permission-help.js';
import { strings } from '../../i18n/index.js';

/** Can this browser share a screen at all? */
export function canShareScreen(): boolean {
  return typeof navigator !== 'undefined' && typeof navigator.mediaDevices?.getDisplayMedia === 'function';
}

/** Knows the browser (parsed once, on demand) and renders the fixes for failed devices. */
export class RoomPermissionHelp {
  readonly #host: ReactiveControllerHost;
  readonly #userAgent: () => string;
  #info: HelpBrowser | null = null;
  #loading = false;

  /** `userAgent`: whose steps to give (the browser's own by default; tests inject others). */
  constructor(host: ReactiveControllerHost, userAgent: () => string = () => navigator.userAgent) {
    this.#host = host;
    this.#userAgent = userAgent;
  }

  /** The browser, once parsed (null before). */
  get info(): HelpBrowser | null {
    return this.#info;
  }

  /** Parses the user agent again (tests that change it). */
  async reload(): Promise<void> {
    this.#info = await browserInfo(this.#userAgent());
    this.#host.requestUpdate();
  }

  /** One line of steps per failed device (camera and microphone blocked together: one line for both). */
  render(errors: readonly LocalMediaError[]): TemplateResult[] {
    if (errors.length === 0) return [];
    if (!this.#info) {
      this.#load();
      return [];
    }
    const info = this.#info;
    const blocked = errors.filter((e) => e.kind === 'permission_denied' && e.device !== 'screen');
    const lines: string[] = [];
    if (blocked.length === 2) {
      const both = permissionHelp(blocked[0]!, info, 'both');
      if (both) lines.push(both);
    }
    for (const error of errors) {
      if (blocked.length === 2 && blocked.includes(error)) continue;
      const help = permissionHelp(error, info);
      if (help && !lines.includes(help)) lines.push(help);
    }
    return lines.map((line) => html`<p part="fix" role="note">${line}</p>`);
  }

  /** The note shown where screen sharing cannot exist, while the call runs. */
  renderScreenUnavailable(live: boolean): TemplateResult | typeof nothing {
    if (!live || canShareScreen()) return nothing;
    return html`<p part="notice screen-unavailable" role="note">${strings().inCall.screenUnavailable}</p>`;
  }

  #load(): void {
    if (this.#loading) return;
    this.#loading = true;
    void this.reload().catch(() => undefined);
  }
}
