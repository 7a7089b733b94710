// What <call-room> shows of the people in the call: a name and initials instead of an empty stage,
// a name label on every video, the status said once, and the "You are presenting" banner.
import { assert } from '@open-wc/testing';
import type { CallRoom } from '../../../sdk/components/call-room/call-room.js';
import { initials } from '../../../sdk/components/internal/initials.js';
import { en } from '../../../sdk/i18n/en.js';
import { waitFor } from '../helpers/wait.js';
import { openScriptedRoom, type ScriptedRoom } from './scripted-room.js';

const part = <T extends Element = HTMLElement>(room: CallRoom, name: string): T | null => room.shadowRoot!.querySelector<T>(`[part~="${name}"]`);
const parts = (room: CallRoom, name: string): HTMLElement[] => [...room.shadowRoot!.querySelectorAll<HTMLElement>(`[part~="${name}"]`)];

/** Visible text of the room, as a person reads it (attributes such as title are not text). */
function visibleText(room: CallRoom): string {
  return room.shadowRoot!.querySelector<HTMLElement>('[part~="overlay"]')!.innerText;
}

function occurrences(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

/** The visible label of each video, by the video's parts. */
function videoLabels(room: CallRoom): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const tile of parts(room, 'tile')) {
    const video = tile.querySelector('video')!;
    const label = tile.querySelector<HTMLElement>('[part~="video-label"]')!;
    assert.isTrue(label.checkVisibility() && label.getBoundingClientRect().height > 0, `the label of ${video.getAttribute('part')} is visible`);
    labels[video.getAttribute('part')!] = label.innerText;
  }
  return labels;
}

describe('initials()', () => {
  it('takes the first letters of the first and last names', () => {
    assert.strictEqual(initials('Bob Lambert'), 'BL');
    assert.strictEqual(initials('  chen  '), 'C');
    assert.strictEqual(initials('Jean-Pierre de la Fontaine'), 'JF');
    assert.strictEqual(initials('Émile Zola'), 'ÉZ');
    assert.strictEqual(initials('𝒜da Lovelace'), '𝒜L');
    assert.strictEqual(initials(''), '');
  });
});

describe('<call-room> stage', () => {
  let opened: ScriptedRoom | null = null;
  afterEach(() => {
    opened?.room.remove();
    opened = null;
  });

  it('without video it shows the other person\'s name, initials and "Camera off", and the status only once', async () => {
    const agent = (opened = await openScriptedRoom({ role: 'agent', clientName: 'Bob Lambert' }));
    await agent.hello(false);
    await agent.status('waiting');
    const { room } = agent;
    assert.strictEqual(part(room, 'avatar')!.innerText.trim(), 'BL');
    assert.strictEqual(part(room, 'name')!.innerText.trim(), 'Bob Lambert');
    assert.isNull(part(room, 'camera-off'), 'nobody to have a camera yet');
    assert.strictEqual(occurrences(visibleText(room), en.room.status.waitingAgentLinkSent), 1, 'the waiting status is shown once');

    await agent.presence(true);
    await agent.status('connected');
    assert.strictEqual(part(room, 'avatar')!.innerText.trim(), 'BL', 'connected without a camera: still the avatar');
    assert.strictEqual(part(room, 'camera-off')!.innerText.trim(), en.room.stage.cameraOff);
    assert.strictEqual(occurrences(visibleText(room), en.room.status.connectedAgent), 1, 'the connected status is shown once');
  });

  it('the client sees the agent\'s name, and a person icon stands in for an unknown name', async () => {
    const client = (opened = await openScriptedRoom({ role: 'client', agentName: 'Alice Martin' }));
    assert.isNotNull(part(client.room, 'avatar')!.querySelector('svg'), 'before the join answers, no name: an icon');
    assert.isNull(part(client.room, 'name'));
    client.confirmJoin();
    await client.hello(true);
    await client.status('connected');
    assert.strictEqual(part(client.room, 'avatar')!.innerText.trim(), 'AM');
    assert.strictEqual(part(client.room, 'name')!.innerText.trim(), 'Alice Martin');
  });

  it('every video carries a visible name label', async () => {
    const agent = (opened = await openScriptedRoom({ role: 'agent', clientName: 'Bob Lambert' }));
    await agent.hello(true);
    const { room, media } = agent;
    media.addRemote('camera');
    await waitFor(() => part(room, 'main-video') !== null, 3000, 'the remote camera');
    await waitFor(() => part(room, 'local-preview') !== null, 3000, 'the local preview');
    assert.isNull(part(room, 'placeholder'), 'a video replaces the avatar');
    assert.deepEqual(videoLabels(room), { 'main-video remote-camera': 'Bob Lambert', 'thumbnail local-preview': en.room.videoLabels.localCamera });
    // The main tile takes the picture's shape (4:3 here), so its label sits on the picture, not on a black band.
    const mainTile = part(room, 'main-tile')!;
    await waitFor(() => Math.abs(mainTile.clientWidth / mainTile.clientHeight - 4 / 3) < 0.02, 3000, 'the main tile in the video\'s shape');
    const stage = part(room, 'stage')!.getBoundingClientRect();
    const tileBox = mainTile.getBoundingClientRect();
    assert.isTrue(Math.abs(tileBox.width - stage.width) < 1 || Math.abs(tileBox.height - stage.height) < 1, 'the tile fills the stage in one direction');

    media.addRemote('screen');
    await waitFor(() => part(room, 'remote-screen') !== null, 3000, 'the remote screen');
    assert.deepEqual(videoLabels(room), {
      'main-video remote-screen': "Bob Lambert's screen",
      'thumbnail remote-camera': 'Bob Lambert',
      'thumbnail local-preview': 'You',
    });

    media.removeRemote('screen');
    media.removeRemote('camera');
    await waitFor(() => part(room, 'placeholder') !== null, 3000, 'the avatar again');
    assert.strictEqual(part(room, 'avatar')!.innerText.trim(), 'BL');
  });
});

