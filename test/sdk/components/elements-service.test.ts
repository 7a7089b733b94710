// <call-button> and <call-room> against the real service (and real fake-device media).
import { assert, fixture, html, oneEvent } from '@open-wc/testing';
import '../../../sdk/define.js';
import type { CallButton } from '../../../sdk/components/call-button/call-button.js';
import type { CallRoom } from '../../../sdk/components/call-room/call-room.js';
import type { CallCreatedEvent, CallEndedEvent, CallErrorEvent } from '../../../sdk/components/internal/events.js';
import { loadCallRoom } from '../../../sdk/load-call-room.js';
import { en } from '../../../sdk/i18n/en.js';
import type { TrackSource } from '../../../sdk/core/types.js';
import { agentToken, serviceUrl } from '../helpers/service.js';
import { waitFor } from '../helpers/wait.js';

const part = <T extends Element = HTMLElement>(el: Element, name: string): T | null => el.shadowRoot!.querySelector<T>(`[part~="${name}"]`);

async function callButton(token: string): Promise<CallButton> {
  const url = await serviceUrl();
  return fixture<CallButton>(
    html`<call-button service-url=${url} token=${token} client-selected conversation-started agent-owns media="video"></call-button>`,
  );
}

/** Clicks the button and resolves with the opened room and the created event. */
async function openRoom(button: CallButton): Promise<{ room: CallRoom; created: CallCreatedEvent }> {
  const created = oneEvent(button, 'call-created');
  part<HTMLButtonElement>(button, 'button')!.click();
  const event = (await created) as CallCreatedEvent;
  const room = document.body.querySelector('call-room')!;
  return { room, created: event };
}

function localTracks(room: CallRoom): MediaStreamTrack[] {
  const local = room.session!.snapshot.local;
  return (['microphone', 'camera', 'screen'] as TrackSource[]).map((s) => local[s]).filter((t): t is MediaStreamTrack => t !== null);
}

afterEach(() => {
  for (const room of document.body.querySelectorAll('call-room')) room.remove();
});

describe('<call-button> with the real service', () => {
  it('a 409 from the service shows its reason and disables the button until the inputs change', async () => {
    const button = await callButton(await agentToken({ client_id: null }));
    const failed = oneEvent(button, 'call-error');
    part<HTMLButtonElement>(button, 'button')!.click();
    const { detail } = (await failed) as CallErrorEvent;
    assert.strictEqual(detail.code, 'client_not_selected');
    assert.strictEqual(detail.status, 409);
    await button.updateComplete;
    assert.strictEqual(part(button, 'reason')?.textContent?.trim(), en.callButton.reasons.client_not_selected);
    assert.isTrue(part<HTMLButtonElement>(button, 'button')!.disabled);
    assert.isNull(document.body.querySelector('call-room'));
    button.token = await agentToken();
    await button.updateComplete;
    assert.isNull(part(button, 'reason'));
    assert.isFalse(part<HTMLButtonElement>(button, 'button')!.disabled);
  });

  it('a rejected token fires call-error and shows a visible message', async () => {
    const button = await callButton('not-a-jwt');
    const failed = oneEvent(button, 'call-error');
    part<HTMLButtonElement>(button, 'button')!.click();
    const { detail } = (await failed) as CallErrorEvent;
    assert.strictEqual(detail.status, 401);
    assert.match(detail.reason, /agent token/i, 'the service\'s own explanation reaches the integrator');
    await button.updateComplete;
    assert.isNotEmpty(part(button, 'error')?.textContent?.trim());
  });

  it('a tokenProvider that throws is reported as token_provider_failed, not as a network failure', async () => {
    const button = await callButton('unused');
    button.tokenProvider = () => Promise.reject(new Error('backend said 500'));
    const failed = oneEvent(button, 'call-error');
    part<HTMLButtonElement>(button, 'button')!.click();
    const { detail } = (await failed) as CallErrorEvent;
    assert.strictEqual(detail.code, 'token_provider_failed');
    assert.match(detail.reason, /backend said 500/);
    await button.updateComplete;
    assert.strictEqual(part(button, 'error')?.textContent?.trim(), en.callButton.errors.token_provider_failed);
  });

  it('a click creates a call and opens the agent room; toggles drive the real tracks; END CALL stops them and closes', async () => {
    const button = await callButton(await agentToken());
    const { room, created } = await openRoom(button);
    assert.strictEqual(room.side, 'agent');
    assert.isString(created.detail.joinUrl);
    assert.strictEqual(getComputedStyle(room).position, 'fixed');
    await waitFor(() => room.getAttribute('status') === 'waiting', 5000, 'waiting status');
    assert.isTrue(room.hasAttribute('ringing'));
    assert.include(part(room, 'status')!.textContent, en.room.status.waitingAgent);
    await waitFor(() => localTracks(room).length === 2, 5000, 'mic and camera');
    assert.isTrue(room.session!.ringtonePlaying);

    const mic = room.session!.snapshot.local.microphone!;
    const micButton = part<HTMLButtonElement>(room, 'microphone')!;
    assert.strictEqual(micButton.getAttribute('aria-pressed'), 'true');
    micButton.click();
    await waitFor(() => !mic.enabled, 3000, 'mic disabled');
    await room.updateComplete;
    assert.strictEqual(micButton.getAttribute('aria-pressed'), 'false');
    micButton.click();
    await waitFor(() => mic.enabled, 3000, 'mic enabled');

    const camera = room.session!.snapshot.local.camera!;
    assert.isNotNull(part(room, 'local-preview'), 'local preview while the camera is on');
    part<HTMLButtonElement>(room, 'camera')!.click();
    await waitFor(() => camera.readyState === 'ended', 3000, 'camera released');
    await room.updateComplete;
    assert.isNull(part(room, 'local-preview'));
    part<HTMLButtonElement>(room, 'camera')!.click();
    await waitFor(() => room.session!.snapshot.local.camera?.readyState === 'live', 3000, 'camera back');

    const tracks = localTracks(room);
    const ended = oneEvent(button, 'call-ended');
    part<HTMLButtonElement>(room, 'end')!.click();
    const { detail } = (await ended) as CallEndedEvent;
    assert.strictEqual(detail.cause, 'local');
    assert.deepEqual(tracks.map((t) => t.readyState), ['ended', 'ended']);
    assert.isFalse(room.isConnected, 'room removed');
    assert.isFalse(room.session?.ringtonePlaying ?? false);
  });
});

