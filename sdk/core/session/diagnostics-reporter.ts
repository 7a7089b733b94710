// "Copy diagnostics" for one session: the client's browser reports its half to the service when
// it joins and whenever its state changes materially (status, devices on/off, a device failing),
// so the agent's copy can merge it; either side builds the full report on demand.
import { buildReport, collectHalf, type DiagnosticsHalf, type DiagnosticsReport } from '../diagnostics.js';
import type { CallSnapshot } from '../call-session.js';
import { isTerminal } from '../call-state.js';
import type { ServiceClient } from '../service-client.js';
import type { Credentials, Role } from '../types.js';

/** What the reporter needs of a call session. */
export interface DiagnosticsSource {
  readonly role: Role;
  readonly snapshot: CallSnapshot;
  readonly credentials: Credentials | null;
  subscribe(listener: (snapshot: CallSnapshot) => void): () => void;
  /** The media connection's statistics (null where the engine has none). */
  mediaStats(): Promise<RTCStatsReport | null>;
}

/** Options of {@link SessionDiagnostics}. */
export interface SessionDiagnosticsOptions {
  client: ServiceClient;
  /** The page's join link (client), stripped of its secret in the report; null on the agent's side. */
  joinLink: () => string | null;
  /** Wait after a material change before reporting (changes come in bursts). Default 1500 ms. */
  reportDelayMs?: number;
}

/** Follows a session for its diagnostics. */
export class SessionDiagnostics {
  readonly #source: DiagnosticsSource;
  readonly #opts: SessionDiagnosticsOptions;
  readonly #unsubscribe: () => void;
  #lastKey = '';
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(source: DiagnosticsSource, opts: SessionDiagnosticsOptions) {
    this.#source = source;
    this.#opts = opts;
    // Only the client reports on its own: the agent gathers its half when it copies.
    this.#unsubscribe = source.role === 'client' ? source.subscribe((snapshot) => this.#changed(snapshot)) : () => undefined;
  }

  /** The full report: this side's half, the other half where this side may read it, the timeline. */
  async report(): Promise<DiagnosticsReport> {
    const { snapshot, credentials, role } = this.#source;
    const call = snapshot.call;
    const notes: string[] = [];
    const own = await this.#half();
    let other: DiagnosticsHalf | null = null;
    let joinLink = this.#opts.joinLink();
    let timeline: DiagnosticsReport['timeline'] = [];
    if (call && credentials) {
      const [diagnostics, events] = await Promise.allSettled([
        role === 'agent' ? this.#opts.client.diagnostics(call.id, credentials.token) : Promise.resolve(null),
        this.#opts.client.timeline(call.id, credentials.token),
      ]);
      if (diagnostics.status === 'fulfilled' && diagnostics.value) {
        other = diagnostics.value.client?.report ?? null;
        // Checked, not trusted: an answer of another shape must not break the copy.
        if (joinLink === null && typeof diagnostics.value.joinLink === 'string') joinLink = diagnostics.value.joinLink;
        if (!other) notes.push('The client has not reported its side (not joined yet).');
      } else if (diagnostics.status === 'rejected') notes.push(`The client's side could not be read: ${String(diagnostics.reason)}`);
      // An answer of another shape (a proxy's page) reads as an empty timeline rather than breaking the copy.
      if (events.status === 'fulfilled') timeline = (Array.isArray(events.value?.events) ? events.value.events : []).map((e) => ({ at: e.at, type: e.type, by: e.by }));
      else notes.push(`The timeline could not be read: ${String(events.reason)}`);
    }
    if (role === 'client') notes.push('The agent\'s side is in the agent\'s own copy.');
    const halves = role === 'agent' ? { agent: own, client: other } : { agent: null, client: own };
    return buildReport({ copiedBy: role, call, joinLink, roomStatus: snapshot.state.status, timeline, halves, notes });
  }

  /** Stops following the session. */
  dispose(): void {
    clearTimeout(this.#timer);
    this.#unsubscribe();
  }

  #half(): Promise<DiagnosticsHalf> {
    const { snapshot, credentials } = this.#source;
    return collectHalf({ status: snapshot.state.status, enabled: snapshot.enabled, mediaMode: credentials?.media.mode ?? 'unknown', stats: () => this.#source.mediaStats() });
  }

  #changed(snapshot: CallSnapshot): void {
    if (isTerminal(snapshot.state) || snapshot.state.status === 'connecting' || !snapshot.call) return;
    const e = snapshot.enabled;
    const key = [snapshot.state.status, e.microphone, e.camera, e.screen, ...snapshot.mediaErrors.map((m) => `${m.device}:${m.kind}`)].join('|');
    if (key === this.#lastKey) return;
    this.#lastKey = key;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#send(), this.#opts.reportDelayMs ?? 1500);
  }

  async #send(): Promise<void> {
    const { snapshot, credentials } = this.#source;
    if (!snapshot.call || !credentials || isTerminal(snapshot.state)) return;
    const half = await this.#half().catch(() => null);
    // Best effort: a refused or failed report only means the agent's copy lacks this side.
    if (half) await this.#opts.client.reportDiagnostics(snapshot.call.id, credentials.token, half).catch(() => undefined);
  }
}
