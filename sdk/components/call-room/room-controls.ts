// The control bar of <call-room> (microphone, camera, screen, Rejoin, END CALL / LEAVE / Close)
// and the banner shown while this side presents its screen.
import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { isTerminal, isUnanswered } from '../../core/call-state.js';
import type { CallSnapshot } from '../../core/call-session.js';
import type { Role, TrackSource } from '../../core/types.js';
import { strings } from '../../i18n/index.js';
import { canShareScreen } from './room-permission-help.js';
import { cameraIcon, cameraOffIcon, hangUpIcon, micIcon, micOffIcon, screenIcon } from '../internal/icons.js';

/** What the controls render from, and the intents they forward to the element. */
export interface ControlsInput {
  snapshot: CallSnapshot | null;
  role: Role;
  toggle: (source: TrackSource) => void;
  end: () => void;
  rejoin: () => void;
  /** Agent, failed call: close the room. */
  close: () => void;
  /** More controls before Rejoin / END CALL (the devices panel's Settings button). */
  extra?: TemplateResult | typeof nothing;
}

/** The call runs and its controls work (not before the call record, not while or after it ends). */
export function isLive(snapshot: CallSnapshot | null): boolean {
  return snapshot !== null && snapshot.call !== null && !isTerminal(snapshot.state) && snapshot.state.status !== 'ending';
}

/** Is this side sharing its screen right now? */
export function isPresenting(snapshot: CallSnapshot | null): boolean {
  return snapshot !== null && !isTerminal(snapshot.state) && snapshot.enabled.screen;
}

/** The control bar. */
export function renderControls(input: ControlsInput): TemplateResult {
  const { snapshot, role } = input;
  const terminal = snapshot !== null && isTerminal(snapshot.state);
  const live = isLive(snapshot);
  const c = strings().room.controls;
  const toggle = (source: TrackSource, label: string, on: TemplateResult, off: TemplateResult) => {
    const enabled = snapshot?.enabled[source] ?? false;
    return html`<button
      part="control ${source}"
      type="button"
      aria-pressed=${enabled ? 'true' : 'false'}
      title=${label}
      ?disabled=${!live || (snapshot?.pending.has(source) ?? false)}
      @click=${() => input.toggle(source)}
    >
      ${enabled || source === 'screen' ? on : off}<span part="control-label">${label}</span>
    </button>`;
  };
  let endButton: TemplateResult | typeof nothing = nothing;
  if (!terminal) {
    const label = role === 'agent' ? c.endCall : c.leave;
    endButton = html`<button part="end" type="button" title=${label} ?disabled=${snapshot?.state.status === 'ending'} @click=${input.end}>
      ${hangUpIcon}<span part="control-label">${label}</span>
    </button>`;
  } else if (role === 'agent' && (snapshot?.state.status === 'failed' || (snapshot && isUnanswered(snapshot.state)))) {
    endButton = html`<button part="end" type="button" @click=${input.close}><span part="control-label">${c.close}</span></button>`;
  }
  const rejoin = snapshot?.rejoinable
    ? html`<button part="rejoin" type="button" @click=${input.rejoin}><span part="control-label">${c.rejoin}</span></button>`
    : nothing;
  // Once the call is over there is nothing left to toggle.
  const toggles = terminal
    ? nothing
    : html`${toggle('microphone', c.microphone, micIcon, micOffIcon)} ${toggle('camera', c.camera, cameraIcon, cameraOffIcon)}
        ${canShareScreen() ? toggle('screen', snapshot?.enabled.screen ? c.screenOn : c.screen, screenIcon, screenIcon) : nothing}
        ${input.extra ?? nothing}`;
  return html`<div part="controls">${toggles} ${rejoin} ${endButton}</div>`;
}

/** "You are presenting" with a Stop button, while this side shares its screen. */
export function renderPresenting(snapshot: CallSnapshot | null, stop: () => void): TemplateResult | typeof nothing {
  if (!isPresenting(snapshot)) return nothing;
  return html`<div part="presenting">
    <span part="presenting-text" role="status">${strings().room.presenting.banner}</span>
    <button part="stop-presenting" type="button" ?disabled=${snapshot?.pending.has('screen') ?? false} @click=${stop}>
      ${strings().room.presenting.stop}
    </button>
  </div>`;
}
