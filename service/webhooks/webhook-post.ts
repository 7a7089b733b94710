// One signed webhook request (Standard Webhooks headers) and what the endpoint answered: the outbox worker's attempts
// and POST /v1/webhooks/test both go through here, so a test request is signed exactly like a real delivery.
import http from 'node:http';
import https from 'node:https';
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

/**
 * Connections to the endpoints are kept open between webhooks (one pool per host and port, as node:http's agents do):
 * a webhook is then one request on an open socket instead of a TCP (and TLS) handshake, and node:http costs less per
 * request than fetch (docs/performance.md). Up to this many connections per endpoint: the worker has at most 20
 * deliveries in flight, plus test requests.
 */
const MAX_SOCKETS_PER_ENDPOINT = 32;
/** A connection left idle this long is closed by us (an endpoint's own `Keep-Alive: timeout` hint shortens it). */
const IDLE_SOCKET_MS = 4000;
const agentOptions = { keepAlive: true, maxSockets: MAX_SOCKETS_PER_ENDPOINT, maxFreeSockets: MAX_SOCKETS_PER_ENDPOINT, timeout: IDLE_SOCKET_MS, scheduling: 'lifo' } as const;
const agents = { 'http:': new http.Agent(agentOptions), 'https:': new https.Agent(agentOptions) };
/** The answer's body is not read, only drained so that its connection can serve the next webhook, up to this size. */
const MAX_DRAINED_BYTES = 64 * 1024;

/** What an endpoint answered: status and the Retry-After header. */
interface Answer {
  status: number;
  retryAfter: string | null;
}

/** POSTs one signed webhook; never throws. Redirects are not followed: a signed body must not be re-sent elsewhere. */
export async function postWebhook(opts: WebhookPostOptions): Promise<WebhookPostResult> {
  const body = JSON.stringify(opts.payload);
  const sentAt = new Date();
  const headers = {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    'user-agent': 'Switchboard-Webhooks/1',
    'webhook-id': opts.id,
    'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
    'webhook-signature': opts.webhooks.map((w) => w.sign(opts.id, sentAt, body)).join(' '),
  };
  const started = performance.now();
  const timeout = AbortSignal.timeout(opts.timeoutMs);
  const signal = opts.signal ? AbortSignal.any([timeout, opts.signal]) : timeout;
  try {
    const { status, retryAfter } = await request(opts.url, headers, body, signal);
    const latencyMs = performance.now() - started;
    const ok = status >= 200 && status <= 299;
    return { status, latencyMs, error: ok ? null : `HTTP ${status}`, retryAfter, timedOut: false };
  } catch (err) {
    const latencyMs = performance.now() - started;
    const timedOut = timeout.aborted;
    const error = timedOut ? `timed out after ${opts.timeoutMs} ms` : describeRequestError(err);
    return { status: null, latencyMs, error, retryAfter: null, timedOut };
  }
}

/**
 * One POST through the pool, settled when the answer's headers have come. A kept-alive connection the endpoint closed
 * just as it was reused fails before any answer: the request is then made once more on a new connection (the same
 * message and webhook-id, which receivers deduplicate anyway).
 */
async function request(url: string, headers: Record<string, string>, body: string, signal: AbortSignal): Promise<Answer> {
  try {
    return await requestOnce(url, headers, body, signal);
  } catch (err) {
    if (!(err instanceof StaleSocketError) || signal.aborted) throw err;
    return requestOnce(url, headers, body, signal);
  }
}

/** The request failed on a reused keep-alive connection before anything was answered. */
class StaleSocketError extends Error {
  constructor(readonly original: Error) {
    super(original.message);
  }
}

function requestOnce(url: string, headers: Record<string, string>, body: string, signal: AbortSignal): Promise<Answer> {
  const target = new URL(url);
  const client = target.protocol === 'https:' ? https : http;
  const agent = agents[target.protocol as keyof typeof agents];
  return new Promise<Answer>((resolve, reject) => {
    if (!agent) {
      reject(new Error(`unsupported protocol ${target.protocol}`));
      return;
    }
    const req = client.request(target, { method: 'POST', headers, agent, signal }, (res) => {
      const retryAfter = res.headers['retry-after'];
      resolve({ status: res.statusCode ?? 0, retryAfter: typeof retryAfter === 'string' ? retryAfter : null });
      let drained = 0;
      res.on('data', (chunk: Buffer) => {
        drained += chunk.length;
        // An endless or huge answer: not worth keeping the connection for.
        if (drained > MAX_DRAINED_BYTES) res.destroy();
      });
      res.on('error', () => undefined);
    });
    req.on('error', (err: Error & { code?: string }) => {
      reject(req.reusedSocket && (err.code === 'ECONNRESET' || err.code === 'EPIPE') ? new StaleSocketError(err) : err);
    });
    req.end(body);
  });
}

/** A network failure in a few words: its code (ECONNREFUSED, ENOTFOUND…) when it has one. */
function describeRequestError(err: unknown): string {
  const e = (err instanceof StaleSocketError ? err.original : err) as Error & { code?: string };
  return `request failed: ${e.code ?? e.message}`;
}
