/**
 * A real LiveKit server (the binary scripts/ensure-livekit.mjs builds) on 127.0.0.1 with free
 * ports and a generated config, for tests and `npm run start:livekit`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureLivekitServer } from '../../scripts/ensure-livekit.mjs';
import { freePorts } from './free-port.js';

/** Options of startLivekitServer; every field is optional. */
export interface LivekitServerOptions {
  /** Where LiveKit posts its webhooks (the service's /v1/livekit/webhook); none when unset. */
  webhookUrl?: string;
  /** API key and secret (the secret must have 32+ characters); random when unset. */
  apiKey?: string;
  apiSecret?: string;
  /** Ports to reuse (a restart on the same address); free ones when unset. */
  ports?: Partial<LivekitPorts>;
  /** Redis address (host:port) for distributed mode; single node when unset. */
  redisAddress?: string;
  /** Redis database number (keeps a test cluster's node registry and rooms apart from others on the same Redis); 0 when unset. */
  redisDb?: number;
  /** How long to wait for the server to answer, in ms. */
  readyTimeoutMs?: number;
  /** The server's log level; `info` when unset (`debug` also logs every signalling message). */
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** Copy the server's log to this process's stderr (debugging). */
  echoLogs?: boolean;
  /** YAML appended to the generated config as is (tests of the config itself). */
  extraYaml?: string;
}

/** The ports one server listens on. */
export interface LivekitPorts {
  /** HTTP: signalling WebSocket, Twirp API, health check. */
  http: number;
  /** ICE over TCP. */
  rtcTcp: number;
  /** ICE over UDP (one port, muxed). */
  rtcUdp: number;
}

/** A running server. */
export interface LivekitServer {
  /** ws://127.0.0.1:<port>, what browsers and LIVEKIT_URL take. */
  url: string;
  /** http://127.0.0.1:<port>, what RoomServiceClient takes. */
  httpUrl: string;
  apiKey: string;
  apiSecret: string;
  ports: LivekitPorts;
  /** The generated YAML, for failure messages. */
  configYaml: string;
  /** The last lines the server logged. */
  logs(): string;
  /** SIGTERM, then SIGKILL after a grace period; safe to call twice. */
  stop(): Promise<void>;
  /** SIGKILL at once (a crash: no leave, no webhooks); resolves once it exited. */
  kill(): Promise<void>;
}

/** How long a stopping server gets before SIGKILL. */
const STOP_GRACE_MS = 3000;
/** Log lines kept for failure messages. */
const KEPT_LOG_LINES = 200;

/** The config file: only keys the v1.13.5 binary knows (an unknown key makes it exit at once). */
export function livekitConfigYaml(o: { apiKey: string; apiSecret: string; ports: LivekitPorts; webhookUrl?: string; redisAddress?: string; redisDb?: number; logLevel?: string; extraYaml?: string }): string {
  const lines = [
    `port: ${o.ports.http}`,
    'bind_addresses: [127.0.0.1]',
    'rtc:',
    `  tcp_port: ${o.ports.rtcTcp}`,
    `  udp_port: ${o.ports.rtcUdp}`,
    '  node_ip: 127.0.0.1',
    '  use_external_ip: false',
    // An empty list would hand clients Google's STUN servers, unreachable here; this one answers nothing harmful.
    `  stun_servers: ["127.0.0.1:${o.ports.rtcUdp}"]`,
    'keys:',
    `  ${JSON.stringify(o.apiKey)}: ${JSON.stringify(o.apiSecret)}`,
    'room:',
    // Rooms exist only when the service creates them (CreateRoom at call creation).
    '  auto_create: false',
    'logging:',
    `  level: ${o.logLevel ?? 'info'}`,
  ];
  if (o.webhookUrl) lines.push('webhook:', `  api_key: ${JSON.stringify(o.apiKey)}`, `  urls: [${JSON.stringify(o.webhookUrl)}]`);
  if (o.redisAddress) lines.push('redis:', `  address: ${JSON.stringify(o.redisAddress)}`);
  if (o.redisAddress && o.redisDb) lines.push(`  db: ${o.redisDb}`);
  if (o.extraYaml) lines.push(o.extraYaml.trimEnd());
  return lines.join('\n') + '\n';
}

/** Starts a server and resolves once GET / answers "OK"; rejects (with its log) if it exits or never answers. */
export async function startLivekitServer(options: LivekitServerOptions = {}): Promise<LivekitServer> {
  const bin = ensureLivekitServer();
  const apiKey = options.apiKey ?? `test_${randomBytes(6).toString('hex')}`;
  const apiSecret = options.apiSecret ?? randomBytes(24).toString('base64url');
  // Distinct from each other and from any port the caller fixed (the server exits on a clash).
  const fixed = Object.values(options.ports ?? {});
  const free = (await freePorts(3 + fixed.length)).filter((p) => !fixed.includes(p));
  const ports: LivekitPorts = {
    http: options.ports?.http ?? free.shift()!,
    rtcTcp: options.ports?.rtcTcp ?? free.shift()!,
    rtcUdp: options.ports?.rtcUdp ?? free.shift()!,
  };
  const configYaml = livekitConfigYaml({ apiKey, apiSecret, ports, webhookUrl: options.webhookUrl, redisAddress: options.redisAddress, redisDb: options.redisDb, logLevel: options.logLevel, extraYaml: options.extraYaml });
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-livekit-'));
  const configPath = join(dir, 'livekit.yaml');
  writeFileSync(configPath, configYaml, { mode: 0o600 });

  const log: string[] = [];
  const child = spawn(bin, ['--config', configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
  const onData = (chunk: Buffer) => {
    if (options.echoLogs) process.stderr.write(chunk);
    log.push(...chunk.toString().split('\n').filter(Boolean));
    if (log.length > KEPT_LOG_LINES) log.splice(0, log.length - KEPT_LOG_LINES);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  // A test process that dies without stop() must not leave a server behind holding its ports.
  const killOnExit = () => {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', killOnExit);
  const exited = once(child, 'exit').then(() => {
    process.off('exit', killOnExit);
    rmSync(dir, { recursive: true, force: true });
  });

  let stopping: Promise<void> | undefined;
  const server: LivekitServer = {
    url: `ws://127.0.0.1:${ports.http}`,
    httpUrl: `http://127.0.0.1:${ports.http}`,
    apiKey,
    apiSecret,
    ports,
    configYaml,
    logs: () => log.join('\n'),
    stop: () => (stopping ??= stopChild(child, exited)),
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      return exited;
    },
  };
  try {
    await waitReady(server.httpUrl, child, options.readyTimeoutMs ?? 15_000);
  } catch (err) {
    await server.stop();
    throw new Error(`${(err as Error).message}\n--- config ---\n${configYaml}--- log ---\n${server.logs()}`, { cause: err });
  }
  return server;
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return exited;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}

async function waitReady(httpUrl: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    // The binary exits with status 0 on a bad config, so any exit before "OK" is a failure.
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`livekit-server exited (${child.exitCode ?? child.signalCode}) before it was ready`);
    try {
      const res = await fetch(`${httpUrl}/`, { signal: AbortSignal.timeout(1000) });
      if (res.ok && (await res.text()).trim() === 'OK') return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`livekit-server did not answer OK on ${httpUrl} within ${timeoutMs} ms`);
}
