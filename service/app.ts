// buildApp(config): third-party plugins, then app plugins, then routes.
import cors from '@fastify/cors';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import websocket from '@fastify/websocket';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import pino from 'pino';
import pretty from 'pino-pretty';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import { errors } from './errors.js';
import { LiveCloseCode } from './live/live-hub.js';
import authPlugin from './plugins/auth.js';
import callsPlugin from './plugins/calls.js';
import errorsPlugin, { clientErrorHandler, sendError } from './plugins/errors.js';
import metricsPlugin from './plugins/metrics.js';
import rateLimitPlugin from './plugins/rate-limit.js';
import requestContextPlugin, { REDACT_PATHS, REQUEST_ID_HEADER, requestIdOf } from './plugins/request-context.js';
import storePlugin from './plugins/store.js';
import orgsPlugin from './orgs/orgs-plugin.js';
import adminRoutes from './routes/admin.js';
import callHistoryRoutes from './routes/call-history.js';
import diagnosticsRoutes from './routes/diagnostics.js';
import callsRoutes from './routes/calls.js';
import docsRoutes from './routes/docs.js';
import healthRoutes from './routes/health.js';
import joinPageRoutes, { JOIN_PAGE_PREFIX, sendJoinErrorPage } from './routes/join-page.js';
import joinRoutes from './routes/join.js';
import metricsRoutes from './routes/metrics.js';
import { documentObject, documentRoute, EXTRA_SECURITY_SCHEMES } from './routes/openapi-docs.js';
import openapiRoutes from './routes/openapi.js';
import webhookTestRoutes from './routes/webhook-test.js';
import webhooksRoutes from './routes/webhooks.js';
import liveRoutes, { LIVE_SUBPROTOCOL } from './routes/live.js';
import livekitWebhookRoutes from './routes/livekit-webhook.js';

/** Request bodies are small JSON documents. */
const BODY_LIMIT_BYTES = 64 * 1024;
/** Paths open to any origin (bearer tokens, no cookies); routes that know their org narrow it to the org's origins (plugins/auth.ts). */
const CORS_PATHS = /^\/(v1|sdk)(\/|$)/;
/** The admin routes are for operators' backends and the CLI, never a web page: no CORS at all. */
const ADMIN_PATHS = /^\/v1\/admin(\/|$|\?)/;

/** What buildApp takes besides the config. */
export interface BuildOptions {
  /** Where log lines go instead of stdout (tests read them). */
  logStream?: NodeJS.WritableStream;
}

/**
 * LOG_FORMAT=pretty: one readable line per entry (time, level, request id, message, method and
 * URL, status and duration) instead of a JSON object, so a terminal running `npm start` stays
 * readable. pino-pretty runs in this thread as a plain stream (no worker).
 */
export function prettyLogStream(): NodeJS.WritableStream {
  return pretty({
    colorize: process.stdout.isTTY === true,
    translateTime: 'SYS:HH:MM:ss.l',
    singleLine: true,
    ignore: 'pid,hostname,reqId,req,res,responseTime',
    messageFormat: (log, messageKey) => {
      const req = log.req as { method?: string; url?: string } | undefined;
      const res = log.res as { statusCode?: number } | undefined;
      const parts = [typeof log.reqId === 'string' ? `[${log.reqId}] ${String(log[messageKey])}` : String(log[messageKey])];
      if (req?.method) parts.push(`${req.method} ${req.url ?? ''}`);
      if (res?.statusCode) parts.push(`→ ${res.statusCode} in ${Math.round(Number(log.responseTime))} ms`);
      return parts.join(' ');
    },
  });
}

/** Log lines are written to stdout in chunks of at least this many bytes (docs/performance.md)… */
const LOG_BUFFER_BYTES = 4096;
/** …or this long after the first of them, whichever comes first. */
const LOG_FLUSH_INTERVAL_MS = 250;

/**
 * JSON lines to stdout off the request path: an asynchronous, buffered destination (one write per ~4 KB instead of a
 * synchronous write per line, each a system call). pino flushes it synchronously when the process exits, on a fatal
 * error too; closing the app flushes it as well. Only a SIGKILL loses the last quarter-second of lines.
 */
