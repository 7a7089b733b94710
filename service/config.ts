// The only reader of process.env: validates every variable of the wire contract at boot.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_RETRY_SCHEDULE, parseRetrySchedule } from './webhooks/retry-schedule.js';

/** A config variable has a bad value; `variable` names it. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly variable: string, message: string) {
    super(`${variable}: ${message}`);
  }
}

/** One RTCIceServer entry as accepted in ICE_SERVERS. */
export interface IceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}

/** Shortest LIVEKIT_API_SECRET accepted (the LiveKit server itself refuses shorter ones in production). */
export const MIN_LIVEKIT_SECRET_CHARS = 32;

/** Media mode settings: peer-to-peer with ICE servers, or a LiveKit server. */
export type MediaConfig =
  | { mode: 'direct'; iceServers: IceServer[] }
  | {
    mode: 'livekit';
    /** ws(s):// URL browsers connect to. */
    url: string;
    apiKey: string;
    apiSecret: string;
    /** Lifetime of a participant's LiveKit token: only for connecting, the server refreshes it while connected. */
    tokenTtlSeconds: number;
    /** How long an emptied room waits for someone to come back before LiveKit closes it (and the call ends). */
    departureTimeoutSeconds: number;
    /** Retries of a failed DeleteRoom: first delay, doubling, and how many attempts in all. */
    deleteRoom: { initialBackoffMs: number; maxAttempts: number };
    /** Request timeout towards the LiveKit API. */
    requestTimeoutSeconds: number;
  };

