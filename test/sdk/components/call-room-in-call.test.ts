// In the call, on one <call-room> (scripted transports, real Chromium with fake devices): the
// devices panel, the call timer, both sides' quality indicators and warnings, the fix for a
// blocked device in this browser, and screen sharing hidden where the browser cannot do it.
import { assert } from '@open-wc/testing';
import type { CallRoom } from '../../../sdk/components/call-room/call-room.js';
import { formatElapsed as formatSeconds } from '../../../sdk/i18n/index.js';

const formatElapsed = (ms: number) => formatSeconds(ms / 1000, 'en');
import { en, format } from '../../../sdk/i18n/en.js';
import { deviceOptions } from '../../../sdk/core/device-names.js';
import { waitFor } from '../helpers/wait.js';
import { openScriptedRoom, type ScriptedRoom } from './scripted-room.js';

const part = <T extends Element = HTMLElement>(room: CallRoom, name: string): T | null => room.shadowRoot!.querySelector<T>(`[part~="${name}"]`);

async function connectedAgent(): Promise<ScriptedRoom> {
  const agent = await openScriptedRoom({ role: 'agent', clientName: 'Bob Lambert' });
  await agent.hello(true);
  await agent.status('connected');
  return agent;
}

describe('formatElapsed', () => {
  it('writes mm:ss under an hour and h:mm:ss past it', () => {
    assert.equal(formatElapsed(0), '00:00');
    assert.equal(formatElapsed(59_999), '00:59');
    assert.equal(formatElapsed(247_000), '04:07');
    assert.equal(formatElapsed(3_723_000), '1:02:03');
  });
});

