// <call-room> on phones: every status of both sides, at 360×640, 390×844, 844×390 (landscape)
// and a desktop window: every control inside the viewport and at least 44 px, the status never
// clipped, nothing pushed out of the screen.
import { assert } from '@open-wc/testing';
import { resetMouse, sendMouse, setViewport } from '@web/test-runner-commands';
import type { CallRoom } from '../../../sdk/components/call-room/call-room.js';
import { en } from '../../../sdk/i18n/en.js';
import { scriptedRooms } from './scripted-room.js';

const VIEWPORTS: [number, number][] = [[360, 640], [390, 844], [844, 390], [1280, 800]];
const TOUCH_PX = 44;
/** Sub-pixel rounding of getBoundingClientRect. */
const EPSILON = 0.5;
/** A name long enough to be cut in the title at 360 px. */
const LONG_NAME = 'Maximiliano Alexandre de la Fontaine-Villeneuve';

const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));

function shadow(room: CallRoom): ShadowRoot {
  return room.shadowRoot!;
}

function inViewport(el: Element, width: number, height: number): boolean {
  const r = el.getBoundingClientRect();
  return r.left >= -EPSILON && r.top >= -EPSILON && r.right <= width + EPSILON && r.bottom <= height + EPSILON && r.width > 0 && r.height > 0;
}

/**
 * Checks the room at every viewport. `expected`: parts of buttons that must be on screen in this
 * state (so a state whose controls vanished cannot pass).
 */
async function expectFits(room: CallRoom, scene: string, expected: string[]): Promise<void> {
  for (const [width, height] of VIEWPORTS) {
    await setViewport({ width, height });
    await nextFrame();
    const where = `${scene} at ${width}×${height}`;
    const root = shadow(room);
    for (const part of expected) {
      const button = root.querySelector(`button[part~="${part}"]`);
      assert.isNotNull(button, `${where}: the ${part} button exists`);
      assert.isTrue(button.checkVisibility(), `${where}: the ${part} button is visible`);
    }
    for (const button of root.querySelectorAll('button')) {
      if (!button.checkVisibility()) continue;
      const r = button.getBoundingClientRect();
      const name = `${where}: button "${button.textContent?.trim()}"`;
      assert.isTrue(inViewport(button, width, height), `${name} is inside the viewport (${r.left},${r.top})-(${r.right},${r.bottom})`);
      assert.isAtLeast(r.width, TOUCH_PX - EPSILON, `${name} is at least ${TOUCH_PX} px wide`);
      assert.isAtLeast(r.height, TOUCH_PX - EPSILON, `${name} is at least ${TOUCH_PX} px tall`);
    }
    const status = root.querySelector<HTMLElement>('[part~="status"]')!;
    assert.isNotEmpty(status.textContent?.trim(), `${where}: a status`);
    assert.isTrue(inViewport(status, width, height), `${where}: the status is inside the viewport`);
    assert.isAtMost(status.scrollWidth, status.clientWidth, `${where}: the status is not cut horizontally ("${status.textContent}")`);
    assert.isAtMost(status.scrollHeight, status.clientHeight + 1, `${where}: the status is not cut vertically`);
    const title = root.querySelector<HTMLElement>('[part~="title"]')!;
    assert.isTrue(inViewport(title, width, height), `${where}: the title is inside the viewport`);
    if (title.scrollWidth > title.clientWidth) {
      assert.strictEqual(getComputedStyle(title).textOverflow, 'ellipsis', `${where}: a cut title ends with an ellipsis`);
      assert.strictEqual(title.title, title.textContent, `${where}: a cut title has its full text as a tooltip`);
    }
    const overlay = root.querySelector<HTMLElement>('[part~="overlay"]')!;
    assert.isAtMost(overlay.scrollWidth, overlay.clientWidth, `${where}: nothing sticks out sideways`);
    assert.isAtMost(overlay.scrollHeight, overlay.clientHeight, `${where}: nothing is pushed below the screen`);
    for (const label of root.querySelectorAll('[part~="video-label"]')) {
      assert.isTrue(inViewport(label, width, height), `${where}: the video label "${label.textContent}" is on screen`);
    }
  }
}