export function bufferedStdout(): pino.DestinationStream & { flushSync(): void } {
  // One per process: `npm start` runs the service and the demo in one process, and two writers could cut each
  // other's lines.
  stdoutDestination ??= pino.destination({ dest: 1, sync: false, minLength: LOG_BUFFER_BYTES, periodicFlush: LOG_FLUSH_INTERVAL_MS });
  return stdoutDestination;
}
let stdoutDestination: ReturnType<typeof pino.destination> | undefined;

function loggerOptions(config: Config, destination: NodeJS.WritableStream | pino.DestinationStream | undefined) {
  if (config.logLevel === 'silent') return false;
  return {
    level: config.logLevel,
    // Tokens and secrets never reach the logs (the join secret only travels in a body or a fragment).
    redact: REDACT_PATHS,
    ...(destination ? { stream: destination } : {}),
  };
}

/** Node checks its header and request timeouts on this interval; its 30 s default would stretch a 5 s timeout to 35 s. */
const timeoutCheckIntervalMs = (t: Config['httpTimeouts']) => Math.max(50, Math.min(1000, Math.floor(Math.min(t.headersMs, t.requestMs) / 4)));

/**
 * Timeouts of the HTTP server. Node drops an upgraded socket from its request-timeout checks and
 * removes its idle-timeout listener, and ws turns the socket timeout off, so live sockets outlive all of them.
 */
function timeoutOptions(t: Config['httpTimeouts']) {
  return {
    requestTimeout: t.requestMs,
    connectionTimeout: t.idleMs,
    keepAliveTimeout: t.keepAliveMs,
    http: { headersTimeout: t.headersMs, requestTimeout: t.requestMs, connectionsCheckingInterval: timeoutCheckIntervalMs(t) },
  };
}

/** Trusts X-Forwarded-For entries added by the nearest `hops` proxies. */
const trustHops = (hops: number) => (_address: string, hop: number) => hop < hops;

