import { assert } from '@open-wc/testing';
import { Emitter } from '../../../../sdk/core/emitter.js';
import { LazyMediaSession } from '../../../../sdk/core/media/lazy-session.js';
import type { MediaConnectionState, MediaSession, MediaSessionEvents } from '../../../../sdk/core/media/media-session.js';
import type { TrackSource } from '../../../../sdk/core/types.js';

/** An engine that records calls and emits on demand. */
class FakeEngine extends Emitter<MediaSessionEvents> implements MediaSession {
  readonly role = 'agent' as const;
  readonly presenceSource = 'media' as const;
  calls: string[] = [];
  connect(): Promise<void> {
    this.calls.push('connect');
    return Promise.resolve();
  }
  setMicrophoneEnabled(enabled: boolean): Promise<void> {
    this.calls.push(`microphone:${enabled}`);
    return Promise.resolve();
  }
  setCameraEnabled(enabled: boolean): Promise<void> {
    this.calls.push(`camera:${enabled}`);
    return Promise.resolve();
  }
  setScreenShareEnabled(enabled: boolean): Promise<void> {
    this.calls.push(`screen:${enabled}`);
    return Promise.resolve();
  }
  localTrack(_source: TrackSource): MediaStreamTrack | null {
    return null;
  }
  isEnabled(source: TrackSource): boolean {
    return source === 'microphone';
  }
  switchDevice(source: TrackSource, deviceId: string): Promise<void> {
    this.calls.push(`switch:${source}:${deviceId}`);
    return Promise.resolve();
  }
  preferredDevice(): string | null {
    return null;
  }
  /** What getStats answers. */
  stats: RTCStatsReport | null = null;
  getStats(): Promise<RTCStatsReport | null> {
    return Promise.resolve(this.stats);
  }

  disconnect(): void {
    this.calls.push('disconnect');
  }
  startAudio(): Promise<void> {
    this.calls.push('startAudio');
    return Promise.resolve();
  }
}

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('LazyMediaSession', () => {
  it('holds calls made while the engine loads, then forwards them and its events', async () => {
    const load = deferred<MediaSession>();
    const session = new LazyMediaSession('agent', load.promise);
    const states: MediaConnectionState[] = [];
    const blocked: boolean[] = [];
    session.on('connection-state', ({ state }) => states.push(state));
    session.on('audio-blocked', (e) => blocked.push(e.blocked));
    assert.isFalse(session.isEnabled('microphone'));
    const connected = session.connect();
    const mic = session.setMicrophoneEnabled(true);
    const engine = new FakeEngine();
    load.resolve(engine);
    await Promise.all([connected, mic]);
    await session.startAudio();
    assert.deepEqual(engine.calls, ['connect', 'microphone:true', 'startAudio']);
    assert.strictEqual(session.engine, engine);
    assert.isTrue(session.isEnabled('microphone'));
    engine.emit('connection-state', { state: 'reconnecting' });
    engine.emit('audio-blocked', { blocked: true });
    assert.deepEqual(states, ['reconnecting']);
    assert.deepEqual(blocked, [true]);
  });

  it('has no statistics while the engine loads, then the engine\'s', async () => {
    const load = deferred<MediaSession>();
    const session = new LazyMediaSession('client', load.promise);
    assert.isNull(await session.getStats());
    const engine = new FakeEngine();
    engine.stats = new Map([['CP1', { type: 'candidate-pair' }]]);
    load.resolve(engine);
    await session.connect();
    assert.strictEqual(await session.getStats(), engine.stats);
  });

  it('a device switch asked while the engine loads is forwarded, and quality events come through', async () => {
    const load = deferred<MediaSession>();
    const session = new LazyMediaSession('client', load.promise);
    const quality: string[] = [];
    session.on('quality', ({ side, level }) => quality.push(`${side}:${level}`));
    const switched = session.switchDevice('camera', 'cam-2');
    const engine = new FakeEngine();
    load.resolve(engine);
    await switched;
    assert.deepEqual(engine.calls, ['switch:camera:cam-2']);
    engine.emit('quality', { side: 'remote', level: 'poor' });
    assert.deepEqual(quality, ['remote:poor']);
  });

  it('a disconnect before the engine arrives disconnects it on arrival and says closed', async () => {
    const load = deferred<MediaSession>();
    const session = new LazyMediaSession('agent', load.promise);
    const states: MediaConnectionState[] = [];
    session.on('connection-state', ({ state }) => states.push(state));
    session.disconnect();
    const engine = new FakeEngine();
    load.resolve(engine);
    await session.setCameraEnabled(true);
    assert.deepEqual(engine.calls, ['disconnect']);
    assert.deepEqual(states, ['closed']);
  });

  it('an engine that fails to load ends in failed + error; connect() still resolves', async () => {
    const load = deferred<MediaSession>();
    const session = new LazyMediaSession('client', load.promise);
    const states: { state: MediaConnectionState; code?: string }[] = [];
    const errors: Error[] = [];
    session.on('connection-state', ({ state, reason }) => states.push({ state, code: reason?.code }));
    session.on('error', ({ error }) => errors.push(error));
    load.reject(new TypeError('Failed to fetch dynamically imported module'));
    await session.connect();
    const rejected = await session.setMicrophoneEnabled(true).then(() => null, (e: unknown) => e);
    assert.instanceOf(rejected, TypeError);
    assert.deepEqual(states, [{ state: 'failed', code: 'engine_unavailable' }]);
    assert.lengthOf(errors, 1);
  });
});
