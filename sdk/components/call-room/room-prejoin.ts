// The client's pre-join screen inside <call-room>: camera preview (mirrored), microphone level,
// device choice, "Join with camera off" / "muted", and Join. Rendered in the room's own shadow
// root, so the dialog's focus trap covers its controls.
import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import type { PreviewView } from '../../core/device-preview.js';
import type { DeviceOption } from '../../core/device-preview.js';
import { format, strings } from '../../i18n/index.js';

/** What the pre-join renders from, and the intents it forwards. */
export interface PrejoinInput {
  /** The agent's name (null: unknown). */
  agentName: string | null;
  /** The call is a video call (a camera preview and the camera choices). */
  video: boolean;
  /** The preview; null while the link is being checked. */
  view: PreviewView | null;
  /** Microphone level, 0 to 100. */
  level: number;
  /** A stream for a track (kept per track, so the video element is not reset on each render). */
  stream: (track: MediaStreamTrack) => MediaStream;
  select: (kind: 'microphone' | 'camera' | 'speaker', id: string) => void;
  cameraOn: (on: boolean) => void;
  microphoneOn: (on: boolean) => void;
  join: () => void;
}

/** The status line while the pre-join shows (announced by the room's live status). */
export function prejoinStatus(input: Pick<PrejoinInput, 'agentName' | 'view'>): string {
  if (!input.view) return strings().prejoin.checkingLink;
  return input.agentName ? format(strings().prejoin.agentWaiting, { name: input.agentName }) : strings().prejoin.agentWaitingUnnamed;
}

/** The pre-join screen. */
export function renderPrejoin(input: PrejoinInput): TemplateResult {
  const { view } = input;
  const p = strings().prejoin;
  if (!view) return html`<div part="prejoin"><p part="prejoin-intro">${p.checkingLink}</p></div>`;
  const starting = view.status !== 'ready';
  // The settings scroll on a short screen; Join sits in a footer that never does.
  return html`<div part="prejoin">
    <div part="prejoin-media">
      <p part="prejoin-intro">${starting ? p.starting : p.intro}</p>
      ${input.video ? renderPreview(input, view) : html`<p part="prejoin-audio-only">${p.audioOnly}</p>`}
      <div part="meter" role="meter" aria-label=${p.meter} aria-valuemin="0" aria-valuemax="100" aria-valuenow=${input.level}>
        <div part="meter-fill" style="width: ${input.level}%"></div>
      </div>
    </div>
    <div part="prejoin-settings">
    ${view.errors.length
      ? html`<div part="prejoin-errors">
          ${view.errors.map((e) => html`<p part="prejoin-error" role="alert">${e.message}</p>`)}
          <p part="prejoin-hint">${p.joinWithoutDevices}</p>
        </div>`
      : nothing}
    <div part="device-selects">
      ${renderSelect('microphone', p.microphone, view.devices.microphone, view.choice.microphoneId, input)}
      ${input.video ? renderSelect('camera', p.camera, view.devices.camera, view.choice.cameraId, input) : nothing}
      ${view.speakerSelectable ? renderSelect('speaker', p.speaker, view.devices.speaker, view.choice.speakerId, input) : nothing}
    </div>
    <div part="prejoin-choices">
      ${input.video
        ? html`<label part="choice camera-off-choice"><input type="checkbox" .checked=${!view.choice.camera}
            @change=${(e: Event) => input.cameraOn(!(e.target as HTMLInputElement).checked)} />${p.cameraOffChoice}</label>`
        : nothing}
      <label part="choice microphone-off-choice"><input type="checkbox" .checked=${!view.choice.microphone}
        @change=${(e: Event) => input.microphoneOn(!(e.target as HTMLInputElement).checked)} />${p.microphoneOffChoice}</label>
    </div>
    </div>
  </div>
  <div part="prejoin-footer">
    <button part="join" type="button" ?disabled=${starting} @click=${input.join}>${p.join}</button>
  </div>`;
}

function renderPreview(input: PrejoinInput, view: PreviewView): TemplateResult {
  const p = strings().prejoin;
  if (view.camera) {
    return html`<video part="prejoin-preview" aria-label=${p.preview} autoplay muted playsinline .srcObject=${input.stream(view.camera)}></video>`;
  }
  const words = view.status !== 'ready' ? p.starting : !view.choice.camera ? p.cameraOff : p.noCamera;
  return html`<div part="prejoin-preview-off" role="img" aria-label=${words}>${words}</div>`;
}

function renderSelect(kind: 'microphone' | 'camera' | 'speaker', label: string, options: DeviceOption[], chosen: string | null, input: PrejoinInput): TemplateResult {
  return html`<label part="device-label">${label}
    <select part="device-select ${kind}-select" ?disabled=${options.length === 0}
      @change=${(e: Event) => input.select(kind, (e.target as HTMLSelectElement).value)}>
      ${options.length === 0 ? html`<option value="">${strings().prejoin.defaultDevice}</option>` : nothing}
      ${options.map((o) => html`<option value=${o.id} ?selected=${o.id === chosen}>${o.label}</option>`)}
    </select>
  </label>`;
}
