import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { ServiceClient, ServiceError } from '../core/service-client.js';
import type { CallMedia, CreateCallResult } from '../core/types.js';

/** Status of a call creation. */
export const CreateCallStatus = { idle: 'idle', pending: 'pending', done: 'done', error: 'error' } as const;
/** A creation status. */
export type CreateCallStatus = (typeof CreateCallStatus)[keyof typeof CreateCallStatus];

/** What to create the call with. */
export interface CreateCallRequest {
  serviceUrl: string;
  /** Resolves the agent token (a fresh one from the host page's provider, or the static attribute). */
  getToken: () => Promise<string>;
  media?: CallMedia | undefined;
}

/** Runs `POST /v1/calls` for an element: one request at a time, cancelled when the element leaves. */
export class CreateCallController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  #abort: AbortController | null = null;
  /** Current status. */
  status: CreateCallStatus = 'idle';
  /** The last failure, if the status is `error`. */
  error: ServiceError | null = null;

  constructor(host: ReactiveControllerHost) {
    this.#host = host;
    host.addController(this);
  }

  /** Creates the call; resolves null when cancelled or failed (see {@link error}). */
  async run(request: CreateCallRequest): Promise<CreateCallResult | null> {
    this.#abort?.abort();
    const abort = (this.#abort = new AbortController());
    this.#set('pending', null);
    try {
      let token: string;
      try {
        token = await request.getToken();
      } catch (error) {
        // The host page's provider failed: not the network to the call service, and not our error to word.
        throw new ServiceError(0, 'token_provider_failed', `the page's tokenProvider failed: ${String(error)}`);
      }
      if (!token) throw new ServiceError(0, 'missing_token', 'no agent token');
      const client = new ServiceClient({ serviceUrl: request.serviceUrl });
      const result = await client.createCall(token, request.media ? { media: request.media } : {}, abort.signal);
      if (abort.signal.aborted) return null;
      this.#set('done', null);
      return result;
    } catch (error) {
      if (abort.signal.aborted) return null;
      this.#set('error', error instanceof ServiceError ? error : new ServiceError(0, 'network_error', String(error)));
      return null;
    }
  }

  /** Forgets the last failure. */
  reset(): void {
    if (this.status !== 'pending') this.#set('idle', null);
  }

  hostDisconnected(): void {
    this.#abort?.abort();
    this.#abort = null;
    if (this.status === 'pending') this.#set('idle', null);
  }

  #set(status: CreateCallStatus, error: ServiceError | null): void {
    this.status = status;
    this.error = error;
    this.#host.requestUpdate();
  }
}
