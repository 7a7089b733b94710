// Shared test helpers: an in-memory app, agent tokens, live sockets, and a real webhook receiver.
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { after, before, type TestContext } from 'node:test';
import type { FastifyInstance } from 'fastify';
import WebSocket from 'ws';
import { buildApp } from '../../service/app.js';
import { loadConfig, type Config } from '../../service/config.js';
import { signAgentToken, type AgentTokenClaims } from '../../service/domain/agent-token.js';
import { testDatabaseUrl, usePostgres } from '../support/postgres.js';

/** Env every test app starts from: memory store, silent logs, webhooks to a closed port. */
export const TEST_ENV = { DATA_DIR: 'memory://', LOG_LEVEL: 'silent', ORG_WEBHOOK_URL: 'http://127.0.0.1:1/webhook', PORT: '0' };

/**
 * Fast timings so no test waits seconds. With SWITCHBOARD_TEST_DATABASE=postgres (`npm run test:node:pg`) each config
 * gets a fresh PostgreSQL database, except that configs on one DATA_DIR share one (a restart keeps its data).
 */
export function fastConfig(env: Record<string, string> = {}): Config {
  const config = loadConfig({ ...TEST_ENV, ...env });
  const databaseUrl = config.databaseUrl ?? (usePostgres() ? testDatabaseUrl(config.dataDir === 'memory://' ? undefined : config.dataDir) : null);
  return {
    ...config,
    databaseUrl,
    webhooks: { retryScheduleMs: [20, 20, 20, 20, 20, 20, 20], timeoutMs: 1000, pollIntervalMs: 200 },
    sweepIntervalMs: 60_000,
    // Tests make many requests from one address; test/service/rate-limit.test.ts sets its own limits.
    rateLimits: Object.fromEntries(Object.entries(config.rateLimits).map(([name, rule]) => [name, { ...rule, max: 1_000_000 }])) as Config['rateLimits'],
  };
}

/** Builds an app once for a whole test file (PGlite takes about a second to start), closed after the file. */
export function sharedApp(config: Config = fastConfig(), listen = false): { config: Config; app: () => FastifyInstance; url: () => string } {
  let app: FastifyInstance | undefined;
  let url = '';
  before(async () => {
    app = await buildApp(config);
    await app.ready();
    if (listen) {
      await app.listen({ host: '127.0.0.1', port: 0 });
      url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    }
  });
  after(() => app?.close());
  return { config, app: () => app!, url: () => url };
}

/** Builds and readies an app, closed after the test. */
export async function buildTestApp(t: TestContext, config: Config = fastConfig()): Promise<FastifyInstance> {
  const app = await buildApp(config);
  t.after(() => app.close());
  await app.ready();
  return app;
}

/** Claims of an agent who meets every prerequisite. */
export function goodClaims(overrides: Partial<AgentTokenClaims> = {}): AgentTokenClaims {
  return {
    sub: 'agent-1',
    name: 'Alice Agent',
    conversation_id: `conv-${Math.random().toString(36).slice(2)}`,
    client_id: 'client-1',
    client_name: 'Bob Client',
    conversation_started: true,
    conversation_owner_id: 'agent-1',
    ...overrides,
  };
}

/** Shape of POST /v1/calls answers. */
export interface CreateBody {
  call: { id: string; status: string; linkDelivered: boolean; [k: string]: unknown };
  credentials: { role: string; token: string; liveUrl: string; expiresAt: string; media: unknown };
  joinUrl: string | null;
}

/** Creates a call as the agent; returns the response and its JSON. */
export async function createCall(app: FastifyInstance, config: Config, claims = goodClaims(), body: object = { media: 'video' }) {
  const token = await signAgentToken(config, claims);
  const res = await app.inject({ method: 'POST', url: '/v1/calls', headers: { authorization: `Bearer ${token}` }, payload: body });
  return { res, body: res.json<CreateBody>(), token, claims };
}

/** Creates a call and joins it as the client. */
export async function createAndJoin(app: FastifyInstance, config: Config) {
  const created = await createCall(app, config);
  const secret = created.body.joinUrl!.split('#')[1]!;
  const join = await app.inject({ method: 'POST', url: '/v1/join', payload: { callId: created.body.call.id, secret } });
  return { created, secret, agentToken: created.body.credentials.token, clientToken: join.json<CreateBody>().credentials.token, callId: created.body.call.id };
}

