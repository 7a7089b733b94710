// The client's pre-join screen in <call-room side="client">, against the real service and
// Chromium's fake camera and microphone: the link is checked first, the preview and the meter
// run, the devices are listed, "Join with camera off" joins without a camera, a denied camera
// is explained there, and the agent sees the client on the pre-join while the phone rings.
import { assert, fixture, html, oneEvent } from '@open-wc/testing';
import '../../../sdk/define.js';
import type { CallButton } from '../../../sdk/components/call-button/call-button.js';
import type { CallRoom } from '../../../sdk/components/call-room/call-room.js';
import type { CallCreatedEvent } from '../../../sdk/components/internal/events.js';
import { loadCallRoom } from '../../../sdk/load-call-room.js';
import { deviceOptions } from '../../../sdk/core/device-names.js';
import { en, format } from '../../../sdk/i18n/en.js';
import { agentToken, serviceUrl } from '../helpers/service.js';
import { waitFor } from '../helpers/wait.js';

const part = <T extends Element = HTMLElement>(el: Element, name: string): T | null => el.shadowRoot!.querySelector<T>(`[part~="${name}"]`);
const text = (el: Element, name: string) => part(el, name)?.textContent ?? '';

const realGetUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
let askedFor: MediaStreamConstraints[] = [];

beforeEach(() => {
  askedFor = [];
  navigator.mediaDevices.getUserMedia = (constraints?: MediaStreamConstraints) => {
    askedFor.push(constraints ?? {});
    return realGetUserMedia(constraints);
  };
});

afterEach(() => {
  navigator.mediaDevices.getUserMedia = realGetUserMedia;
  for (const room of document.body.querySelectorAll('call-room')) room.remove();
});

/** The agent makes a video call (the real service); resolves with their room and the link's id and secret. */
async function agentCalls(): Promise<{ agentRoom: CallRoom; callId: string; secret: string }> {
  const button = await fixture<CallButton>(
    html`<call-button service-url=${await serviceUrl()} token=${await agentToken()} client-selected conversation-started agent-owns media="video"></call-button>`,
  );
  const created = oneEvent(button, 'call-created');
  part<HTMLButtonElement>(button, 'button')!.click();
  const link = new URL(((await created) as CallCreatedEvent).detail.joinUrl!);
  const agentRoom = document.body.querySelector('call-room')!;
  // The agent's own capture (same page) is not the client's: count only what the client asks for.
  await waitFor(() => !!agentRoom.session?.snapshot.local.microphone && !!agentRoom.session.snapshot.local.camera, 8000, 'the agent devices');
  askedFor = [];
  return { agentRoom, callId: link.pathname.split('/').pop()!, secret: link.hash.slice(1) };
}

async function clientRoom(callId: string, secret: string, skipPrejoin = false): Promise<CallRoom> {
  await loadCallRoom();
  const room = document.createElement('call-room');
  room.side = 'client';
  room.skipPrejoin = skipPrejoin;
  room.serviceUrl = await serviceUrl();
  room.callId = callId;
  room.joinSecret = secret;
  document.body.append(room);
  return room;
}

/** Waits until the pre-join is ready (its Join button enabled). */
async function prejoinReady(room: CallRoom): Promise<void> {
  await waitFor(() => part<HTMLButtonElement>(room, 'join')?.disabled === false, 8000, 'the pre-join ready');
  await room.updateComplete;
}

