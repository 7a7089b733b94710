/**
 * `tsx scripts/take-screenshots.ts`: the screenshots of docs/user-guide.md and docs/theming.md,
 * taken in headless Chromium (fake camera and microphone: the green picture with a moving
 * pattern) against real `npm start` stacks on free ports. Run `npm run build` first (the stacks
 * serve dist/).
 *
 * One LiveKit-mode call (its server can be killed: the simplest real way to a failed call with
 * Rejoin) goes through every main state of both screens: the disabled phone button, ringing, the
 * client's pre-join (phone and desktop), connected (desktop agent, phone client, phone on its
 * side), the devices panel, camera off, the client leaving and coming back, Ask to share screen
 * and the shared screen, the docked panel over the conversation, the re-themed room, and the
 * lost connection. Then a direct-mode stack with a 5-second ring timeout gives the missed call
 * and the pages of links that no longer work; and a direct-mode stack in a Chromium that grants
 * only what a context was given and plays sound only after a click in the page (as a real browser
 * does, emulated: see AUTOPLAY_NEEDS_A_CLICK) gives the steps to unblock a blocked camera and the
 * "click to enable audio" prompt.
 *
 * The phone contexts have no getDisplayMedia, as in phone browsers (Chromium's mobile
 * emulation keeps it): so they show what a phone shows instead of the Share screen button.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { repoRoot } from '../service/config.js';
import { launchChromium, RECORD_MEDIA } from '../test/support/browser.js';
import { agentStartsCall, pressJoin } from '../test/support/call-flow.js';
import { lifo, startModeStack } from '../test/support/modes.js';
import { startStack } from '../test/support/stack.js';

const OUT = join(repoRoot, 'docs', 'screenshots');
const DESKTOP: BrowserContextOptions = { viewport: { width: 1024, height: 640 } };
const PHONE_PORTRAIT = { width: 390, height: 844 };
const PHONE_LANDSCAPE = { width: 844, height: 390 };
const PHONE: BrowserContextOptions = { viewport: PHONE_PORTRAIT, isMobile: true, hasTouch: true };
const STEP_TIMEOUT_MS = 60_000;
/** The tab the desktop client shares (picked by title by Chromium's auto-select flag). */
const SHARED_TAB_TITLE = 'Switchboard shared tab';
/** Phone browsers have no getDisplayMedia (runs after RECORD_MEDIA, which wraps it). */
const NO_SCREEN_CAPTURE = `delete navigator.mediaDevices.getDisplayMedia; delete MediaDevices.prototype.getDisplayMedia;`;
/**
 * Sound only after a click in the page, as browsers do by default (headless Chromium plays
 * anything, whatever --autoplay-policy says): until the page gets a pointer press, an audio
 * element does not start by itself and its play() is refused with NotAllowedError, which is what
 * the room sees in a real browser. Per document, so a page opened again starts with no click.
 */
const AUTOPLAY_NEEDS_A_CLICK = `(() => {
  let clicked = false;
  addEventListener('pointerdown', () => { clicked = true; }, true);
  const play = HTMLMediaElement.prototype.play;
  HTMLMediaElement.prototype.play = function () {
    if (!clicked && this instanceof HTMLAudioElement) return Promise.reject(new DOMException('play() failed because the user did not interact with the document first.', 'NotAllowedError'));
    return play.call(this);
  };
  const srcObject = Object.getOwnPropertyDescriptor(HTMLMediaElement.prototype, 'srcObject');
  Object.defineProperty(HTMLMediaElement.prototype, 'srcObject', {
    ...srcObject,
    set(value) {
      if (!clicked && this instanceof HTMLAudioElement) this.autoplay = false;
      srcObject.set.call(this, value);
    },
  });
})();`;
/** The stylesheet shown in docs/theming.md. */
const THEME_CSS = `
call-room {
  --call-room-background: #fffaf0;
  --call-room-color: #111827;
  --call-room-control-background: #e5e7eb;
  --call-room-control-off-background: #fecaca;
  --call-room-end-background: #be123c;
  --call-room-avatar-background: #0f766e;
  --call-room-radius: 999px;
  --call-room-font: Georgia, 'Times New Roman', serif;
}
call-room::part(header) { border-bottom: 1px solid #e5e7eb; }
call-room::part(controls) { background: #f3f4f6; padding: 0.75rem; }
call-room::part(control-label) { font-size: 0.75rem; }

call-button {
  --call-button-background: #7c3aed;
  --call-button-radius: 999px;
}`;

