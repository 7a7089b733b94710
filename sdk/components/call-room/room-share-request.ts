// "Ask to share screen" in <call-room>: the agent's control and the status line that follows the
// answer and the client's share; the client's consent card. Rendering only: the session
// (core/session/share-request.ts) holds the facts.
import { css, html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { isTerminal } from '../../core/call-state.js';
import type { CallSnapshot } from '../../core/call-session.js';
import type { Role } from '../../core/types.js';
import { format, strings } from '../../i18n/index.js';
import { askScreenIcon } from '../internal/icons.js';

/** Agent: "Ask to share screen", only while the client is in the call, not sharing, and nothing is pending. */
export function renderShareAsk(snapshot: CallSnapshot | null, side: Role, ask: () => void): TemplateResult | typeof nothing {
  if (side !== 'agent' || snapshot?.state.status !== 'connected' || snapshot.remote.screen) return nothing;
  const status = snapshot.shareRequest.ask;
  if (status === 'pending' || status === 'presenting') return nothing;
  return html`<button part="control ask-share" type="button" title=${strings().shareRequest.ask} @click=${ask}>
    ${askScreenIcon}<span part="control-label">${strings().shareRequest.ask}</span>
  </button>`;
}

/** Agent: what came of the request, and the client's share (a line among the room's messages). */
export function renderShareStatus(snapshot: CallSnapshot | null, side: Role, name: string): TemplateResult | null {
  if (side !== 'agent' || !snapshot || isTerminal(snapshot.state)) return null;
  const status = snapshot.shareRequest.ask;
  if (status === 'idle') return null;
  return html`<p part="notice share-status" data-share-status=${status} role="status">${format(strings().shareRequest.status[status], { name })}</p>`;
}

/** Client: the consent card, while the agent's request waits for an answer. Share is the gesture getDisplayMedia needs. */
export function renderShareConsent(snapshot: CallSnapshot | null, side: Role, name: string, answer: (share: boolean) => void): TemplateResult | typeof nothing {
  if (side !== 'client' || !snapshot?.shareRequest.asked || isTerminal(snapshot.state)) return nothing;
  const c = strings().shareRequest.card;
  const starting = snapshot.pending.has('screen');
  return html`<section part="share-request" role="alertdialog" aria-labelledby="share-request-title" aria-describedby="share-request-text">
    <h3 part="share-request-title" id="share-request-title">${c.title}</h3>
    <p part="share-request-text" id="share-request-text">${format(c.text, { name })}</p>
    <div part="share-request-actions">
      <button part="share-accept" type="button" ?disabled=${starting} @click=${() => answer(true)}>${c.share}</button>
      <button part="share-decline" type="button" ?disabled=${starting} @click=${() => answer(false)}>${c.notNow}</button>
    </div>
  </section>`;
}

/** Styles of the consent card (the ask control is styled as a control, the status as a notice). */
export const shareRequestStyles = css`
  [part~='share-request'] {
    flex: none;
    margin: 0.5rem auto;
    padding: 0.75rem 1rem;
    max-width: min(32rem, calc(100% - 2rem));
    border-radius: 0.75rem;
    background: var(--call-room-share-request-background, #1e3a8a);
    overflow-wrap: anywhere;
  }
  [part~='share-request-title'] {
    margin: 0 0 0.25rem;
    font-size: 1rem;
  }
  [part~='share-request-text'] {
    margin: 0 0 0.5rem;
  }
  [part~='share-request-actions'] {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
  }
  [part~='share-request-actions'] button {
    min-height: var(--call-room-control-size, 44px);
    padding: 0 1rem;
    border: 0;
    border-radius: 0.5rem;
    font: inherit;
    font-weight: 600;
    cursor: pointer;
  }
  [part~='share-accept'] {
    background: #fff;
    color: #1e3a8a;
  }
  [part~='share-decline'] {
    background: transparent;
    color: inherit;
    outline: 1px solid currentColor;
  }
`;