/** Polls until the predicate holds. */
export async function waitUntil(predicate: () => boolean | Promise<boolean>, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A live-socket client that records every message and the close. */
export interface LiveClient {
  ws: WebSocket;
  messages: Record<string, unknown>[];
  /** The first not-yet-taken message of this type (waits for it). */
  next(type: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  closed: Promise<{ code: number; reason: string }>;
}

/** Watches a ws client from its creation (so the first `hello` is not missed). */
export function watch(ws: WebSocket): Omit<LiveClient, 'ws'> {
  const messages: Record<string, unknown>[] = [];
  const taken = new Set<number>();
  ws.on('message', (data: Buffer) => messages.push(JSON.parse(data.toString()) as Record<string, unknown>));
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code: number, reason: Buffer) => resolve({ code, reason: reason.toString() })));
  const next = async (type: string, timeoutMs = 3000) => {
    let found: Record<string, unknown> | undefined;
    await waitUntil(() => {
      const i = messages.findIndex((m, idx) => !taken.has(idx) && m.type === type);
      if (i === -1) return false;
      found = messages[i];
      taken.add(i);
      return true;
    }, timeoutMs, `a "${type}" message`);
    return found!;
  };
  return { messages, next, closed };
}

/** Opens a live socket over a real connection (baseUrl is http://host:port). */
export function connectReal(baseUrl: string, callId: string, token: string): LiveClient {
  const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/v1/calls/${callId}/live`, ['switchboard.v1', token]);
  ws.on('error', () => undefined);
  return { ws, ...watch(ws) };
}

/** Opens a live socket through injectWS. */
export async function connectLive(app: FastifyInstance, callId: string, token: string): Promise<LiveClient> {
  let watcher!: Omit<LiveClient, 'ws'>;
  const ws = await app.injectWS(`/v1/calls/${callId}/live`, { headers: { 'sec-websocket-protocol': `switchboard.v1, ${token}` } }, {
    onInit: (socket) => (watcher = watch(socket)),
  });
  return { ws, ...watcher };
}

/** One request received by the webhook receiver. */
export interface Delivery {
  headers: IncomingHttpHeaders;
  body: string;
  json: { type: string; timestamp: string; data: Record<string, unknown> };
}

/** What a receiver answers: a status, or a status with headers (e.g. Retry-After); may be awaited to hold the answer back. */
export type ReceiverAnswer = number | { status: number; headers?: Record<string, string> };

/** A real HTTP receiver on 127.0.0.1:0; `respond` picks the answer to each request. */
export async function startReceiver(t: TestContext, respond: (d: Delivery, n: number) => ReceiverAnswer | Promise<ReceiverAnswer> = () => 204) {
  const deliveries: Delivery[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      const delivery = { headers: req.headers, body, json: JSON.parse(body) as Delivery['json'] };
      deliveries.push(delivery);
      void Promise.resolve(respond(delivery, deliveries.length)).then((answer) => {
        const { status, headers = {} } = typeof answer === 'number' ? { status: answer } : answer;
        res.writeHead(status, headers).end();
      });
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => new Promise<void>((r) => server.close(() => r())));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/webhook`, deliveries };
}

/** A log destination keeping every line pino writes, parsed. */
export function logCapture() {
  const lines: Record<string, unknown>[] = [];
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { stream, lines, text: () => text };
}

/** One route of the app. */
export interface Route {
  method: string;
  path: string;
}

/**
 * The routes of the app from `printRoutes({ commonPrefix: false })`: a tree with four characters of indent per level,
 * each line a path segment and, when a route ends there, its methods in parentheses.
 */
export function routesOf(app: FastifyInstance): Route[] {
  const routes: Route[] = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^(?<indent>(?:│ {3}| {4})*)[├└]── (?<segment>\S+?)(?: \((?<methods>[A-Z]+(?:, [A-Z]+)*)\))?(?: .*)?$/u.exec(line);
    if (!match?.groups) continue;
    stack.length = match.groups.indent!.length / 4;
    // Parameters of different names at one place print as `:a|:b`; one name is enough to fill the place.
    stack.push(match.groups.segment!.split('|')[0]!);
    const path = stack.join('');
    for (const method of match.groups.methods?.split(', ') ?? []) routes.push({ method, path });
  }
  return routes;
}
