/** Launches Debian's Chromium through playwright-core with fake media devices. */
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Flags measured to work on these machines (see ../shared/TESTING.md). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--autoplay-policy=no-user-gesture-required',
];

/**
 * A headless Chromium with fake camera, microphone and screen. `fakeUi: false` drops the
 * auto-accepting fake UI: then only what a context was granted works (the rest is
 * NotAllowedError), and getDisplayMedia needs an auto-select flag in `args`.
 */
export function launchChromium(options: { fakeUi?: boolean; args?: string[] } = {}): Promise<Browser> {
  const base = options.fakeUi === false ? CHROMIUM_ARGS.filter((a) => a !== '--use-fake-ui-for-media-stream') : CHROMIUM_ARGS;
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    // playwright gives every launch a fresh temporary profile of its own.
    args: [...base, ...(options.args ?? [])],
  });
}

/**
 * Records every media track and peer connection the page makes, so a test can check
 * them after the app has let go of them (ended tracks, getStats).
 */
export const RECORD_MEDIA = `(() => {
  window.__tracks = [];
  window.__screenTracks = [];
  window.__pcs = [];
  const md = navigator.mediaDevices;
  for (const name of ['getUserMedia', 'getDisplayMedia']) {
    const original = md[name].bind(md);
    md[name] = async (...args) => {
      const stream = await original(...args);
      window.__tracks.push(...stream.getTracks());
      if (name === 'getDisplayMedia') window.__screenTracks.push(...stream.getTracks());
      return stream;
    };
  }
  const PC = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends PC {
    constructor(...args) { super(...args); window.__pcs.push(this); }
  };
})();`;

/** A context with media recording installed and these permissions granted (camera and microphone by default); `bypassCSP` ignores pages' CSP. */
export async function mediaContext(browser: Browser, permissions: string[] = ['camera', 'microphone'], options: { bypassCSP?: boolean } = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ permissions, bypassCSP: options.bypassCSP ?? false });
  await context.addInitScript(RECORD_MEDIA);
  return context;
}

/** A one-line-per-connection picture of the page's peer connections, for failure messages. */
export function describeConnections(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const lines: string[] = [];
    for (const pc of (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs) {
      const rtp: string[] = [];
      (await pc.getStats()).forEach((s: { type: string; kind?: string; bytesReceived?: number; bytesSent?: number }) => {
        if (s.type === 'inbound-rtp' || s.type === 'outbound-rtp') rtp.push(`${s.type}/${s.kind}=${s.bytesReceived ?? s.bytesSent}`);
      });
      const transceivers = pc.getTransceivers().map((t) => `${t.mid}:${t.receiver.track.kind}:${t.currentDirection}:${t.sender.track ? 'sending' : 'no-track'}`);
      lines.push(`connection=${pc.connectionState} signaling=${pc.signalingState} transceivers=[${transceivers.join(' ')}] rtp=[${rtp.join(' ')}]`);
    }
    return lines.join('\n') || 'no peer connection';
  });
}

/** Inbound-rtp bytes per kind over the page's peer connections (all but closed ones, or only connected ones). */
export function inboundBytes(page: Page, only: 'open' | 'connected' = 'open'): Promise<{ audio: number; video: number }> {
  return page.evaluate(async (onlyConnected) => {
    const totals = { audio: 0, video: 0 };
    for (const pc of (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs) {
      if (pc.connectionState === 'closed' || (onlyConnected && pc.connectionState !== 'connected')) continue;
      (await pc.getStats()).forEach((s: { type: string; kind?: string; bytesReceived?: number }) => {
        if (s.type === 'inbound-rtp' && (s.kind === 'audio' || s.kind === 'video')) totals[s.kind] += s.bytesReceived ?? 0;
      });
    }
    return totals;
  }, only === 'connected');
}

/** Waits for audio and video bytes on the page, then checks both still grow 1.5 s later; fails with the connections' picture. */
export async function expectMediaFlowing(page: Page, who: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let first = await inboundBytes(page);
  while ((first.audio === 0 || first.video === 0) && Date.now() < deadline) {
    await page.waitForTimeout(250);
    first = await inboundBytes(page);
  }
  await page.waitForTimeout(1_500);
  const second = await inboundBytes(page);
  if (second.audio > first.audio && second.video > first.video) return;
  throw new Error(`${who}: inbound bytes do not grow (audio ${first.audio} → ${second.audio}, video ${first.video} → ${second.video})\n${await describeConnections(page)}`);
}

/** `kind:readyState` of every track the page captured. */
export function trackStates(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __tracks: MediaStreamTrack[] }).__tracks.map((t) => `${t.kind}:${t.readyState}`));
}

/**
 * An init script sending the page's WebSockets for one origin (`ws://127.0.0.1:7880`) to another
 * instead, and recording every URL it opened in `window.__wsUrls` (routes one participant to
 * another LiveKit node while the service hands out one URL).
 */
export function redirectWebSockets(from: string, to: string): string {
  return `(() => {
    const from = ${JSON.stringify(from)}, to = ${JSON.stringify(to)};
    window.__wsUrls = [];
    const WS = window.WebSocket;
    window.WebSocket = class extends WS {
      constructor(url, protocols) {
        const target = String(url).startsWith(from) ? to + String(url).slice(from.length) : String(url);
        window.__wsUrls.push(target);
        super(target, protocols);
      }
    };
  })();`;
}