/** Log levels accepted by LOG_LEVEL. */
export const LOG_LEVELS = ['silent', 'fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;
/** A LOG_LEVEL value. */
export type LogLevel = (typeof LOG_LEVELS)[number];
/** LOG_FORMAT values: `pretty` (one readable line per entry, for a terminal) or `json` (pino's lines, for log shippers). */
export const LOG_FORMATS = ['pretty', 'json'] as const;
/** A LOG_FORMAT value. */
export type LogFormat = (typeof LOG_FORMATS)[number];

/** At most `max` requests per `windowMs` for one key. */
export interface RateLimitRule {
  max: number;
  windowMs: number;
}

/** Rate limits by what they count (see service/plugins/rate-limit.ts). */
export interface RateLimits {
  /** POST /v1/join per client IP. */
  joinPerIp: RateLimitRule;
  /** POST /v1/join per call id and client IP: the budget for guessing a link secret. */
  joinPerCall: RateLimitRule;
  /** GET /join/:callId per client IP. */
  joinPagePerIp: RateLimitRule;
  /** POST /v1/calls per org and agent (from the verified agent token). */
  createCallPerAgent: RateLimitRule;
  /** POST /v1/calls/:id/events per call and role. */
  eventsPerCallRole: RateLimitRule;
  /** GET /v1/calls/:id/live upgrades per client IP. */
  livePerIp: RateLimitRule;
  /** GET /v1/calls/:id/live upgrades per call id and client IP. */
  livePerCall: RateLimitRule;
  /** Reads of a call by its participants (GET /v1/calls/:id, its timeline and diagnostics) per call and role; the pre-join polls the call every 5 s. */
  callReadsPerCallRole: RateLimitRule;
  /** POST /v1/webhooks/test per org: each one is an outgoing request. */
  webhookTestPerOrg: RateLimitRule;
  /** POST /v1/calls/:id/invite per call: each one is a message posted into the conversation. */
  resendInvitePerCall: RateLimitRule;
}

/** Timeouts of the HTTP server; none of them applies to a live socket once upgraded. */
export interface HttpTimeouts {
  /** The whole request (headers and body) must arrive within this. */
  requestMs: number;
  /** The headers must arrive within this. */
  headersMs: number;
  /** A socket with no traffic either way is closed after this. */
  idleMs: number;
  /** An idle keep-alive connection is closed after this (above the usual 60 s of load balancers, so they close first). */
  keepAliveMs: number;
}

/** Validated service configuration. */
export interface Config {
  host: string;
  port: number;
  publicUrl: string;
  /** Folder with PGlite files and secrets.json, or 'memory://' for an in-memory store. */
  dataDir: string;
  databaseUrl: string | null;
  logLevel: LogLevel;
  /** LOG_FORMAT: how log lines are written (default pretty; json in production behind a log shipper). */
  logFormat: LogFormat;
  media: MediaConfig;
  /**
   * The org of the environment (ORG_*): made in the database on first start and kept in step with these values when
   * they change (service/orgs/bootstrap.ts); other orgs live in the database only. allowedOrigins empty: any origin.
   */
  org: { id: string; name: string; signingSecret: string; apiKey: string; webhookUrl: string; webhookSecret: string; allowedOrigins: string[] };
  /** OPERATOR_API_KEY: opens the admin routes (/v1/admin/…); null: they answer 404. */
  operatorApiKey: string | null;
  /** METRICS_TOKEN: the bearer token GET /metrics wants; null: /metrics is open (keep it off the public network). */
  metricsToken: string | null;
  serviceSecret: string;
  linkTtlSeconds: number;
  ringTimeoutSeconds: number;
  /** AGENT_GRACE_SECONDS: how long an open call waits for an agent whose live connection is gone before it ends (`agent_left`). */
  agentGraceSeconds: number;
  demo: { port: number };
  /** Folder served at /sdk/ (the browser bundle). */
  sdkDir: string;
  /** Timings of the webhook worker (retryScheduleMs: wait before each retry, from WEBHOOK_RETRY_SCHEDULE); tests shrink them. */
  webhooks: { retryScheduleMs: number[]; timeoutMs: number; pollIntervalMs: number };
  /** How often overdue calls (ring timeout, link expiry) are ended. */
  sweepIntervalMs: number;
  /** Interval of WebSocket pings on live sockets. */
  livePingIntervalMs: number;
  /** Timings of the live bus between instances (PostgreSQL only): heartbeats, crashed-instance timeout, large-message lifetime. */
  liveBus: { heartbeatIntervalMs: number; instanceTimeoutMs: number; messageTtlMs: number };
  /** Per-route request limits (429 rate_limited beyond them). */
  rateLimits: RateLimits;
  /** HTTP server timeouts. */
  httpTimeouts: HttpTimeouts;
  /** Proxies whose X-Forwarded-For is believed (TRUST_PROXY): a hop count, addresses/CIDRs, or none. Per-IP limits depend on it. */
  trustProxy: false | number | string[];
}

/** The repository root (this file lives in <repo>/service). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Default folder of the browser bundle. */
export const sdkDir = join(repoRoot, 'dist');

/** DATA_DIR value selecting an in-memory store and in-memory generated secrets. */
export const MEMORY_DATA_DIR = 'memory://';

type Env = Record<string, string | undefined>;

function str(env: Env, name: string, fallback: string): string {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  return value;
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(name, `must be an integer, got ${JSON.stringify(raw)}`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function url(env: Env, name: string, fallback: string, protocols: string[]): string {
  const value = str(env, name, fallback);
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new ConfigError(name, `must be a URL, got ${JSON.stringify(value)}`);
  }
  if (!protocols.includes(parsed.protocol)) throw new ConfigError(name, `must use ${protocols.join(' or ')}`);
  return value.replace(/\/+$/, '');
}

function iceServers(env: Env): IceServer[] {
  const raw = str(env, 'ICE_SERVERS', '[]');
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigError('ICE_SERVERS', 'must be a JSON array of RTCIceServer');
  }
  if (!Array.isArray(parsed)) throw new ConfigError('ICE_SERVERS', 'must be a JSON array of RTCIceServer');
  return parsed.map((entry: unknown, i) => {
    const e = entry as Partial<IceServer> | null;
    const urls = e?.urls;
    const okUrls = typeof urls === 'string' || (Array.isArray(urls) && urls.length > 0 && urls.every((u) => typeof u === 'string'));
    if (!e || typeof e !== 'object' || !okUrls) throw new ConfigError('ICE_SERVERS', `entry ${i} needs "urls" (string or string[])`);
    for (const k of ['username', 'credential'] as const) {
      if (e[k] !== undefined && typeof e[k] !== 'string') throw new ConfigError('ICE_SERVERS', `entry ${i}: "${k}" must be a string`);
    }
    return { urls: urls, ...(e.username ? { username: e.username } : {}), ...(e.credential ? { credential: e.credential } : {}) };
  });
}

/** LiveKit mode when all three LIVEKIT_* are set, direct mode when none is; anything between is an error. */
function media(env: Env, iceServers: IceServer[]): MediaConfig {
  const names = ['LIVEKIT_URL', 'LIVEKIT_API_KEY', 'LIVEKIT_API_SECRET'];
  const set = names.filter((n) => env[n]);
  if (set.length === 0) return { mode: 'direct', iceServers };
  if (set.length < names.length) {
    const missing = names.filter((n) => !env[n]);
    throw new ConfigError(missing[0]!, `LiveKit needs all of ${names.join(', ')}; missing ${missing.join(', ')} (or unset them all for direct peer-to-peer mode)`);
  }
  const apiSecret = env.LIVEKIT_API_SECRET!;
  if (apiSecret.length < MIN_LIVEKIT_SECRET_CHARS) throw new ConfigError('LIVEKIT_API_SECRET', `must be at least ${MIN_LIVEKIT_SECRET_CHARS} characters`);
  return {
    mode: 'livekit',
    url: url(env, 'LIVEKIT_URL', '', ['ws:', 'wss:', 'http:', 'https:']).replace(/^http/, 'ws'),
    apiKey: env.LIVEKIT_API_KEY!,
    apiSecret,
    tokenTtlSeconds: 600,
    departureTimeoutSeconds: 60,
    deleteRoom: { initialBackoffMs: 1000, maxAttempts: 10 },
    requestTimeoutSeconds: 10,
  };
}

interface GeneratedSecrets {
  orgSigningSecret: string;
  orgApiKey: string;
  orgWebhookSecret: string;
  serviceSecret: string;
}

function generateSecrets(): GeneratedSecrets {
  return {
    orgSigningSecret: randomBytes(32).toString('base64url'),
    orgApiKey: `sk_${randomBytes(24).toString('base64url')}`,
    orgWebhookSecret: `whsec_${randomBytes(24).toString('base64')}`,
    serviceSecret: randomBytes(32).toString('base64url'),
  };
}

/** Generated secrets survive restarts in DATA_DIR/secrets.json (mode 0600); memory:// keeps them in memory. */
function loadSecrets(dataDir: string): GeneratedSecrets {
  if (dataDir === MEMORY_DATA_DIR) return generateSecrets();
  const file = join(dataDir, 'secrets.json');
  try {
    mkdirSync(dataDir, { recursive: true });
    if (existsSync(file)) {
      const stored = JSON.parse(readFileSync(file, 'utf8')) as Partial<GeneratedSecrets>;
      const merged = { ...generateSecrets(), ...stored };
      if (Object.keys(stored).length !== Object.keys(merged).length) writeSecrets(file, merged);
      return merged;
    }
    const fresh = generateSecrets();
    writeSecrets(file, fresh);
    return fresh;
  } catch (err) {
    throw new ConfigError('DATA_DIR', `cannot read or write ${file}: ${(err as Error).message}`);
  }
}

function writeSecrets(file: string, secrets: GeneratedSecrets): void {
  writeFileSync(file, JSON.stringify(secrets, null, 2) + '\n', { mode: 0o600 });
  chmodSync(file, 0o600);
}

function webhookSecret(env: Env, generated: string): string {
  const value = str(env, 'ORG_WEBHOOK_SECRET', generated);
  const base64 = value.startsWith('whsec_') ? value.slice(6) : value;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64) || Buffer.from(base64, 'base64').length < 16) {
    throw new ConfigError('ORG_WEBHOOK_SECRET', 'must be "whsec_" followed by at least 16 base64-encoded bytes');
  }
  return value;
}