async function shot(page: Page, name: string): Promise<void> {
  // A page behind another tab of its context paints no video: bring it to the front, wait until
  // every video of the room has a picture, and let the status settle.
  await page.bringToFront();
  await page
    .waitForFunction(() => [...(document.querySelector('call-room')?.shadowRoot?.querySelectorAll('video') ?? [])].every((v) => v.videoWidth > 0 && v.readyState >= 2), undefined, { timeout: 10_000 })
    .catch(() => console.warn(`${name}: a video has no picture yet`));
  await page.waitForTimeout(800);
  await page.screenshot({ path: join(OUT, name), animations: 'disabled', caret: 'hide' });
  console.log(`wrote docs/screenshots/${name}`);
}

async function newContext(browser: Browser, options: BrowserContextOptions, extra: { phone?: boolean; bypassCSP?: boolean; permissions?: string[] } = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ ...options, permissions: extra.permissions ?? ['camera', 'microphone'], bypassCSP: extra.bypassCSP ?? false });
  await context.addInitScript(RECORD_MEDIA);
  if (extra.phone) await context.addInitScript(NO_SCREEN_CAPTURE);
  return context;
}

async function newPage(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT_MS);
  return page;
}

const room = (page: Page) => page.locator('call-room');
const status = (page: Page, text: RegExp | string) => page.locator('call-room [part="status"]').filter({ hasText: text }).waitFor();
/**
 * Waits for the pre-join with Join enabled and its camera preview playing. Seen while writing this
 * script, now and then, in both media modes and on phone and desktop contexts: the preview stays
 * empty (its video paused at readyState 0 while its stream holds a live, unmuted camera track). Then the page is reloaded,
 * as a person would, and the reload is reported on the console.
 */
async function prejoinReady(page: Page): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await page.locator('call-room [part~="join"]:not([disabled])').waitFor();
    const playing = await page
      .waitForFunction(() => {
        const video = document.querySelector('call-room')?.shadowRoot?.querySelector<HTMLVideoElement>('video[part~="prejoin-preview"]');
        return Boolean(video && video.videoWidth > 0 && !video.paused);
      }, undefined, { timeout: 8_000 })
      .then(() => true, () => false);
    if (playing) return;
    if (attempt === 3) throw new Error('the pre-join preview never played');
    console.warn(`pre-join preview empty (video paused, no picture) on attempt ${attempt}: reloading`);
    await page.reload();
  }
}

/** Waits until the shared screen's picture is not black (the tab capture's first frames are); not fatal. */
const screenPainted = (page: Page) =>
  page
    .waitForFunction(() => {
      const video = document.querySelector('call-room')?.shadowRoot?.querySelector<HTMLVideoElement>('video[part~="remote-screen"]');
      if (!video || video.videoWidth === 0) return false;
      const canvas = document.createElement('canvas');
      canvas.width = 32;
      canvas.height = 18;
      const context = canvas.getContext('2d')!;
      context.drawImage(video, 0, 0, 32, 18);
      const pixels = context.getImageData(0, 0, 32, 18).data;
      let sum = 0;
      for (let i = 0; i < pixels.length; i += 4) sum += pixels[i]! + pixels[i + 1]! + pixels[i + 2]!;
      return sum / (pixels.length / 4) > 60;
    }, undefined, { timeout: 15_000, polling: 250 })
    .catch(() => console.warn('the shared screen is still black'));

/** Waits until both quality indicators have a reading (not fatal: the shot is still useful without). */
const qualityKnown = (page: Page) =>
  page.locator('call-room [part~="quality-remote"]:not([data-level="unknown"])').waitFor({ timeout: 15_000 }).catch(() => console.warn('quality still unknown'));

