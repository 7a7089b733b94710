// The client's way in: the join link is exchanged for credentials before anything else (the
// pre-join shows meanwhile), checked again every few seconds while the person looks at the
// preview (an ended, missed or expired call shows at once, without the live socket, which would
// mean "joined"), and exchanged again at Join when its credentials went stale.
import { isTerminal } from '../call-state.js';
import type { CallState, CallStateEvent } from '../call-state.js';
import { ServiceError, type ServiceClient } from '../service-client.js';
import type { CallView, Credentials } from '../types.js';
import type { LiveProber } from './live-prober.js';

/** Credentials closer than this to expiry are exchanged again before entering (the person lingered on the pre-join). */
export const MIN_CREDENTIALS_LEFT_MS = 30_000;

/** What the client's entry needs of its CallSession. */
export interface ClientEntryHost {
  client: ServiceClient;
  prober: LiveProber;
  signal: AbortSignal;
  state(): CallState;
  /** True once the call was entered (its live socket exists). */
  entered(): boolean;
  credentials(): Credentials | null;
  /** The link was accepted: the call and this session's credentials. */
  joined(call: CallView, credentials: Credentials): void;
  dispatch(event: CallStateEvent): void;
}

/** The client's link, from the first exchange to Join. */
export class ClientEntry {
  readonly #host: ClientEntryHost;
  /** The link {@link open} was given (to exchange it again when its credentials went stale). */
  #link: { callId: string; secret: string } | null = null;
  /** The pre-join's {@link checkStillOpen} in flight. */
  #checking: Promise<boolean> | null = null;

  constructor(host: ClientEntryHost) {
    this.#host = host;
  }

  /**
   * Checks the link by exchanging its secret for credentials, without entering the call (being on
   * the pre-join is not being in the call). Resolves false, with the room failed, when the link is refused.
   */
  async open(callId: string, secret: string): Promise<boolean> {
    const host = this.#host;
    this.#link = { callId, secret };
    if (!secret) {
      host.dispatch({ type: 'failed', code: 'link_incomplete', message: 'the link has no secret' });
      return false;
    }
    try {
      const { call, credentials } = await host.client.join(callId, secret, host.signal);
      if (isTerminal(host.state())) return false;
      host.joined(call, credentials);
      return true;
    } catch (error) {
      if (host.signal.aborted) return false;
      const code = error instanceof ServiceError ? error.code : 'network_error';
      host.dispatch({ type: 'failed', code, message: error instanceof Error ? error.message : String(error) });
      return false;
    }
  }

  /**
   * At Join: waits for a check in flight, then exchanges the link again if the credentials are
   * about to expire. False when the call cannot be entered (the failure is dispatched).
   */
  async readyToEnter(): Promise<boolean> {
    await this.#checking;
    if (this.#fresh() || !this.#link) return true;
    return this.open(this.#link.callId, this.#link.secret);
  }

  /**
   * Before entering (the pre-join): asks the service whether the call is still open
   * (`GET /v1/calls/:id`, rate-limited per call and role). An ended call (the agent ended it, it
   * was missed, its link expired) ends this session as Join would have shown it; credentials near
   * expiry or expired are exchanged for the link again (which tells an ended call or expired link
   * the same way). Resolves false when asking again is pointless: the session ended, entered, or
   * another tab holds this link's session now (Join here says so).
   */
  checkStillOpen(): Promise<boolean> {
    // Join waits for a check in flight: two link exchanges at once would leave one set of credentials replaced.
    this.#checking ??= this.#check().finally(() => {
      this.#checking = null;
    });
    return this.#checking;
  }

  #fresh(): boolean {
    const expiresAt = Date.parse(this.#host.credentials()?.expiresAt ?? '');
    return expiresAt - Date.now() > MIN_CREDENTIALS_LEFT_MS;
  }

  async #check(): Promise<boolean> {
    const host = this.#host;
    const call = host.state().call;
    if (!call || host.entered() || isTerminal(host.state())) return false;
    if (!this.#fresh()) return this.#reopen();
    const answer = await host.prober.probe(call.id, host.credentials()!.token);
    if (host.entered() || isTerminal(host.state())) return false;
    switch (answer.kind) {
      case 'ended':
      case 'open':
        host.dispatch({ type: 'call-updated', call: answer.call });
        return !isTerminal(host.state());
      case 'rejected':
        return answer.code === 'credentials_replaced' ? false : this.#reopen();
      case 'unreachable':
        return true;
    }
  }

  async #reopen(): Promise<boolean> {
    return !!this.#link && (await this.open(this.#link.callId, this.#link.secret)) && !this.#host.entered();
  }
}