/** ORG_ALLOWED_ORIGINS: comma-separated origins (`https://app.example.com`); unset: any origin. */
function origins(env: Env): string[] {
  const entries = str(env, 'ORG_ALLOWED_ORIGINS', '').split(',').map((e) => e.trim()).filter(Boolean);
  for (const entry of entries) {
    let origin: string | null = null;
    try {
      origin = new URL(entry).origin;
    } catch {
      // reported below
    }
    if (origin !== entry || !/^https?:/.test(entry)) throw new ConfigError('ORG_ALLOWED_ORIGINS', `must be comma-separated origins like https://app.example.com, got ${JSON.stringify(entry)}`);
  }
  return [...new Set(entries)];
}

function secret(env: Env, name: string, generated: string): string {
  const value = str(env, name, generated);
  if (value.length < 16) throw new ConfigError(name, 'must be at least 16 characters');
  return value;
}

const MINUTE_MS = 60_000;

/** Defaults generous for real use (a client joins once per page load, an agent starts a few calls an hour). */
const DEFAULT_RATE_LIMITS: RateLimits = {
  joinPerIp: { max: 30, windowMs: MINUTE_MS },
  joinPerCall: { max: 10, windowMs: MINUTE_MS },
  joinPagePerIp: { max: 60, windowMs: MINUTE_MS },
  createCallPerAgent: { max: 30, windowMs: MINUTE_MS },
  eventsPerCallRole: { max: 20, windowMs: MINUTE_MS },
  livePerIp: { max: 60, windowMs: MINUTE_MS },
  livePerCall: { max: 30, windowMs: MINUTE_MS },
  callReadsPerCallRole: { max: 120, windowMs: MINUTE_MS },
  webhookTestPerOrg: { max: 10, windowMs: MINUTE_MS },
  resendInvitePerCall: { max: 3, windowMs: MINUTE_MS },
};