mkdirSync(OUT, { recursive: true });

// ---- One call, in LiveKit mode, through every main state. ----
{
  const cleanups: (() => Promise<unknown>)[] = [];
  const { stack, livekit, joinPageAllowsMedia } = await startModeStack(lifo({ after: (fn) => cleanups.push(fn) }), 'livekit');
  // No fake UI: camera and microphone are granted per context, and the screen picker picks the tab titled SHARED_TAB_TITLE.
  const browser = await launchChromium({ fakeUi: false, args: [`--auto-select-tab-capture-source-by-title=${SHARED_TAB_TITLE}`] });
  try {
    const agent = await newPage(await newContext(browser, DESKTOP));
    const phoneContext = await newContext(browser, PHONE, { phone: true, bypassCSP: !joinPageAllowsMedia });
    const phone = await newPage(phoneContext);

    // The phone button grayed out, with its reason: a conversation not started yet.
    await agent.goto(stack.demoUrl);
    await agent.getByRole('button', { name: /Chen Wei/ }).click();
    await agent.locator('call-button [part~="reason"]').filter({ hasText: /Start the conversation/ }).waitFor();
    await shot(agent, 'agent-call-button-disabled-desktop.png');

    // Ringing, the link posted into the conversation.
    const joinUrl = await agentStartsCall(agent, stack.demoUrl);
    await status(agent, /join link was posted/);
    await shot(agent, 'agent-waiting-desktop.png');
    // "Send the link again" shows after 30 s without a join; shorten that wait for the picture.
    await room(agent).evaluate((el) => ((el as HTMLElement & { resendAfter: number }).resendAfter = 1));
    await room(agent).getByRole('button', { name: 'Send the link again' }).waitFor();
    await shot(agent, 'agent-waiting-resend-desktop.png');

    // The client on the pre-join screen (phone); the agent is told.
    await phone.goto(joinUrl);
    await prejoinReady(phone);
    await shot(phone, 'client-prejoin-phone.png');
    await status(agent, 'The client is checking their camera and microphone');
    await shot(agent, 'agent-client-checking-desktop.png');

    // Connected: the agent on a desktop, the client on a phone upright and on its side.
    await pressJoin(phone);
    await phone.locator('call-room[status="connected"]').waitFor();
    await agent.locator('call-room[status="connected"]').waitFor();
    await agent.locator('call-room video[part~="main-video"]').waitFor();
    await phone.locator('call-room video[part~="main-video"]').waitFor();
    await Promise.all([qualityKnown(agent), qualityKnown(phone)]);
    await shot(agent, 'agent-connected-desktop.png');
    // The agent's call screen at phone width (an agent on a phone, or a narrow window).
    await agent.setViewportSize(PHONE_PORTRAIT);
    await shot(agent, 'agent-connected-phone.png');
    await agent.setViewportSize(DESKTOP.viewport!);
    await shot(phone, 'client-connected-phone.png');
    await phone.setViewportSize(PHONE_LANDSCAPE);
    await shot(phone, 'client-connected-phone-landscape.png');
    await phone.setViewportSize(PHONE_PORTRAIT);

    // The devices panel (Settings), on each side.
    await room(agent).getByRole('button', { name: 'Settings' }).click();
    await room(agent).getByRole('group', { name: 'Devices' }).getByRole('combobox', { name: 'Camera' }).locator('option').first().waitFor({ state: 'attached' });
    await shot(agent, 'agent-devices-desktop.png');
    await room(agent).getByRole('button', { name: 'Settings' }).click();
    await room(phone).getByRole('button', { name: 'Settings' }).click();
    await room(phone).getByRole('group', { name: 'Devices' }).getByRole('combobox', { name: 'Camera' }).locator('option').first().waitFor({ state: 'attached' });
    await shot(phone, 'client-devices-phone.png');
    await room(phone).getByRole('button', { name: 'Settings' }).click();

    // The agent turns the camera off: the client sees their initials and name.
    await room(agent).getByRole('button', { name: 'Camera', exact: true }).click();
    await phone.locator('call-room [part~="camera-off"]').waitFor();
    await shot(phone, 'client-agent-camera-off-phone.png');
    await room(agent).getByRole('button', { name: 'Camera', exact: true }).click();
    await phone.locator('call-room video[part~="main-video"][part~="remote-camera"]').waitFor();

    // The client presses LEAVE: Rejoin on their side, "left" on the agent's.
    await room(phone).getByRole('button', { name: 'LEAVE' }).tap();
    await status(phone, /You left the call/);
    await shot(phone, 'client-left-phone.png');
    await agent.locator('call-room[status="client-left"]').waitFor();
    await shot(agent, 'agent-client-left-desktop.png');
    await phoneContext.close();

    // The client opens the link again on a computer: the pre-join on a desktop, then the call.
    const desktopContext = await newContext(browser, DESKTOP, { bypassCSP: !joinPageAllowsMedia });
    const client = await newPage(desktopContext);
    await client.goto(joinUrl);
    await prejoinReady(client);
    await shot(client, 'client-prejoin-desktop.png');
    await pressJoin(client);
    await client.locator('call-room[status="connected"]').waitFor();
    await agent.locator('call-room[status="connected"]').waitFor();
    await client.locator('call-room video[part~="main-video"]').waitFor();

    // The tab the client will share.
    const sharedTab = await desktopContext.newPage();
    await sharedTab.setContent(`<title>${SHARED_TAB_TITLE}</title>
      <body style="font-family: system-ui, sans-serif; margin: 3rem; background: #fff">
        <h1 style="font-size: 64px; margin: 0 0 1rem">Invoice #4711</h1>
        <p style="font-size: 32px">Customer: Bob Lambert · Due: 30 November</p>
        <table style="font-size: 28px; border-collapse: collapse" border="1" cellpadding="12">
          <tr><th>Item</th><th>Amount</th></tr><tr><td>Subscription</td><td>€49.00</td></tr><tr><td>Late fee</td><td>€15.00</td></tr>
        </table>
      </body>`);
    // Ask to share screen: the consent card, then the client's screen in the main place.
    await room(agent).getByRole('button', { name: 'Ask to share screen' }).click();
    const card = room(client).getByRole('alertdialog', { name: 'Share your screen?' });
    await card.waitFor();
    await shot(client, 'client-share-request-desktop.png');
    await card.getByRole('button', { name: 'Share' }).click();
    await agent.locator('call-room video[part~="main-video"][part~="remote-screen"]').waitFor();
    await agent.locator('call-room video[part~="remote-camera"][part~="thumbnail"]').waitFor();
    await agent.locator('call-room [part~="share-status"]').getByText('Bob Lambert is presenting').waitFor();
    await screenPainted(agent);
    await shot(agent, 'agent-screen-shared-desktop.png');
    await room(client).getByText('You are presenting').waitFor();
    await shot(client, 'client-presenting-desktop.png');
    await room(client).getByRole('button', { name: 'Stop', exact: true }).click();
    await agent.locator('call-room video[part~="main-video"][part~="remote-camera"]').waitFor();

    // Minimize: the call as a panel over the conversation and its live invite card (on a larger
    // screen: at 1024×640 the panel covers the invite card).
    await agent.setViewportSize({ width: 1440, height: 900 });
    await room(agent).getByRole('button', { name: 'Minimize' }).click();
    await room(agent).getByRole('button', { name: 'Expand' }).waitFor();
    await agent.locator('#messages .call-card').last().getByRole('status').filter({ hasText: 'In call' }).waitFor();
    await shot(agent, 'agent-docked-desktop.png');
    await room(agent).getByRole('button', { name: 'Expand' }).click();
    await room(agent).getByRole('button', { name: 'Minimize' }).waitFor();
    await agent.setViewportSize(DESKTOP.viewport!);

    // The re-themed room of docs/theming.md.
    await agent.addStyleTag({ content: THEME_CSS });
    await shot(agent, 'themed-room.png');
    await agent.evaluate(() => document.querySelector('head > style:last-of-type')?.remove());

    // The media server goes away mid-call: reconnecting, then failed with Rejoin (about 16 s).
    await livekit!.kill();
    await agent.locator('call-room[status="failed"]').waitFor();
    await client.locator('call-room[status="failed"]').waitFor();
    await shot(agent, 'agent-failed-desktop.png');
    await shot(client, 'client-failed-desktop.png');
  } finally {
    await browser.close();
    for (const cleanup of cleanups.reverse()) await cleanup().catch((error: unknown) => console.warn(String(error)));
  }
}

