// A browser cannot see why a WebSocket closed or was refused, nor why a media server dropped
// it: ask the REST API. One question at a time.
import { ServiceError, type ServiceClient } from '../service-client.js';
import type { CallView } from '../types.js';

/** What the service said about a call we lost contact with. */
export type ProbeAnswer =
  /** The call ended meanwhile. */
  | { kind: 'ended'; call: CallView }
  /** The call runs; our connection was the problem. */
  | { kind: 'open'; call: CallView }
  /** Our credentials are refused (expired, replaced by a newer join) or the call is gone. */
  | { kind: 'rejected'; code: string; message: string }
  /** No answer (the network may come back). */
  | { kind: 'unreachable' };

/** Asks `GET /v1/calls/:id` why contact was lost. */
export class LiveProber {
  readonly #client: ServiceClient;
  readonly #signal: AbortSignal;
  #inFlight: Promise<ProbeAnswer> | null = null;

  constructor(client: ServiceClient, signal: AbortSignal) {
    this.#client = client;
    this.#signal = signal;
  }

  /** The service's answer; concurrent callers share one request. */
  probe(callId: string, token: string): Promise<ProbeAnswer> {
    this.#inFlight ??= this.#ask(callId, token).finally(() => {
      this.#inFlight = null;
    });
    return this.#inFlight;
  }

  async #ask(callId: string, token: string): Promise<ProbeAnswer> {
    try {
      const call = await this.#client.getCall(callId, token, this.#signal);
      return { kind: call.status === 'ended' ? 'ended' : 'open', call };
    } catch (error) {
      if (error instanceof ServiceError && (error.status === 401 || error.status === 404)) {
        return { kind: 'rejected', code: error.code, message: error.message };
      }
      return { kind: 'unreachable' };
    }
  }
}
