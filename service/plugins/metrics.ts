// Prometheus metrics (prom-client): calls, joins, live sockets, webhook deliveries, HTTP requests, the process.
//
// Calls by status is a gauge read from the database on each scrape rather than counters moved on transitions:
// a transition happens on whichever instance handled it (or in a sweep), so per-instance counters cannot add up to
// "how many calls are ringing now", and they would restart from zero with the process. The query counts open calls
// only (a partial index covers them, and there are few); ended calls are counted by `call.ended` events instead.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { CallStatus } from '../domain/call-lifecycle.js';

/** Seconds buckets for webhook round trips: receivers answer in tens of ms, the timeout is seconds. */
const WEBHOOK_BUCKETS_SECONDS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Seconds buckets for HTTP requests: most answer in a few ms, a LiveKit round trip may take a second. */
const HTTP_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
/** The route label of requests no route matched (a label per unknown URL would be unbounded). */
export const UNMATCHED_ROUTE = 'unmatched';

/** What /metrics serves. */
export interface Metrics {
  /** This app's own metrics (one registry per app, so that test apps in one process do not share counters). */
  registry: Registry;
  /** The exposition text of this app's metrics and the process's; `contentType` goes with it. */
  scrape(): Promise<string>;
  contentType: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Prometheus metrics of this app and its process. */
    metrics: Metrics;
  }
}

let processRegistry: Registry | null = null;

/**
 * Process and runtime metrics (CPU, memory, GC, event-loop lag as nodejs_eventloop_lag_*), collected once per
 * process: they describe the process, and each collection starts its own event-loop monitor.
 */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

async function metricsPlugin(fastify: FastifyInstance): Promise<void> {
  const registry = new Registry();
  const registers = [registry];

  const log = fastify.log.child({ module: 'metrics' });
  const db = fastify.db;
  new Gauge({
    name: 'switchboard_calls_open',
    help: 'Calls not ended, by status (read from the database at each scrape: the same on every instance, aggregate with max)',
    labelNames: ['status'],
    registers,
    async collect() {
      try {
        const rows = await db.selectFrom('calls').select(['status', (eb) => eb.fn.countAll<string>().as('count')])
          .where('status', '<>', 'ended').groupBy('status').execute();
        const counts = new Map(rows.map((r) => [r.status, Number(r.count)]));
        for (const status of Object.values(CallStatus)) if (status !== 'ended') this.set({ status }, counts.get(status) ?? 0);
      } catch (err) {
        // No numbers rather than stale ones; the scrape itself still answers.
        this.reset();
        log.warn({ err }, 'metrics: counting open calls failed');
      }
    },
  });

  const events = new Counter({ name: 'switchboard_call_events_total', help: 'Call events recorded by this instance, by type (call.created, call.ended…)', labelNames: ['type'], registers });
  const joins = new Counter({ name: 'switchboard_call_joins_total', help: 'Join links exchanged for client credentials (POST /v1/join) on this instance', registers });
  fastify.calls.observe({
    eventsRecorded: (_callId, recorded) => {
      for (const event of recorded) events.inc({ type: event.type });
    },
    clientSessionChanged: () => joins.inc(),
  });

  const hub = fastify.liveHub;
  new Gauge({
    name: 'switchboard_live_sockets',
    help: 'Live sockets open on this instance, by role',
    labelNames: ['role'],
    registers,
    collect() {
      for (const [role, count] of Object.entries(hub.socketCounts())) this.set({ role }, count);
    },
  });

  const attempts = new Counter({
    name: 'switchboard_webhook_attempts_total',
    help: 'Webhook delivery attempts by event type and outcome (delivered; retrying: failed, tried again later; failed: given up)',
    labelNames: ['event_type', 'outcome'],
    registers,
  });
  const webhookSeconds = new Histogram({
    name: 'switchboard_webhook_attempt_duration_seconds',
    help: 'Round trip of webhook delivery attempts to the endpoint, by outcome',
    labelNames: ['outcome'],
    buckets: WEBHOOK_BUCKETS_SECONDS,
    registers,
  });
  fastify.webhookWorker.observe((report) => {
    attempts.inc({ event_type: report.eventType, outcome: report.outcome });
    if (report.latencyMs !== null) webhookSeconds.observe({ outcome: report.outcome }, report.latencyMs / 1000);
  });

  const httpSeconds = new Histogram({
    name: 'switchboard_http_request_duration_seconds',
    help: 'HTTP requests by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'],
    buckets: HTTP_BUCKETS_SECONDS,
    registers,
  });
  // The route pattern (/v1/calls/:id), never the URL: one series per route and status, whatever the ids.
  fastify.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? UNMATCHED_ROUTE;
    httpSeconds.observe({ method: request.method, route, status_code: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });

  const both = Registry.merge([registry, processMetrics()]);
  fastify.decorate('metrics', { registry, scrape: () => both.metrics(), contentType: both.contentType } satisfies Metrics);
}

/** Decorates `metrics` (a prom-client Registry) and times every request. */
export default fp(metricsPlugin, { name: 'switchboard-metrics', fastify: '5.x', dependencies: ['switchboard-calls'] });