describe('<call-room> presenting with a real screen capture', () => {
  it('the agent shares its screen: "Stop presenting" and the banner show; Stop in the banner releases the capture', async () => {
    const button = await callButton(await agentToken());
    const { room } = await openRoom(button);
    await waitFor(() => room.getAttribute('status') === 'waiting' && room.session!.snapshot.pending.size === 0, 5000, 'waiting');
    await room.updateComplete;
    const screenButton = part<HTMLButtonElement>(room, 'screen')!;
    screenButton.click();
    await waitFor(() => room.session!.snapshot.local.screen?.readyState === 'live', 5000, 'screen captured');
    await room.updateComplete;
    const track = room.session!.snapshot.local.screen!;
    assert.strictEqual(screenButton.getAttribute('aria-pressed'), 'true');
    assert.strictEqual(screenButton.textContent?.trim(), en.room.controls.screenOn);
    assert.include(part(room, 'presenting')!.textContent, en.room.presenting.banner);

    part<HTMLButtonElement>(room, 'stop-presenting')!.click();
    await waitFor(() => track.readyState === 'ended', 5000, 'capture stopped');
    await room.updateComplete;
    assert.isFalse(room.session!.snapshot.enabled.screen);
    assert.isNull(part(room, 'presenting'));
    assert.strictEqual(screenButton.getAttribute('aria-pressed'), 'false');
    assert.strictEqual(screenButton.textContent?.trim(), en.room.controls.screen);
  });
});

describe('<call-room> cleanup', () => {
  it('removing the room from the page stops its tracks and ringtone, and the button can open a room again', async () => {
    const button = await callButton(await agentToken());
    const { room } = await openRoom(button);
    await waitFor(() => localTracks(room).length === 2 && room.hasAttribute('ringing'), 5000, 'tracks and ringing');
    const session = room.session!;
    const tracks = localTracks(room);
    room.remove();
    assert.deepEqual(tracks.map((t) => t.readyState), ['ended', 'ended']);
    assert.isFalse(session.ringtonePlaying);
    await button.updateComplete;
    assert.isFalse(part<HTMLButtonElement>(button, 'button')!.disabled);
    const again = await openRoom(button);
    assert.notStrictEqual(again.room, room);
  });
});

