import { assert } from '@open-wc/testing';
import { LocalMediaError, captureCamera, captureMicrophone, captureScreen, classifyMediaError } from '../../../sdk/core/local-media.js';
import { en } from '../../../sdk/i18n/en.js';
import { withTimeout } from '../helpers/wait.js';

describe('local media', () => {
  it('opens the fake microphone and camera as live tracks', async () => {
    const mic = await captureMicrophone();
    const camera = await captureCamera();
    assert.strictEqual(mic.kind, 'audio');
    assert.strictEqual(camera.kind, 'video');
    assert.strictEqual(mic.readyState, 'live');
    assert.strictEqual(camera.readyState, 'live');
    mic.stop();
    camera.stop();
  });

  it('gets a screen track from getDisplayMedia (fake UI)', async () => {
    const track = await withTimeout(captureScreen(), 8000, 'getDisplayMedia');
    assert.strictEqual(track.kind, 'video');
    track.stop();
  });

  it('classifies an impossible device as not_found with a human message', async () => {
    try {
      await captureCamera({ deviceId: { exact: 'no-such-camera' } });
      assert.fail('should have thrown');
    } catch (error) {
      assert.instanceOf(error, LocalMediaError);
      const failure = error;
      assert.strictEqual(failure.kind, 'not_found');
      assert.strictEqual(failure.device, 'camera');
      assert.strictEqual(failure.message, en.media.not_found.camera);
    }
  });

  it('classifies browser errors into what the user can act on', () => {
    const cases: [string, string][] = [
      ['NotAllowedError', 'permission_denied'],
      ['SecurityError', 'permission_denied'],
      ['NotReadableError', 'device_busy'],
      ['NotFoundError', 'not_found'],
      ['OverconstrainedError', 'not_found'],
      ['NotSupportedError', 'unsupported'],
      ['WeirdError', 'unknown'],
    ];
    for (const [name, kind] of cases) {
      assert.strictEqual(classifyMediaError(new DOMException('x', name), 'microphone').kind, kind, name);
    }
    assert.strictEqual(classifyMediaError(new TypeError('no'), 'screen').kind, 'unsupported');
  });

  it('says what to do: address bar for permissions, close the other app, Chrome/Edge for screen sharing', () => {
    assert.include(classifyMediaError(new DOMException('x', 'NotAllowedError'), 'camera').message, 'address bar');
    assert.include(classifyMediaError(new DOMException('x', 'NotReadableError'), 'camera').message, 'Close it');
    assert.include(classifyMediaError(new TypeError('x'), 'screen').message, 'Chrome or Edge');
  });
});