// ---- A call nobody answers (5-second ring timeout, direct mode), and links that no longer work. ----
{
  const stack = await startStack({ env: { RING_TIMEOUT_SECONDS: '5' } });
  const browser = await launchChromium();
  try {
    const agent = await newPage(await newContext(browser, DESKTOP));
    const phone = await newPage(await newContext(browser, PHONE, { phone: true }));
    const joinUrl = await agentStartsCall(agent, stack.demoUrl);
    await status(agent, /Missed call — .+ did not join/);
    await shot(agent, 'agent-missed-desktop.png');
    await room(agent).getByRole('button', { name: 'Close' }).click();
    await room(agent).waitFor({ state: 'detached' });
    await agent.locator('#messages .call-card').last().getByRole('status').filter({ hasText: /Missed/ }).waitFor();
    await shot(agent, 'agent-conversation-missed-desktop.png');

    await phone.goto(joinUrl);
    await phone.getByText('This call has ended').waitFor();
    await shot(phone, 'client-link-ended-phone.png');
    // A link that matches no call (mistyped or cut).
    await phone.goto(`${stack.serviceUrl}/join/00000000-0000-4000-8000-000000000000#x`);
    await phone.getByText(/not valid/).waitFor();
    await shot(phone, 'client-link-invalid-phone.png');
  } finally {
    await browser.close();
    await stack.stop();
  }
}

