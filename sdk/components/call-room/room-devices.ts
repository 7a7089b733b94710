// The devices panel of <call-room>: microphone, camera and speaker choices during the call.
// Switching replaces the track in place (MediaSession.switchDevice), so the other side keeps
// receiving; the speaker applies setSinkId to the remote audio (only where the browser has it).
// The lists follow devices plugged in or out (devicechange).
import { html, nothing } from 'lit';
import type { ReactiveController, ReactiveControllerHost, TemplateResult } from 'lit';
import type { CallSession, CallSnapshot } from '../../core/call-session.js';
import type { SwitchableSource } from '../../core/media/media-session.js';
import { deviceOptions } from '../../core/device-names.js';
import { strings } from '../../i18n/index.js';
import { settingsIcon } from '../internal/icons.js';

type DeviceKind = 'audioinput' | 'videoinput' | 'audiooutput';

/** Does this browser let a page pick the speaker (Chrome, Edge, Firefox 116+; not Safari on iOS)? */
export function canChooseSpeaker(): boolean {
  return typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype;
}

/** Owns the panel's open state, the device lists and the chosen speaker. */
export class RoomDevices implements ReactiveController {
  readonly #host: ReactiveControllerHost & { renderRoot: HTMLElement | DocumentFragment };
  readonly #session: () => CallSession | null;
  #open = false;
  #devices: MediaDeviceInfo[] = [];
  #sinkId = '';
  readonly #onDeviceChange = () => void this.refresh();

  constructor(host: ReactiveControllerHost & { renderRoot: HTMLElement | DocumentFragment }, session: () => CallSession | null) {
    this.#host = host;
    this.#session = session;
    host.addController(this);
  }

  /** Is the panel shown? */
  get open(): boolean {
    return this.#open;
  }

  /** The speaker chosen ('' = the system default). */
  get sinkId(): string {
    return this.#sinkId;
  }

  /** Starts from a speaker chosen before the call (the client's pre-join); a later choice in the panel wins. */
  useSpeaker(deviceId: string | undefined): void {
    if (deviceId && deviceId !== this.#sinkId) this.#chooseSpeaker(deviceId);
  }

  hostConnected(): void {
    navigator.mediaDevices?.addEventListener('devicechange', this.#onDeviceChange);
  }

  hostDisconnected(): void {
    navigator.mediaDevices?.removeEventListener('devicechange', this.#onDeviceChange);
  }

  hostUpdated(): void {
    // The remote audio element is re-rendered with the call: give each new one the chosen speaker.
    if (!this.#sinkId || !canChooseSpeaker()) return;
    for (const audio of this.#host.renderRoot.querySelectorAll('audio')) {
      if (audio.sinkId !== this.#sinkId) audio.setSinkId(this.#sinkId).catch(() => undefined);
    }
  }

  /** Opens or closes the panel (it reads the device lists when it opens). */
  toggle(): void {
    this.#open = !this.#open;
    if (this.#open) void this.refresh();
    this.#host.requestUpdate();
  }

  /** Reads the device lists again. */
  async refresh(): Promise<void> {
    try {
      this.#devices = (await navigator.mediaDevices?.enumerateDevices()) ?? [];
    } catch {
      this.#devices = [];
    }
    this.#host.requestUpdate();
  }

  /** The Settings button of the control bar. */
  renderButton(snapshot: CallSnapshot | null, live: boolean): TemplateResult | typeof nothing {
    if (!snapshot) return nothing;
    return html`<button
      part="control devices-toggle"
      type="button"
      aria-expanded=${this.#open ? 'true' : 'false'}
      aria-controls="devices"
      title=${strings().inCall.devices.button}
      ?disabled=${!live}
      @click=${() => this.toggle()}
    >
      ${settingsIcon}<span part="control-label">${strings().inCall.devices.button}</span>
    </button>`;
  }

  /** The panel, while open and the call runs. */
  renderPanel(snapshot: CallSnapshot | null, live: boolean): TemplateResult | typeof nothing {
    if (!this.#open || !snapshot || !live) return nothing;
    const d = strings().inCall.devices;
    const current = (source: SwitchableSource) => snapshot.local[source]?.getSettings().deviceId ?? this.#session()?.preferredDevice(source) ?? '';
    return html`<div part="devices" id="devices" role="group" aria-label=${d.title}>
      ${this.#select('audioinput', d.microphone, current('microphone'), snapshot.pending.has('microphone'), (id) => void this.#session()?.switchDevice('microphone', id))}
      ${this.#select('videoinput', d.camera, current('camera'), snapshot.pending.has('camera'), (id) => void this.#session()?.switchDevice('camera', id))}
      ${canChooseSpeaker() ? this.#select('audiooutput', d.speaker, this.#sinkId, false, (id) => this.#chooseSpeaker(id)) : nothing}
      <button part="devices-close" type="button" @click=${() => this.toggle()}>${d.close}</button>
    </div>`;
  }

  #select(kind: DeviceKind, label: string, value: string, busy: boolean, choose: (deviceId: string) => void): TemplateResult {
    // Named as on the pre-join (core/device-names.ts).
    const devices = deviceOptions(this.#devices, kind);
    const options = devices.map((device) => html`<option value=${device.id} ?selected=${device.id === value}>${device.label}</option>`);
    return html`<label part="device-field">
      <span part="device-label">${label}</span>
      <select
        part="device-select ${kind}"
        ?disabled=${busy || devices.length === 0}
        @change=${(event: Event) => choose((event.target as HTMLSelectElement).value)}
      >
        ${options.length ? options : html`<option value="">${strings().inCall.devices.none}</option>`}
      </select>
    </label>`;
  }

  #chooseSpeaker(deviceId: string): void {
    this.#sinkId = deviceId;
    this.#host.requestUpdate();
  }
}