const TOGGLES = ['microphone', 'camera', 'screen'];

describe('<call-room> fits phones and desktops in every state', () => {
  const open = scriptedRooms({ width: 800, height: 600 });

  it('agent: connecting, ringing, connected with videos, presenting, notices, client left, reconnecting, ending, ended', async () => {
    const agent = await open({ role: 'agent', clientName: LONG_NAME });
    const { room, media } = agent;
    await expectFits(room, 'agent connecting', [...TOGGLES, 'end', 'dock']);

    await agent.hello(false);
    await agent.status('waiting');
    assert.include(shadow(room).querySelector('[part~="status"]')!.textContent, en.room.status.waitingAgentLinkSent);
    await expectFits(room, 'agent ringing', [...TOGGLES, 'end']);

    await agent.presence(true);
    media.addRemote('camera');
    media.addRemote('microphone');
    agent.socket().receive({ type: 'event', event: { type: 'call.media_blocked', by: 'client', at: '', data: { device: 'screen', reason: 'permission_denied' } } });
    await agent.status('connected');
    await expectFits(room, 'agent connected with the client camera and the own preview', [...TOGGLES, 'end']);

    media.addRemote('screen');
    (shadow(room).querySelector('[part~="screen"]') as HTMLButtonElement).click();
    await room.updateComplete;
    await expectFits(room, 'agent presenting while the client shares too', [...TOGGLES, 'end', 'stop-presenting']);

    // Every kind of message at once: they scroll in their own area, the controls stay.
    media.refuse.add('camera');
    media.refuse.add('microphone');
    await room.session!.setEnabled('camera', false);
    await room.session!.setEnabled('camera', true);
    await room.session!.setEnabled('microphone', true);
    media.browserStopped('screen');
    agent.socket().receive({ type: 'event', event: { type: 'call.media_blocked', by: 'client', at: '', data: { device: 'microphone', reason: 'device_busy' } } });
    await room.updateComplete;
    assert.isAtLeast(shadow(room).querySelectorAll('[part~="messages"] > *').length, 3, 'several messages are shown');
    await expectFits(room, 'agent with every notice', [...TOGGLES, 'end']);

    await agent.presence(false);
    await agent.status('client-left');
    await expectFits(room, 'agent after the client left', [...TOGGLES, 'end']);

    agent.socket().drop(1006);
    await agent.status('reconnecting');
    await expectFits(room, 'agent reconnecting', [...TOGGLES, 'end']);
    await agent.hello(true);

    (shadow(room).querySelector('[part~="end"]') as HTMLButtonElement).click();
    await agent.status('ending');
    await expectFits(room, 'agent ending', ['end']);
    agent.confirmEnd();
    await agent.status('ended');
    await expectFits(room, 'agent ended', []);
  });

  it('agent, docked (minimized): a corner panel with every control on screen, the page behind reachable', async () => {
    const agent = await open({ role: 'agent', clientName: LONG_NAME });
    await agent.hello(true);
    agent.media.addRemote('camera');
    await agent.status('connected');
    (shadow(agent.room).querySelector('[part~="dock"]') as HTMLButtonElement).click();
    await agent.room.updateComplete;
    assert.isTrue(agent.room.docked);
    await expectFits(agent.room, 'agent docked', [...TOGGLES, 'end', 'undock']);
    for (const [width, height] of VIEWPORTS) {
      await setViewport({ width, height });
      await nextFrame();
      const box = agent.room.getBoundingClientRect();
      assert.isBelow(box.width * box.height, width * height * 0.75, `docked at ${width}×${height}: the panel leaves most of the page visible`);
      assert.notStrictEqual(document.elementFromPoint(5, 5), agent.room, `docked at ${width}×${height}: the page's top left corner is the page's`);
    }
  });

  it('agent, docked: the panel is dragged by its header with the mouse, stays inside the window, and Expand forgets the place', async () => {
    await setViewport({ width: 1280, height: 800 });
    const agent = await open({ role: 'agent' });
    await agent.hello(true);
    await agent.status('connected');
    agent.room.docked = true;
    await agent.room.updateComplete;
    await nextFrame();
    const header = shadow(agent.room).querySelector<HTMLElement>('[part~="header"]')!;
    const title = shadow(agent.room).querySelector<HTMLElement>('[part~="title"]')!.getBoundingClientRect();
    const before = agent.room.getBoundingClientRect();
    const grab = { x: Math.round(title.left + 5), y: Math.round(title.top + title.height / 2) };
    try {
      await sendMouse({ type: 'move', position: [grab.x, grab.y] });
      await sendMouse({ type: 'down' });
      await sendMouse({ type: 'move', position: [grab.x - 400, grab.y - 300] });
      await sendMouse({ type: 'up' });
      let after = agent.room.getBoundingClientRect();
      assert.approximately(after.left, before.left - 400, 1, 'moved left with the pointer');
      assert.approximately(after.top, before.top - 300, 1, 'moved up with the pointer');
      // Dragged far past the top left corner: it stops at the window's edge.
      await sendMouse({ type: 'move', position: [Math.round(after.left + 5), Math.round(after.top + 10)] });
      await sendMouse({ type: 'down' });
      await sendMouse({ type: 'move', position: [0, 0] });
      await sendMouse({ type: 'up' });
      after = agent.room.getBoundingClientRect();
      assert.isAtLeast(after.left, 0);
      assert.isAtLeast(after.top, 0);
      assert.isTrue(header.isConnected);
      // A smaller window pulls it back inside.
      await setViewport({ width: 800, height: 600 });
      await sendMouse({ type: 'move', position: [Math.round(after.left + 5), Math.round(after.top + 10)] });
      await sendMouse({ type: 'down' });
      await sendMouse({ type: 'move', position: [2000, 2000] });
      await sendMouse({ type: 'up' });
      after = agent.room.getBoundingClientRect();
      assert.isAtMost(after.right, 800 + EPSILON);
      assert.isAtMost(after.bottom, 600 + EPSILON);
    } finally {
      await resetMouse();
    }
    // Pressing a header button does not drag: Expand works and the next docking is in the corner again.
    (shadow(agent.room).querySelector('[part~="undock"]') as HTMLButtonElement).click();
    await agent.room.updateComplete;
    assert.isFalse(agent.room.docked);
    assert.strictEqual(agent.room.style.getPropertyValue('inset'), '');
  });

  it('agent: failed with Rejoin and Close', async () => {
    const agent = await open({ role: 'agent' });
    await agent.hello(true);
    agent.media.lose();
    await agent.status('failed');
    await expectFits(agent.room, 'agent failed', ['rejoin', 'end']);
  });

  it('client: connecting, waiting, connected with videos, presenting, reconnecting, failed with Rejoin', async () => {
    const client = await open({ role: 'client', agentName: LONG_NAME });
    const { room, media } = client;
    await expectFits(room, 'client connecting', [...TOGGLES, 'end']);
    client.confirmJoin();
    await client.hello(false);
    await client.status('waiting');
    await expectFits(room, 'client waiting', [...TOGGLES, 'end']);
    await client.presence(true);
    media.addRemote('camera');
    await client.status('connected');
    await expectFits(room, 'client connected', [...TOGGLES, 'end']);
    (shadow(room).querySelector('[part~="screen"]') as HTMLButtonElement).click();
    await room.updateComplete;
    await expectFits(room, 'client presenting', [...TOGGLES, 'end', 'stop-presenting']);
    client.socket().drop(1006);
    await client.status('reconnecting');
    await expectFits(room, 'client reconnecting', [...TOGGLES, 'end']);
    await client.hello(true);
    media.lose();
    await client.status('failed');
    await expectFits(room, 'client failed', ['rejoin']);
  });

  it('client: left the call (LEAVE)', async () => {
    const client = await open({ role: 'client' });
    client.confirmJoin();
    await client.hello(true);
    (shadow(client.room).querySelector('[part~="end"]') as HTMLButtonElement).click();
    await client.status('ended');
    assert.include(shadow(client.room).querySelector('[part~="status"]')!.textContent, en.room.status.youLeft);
    await expectFits(client.room, 'client who left', []);
  });
});