describe('<call-room side="client"> pre-join', () => {
  it('checks the link first: a wrong secret is refused at once, without asking for the camera', async () => {
    const room = await clientRoom('nope', 'bad');
    await waitFor(() => room.getAttribute('status') === 'failed', 5000, 'failed');
    await room.updateComplete;
    assert.include(text(room, 'status'), en.room.errors.link_invalid!);
    assert.isNull(part(room, 'prejoin'));
    assert.deepEqual(askedFor, [], 'no device was asked for');
  });

  it('shows the mirrored preview, a moving meter and the devices; the agent sees the client there and keeps ringing', async () => {
    const { agentRoom, callId, secret } = await agentCalls();
    const room = await clientRoom(callId, secret);
    await prejoinReady(room);

    const video = part<HTMLVideoElement>(room, 'prejoin-preview')!;
    const stream = video.srcObject as MediaStream;
    assert.strictEqual(stream.getVideoTracks()[0]?.readyState, 'live', 'the camera preview is live');
    assert.strictEqual(getComputedStyle(video).transform, 'matrix(-1, 0, 0, 1, 0, 0)', 'mirrored');
    await waitFor(() => !video.paused && video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA && video.videoWidth > 0, 8000, 'the preview playing frames');
    assert.include(text(room, 'status'), format(en.prejoin.agentWaiting, { name: 'Alice Agent' }).slice(-20));
    assert.strictEqual(askedFor.length, 1, 'camera and microphone in one prompt');

    const meter = part(room, 'meter')!;
    assert.strictEqual(meter.getAttribute('role'), 'meter');
    assert.strictEqual(meter.getAttribute('aria-label'), en.prejoin.meter);
    await waitFor(() => Number(meter.getAttribute('aria-valuenow')) > 0, 8000, 'the meter moving with the fake microphone');

    // axe-core over the pre-join with its preview, meter and device choices.
    await assert.isAccessible(room);

    const microphones = part<HTMLSelectElement>(room, 'microphone-select')!;
    const cameras = part<HTMLSelectElement>(room, 'camera-select')!;
    assert.isAbove(microphones.options.length, 0);
    assert.isAbove(cameras.options.length, 0);
    assert.notStrictEqual(microphones.value, '', 'the microphone in use is selected');
    // Named as in the in-call devices panel (one function, core/device-names.ts): real devices only, not Chrome's aliases.
    const devices = await navigator.mediaDevices.enumerateDevices();
    const shown = (select: HTMLSelectElement) => [...select.options].map((o) => `${o.value}=${o.textContent.trim()}`);
    assert.deepEqual(shown(microphones), deviceOptions(devices, 'audioinput').map((o) => `${o.id}=${o.label}`));
    assert.deepEqual(shown(cameras), deviceOptions(devices, 'videoinput').map((o) => `${o.id}=${o.label}`));
    assert.includeMembers(shown(microphones).map((s) => s.split('=')[1]), ['Fake Audio Input 1', 'Fake Audio Input 2']);
    assert.notInclude([...microphones.options].map((o) => o.value), 'default', 'no "default" alias listed twice');
    assert.strictEqual(part(room, 'speaker-select') !== null, 'setSinkId' in HTMLMediaElement.prototype, 'a speaker choice where setSinkId exists');

    // The agent: told the client is checking their devices; not joined, still ringing.
    await waitFor(() => text(agentRoom, 'status').includes(en.prejoin.agentStatus.prejoin), 5000, 'the agent sees the pre-join');
    assert.strictEqual(agentRoom.getAttribute('status'), 'waiting');
    assert.isTrue(agentRoom.hasAttribute('ringing'));
    assert.isTrue(agentRoom.session!.ringtonePlaying);
  });

  it('joins with the camera off: the preview microphone goes to the call, no camera is opened, the agent sees no video', async () => {
    const { agentRoom, callId, secret } = await agentCalls();
    const room = await clientRoom(callId, secret);
    await prejoinReady(room);
    assert.strictEqual(askedFor.length, 1, 'the preview asked once');

    const cameraOff = part(room, 'camera-off-choice')!.querySelector('input')!;
    cameraOff.click();
    await waitFor(() => part(room, 'prejoin-preview-off') !== null, 5000, 'the preview off');
    assert.include(text(room, 'prejoin-preview-off'), en.prejoin.cameraOff);

    part<HTMLButtonElement>(room, 'join')!.click();
    await waitFor(() => room.getAttribute('status') === 'connected' && agentRoom.getAttribute('status') === 'connected', 8000, 'both connected');
    await waitFor(() => room.session!.snapshot.local.microphone !== null, 5000, 'the microphone in the call');
    const local = room.session!.snapshot.local;
    assert.isNull(local.camera, 'no camera in the call');
    assert.isFalse(room.session!.snapshot.enabled.camera);
    assert.strictEqual(askedFor.length, 1, 'the call asked for nothing more: it took the preview microphone');
    assert.isNull(part(room, 'prejoin'), 'the call screen replaced the pre-join');

    await waitFor(() => agentRoom.session!.snapshot.remote.microphone !== null, 8000, 'the agent receives the microphone');
    await agentRoom.updateComplete;
    assert.isNull(agentRoom.session!.snapshot.remote.camera);
    assert.isNotNull(part(agentRoom, 'placeholder'), 'the agent sees the avatar, not a video');
  });

  it('a denied camera is explained on the pre-join, reported to the agent, and joining still works', async () => {
    const { agentRoom, callId, secret } = await agentCalls();
    // The client's browser refuses the camera (the agent's, on this same page, was opened already).
    navigator.mediaDevices.getUserMedia = (constraints?: MediaStreamConstraints) => {
      askedFor.push(constraints ?? {});
      if (constraints?.video) return Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
      return realGetUserMedia(constraints);
    };
    const room = await clientRoom(callId, secret);
    await prejoinReady(room);
    assert.include(text(room, 'prejoin-error'), en.media.permission_denied.camera);
    assert.include(text(room, 'prejoin-hint'), en.prejoin.joinWithoutDevices);
    assert.include(text(room, 'prejoin-preview-off'), en.prejoin.noCamera);
    assert.isNotNull((part(room, 'meter')), 'the microphone still works');

    await waitFor(() => part(agentRoom, 'remote-blocked') !== null, 5000, 'the agent told of the blocked camera');
    assert.include(text(agentRoom, 'remote-blocked'), format(en.room.remoteBlocked.permission_denied!, { name: 'Bob Client', device: en.room.devices.camera }).slice(-25));

    part<HTMLButtonElement>(room, 'join')!.click();
    await waitFor(() => room.getAttribute('status') === 'connected', 8000, 'connected without a camera');
  });

  it('skip-prejoin joins at once, as before the pre-join existed', async () => {
    const { agentRoom, callId, secret } = await agentCalls();
    const room = await clientRoom(callId, secret, true);
    await waitFor(() => room.getAttribute('status') === 'connected' && agentRoom.getAttribute('status') === 'connected', 8000, 'both connected');
    assert.isNull(part(room, 'prejoin'));
  });

  it('LEAVE says "You left the call" with Rejoin, which brings the client back', async () => {
    const { agentRoom, callId, secret } = await agentCalls();
    const room = await clientRoom(callId, secret);
    await prejoinReady(room);
    part<HTMLButtonElement>(room, 'join')!.click();
    await waitFor(() => room.getAttribute('status') === 'connected', 8000, 'connected');
    part<HTMLButtonElement>(room, 'end')!.click();
    await waitFor(() => agentRoom.getAttribute('status') === 'client-left' && room.getAttribute('status') === 'ended', 8000, 'left');
    await room.updateComplete;
    assert.include(text(room, 'status'), en.room.status.youLeft);
    part<HTMLButtonElement>(room, 'rejoin')!.click();
    await waitFor(() => room.getAttribute('status') === 'connected' && agentRoom.getAttribute('status') === 'connected', 8000, 'back in');
    assert.isNull(part(room, 'prejoin'), 'straight in, with the devices chosen before');
    await waitFor(() => room.session!.snapshot.local.camera !== null, 5000, 'the camera again');
  });
});