/** TRUST_PROXY: unset ⇒ none; an integer ⇒ that many proxy hops; else comma-separated addresses or CIDRs. */
function trustProxy(env: Env): false | number | string[] {
  const raw = str(env, 'TRUST_PROXY', '').trim();
  if (raw === '') return false;
  if (/^\d+$/.test(raw)) return int(env, 'TRUST_PROXY', 0, 1, 16);
  const entries = raw.split(',').map((e) => e.trim()).filter(Boolean);
  for (const entry of entries) {
    const [address, bits, ...rest] = entry.split('/');
    const okBits = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (isIP(address ?? '') === 6 ? 128 : 32));
    if (!isIP(address ?? '') || !okBits || rest.length > 0) {
      throw new ConfigError('TRUST_PROXY', `must be a hop count or comma-separated IP addresses/CIDRs, got ${JSON.stringify(entry)}`);
    }
  }
  return entries;
}

/** WEBHOOK_RETRY_SCHEDULE: comma-separated waits before each retry, e.g. `5s,5m,30m,2h,5h,10h,10h`. */
function retrySchedule(env: Env): number[] {
  try {
    return parseRetrySchedule(str(env, 'WEBHOOK_RETRY_SCHEDULE', DEFAULT_RETRY_SCHEDULE));
  } catch (err) {
    throw new ConfigError('WEBHOOK_RETRY_SCHEDULE', `${(err as Error).message} (expected e.g. ${DEFAULT_RETRY_SCHEDULE})`);
  }
}

/** Reads and validates the configuration; a bad value throws ConfigError naming the variable. */
export function loadConfig(env: Env = process.env): Config {
  const port = int(env, 'PORT', 3000, 0, 65535);
  const demoPort = int(env, 'DEMO_PORT', 3001, 0, 65535);
  const host = str(env, 'HOST', '127.0.0.1');
  const logLevel = str(env, 'LOG_LEVEL', 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}`);
  const logFormat = str(env, 'LOG_FORMAT', 'pretty') as LogFormat;
  if (!LOG_FORMATS.includes(logFormat)) throw new ConfigError('LOG_FORMAT', `must be one of ${LOG_FORMATS.join(', ')}`);
  const publicUrl = url(env, 'PUBLIC_URL', `http://127.0.0.1:${port}`, ['http:', 'https:']);
  const databaseUrl = env.DATABASE_URL ? url(env, 'DATABASE_URL', '', ['postgres:', 'postgresql:']) : null;
  const orgId = str(env, 'ORG_ID', 'demo');
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(orgId)) throw new ConfigError('ORG_ID', 'must be 1-64 characters of letters, digits, "_", "." or "-"');
  const mediaConfig = media(env, iceServers(env));
  const rawDataDir = str(env, 'DATA_DIR', '.data');
  const dataDir = rawDataDir === MEMORY_DATA_DIR ? rawDataDir : resolve(rawDataDir);
  const generated = loadSecrets(dataDir);
  return {
    host,
    port,
    publicUrl,
    dataDir,
    databaseUrl,
    logLevel,
    logFormat,
    media: mediaConfig,
    org: {
      id: orgId,
      name: str(env, 'ORG_NAME', 'Demo Helpdesk'),
      signingSecret: secret(env, 'ORG_SIGNING_SECRET', generated.orgSigningSecret),
      apiKey: secret(env, 'ORG_API_KEY', generated.orgApiKey),
      webhookUrl: url(env, 'ORG_WEBHOOK_URL', `http://127.0.0.1:${demoPort}/switchboard/webhook`, ['http:', 'https:']),
      webhookSecret: webhookSecret(env, generated.orgWebhookSecret),
      allowedOrigins: origins(env),
    },
    // Never generated: without it the admin routes do not exist.
    operatorApiKey: env.OPERATOR_API_KEY ? secret(env, 'OPERATOR_API_KEY', '') : null,
    metricsToken: env.METRICS_TOKEN ? secret(env, 'METRICS_TOKEN', '') : null,
    serviceSecret: secret(env, 'SERVICE_SECRET', generated.serviceSecret),
    linkTtlSeconds: int(env, 'LINK_TTL_SECONDS', 86400, 60, 30 * 86400),
    ringTimeoutSeconds: int(env, 'RING_TIMEOUT_SECONDS', 600, 5, 86400),
    agentGraceSeconds: int(env, 'AGENT_GRACE_SECONDS', 30, 1, 3600),
    demo: { port: demoPort },
    sdkDir,
    webhooks: { retryScheduleMs: retrySchedule(env), timeoutMs: 5000, pollIntervalMs: 5000 },
    sweepIntervalMs: 5000,
    livePingIntervalMs: 30000,
    // A crashed instance's sockets count as gone after about 20 s; its clients have reconnected elsewhere by then.
    liveBus: { heartbeatIntervalMs: 5_000, instanceTimeoutMs: 20_000, messageTtlMs: 60_000 },
    rateLimits: structuredClone(DEFAULT_RATE_LIMITS),
    httpTimeouts: { requestMs: 10_000, headersMs: 5_000, idleMs: 30_000, keepAliveMs: 72_000 },
    trustProxy: trustProxy(env),
  };
}
