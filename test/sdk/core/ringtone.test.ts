import { assert } from '@open-wc/testing';
import { Ringtone } from '../../../sdk/core/ringtone.js';
import { waitFor } from '../helpers/wait.js';

describe('Ringtone', () => {
  it('plays beeps on a real AudioContext and releases it on stop', async () => {
    const contexts: AudioContext[] = [];
    const ringtone = new Ringtone({
      periodMs: 100,
      createAudioContext: () => {
        const context = new AudioContext();
        contexts.push(context);
        return context;
      },
    });
    assert.isFalse(ringtone.playing);
    ringtone.start();
    ringtone.start();
    assert.isTrue(ringtone.playing);
    assert.lengthOf(contexts, 1, 'start is idempotent');
    await waitFor(() => contexts[0]!.state === 'running', 3000, 'audio context running');
    ringtone.stop();
    assert.isFalse(ringtone.playing);
    await waitFor(() => contexts[0]!.state === 'closed', 3000, 'audio context closed');
    ringtone.stop();
  });

  it('schedules oscillators periodically while playing and none after stop', async () => {
    let oscillators = 0;
    const context = new AudioContext();
    const original = context.createOscillator.bind(context);
    context.createOscillator = () => {
      oscillators += 1;
      return original();
    };
    const ringtone = new Ringtone({ periodMs: 50, createAudioContext: () => context });
    ringtone.start();
    await waitFor(() => oscillators >= 4, 3000, 'two beep pairs');
    ringtone.stop();
    const after = oscillators;
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.strictEqual(oscillators, after);
  });
});
