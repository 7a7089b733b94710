// Layout details of <call-room> found by hand, checked on the boxes the browser laid out:
// "Send the link again" is centred, not against the edge; a long status never pushes Minimize onto
// a second header line on a desktop; the camera thumbnails never cover the shared screen; the
// steps to unblock a device keep the messages' margins.
import { assert } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import type { CallRoom } from '../../../sdk/components/call-room/call-room.js';
import { waitFor } from '../helpers/wait.js';
import { scriptedRooms } from './scripted-room.js';

/** Sub-pixel rounding of getBoundingClientRect. */
const EPSILON = 0.5;

const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
const find = (room: CallRoom, part: string) => room.shadowRoot!.querySelector<HTMLElement>(`[part~="${part}"]`);
const all = (room: CallRoom, part: string) => [...room.shadowRoot!.querySelectorAll<HTMLElement>(`[part~="${part}"]`)];

function overlap(a: DOMRect, b: DOMRect): number {
  const x = Math.min(a.right, b.right) - Math.max(a.left, b.left);
  const y = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
  return x > EPSILON && y > EPSILON ? x * y : 0;
}

function inside(inner: DOMRect, outer: DOMRect): boolean {
  return inner.left >= outer.left - EPSILON && inner.top >= outer.top - EPSILON && inner.right <= outer.right + EPSILON && inner.bottom <= outer.bottom + EPSILON;
}

const box = (r: DOMRect) => `(${Math.round(r.left)},${Math.round(r.top)})-(${Math.round(r.right)},${Math.round(r.bottom)})`;

