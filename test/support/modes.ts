/**
 * The two media modes the end-to-end stories run in: `direct` (peer-to-peer, the default) and
 * `livekit` (a real LiveKit server started here, with webhooks to the service).
 */
import { randomBytes } from 'node:crypto';
import { RoomServiceClient } from 'livekit-server-sdk';
import { freePorts } from './free-port.js';
import { startLivekitServer, type LivekitServer, type LivekitServerOptions } from './livekit-server.js';
import { startStack, type Stack } from './stack.js';

/** Every media mode, in the order the suites run them. */
export const MEDIA_MODES = ['direct', 'livekit'] as const;
/** One media mode. */
export type MediaMode = (typeof MEDIA_MODES)[number];

/** What node:test's `t` offers for clean-up (a test context or a suite's). */
export interface AfterHook {
  after: (fn: () => Promise<unknown>) => void;
}

/**
 * An AfterHook whose clean-ups run last-in first-out, in one `t.after` of `t` (node:test runs its
 * own after hooks first-in first-out: a LiveKit server stopped before the browsers waits for
 * participants that are still connected). Every clean-up runs; the first error is rethrown.
 */
export function lifo(t: AfterHook): AfterHook {
  const cleanups: (() => Promise<unknown>)[] = [];
  t.after(async () => {
    const errors: unknown[] = [];
    for (const cleanup of cleanups.reverse()) await cleanup().catch((error: unknown) => errors.push(error));
    if (errors.length > 0) throw errors[0];
  });
  return { after: (fn) => void cleanups.push(fn) };
}

/** Declares a story once per media mode: `forEachMode((mode) => test(`… [${mode}]`, …))`. */
export function forEachMode(declare: (mode: MediaMode) => void): void {
  for (const mode of MEDIA_MODES) declare(mode);
}

/** A running stack in one mode; in LiveKit mode also its server and a RoomService client for it. */
export interface ModeStack {
  mode: MediaMode;
  stack: Stack;
  /** The LiveKit server the service uses (null in direct mode). */
  livekit: LivekitServer | null;
  /** RoomService API of that server (null in direct mode). */
  rooms: RoomServiceClient | null;
  /** Whether the hosted join page's CSP lets its browser reach the media server (always true in direct mode). */
  joinPageAllowsMedia: boolean;
}

/** Options of startModeStack. */
export interface ModeStackOptions {
  /** More LiveKit server options (log level, Redis…); LiveKit mode only. */
  livekit?: Omit<LivekitServerOptions, 'webhookUrl' | 'apiKey' | 'apiSecret'>;
}

/** The webhook route of a service listening on this port. */
export function livekitWebhookUrl(servicePort: number): string {
  return `http://127.0.0.1:${servicePort}/v1/livekit/webhook`;
}

/**
 * Starts the stack in this mode; in LiveKit mode also a LiveKit server whose webhooks go to the
 * service's port (both chosen up front). `t.after` stops everything, even when a later step fails.
 */
export async function startModeStack(t: AfterHook, mode: MediaMode, options: ModeStackOptions = {}): Promise<ModeStack> {
  if (mode === 'direct') {
    const stack = await startStack();
    t.after(() => stack.stop());
    return { mode, stack, livekit: null, rooms: null, joinPageAllowsMedia: true };
  }
  // Every address is chosen up front, so the LiveKit server and the stack start side by side.
  const [port, livekitPort] = (await freePorts(2)) as [number, number];
  const keys = { apiKey: `e2e_${randomBytes(4).toString('hex')}`, apiSecret: randomBytes(32).toString('base64url') };
  const [livekitStarted, stackStarted] = await Promise.allSettled([
    startLivekitServer({ ...keys, ...options.livekit, ports: { ...options.livekit?.ports, http: livekitPort }, webhookUrl: livekitWebhookUrl(port) }),
    startStack({ port, env: { LIVEKIT_URL: `ws://127.0.0.1:${livekitPort}`, LIVEKIT_API_KEY: keys.apiKey, LIVEKIT_API_SECRET: keys.apiSecret } }),
  ]);
  if (livekitStarted.status === 'fulfilled') t.after(() => livekitStarted.value.stop());
  if (stackStarted.status === 'fulfilled') t.after(() => stackStarted.value.stop());
  if (livekitStarted.status === 'rejected') throw livekitStarted.reason;
  if (stackStarted.status === 'rejected') throw stackStarted.reason;
  const [livekit, stack] = [livekitStarted.value, stackStarted.value];
  const rooms = new RoomServiceClient(livekit.httpUrl, livekit.apiKey, livekit.apiSecret);
  return { mode, stack, livekit, rooms, joinPageAllowsMedia: await joinPageAllows(stack.serviceUrl, [livekit.url, livekit.httpUrl]) };
}

/**
 * Whether the CSP `connect-src` of the service's join pages allows every one of these URLs
 * (livekit-client opens ws://…/rtc and, after a failure, fetches http://…/rtc/validate).
 */
export async function joinPageAllows(serviceUrl: string, urls: string[]): Promise<boolean> {
  const response = await fetch(`${serviceUrl}/join/00000000-0000-4000-8000-000000000000`);
  const csp = response.headers.get('content-security-policy') ?? '';
  const directive = /(?:^|;)\s*connect-src\s([^;]*)/.exec(csp) ?? /(?:^|;)\s*default-src\s([^;]*)/.exec(csp);
  if (!directive) return true;
  const sources = directive[1]!.trim().split(/\s+/).map((source) => source.replace(/\/+$/, ''));
  return urls.every((url) => sources.includes('*') || sources.includes(new URL(url).origin));
}

/** Names of the rooms the LiveKit server has open (call ids: one room per call). */
export async function openRooms(rooms: RoomServiceClient): Promise<string[]> {
  return (await rooms.listRooms()).map((room) => room.name);
}