describe('<call-room> presenting', () => {
  let opened: ScriptedRoom | null = null;
  afterEach(() => {
    opened?.room.remove();
    opened = null;
  });

  it('while sharing, the screen button reads "Stop presenting" and a banner offers Stop, which stops the share', async () => {
    const client = (opened = await openScriptedRoom({ role: 'client' }));
    client.confirmJoin();
    await client.hello(true);
    await client.status('connected');
    const { room, media } = client;
    const screen = part<HTMLButtonElement>(room, 'screen')!;
    assert.strictEqual(screen.innerText.trim(), en.room.controls.screen);
    assert.strictEqual(screen.getAttribute('aria-pressed'), 'false');
    assert.isNull(part(room, 'presenting'));

    screen.click();
    await waitFor(() => media.localTrack('screen') !== null, 3000, 'sharing');
    await room.updateComplete;
    assert.strictEqual(screen.innerText.trim(), en.room.controls.screenOn);
    assert.strictEqual(screen.getAttribute('aria-pressed'), 'true');
    const banner = part(room, 'presenting')!;
    assert.isTrue(banner.checkVisibility());
    assert.include(banner.innerText, en.room.presenting.banner);
    const track = media.localTrack('screen')!;

    part<HTMLButtonElement>(room, 'stop-presenting')!.click();
    await waitFor(() => media.localTrack('screen') === null, 3000, 'stopped');
    await room.updateComplete;
    assert.strictEqual(track.readyState, 'ended', 'the captured screen is released');
    assert.isNull(part(room, 'presenting'), 'the banner is gone');
    assert.strictEqual(screen.getAttribute('aria-pressed'), 'false');
    assert.strictEqual(screen.innerText.trim(), en.room.controls.screen);
  });

  it('the banner goes away when the browser stops the share ("Stop sharing" bar)', async () => {
    const agent = (opened = await openScriptedRoom({ role: 'agent' }));
    await agent.hello(true);
    part<HTMLButtonElement>(agent.room, 'screen')!.click();
    await waitFor(() => part(agent.room, 'presenting') !== null, 3000, 'the banner');
    agent.media.browserStopped('screen');
    await agent.room.updateComplete;
    assert.isNull(part(agent.room, 'presenting'));
    assert.strictEqual(part(agent.room, 'screen')!.getAttribute('aria-pressed'), 'false');
  });
});