describe('<call-room> layout details', () => {
  const open = scriptedRooms({ width: 800, height: 600 });

  it('"Send the link again" is centred with a margin, not flush against the left edge', async () => {
    const agent = await open({ role: 'agent' });
    agent.room.resendAfter = 0;
    await agent.hello(false);
    await waitFor(() => !!find(agent.room, 'resend-link'), 3000, 'the offer');
    for (const [width, height] of [[1280, 800], [390, 844]] as const) {
      await setViewport({ width, height });
      await nextFrame();
      const button = find(agent.room, 'resend-link')!.getBoundingClientRect();
      const room = agent.room.getBoundingClientRect();
      assert.isAtLeast(button.left - room.left, 16, `at ${width}: a margin on the left ${box(button)}`);
      assert.approximately(button.left + button.width / 2, room.left + room.width / 2, 2, `at ${width}: centred ${box(button)}`);
    }
  });

  for (const lang of ['en', 'fr']) {
    it(`a long status wraps inside its own box: Minimize stays on the header's first line at 1024 px [${lang}]`, async () => {
      await setViewport({ width: 1024, height: 768 });
      const agent = await open({ role: 'agent', clientName: 'Maximiliano Alexandre de la Fontaine-Villeneuve' });
      agent.room.lang = lang;
      const check = async (scene: string) => {
        await nextFrame();
        const title = find(agent.room, 'title')!.getBoundingClientRect();
        const status = find(agent.room, 'status')!;
        const dock = find(agent.room, 'dock')!.getBoundingClientRect();
        assert.isAbove(status.textContent.length, 40, `${scene}: a long status ("${status.textContent}")`);
        assert.isTrue(dock.top < title.bottom && dock.bottom > title.top, `${scene}: Minimize ${box(dock)} is on the title's line ${box(title)} ("${status.textContent}")`);
        assert.isTrue(status.getBoundingClientRect().top < title.bottom, `${scene}: the status is on that line too`);
        assert.isAtMost(status.scrollWidth, status.clientWidth, `${scene}: the status is not cut`);
      };
      // The longest status an agent sees while the call runs (the header also holds the quality bars, Copy diagnostics and Minimize).
      await agent.hello(false);
      await agent.status('waiting');
      await check('ringing, link posted');
    });
  }

  for (const lang of ['en', 'fr']) {
    it(`every control's label stays inside its button: the agent's six controls at 360 and 390 px and in the docked panel [${lang}]`, async () => {
      const agent = await open({ role: 'agent' });
      agent.room.lang = lang;
      await agent.hello(true);
      await agent.status('connected');
      const check = async (scene: string) => {
        await nextFrame();
        const buttons = [...agent.room.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part~="controls"] button')];
        assert.isAtLeast(buttons.length, 6, `${scene}: the agent's controls`);
        for (const button of buttons) {
          const label = button.querySelector<HTMLElement>('[part~="control-label"]')!;
          const words = label.textContent.trim();
          const rect = label.getBoundingClientRect();
          // Too many controls for their words: icons only, the words kept as tooltip and accessible name.
          assert.isAtMost(rect.width * rect.height, 1, `${scene}: "${words}" is visually hidden, not squeezed (${box(rect)})`);
          assert.strictEqual(button.title, words, `${scene}: "${words}" is the tooltip`);
          assert.isTrue(inside(rect, button.getBoundingClientRect()), `${scene}: "${words}" ${box(rect)} inside its button ${box(button.getBoundingClientRect())}`);
          assert.isAtLeast(button.getBoundingClientRect().width, 44, `${scene}: "${words}" is still touch-sized`);
        }
        // With the words hidden, each control must be told apart by its icon.
        const icons = buttons.map((b) => b.querySelector('svg')!.innerHTML);
        assert.strictEqual(new Set(icons).size, icons.length, `${scene}: every control has its own icon`);
      };
      for (const [width, height] of [[360, 740], [390, 844]] as const) {
        await setViewport({ width, height });
        await check(`${width} px`);
      }
      await setViewport({ width: 1280, height: 800 });
      agent.room.docked = true;
      await agent.room.updateComplete;
      await check('docked');
    });
  }

  it('a phone client\'s four controls (no screen sharing on phones) keep their words at 360 px, each inside its button', async () => {
    await setViewport({ width: 360, height: 740 });
    // As in phone browsers: no getDisplayMedia, so no Share screen button (checked at each render).
    const displayMedia = Object.getOwnPropertyDescriptor(MediaDevices.prototype, 'getDisplayMedia')!;
    delete (MediaDevices.prototype as Partial<MediaDevices>).getDisplayMedia;
    try {
      const client = await open({ role: 'client' });
      client.confirmJoin();
      await client.hello(true);
      await client.status('connected');
      await nextFrame();
      const buttons = [...client.room.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part~="controls"] button')];
      assert.strictEqual(buttons.length, 4, 'microphone, camera, settings, leave');
      for (const button of buttons) {
        const label = button.querySelector<HTMLElement>('[part~="control-label"]')!;
        const rect = label.getBoundingClientRect();
        assert.isAbove(rect.width, 10, `"${label.textContent}" is shown`);
        assert.isTrue(inside(rect, button.getBoundingClientRect()), `"${label.textContent}" ${box(rect)} inside its button ${box(button.getBoundingClientRect())}`);
      }
    } finally {
      Object.defineProperty(MediaDevices.prototype, 'getDisplayMedia', displayMedia);
    }
  });

  it('the camera thumbnails never cover the shared screen: beside it on a wide stage, below it on a tall one', async () => {
    const agent = await open({ role: 'agent' });
    await agent.hello(true);
    agent.media.addRemote('camera');
    agent.media.addRemote('screen');
    await agent.status('connected');
    await waitFor(() => !!agent.room.session?.snapshot.local.camera, 3000, 'the own camera');
    await agent.room.updateComplete;
    const scenes: [string, () => Promise<void>][] = [];
    for (const [width, height] of [[1280, 800], [1024, 768], [390, 844], [360, 640], [844, 390]] as const) {
      scenes.push([`${width}×${height}`, async () => {
        agent.room.docked = false;
        await setViewport({ width, height });
      }]);
    }
    scenes.push(['docked at 1280×800', async () => {
      await setViewport({ width: 1280, height: 800 });
      agent.room.docked = true;
    }]);
    for (const [scene, arrange] of scenes) {
      await arrange();
      await agent.room.updateComplete;
      await nextFrame();
      const stage = find(agent.room, 'stage')!.getBoundingClientRect();
      const screen = find(agent.room, 'remote-screen')!.closest('figure')!.getBoundingClientRect();
      const thumbnails = all(agent.room, 'thumbnail-tile').map((t) => t.getBoundingClientRect());
      assert.lengthOf(thumbnails, 2, `${scene}: the client's camera and the own camera as thumbnails`);
      assert.isTrue(inside(screen, stage), `${scene}: the screen ${box(screen)} is inside the stage ${box(stage)}`);
      assert.isAtLeast(screen.width * screen.height, stage.width * stage.height * 0.35, `${scene}: the screen keeps most of the stage ${box(screen)} in ${box(stage)}`);
      for (const thumbnail of thumbnails) {
        assert.isTrue(inside(thumbnail, stage), `${scene}: a thumbnail ${box(thumbnail)} is inside the stage ${box(stage)}`);
        assert.strictEqual(overlap(thumbnail, screen), 0, `${scene}: a thumbnail ${box(thumbnail)} covers the screen ${box(screen)}`);
        assert.isAtLeast(thumbnail.width, 48, `${scene}: a thumbnail is still big enough to see someone`);
      }
      assert.strictEqual(overlap(thumbnails[0]!, thumbnails[1]!), 0, `${scene}: the thumbnails do not cover each other`);
    }
  });

  it('the steps to unblock a blocked camera keep the messages\' margins instead of touching the edge', async () => {
    await setViewport({ width: 1024, height: 640 });
    const client = await open({ role: 'client' });
    client.confirmJoin();
    await client.hello(true);
    client.media.refuse.add('camera');
    await client.room.session!.setEnabled('camera', false);
    await client.room.session!.setEnabled('camera', true);
    await waitFor(() => !!find(client.room, 'fix'), 5000, 'the steps for this browser');
    await nextFrame();
    const fix = find(client.room, 'fix')!;
    const error = find(client.room, 'error')!;
    const room = client.room.getBoundingClientRect();
    const text = document.createRange();
    text.selectNodeContents(fix);
    const words = text.getBoundingClientRect();
    assert.isAtLeast(words.left - room.left, 16, `the steps' words start away from the edge ${box(words)}`);
    assert.strictEqual(getComputedStyle(fix).textAlign, getComputedStyle(error).textAlign, 'aligned like the message above them');
    assert.strictEqual(getComputedStyle(fix).paddingLeft, getComputedStyle(error).paddingLeft, 'with its margins');
  });

  it('without a shared screen the own camera stays a corner picture over the other camera (as before)', async () => {
    await setViewport({ width: 1280, height: 800 });
    const agent = await open({ role: 'agent' });
    await agent.hello(true);
    agent.media.addRemote('camera');
    await agent.status('connected');
    await waitFor(() => !!agent.room.session?.snapshot.local.camera, 3000, 'the own camera');
    await agent.room.updateComplete;
    await nextFrame();
    assert.isFalse(find(agent.room, 'stage')!.classList.contains('sharing'));
    assert.strictEqual(getComputedStyle(find(agent.room, 'thumbnails')!).position, 'absolute');
  });
});
