import type { CallEventReport, CallMedia, CallView, CreateCallResult, JoinResult } from './types.js';
import type { CallDiagnostics, DiagnosticsHalf } from '../../protocol/diagnostics.js';

/** An error answered by the service (or a network failure: status 0, code `network_error`). */
export class ServiceError extends Error {
  override readonly name = 'ServiceError';
  /** HTTP status; 0 when the service could not be reached. */
  readonly status: number;
  /** Stable error code from the service, e.g. `client_not_selected`. */
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** Options of {@link ServiceClient}. */
export interface ServiceClientOptions {
  /** Base URL of the service, e.g. `http://127.0.0.1:3000`. */
  serviceUrl: string;
  /** fetch implementation; the global one by default. */
  fetch?: typeof fetch;
}

/** Typed client of the service's REST routes. */
export class ServiceClient {
  readonly #base: string;
  readonly #fetch: typeof fetch;

  constructor(options: ServiceClientOptions) {
    this.#base = options.serviceUrl.replace(/\/+$/, '');
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
  }

  /** `POST /v1/calls` with the agent token. */
  createCall(agentToken: string, body: { media?: CallMedia } = {}, signal?: AbortSignal): Promise<CreateCallResult> {
    return this.#request<CreateCallResult>('POST', '/v1/calls', { token: agentToken, body, signal });
  }

  /** `POST /v1/join` with the link secret. */
  join(callId: string, secret: string, signal?: AbortSignal): Promise<JoinResult> {
    return this.#request<JoinResult>('POST', '/v1/join', { body: { callId, secret }, signal });
  }

  /** `GET /v1/calls/:id` with call credentials. */
  getCall(callId: string, token: string, signal?: AbortSignal): Promise<CallView> {
    return this.#request<CallView>('GET', `/v1/calls/${encodeURIComponent(callId)}`, { token, signal });
  }

  /** `POST /v1/calls/:id/resume` with agent credentials: the call's media is restored if lost, fresh credentials come back. */
  resume(callId: string, token: string, signal?: AbortSignal): Promise<JoinResult> {
    return this.#request<JoinResult>('POST', `/v1/calls/${encodeURIComponent(callId)}/resume`, { token, signal });
  }

  /** `POST /v1/calls/:id/end` with agent credentials (idempotent). */
  endCall(callId: string, token: string, reason?: string): Promise<CallView> {
    return this.#request<CallView>('POST', `/v1/calls/${encodeURIComponent(callId)}/end`, {
      token,
      body: reason ? { reason } : {},
    });
  }

  /** `POST /v1/calls/:id/invite` with agent credentials: the invite is posted to the conversation again and the call rings again. */
  resendInvite(callId: string, token: string): Promise<CallView> {
    return this.#request<CallView>('POST', `/v1/calls/${encodeURIComponent(callId)}/invite`, { token });
  }

  /** `POST /v1/calls/:id/events` with call credentials. */
  reportEvent(callId: string, token: string, event: CallEventReport): Promise<{ accepted: true }> {
    return this.#request('POST', `/v1/calls/${encodeURIComponent(callId)}/events`, { token, body: event });
  }

  /** `POST /v1/calls/:id/diagnostics`: this side's half of "Copy diagnostics". */
  reportDiagnostics(callId: string, token: string, half: DiagnosticsHalf): Promise<{ accepted: true }> {
    return this.#request('POST', `/v1/calls/${encodeURIComponent(callId)}/diagnostics`, { token, body: half });
  }

  /** `GET /v1/calls/:id/diagnostics` (agent credentials): both halves and the join link without its secret. */
  diagnostics(callId: string, token: string): Promise<CallDiagnostics> {
    return this.#request('GET', `/v1/calls/${encodeURIComponent(callId)}/diagnostics`, { token });
  }

  /** `GET /v1/calls/:id/timeline`: the call's first events, oldest first. */
  timeline(callId: string, token: string): Promise<{ events: { type: string; by: string; at: string }[] }> {
    return this.#request('GET', `/v1/calls/${encodeURIComponent(callId)}/timeline?limit=100`, { token });
  }

  async #request<T>(
    method: string,
    path: string,
    options: { token?: string; body?: unknown; signal?: AbortSignal | undefined },
  ): Promise<T> {
    const headers: Record<string, string> = {};
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await this.#fetch(this.#base + path, {
        method,
        headers,
        body: options.body === undefined ? null : JSON.stringify(options.body),
        signal: options.signal ?? null,
      });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') throw error;
      throw new ServiceError(0, 'network_error', error instanceof Error ? error.message : String(error));
    }
    const text = await response.text();
    let payload: unknown;
    try {
      payload = text ? JSON.parse(text) : null;
    } catch {
      payload = null;
    }
    if (!response.ok) throw toServiceError(response.status, payload);
    return payload as T;
  }
}

function toServiceError(status: number, payload: unknown): ServiceError {
  const body = (payload && typeof payload === 'object' ? payload : {}) as { code?: unknown; message?: unknown };
  const code = typeof body.code === 'string' ? body.code : `http_${status}`;
  const message = typeof body.message === 'string' ? body.message : `HTTP ${status}`;
  return new ServiceError(status, code, message);
}
