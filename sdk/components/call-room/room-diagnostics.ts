// "Copy diagnostics" in <call-room>: a header button that gathers the report (core/diagnostics.ts,
// merged with the other side's half by core/session/diagnostics-reporter.ts), copies it, and says
// so in a live region; where the browser refuses the clipboard, the report is shown selected.
import { css, html, nothing } from 'lit';
import type { ReactiveController, ReactiveControllerHost, TemplateResult } from 'lit';
import type { CallSession } from '../../core/call-session.js';
import { copyText, reportText, type DiagnosticsReport } from '../../core/diagnostics.js';
import { ServiceClient } from '../../core/service-client.js';
import { SessionDiagnostics } from '../../core/session/diagnostics-reporter.js';
import { strings } from '../../i18n/index.js';

/** Where a copy stands. */
type CopyState = 'idle' | 'copying' | 'copied' | 'failed';

/** Follows the room's session for its diagnostics and renders the Copy diagnostics control. */
export class DiagnosticsControl implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  #diagnostics: SessionDiagnostics | null = null;
  #state: CopyState = 'idle';
  #text = '';
  /** The last report copied (integrations, tests). */
  lastReport: DiagnosticsReport | null = null;

  constructor(host: ReactiveControllerHost & HTMLElement) {
    this.#host = host;
    host.addController(this);
  }

  /** Starts following a new session (the previous one's reporter stops). */
  follow(session: CallSession, serviceUrl: string, fetchImpl: typeof fetch | undefined): void {
    this.#diagnostics?.dispose();
    const client = new ServiceClient({ serviceUrl, ...(fetchImpl ? { fetch: fetchImpl } : {}) });
    const joinLink = session.role === 'client' ? () => location.href : () => null;
    this.#diagnostics = new SessionDiagnostics(session, { client, joinLink });
  }

  hostDisconnected(): void {
    this.#diagnostics?.dispose();
    this.#diagnostics = null;
  }

  /** Gathers and copies the report. */
  async copy(): Promise<void> {
    if (!this.#diagnostics || this.#state === 'copying') return;
    this.#set('copying');
    try {
      const report = await this.#diagnostics.report();
      this.lastReport = report;
      this.#text = reportText(report);
      this.#set(await copyText(this.#text, this.#host.ownerDocument));
    } catch {
      this.#set('failed');
    }
  }

  /** The header button and its live feedback. */
  renderButton(): TemplateResult | typeof nothing {
    if (!this.#diagnostics) return nothing;
    const d = strings().diagnostics;
    return html`<button part="copy-diagnostics" type="button" ?disabled=${this.#state === 'copying'} @click=${() => void this.copy()}>
        ${d.copy}
      </button>
      <span part="diagnostics-feedback" role="status" aria-live="polite">${this.#state === 'copying' ? d.copying : this.#state === 'copied' ? d.copied : ''}</span>`;
  }

  /** Where the clipboard was refused: the report, selected, to copy by hand. */
  renderFallback(): TemplateResult | typeof nothing {
    if (this.#state !== 'failed' || !this.#text) return nothing;
    return html`<div part="diagnostics-fallback">
      <p part="notice" role="alert">${strings().diagnostics.failed}</p>
      <textarea part="diagnostics-text" readonly aria-label=${strings().diagnostics.textLabel} .value=${this.#text}
        @focus=${(e: FocusEvent) => (e.target as HTMLTextAreaElement).select()}></textarea>
    </div>`;
  }

  #set(state: CopyState): void {
    this.#state = state;
    this.#host.requestUpdate();
    if (state === 'failed') {
      void (this.#host as unknown as { updateComplete: Promise<unknown> }).updateComplete.then(() => {
        this.#host.shadowRoot?.querySelector<HTMLTextAreaElement>('[part~="diagnostics-text"]')?.select();
      });
    }
  }
}

/** Styles of the control and the fallback. */
export const diagnosticsStyles = css`
  [part~='copy-diagnostics'] {
    flex: none;
    min-height: var(--call-room-control-size, 44px);
    padding: 0.25rem 0.75rem;
    border: 1px solid currentColor;
    border-radius: 0.5rem;
    background: transparent;
    color: inherit;
    font: inherit;
    font-size: 0.875rem;
    cursor: pointer;
  }
  [part~='diagnostics-feedback']:empty {
    display: none;
  }
  [part~='diagnostics-text'] {
    display: block;
    box-sizing: border-box;
    width: calc(100% - 2rem);
    height: 8rem;
    margin: 0 1rem 0.5rem;
    font: 0.75rem monospace;
  }
`;