describe('<call-room> in the call', () => {
  let opened: ScriptedRoom | null = null;
  afterEach(() => {
    opened?.room.remove();
    opened = null;
  });

  it('the timer appears once both are connected, is not a live region, ticks, and stops when the call ends', async () => {
    const agent = (opened = await openScriptedRoom({ role: 'agent' }));
    await agent.hello(false);
    await agent.status('waiting');
    assert.isNull(part(agent.room, 'timer'), 'no timer while ringing');
    await agent.presence(true);
    await agent.status('connected');
    const timer = part(agent.room, 'timer')!;
    assert.equal(timer.getAttribute('role'), 'timer');
    assert.isNull(timer.closest('[aria-live]:not([aria-live="off"])'), 'not announced every second');
    assert.equal(timer.getAttribute('aria-label'), en.inCall.timer.label);
    assert.match(timer.textContent.trim(), /^00:0\d$/);
    await waitFor(() => part(agent.room, 'timer')!.textContent.trim() !== '00:00', 3000, 'the timer ticks');
    await agent.endedRemotely();
    await agent.status('ended');
    const stopped = part(agent.room, 'timer')!.textContent.trim();
    await new Promise((resolve) => setTimeout(resolve, 1200));
    await agent.room.updateComplete;
    assert.equal(part(agent.room, 'timer')!.textContent.trim(), stopped, 'frozen at the end');
  });

  it('shows both sides\' quality with names and bars, and a plain-words warning while one is poor', async () => {
    const agent = (opened = await connectedAgent());
    const { room, media } = agent;
    const local = () => part(room, 'quality-local')!;
    const remote = () => part(room, 'quality-remote')!;
    const q = en.inCall.quality;
    assert.equal(local().dataset['level'], 'unknown');
    assert.equal(local().getAttribute('aria-label'), format(q.local, { level: q.levels['unknown']! }));

    media.quality('local', 'good');
    media.quality('remote', 'fair');
    await room.updateComplete;
    assert.equal(local().getAttribute('role'), 'img');
    assert.equal(local().getAttribute('aria-label'), 'Your connection: good');
    assert.equal(local().title, 'Your connection: good');
    assert.equal(local().querySelectorAll('[part~="quality-bar-on"]').length, 3);
    assert.equal(remote().getAttribute('aria-label'), "Bob Lambert's connection: fair");
    assert.equal(remote().querySelectorAll('[part~="quality-bar-on"]').length, 2);
    assert.isNull(part(room, 'quality-warning'));

    media.quality('local', 'poor');
    await room.updateComplete;
    assert.equal(local().querySelectorAll('[part~="quality-bar-on"]').length, 1);
    assert.equal(part(room, 'quality-warning-local')!.textContent.trim(), q.poorLocal);
    assert.equal(part(room, 'quality-warning-local')!.getAttribute('role'), 'status');

    media.quality('local', 'good');
    media.quality('remote', 'poor');
    await room.updateComplete;
    assert.isNull(part(room, 'quality-warning-local'), 'the warning goes when the connection recovers');
    assert.equal(part(room, 'quality-warning-remote')!.textContent.trim(), format(q.poorRemote, { name: 'Bob Lambert' }));

    await agent.presence(false);
    await room.updateComplete;
    assert.isNull(part(room, 'quality-warning-remote'), 'what a side that left said of its connection is forgotten');
  });

  it('Settings opens a devices panel listing the fake microphones, camera and speakers; a choice switches the device or the speaker', async () => {
    // Labels need a permission: the test browser grants it (fake UI).
    (await navigator.mediaDevices.getUserMedia({ audio: true, video: true })).getTracks().forEach((t) => t.stop());
    const agent = (opened = await connectedAgent());
    const { room, media } = agent;
    const button = part<HTMLButtonElement>(room, 'devices-toggle')!;
    assert.equal(button.textContent.trim(), en.inCall.devices.button);
    assert.equal(button.getAttribute('aria-expanded'), 'false');
    assert.isNull(part(room, 'devices'));
    button.click();
    await room.updateComplete;
    assert.equal(button.getAttribute('aria-expanded'), 'true');
    const panel = part(room, 'devices')!;
    assert.equal(panel.getAttribute('aria-label'), en.inCall.devices.title);
    const select = (kind: string) => part<HTMLSelectElement>(room, kind)!;
    await waitFor(() => select('audioinput').options.length >= 2, 3000, 'the microphones listed');
    const labels = (kind: string) => [...select(kind).options].map((o) => o.textContent.trim());
    assert.includeMembers(labels('audioinput'), ['Fake Audio Input 1', 'Fake Audio Input 2']);
    assert.notInclude(labels('audioinput'), en.inCall.devices.systemDefault, 'inputs list real devices, not the "default" alias');
    assert.include(labels('videoinput'), 'fake_device_0');
    assert.includeMembers(labels('audiooutput'), [en.inCall.devices.systemDefault, 'Fake Audio Output 1']);
    // The same names as the pre-join's selects (one function for both, core/device-names.ts).
    const devices = await navigator.mediaDevices.enumerateDevices();
    for (const kind of ['audioinput', 'videoinput', 'audiooutput'] as const) assert.deepEqual(labels(kind), deviceOptions(devices, kind).map((o) => o.label), kind);
    // Accessible names come from the labels.
    assert.equal(select('audioinput').closest('label')!.querySelector('[part~="device-label"]')!.textContent, en.inCall.devices.microphone);

    const mic = [...select('audioinput').options].find((o) => o.textContent.trim() === 'Fake Audio Input 2')!;
    select('audioinput').value = mic.value;
    select('audioinput').dispatchEvent(new Event('change'));
    await waitFor(() => media.switched.length === 1, 2000, 'the switch');
    assert.deepEqual(media.switched, [`microphone:${mic.value}`]);

    media.addRemote('microphone');
    await room.updateComplete;
    const speaker = [...select('audiooutput').options].find((o) => o.textContent.trim() === 'Fake Audio Output 1')!;
    select('audiooutput').value = speaker.value;
    select('audiooutput').dispatchEvent(new Event('change'));
    const audio = room.shadowRoot!.querySelector('audio')!;
    await waitFor(() => audio.sinkId === speaker.value, 3000, 'the remote audio on the chosen speaker');

    part<HTMLButtonElement>(room, 'devices-close')!.click();
    await room.updateComplete;
    assert.isNull(part(room, 'devices'));
  });

  it('a device plugged in while the panel is open appears in its list (devicechange)', async () => {
    const agent = (opened = await connectedAgent());
    const { room } = agent;
    const real = navigator.mediaDevices.enumerateDevices.bind(navigator.mediaDevices);
    let plugged = false;
    const extra = { kind: 'audioinput', deviceId: 'usb-headset', groupId: 'g', label: 'USB Headset', toJSON: () => ({}) } as MediaDeviceInfo;
    navigator.mediaDevices.enumerateDevices = async () => [...(await real()), ...(plugged ? [extra] : [])];
    try {
      part<HTMLButtonElement>(room, 'devices-toggle')!.click();
      await room.updateComplete;
      const names = () => [...part<HTMLSelectElement>(room, 'audioinput')!.options].map((o) => o.textContent.trim());
      await waitFor(() => names().length > 0 && !names().includes('USB Headset'), 3000, 'the first list');
      plugged = true;
      navigator.mediaDevices.dispatchEvent(new Event('devicechange'));
      await waitFor(() => names().includes('USB Headset'), 3000, 'the new device listed');
    } finally {
      // @ts-expect-error -- restores the prototype's method
      delete navigator.mediaDevices.enumerateDevices;
    }
  });

  it('audio blocked by the autoplay policy shows "click to hear", whose click unblocks it and goes away', async () => {
    const agent = (opened = await connectedAgent());
    agent.media.addRemote('microphone');
    assert.isNull(part(agent.room, 'enable-sound'), 'nothing while audio plays');
    agent.media.emit('audio-blocked', { blocked: true });
    await waitFor(() => part(agent.room, 'enable-sound') !== null, 2000, 'the button');
    const button = part<HTMLButtonElement>(agent.room, 'enable-sound')!;
    assert.equal(button.textContent.trim(), en.room.controls.enableSound);
    button.click();
    await waitFor(() => part(agent.room, 'enable-sound') === null, 2000, 'the button goes away');
    assert.equal(agent.media.audioStarted, 1, 'the media engine was asked to start audio from the click');
  });

  it('a blocked camera shows the message and the steps for this browser (Chromium here: Chrome\'s)', async () => {
    const agent = (opened = await connectedAgent());
    const { room, media } = agent;
    await agent.room.session!.setEnabled('camera', false);
    media.refuse.add('camera');
    await agent.room.session!.setEnabled('camera', true);
    await waitFor(() => part(room, 'fix') !== null, 3000, 'the fix');
    assert.equal(part(room, 'error')!.textContent.trim(), en.media.permission_denied.camera);
    assert.equal(part(room, 'fix')!.textContent.trim(), format(en.permissionHelp.permission_denied.chrome!, { device: 'camera' }));
    assert.equal(room.getAttribute('status'), 'connected', 'the call goes on without the camera');
  });

  it('where getDisplayMedia is missing, the screen button is hidden and the reason given once', async () => {
    const proto = Object.getPrototypeOf(navigator.mediaDevices) as MediaDevices;
    const original = Object.getOwnPropertyDescriptor(proto, 'getDisplayMedia')!;
    delete (proto as Partial<MediaDevices>).getDisplayMedia;
    try {
      const agent = (opened = await connectedAgent());
      const { room } = agent;
      assert.isNull(part(room, 'screen'), 'no screen-share button');
      assert.isNotNull(part(room, 'microphone'));
      const notes = room.shadowRoot!.querySelectorAll('[part~="screen-unavailable"]');
      assert.equal(notes.length, 1);
      assert.equal(notes[0]!.textContent.trim(), en.inCall.screenUnavailable);
    } finally {
      Object.defineProperty(proto, 'getDisplayMedia', original);
    }
    const again = await connectedAgent();
    try {
      assert.isNotNull(part(again.room, 'screen'), 'back when the browser has it');
      assert.isNull(part(again.room, 'screen-unavailable'));
    } finally {
      again.room.remove();
    }
  });
});