describe('<call-room> client side with the real service', () => {
  it('an empty secret says the link is incomplete', async () => {
    await loadCallRoom();
    const room = await fixture<CallRoom>(html`<call-room role="client" service-url=${await serviceUrl()} call-id="abc" .joinSecret=${''}></call-room>`);
    await waitFor(() => room.getAttribute('status') === 'failed', 3000, 'failed');
    assert.include(part(room, 'status')!.textContent, 'This link is incomplete');
  });

  it('a wrong secret says the link is not valid', async () => {
    await loadCallRoom();
    const room = await fixture<CallRoom>(html`<call-room side="client" service-url=${await serviceUrl()} call-id="nope" .joinSecret=${'bad'}></call-room>`);
    await waitFor(() => room.getAttribute('status') === 'failed', 5000, 'failed');
    assert.include(part(room, 'status')!.textContent, en.room.errors.link_invalid!);
  });

  it('agent and client connect, see each other, mute and leave; an ended call refuses the link', async () => {
    const button = await callButton(await agentToken());
    const { room: agentRoom, created } = await openRoom(button);
    const link = new URL(created.detail.joinUrl!);
    const callId = link.pathname.split('/').pop()!;
    const secret = link.hash.slice(1);
    const client = document.createElement('call-room');
    client.side = 'client';
    client.serviceUrl = await serviceUrl();
    client.callId = callId;
    client.joinSecret = secret;
    client.skipPrejoin = true;
    document.body.append(client);

    await waitFor(() => agentRoom.getAttribute('status') === 'connected' && client.getAttribute('status') === 'connected', 8000, 'both connected');
    await agentRoom.updateComplete;
    assert.isFalse(agentRoom.hasAttribute('ringing'));
    assert.isFalse(agentRoom.session!.ringtonePlaying);
    assert.include(part(agentRoom, 'status')!.textContent, en.room.status.connectedAgent);
    await waitFor(() => part(client, 'remote-camera') !== null && part(agentRoom, 'remote-camera') !== null, 8000, 'remote cameras');

    assert.include(part(agentRoom, 'main-video')!.getAttribute('part'), 'remote-camera');
    part<HTMLButtonElement>(client, 'screen')!.click();
    await waitFor(() => part(agentRoom, 'remote-screen') !== null, 8000, 'remote screen on the agent side');
    assert.include(part(agentRoom, 'main-video')!.getAttribute('part'), 'remote-screen', 'the screen takes the main place');
    assert.include(part(agentRoom, 'thumbnail')!.getAttribute('part'), 'remote-camera', 'the camera becomes a thumbnail');
    assert.strictEqual(part(client, 'screen')!.getAttribute('aria-pressed'), 'true');
    part<HTMLButtonElement>(client, 'screen')!.click();
    await waitFor(() => part(agentRoom, 'remote-screen') === null, 8000, 'remote screen gone');

    part<HTMLButtonElement>(client, 'microphone')!.click();
    await waitFor(() => agentRoom.hasAttribute('remote-mic-muted'), 5000, 'remote mic muted');
    await agentRoom.updateComplete;
    assert.include(part(agentRoom, 'notice')!.textContent, en.room.remoteMicMuted.client);

    const clientTracks = localTracks(client);
    part<HTMLButtonElement>(client, 'end')!.click();
    await waitFor(() => agentRoom.getAttribute('status') === 'client-left', 5000, 'client left');
    assert.include(part(agentRoom, 'status')!.textContent, en.room.status.clientLeft);
    assert.isTrue(clientTracks.every((t) => t.readyState === 'ended'));

    const ended = oneEvent(button, 'call-ended');
    part<HTMLButtonElement>(agentRoom, 'end')!.click();
    await ended;

    const late = document.createElement('call-room');
    late.side = 'client';
    late.serviceUrl = await serviceUrl();
    late.callId = callId;
    late.joinSecret = secret;
    document.body.append(late);
    await waitFor(() => late.getAttribute('status') === 'failed', 5000, 'late join refused');
    assert.include(part(late, 'status')!.textContent, en.room.errors.call_ended!);
  });
});