/** Builds the service; closing it closes the live sockets, the webhook worker and the store. */
export async function buildApp(config: Config, options: BuildOptions = {}): Promise<FastifyInstance> {
  const buffered = !options.logStream && config.logLevel !== 'silent' && config.logFormat !== 'pretty' ? bufferedStdout() : undefined;
  const destination = options.logStream ?? buffered ?? (config.logFormat === 'pretty' ? prettyLogStream() : undefined);
  const app = Fastify({
    logger: loggerOptions(config, destination),
    // A safe incoming X-Request-Id is kept (a proxy's trace id), anything else gets a fresh one; echoed by plugins/request-context.ts.
    genReqId: requestIdOf,
    bodyLimit: BODY_LIMIT_BYTES,
    // Opening the store runs its migrations (PGlite: also starts the embedded database): on a busy or
    // slow machine that takes longer than Fastify's default 10 s, which would refuse to boot.
    pluginTimeout: 120_000,
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false } },
    routerOptions: { ignoreTrailingSlash: true },
    // Fastify's types lack the hop-count form of trustProxy; the function form says the same.
    trustProxy: typeof config.trustProxy === 'number' ? trustHops(config.trustProxy) : config.trustProxy,
    ...timeoutOptions(config.httpTimeouts),
    // Errors met before any route is chosen: unparsable HTTP, then bad percent-encoding or an over-long path segment.
    clientErrorHandler,
    frameworkErrors: (err, request, reply) => {
      if (request.url.startsWith(`${JOIN_PAGE_PREFIX}/`)) sendJoinErrorPage(config.publicUrl, err, request, reply);
      else sendError(err, request, reply);
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Only JSON bodies: without this, a text/plain body reached validation as a string (400) instead of 415.
  app.removeContentTypeParser('text/plain');

  // An empty JSON body counts as {}: clients may POST without one when every field is optional.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = (body as string).trim();
    if (text === '') return done(null, {});
    try {
      done(null, JSON.parse(text));
    } catch {
      done(errors.invalidRequest('The body is not valid JSON'), undefined);
    }
  });

  app.addHook('preValidation', async (request) => {
    if (request.body === undefined && request.method === 'POST') request.body = {};
  });

  await app.register(errorsPlugin);
  await app.register(requestContextPlugin);
  // Registered before the routes so that it sees each one's schema; documentRoute adds summaries, errors and examples.
  await app.register(swagger, {
    transform: documentRoute,
    transformObject: documentObject,
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Switchboard', version: '0.1.0', description: 'Calls that start from a conversation. Contract: docs/architecture.md.' },
      servers: [{ url: config.publicUrl }],
      components: {
        securitySchemes: {
          agentToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'HS256 agent token minted by the host backend with ORG_SIGNING_SECRET' },
          callCredentials: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Participant credentials from POST /v1/calls or POST /v1/join' },
          apiKey: { type: 'http', scheme: 'bearer', description: 'An API key of the org (ORG_API_KEY, or one made with the admin CLI or routes)' },
          operatorKey: { type: 'http', scheme: 'bearer', description: 'OPERATOR_API_KEY: the admin routes (/v1/admin/…)' },
          ...EXTRA_SECURITY_SCHEMES,
        },
      },
    },
  });
  await app.register(cors, {
    delegator: (request, callback) => {
      const open = CORS_PATHS.test(request.url ?? '') && !ADMIN_PATHS.test(request.url ?? '');
      // strictPreflight off: a malformed preflight gets an ordinary answer, not the plugin's plain-text 400 outside our error shape.
      const common = { strictPreflight: false };
      callback(null, open ? { ...common, origin: '*', methods: ['GET', 'POST', 'OPTIONS'], allowedHeaders: ['authorization', 'content-type', REQUEST_ID_HEADER], exposedHeaders: [REQUEST_ID_HEADER, 'retry-after'], maxAge: 600 } : { ...common, origin: false });
    },
  });
  await app.register(websocket, {
    options: {
      maxPayload: 256 * 1024,
      handleProtocols: (protocols) => (protocols.has(LIVE_SUBPROTOCOL) ? LIVE_SUBPROTOCOL : false),
    },
    preClose(done) {
      // Say "going away" (1001) rather than closing without a code.
      for (const client of this.websocketServer.clients) client.close(LiveCloseCode.shuttingDown, 'service shutting down');
      done();
    },
  });
  await app.register(fastifyStatic, { root: config.sdkDir, prefix: '/sdk/', decorateReply: false, cacheControl: true, maxAge: '5m' });

  await app.register(storePlugin, { config });
  await app.register(orgsPlugin, { config });
  await app.register(callsPlugin, { config });
  await app.register(authPlugin, { config });
  await app.register(rateLimitPlugin, { config });
  await app.register(metricsPlugin);

  await app.register(healthRoutes);
  await app.register(callsRoutes);
  await app.register(callHistoryRoutes);
  await app.register(diagnosticsRoutes, { publicUrl: config.publicUrl });
  await app.register(joinRoutes);
  await app.register(liveRoutes);
  await app.register(webhooksRoutes);
  await app.register(webhookTestRoutes);
  await app.register(livekitWebhookRoutes);
  // Without an operator key the admin routes do not exist (404 like any unknown path).
  if (config.operatorApiKey) await app.register(adminRoutes);
  await app.register(joinPageRoutes, { prefix: JOIN_PAGE_PREFIX, publicUrl: config.publicUrl, mediaUrl: config.media.mode === 'livekit' ? config.media.url : null, sdkDir: config.sdkDir });
  await app.register(openapiRoutes);
  await app.register(docsRoutes);
  await app.register(metricsRoutes, { token: config.metricsToken });

  app.addHook('preClose', async () => {
    // Sockets are told to reconnect (1001) and their presence withdrawn, so the other instances see them go now.
    await app.liveHub.close();
  });
  // Lines still buffered go out when the service closes (and, whatever happens, when the process exits).
  if (buffered) app.addHook('onClose', async () => flushQuietly(buffered));
  return app;
}

function flushQuietly(stream: { flushSync(): void }): void {
  try {
    stream.flushSync();
  } catch {
    // stdout closed: nothing more can be written anyway
  }
}