// ---- A blocked camera, and sound the browser blocks until a click (direct mode). ----
{
  const stack = await startStack();
  // No fake UI: a context gets only what it was granted.
  const browser = await launchChromium({ fakeUi: false });
  try {
    const agent = await newPage(await newContext(browser, DESKTOP));
    const joinUrl = await agentStartsCall(agent, stack.demoUrl);

    // The client allowed the microphone but blocked the camera: the call says so, with the steps for their browser.
    const blockedContext = await newContext(browser, DESKTOP, { permissions: ['microphone'] });
    const blocked = await newPage(blockedContext);
    await blocked.goto(joinUrl);
    await blocked.locator('call-room [part~="prejoin-error"]').filter({ hasText: /Camera access is blocked/ }).waitFor();
    await pressJoin(blocked);
    await blocked.locator('call-room[status="connected"]').waitFor();
    await blocked.locator('call-room [part~="fix"]').waitFor();
    await blocked.locator('call-room video[part~="main-video"]').waitFor();
    await shot(blocked, 'client-camera-blocked-desktop.png');
    await blockedContext.close();
    await agent.locator('call-room[status="client-left"]').waitFor();

    // The client joins (a click: sound plays), goes to another page, then comes back to the link:
    // back in the call at once (this tab had joined), with no click in this page, so the browser
    // blocks the agent's voice until they click.
    const soundContext = await newContext(browser, DESKTOP);
    await soundContext.addInitScript(AUTOPLAY_NEEDS_A_CLICK);
    const client = await newPage(soundContext);
    await client.goto(joinUrl);
    await prejoinReady(client);
    await pressJoin(client);
    await client.locator('call-room[status="connected"]').waitFor();
    await client.goto('about:blank');
    await client.goto(joinUrl);
    await client.locator('call-room[status="connected"]').waitFor();
    await client.locator('call-room [part~="enable-sound"]').waitFor();
    await client.locator('call-room video[part~="main-video"]').waitFor();
    await shot(client, 'client-enable-sound-desktop.png');
  } finally {
    await browser.close();
    await stack.stop();
  }
}
