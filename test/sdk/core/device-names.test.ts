// One naming of devices for the pre-join and the in-call panel (sdk/core/device-names.ts).
import { assert } from '@open-wc/testing';
import { deviceOptions } from '../../../sdk/core/device-names.js';
import { en } from '../../../sdk/i18n/en.js';

const device = (kind: MediaDeviceKind, deviceId: string, label: string) => ({ kind, deviceId, label, groupId: 'g', toJSON: () => ({}) }) as MediaDeviceInfo;

describe('deviceOptions', () => {
  const devices = [
    device('audioinput', 'default', 'Default - Headset Microphone'),
    device('audioinput', 'communications', 'Communications - Headset Microphone'),
    device('audioinput', 'mic-a', 'Headset Microphone'),
    device('audioinput', 'mic-b', 'Built-in Microphone'),
    device('videoinput', 'cam-a', ''),
    device('videoinput', 'cam-b', ''),
    device('audiooutput', 'default', 'Default - Speakers'),
    device('audiooutput', 'communications', 'Communications - Speakers'),
    device('audiooutput', 'out-a', 'Speakers'),
    device('audioinput', '', ''),
  ];

  it('lists the real inputs under their own names, without Chrome\'s "default" and "communications" aliases', () => {
    assert.deepEqual(deviceOptions(devices, 'audioinput'), [
      { id: 'mic-a', label: 'Headset Microphone' },
      { id: 'mic-b', label: 'Built-in Microphone' },
    ]);
  });

  it('numbers the devices the browser gives no name (no permission yet)', () => {
    assert.deepEqual(deviceOptions(devices, 'videoinput').map((o) => o.label), ['Camera 1', 'Camera 2']);
  });

  it('keeps the speaker\'s "default" as the system default', () => {
    assert.deepEqual(deviceOptions(devices, 'audiooutput'), [
      { id: 'default', label: en.inCall.devices.systemDefault },
      { id: 'out-a', label: 'Speakers' },
    ]);
  });
});
