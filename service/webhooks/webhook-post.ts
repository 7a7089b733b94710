// One signed webhook request (Standard Webhooks headers) and what the endpoint answered: the outbox worker's attempts
// and POST /v1/webhooks/test both go through here, so a test request is signed exactly like a real delivery.
import type { Webhook } from 'standardwebhooks';

/** What one request to the endpoint came to. */
export interface WebhookPostResult {
  /** The HTTP status, or null when no answer came (refused, reset, timed out, aborted). */
  status: number | null;
  /** From the first byte sent to the answer's headers (or to the failure). */
  latencyMs: number;
  /** Why it failed, in words; null on a 2xx. */
  error: string | null;
  /** The answer's Retry-After header, as sent. */
  retryAfter: string | null;
  /** True when it ended on the request timeout (not on `signal`). */
  timedOut: boolean;
}

/** What to send, where, signed with what. */
export interface WebhookPostOptions {
  url: string;
  /** Sign with the org's `whsec_…` secrets: one signature each, space-separated (two while a rotated secret overlaps). */
  webhooks: readonly Webhook[];
  /** The `webhook-id`: the same on every retry of one message, so the receiver can drop duplicates. */
  id: string;
  payload: Record<string, unknown>;
  timeoutMs: number;
  /** Cuts the request short (shutdown). */
  signal?: AbortSignal;
}

/** POSTs one signed webhook; never throws. Redirects are not followed: a signed body must not be re-sent elsewhere. */
export async function postWebhook(opts: WebhookPostOptions): Promise<WebhookPostResult> {
  const body = JSON.stringify(opts.payload);
  const sentAt = new Date();
  const started = performance.now();
  const timeout = AbortSignal.timeout(opts.timeoutMs);
  try {
    const response = await fetch(opts.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Switchboard-Webhooks/1',
        'webhook-id': opts.id,
        'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
        'webhook-signature': opts.webhooks.map((w) => w.sign(opts.id, sentAt, body)).join(' '),
      },
      body,
      signal: opts.signal ? AbortSignal.any([timeout, opts.signal]) : timeout,
      redirect: 'manual',
    });
    const latencyMs = performance.now() - started;
    await response.body?.cancel().catch(() => undefined);
    const ok = response.status >= 200 && response.status <= 299;
    return { status: response.status, latencyMs, error: ok ? null : `HTTP ${response.status}`, retryAfter: response.headers.get('retry-after'), timedOut: false };
  } catch (err) {
    const latencyMs = performance.now() - started;
    const timedOut = timeout.aborted && (err as Error).name === 'TimeoutError';
    const error = timedOut ? `timed out after ${opts.timeoutMs} ms` : describeFetchError(err);
    return { status: null, latencyMs, error, retryAfter: null, timedOut };
  }
}

/** undici reports every network failure as "fetch failed" and puts the reason (ECONNREFUSED…) in `cause`. */
function describeFetchError(err: unknown): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  if (e.message === 'fetch failed' && e.cause) return `fetch failed: ${e.cause.code ?? e.cause.message ?? 'network error'}`;
  return e.message;
}
