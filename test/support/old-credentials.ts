/**
 * Tries credentials of an ended call again from inside a page, the way a browser would: the
 * service's live socket, and (LiveKit mode) livekit-client's Room with the old room token.
 */
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

/** What happened to a live socket opened with some credentials. */
export interface LiveSocketOutcome {
  /** Whether the upgrade was accepted (a 401 before the upgrade leaves it false). */
  opened: boolean;
  /** Messages received before the close (a `hello` means the service let it in). */
  messages: number;
  /** The close code (4000: call ended; 1006: refused before the upgrade). */
  code: number;
}

/** Opens the live socket with this token from the page (on the service's origin) and waits for its close, 10 s at most. */
export function liveSocketOutcome(page: Page, liveUrl: string, token: string): Promise<LiveSocketOutcome> {
  return page.evaluate(({ liveUrl, token }) => new Promise<LiveSocketOutcome>((resolve, reject) => {
    const outcome = { opened: false, messages: 0, code: 0 };
    const socket = new WebSocket(liveUrl, ['switchboard.v1', token]);
    const timer = setTimeout(() => { socket.close(); reject(new Error(`the live socket stayed open (${JSON.stringify(outcome)})`)); }, 10_000);
    socket.onopen = () => (outcome.opened = true);
    socket.onmessage = () => (outcome.messages += 1);
    socket.onclose = (event) => { clearTimeout(timer); resolve({ ...outcome, code: event.code }); };
  }), { liveUrl, token });
}

/** livekit-client's UMD build (what `require` resolves to: the same package and version the SDK bundles). */
const LIVEKIT_CLIENT_UMD = createRequire(import.meta.url).resolve('livekit-client');

/** Connects a fresh livekit-client Room in the page with this URL and token; says whether it got in, and LiveKit's refusal. */
export async function connectLivekitRoom(page: Page, url: string, token: string): Promise<{ connected: boolean; error: string | null }> {
  await page.addScriptTag({ path: LIVEKIT_CLIENT_UMD });
  return page.evaluate(async ({ url, token }) => {
    type PageRoom = { connect(url: string, token: string): Promise<void>; disconnect(): Promise<void> };
    const { Room } = (window as unknown as { LivekitClient: { Room: new () => PageRoom } }).LivekitClient;
    const room = new Room();
    try {
      await room.connect(url, token);
      await room.disconnect();
      return { connected: true, error: null };
    } catch (error) {
      return { connected: false, error: String(error) };
    }
  }, { url, token });
}
