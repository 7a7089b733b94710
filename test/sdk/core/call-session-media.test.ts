// CallSession against a scripted media engine: what the media path says reaches the room
// (reconnecting, lost with a reason, blocked audio), and presence has one source per mode.
import { assert } from '@open-wc/testing';
import { CallSession } from '../../../sdk/core/call-session.js';
import { Emitter } from '../../../sdk/core/emitter.js';
import { LocalMediaError } from '../../../sdk/core/local-media.js';
import type { MediaSession, MediaSessionEvents } from '../../../sdk/core/media/media-session.js';
import type { CallView, Credentials, TrackSource } from '../../../sdk/core/types.js';
import { FakeSocket } from '../helpers/fake-socket.js';
import { waitFor } from '../helpers/wait.js';

const call = (status: CallView['status'] = 'active'): CallView => ({
  id: 'c1', orgId: 'demo', conversationId: 'conv', clientId: 'cl', clientName: 'Bob', agentId: 'a', agentName: 'Alice',
  media: 'audio', status, linkDelivered: true, createdAt: '', expiresAt: '', endedAt: null, endedBy: null, endReason: null, agentAwaySince: null, invitedAt: '',
});
const credentials: Credentials = {
  role: 'agent', token: 'call-token', expiresAt: '', liveUrl: 'ws://svc.test/v1/calls/c1/live', media: { mode: 'livekit', url: 'ws://lk.test', token: 'lk' },
};

/** A media engine whose events the test emits by hand. */
class ScriptedMedia extends Emitter<MediaSessionEvents> implements MediaSession {
  readonly role = 'agent' as const;
  constructor(readonly presenceSource: 'signaling' | 'media') {
    super();
  }
  audioStarted = 0;
  disconnected = false;
  connect(): Promise<void> {
    return Promise.resolve();
  }
  setMicrophoneEnabled(): Promise<void> {
    return Promise.resolve();
  }
  setCameraEnabled(): Promise<void> {
    return Promise.resolve();
  }
  setScreenShareEnabled(): Promise<void> {
    return Promise.resolve();
  }
  localTrack(_source: TrackSource): MediaStreamTrack | null {
    return null;
  }
  isEnabled(): boolean {
    return false;
  }
  switchDevice(): Promise<void> {
    return Promise.resolve();
  }
  preferredDevice(): string | null {
    return null;
  }
  getStats(): Promise<RTCStatsReport | null> {
    return Promise.resolve(null);
  }

  disconnect(): void {
    this.disconnected = true;
  }
  startAudio(): Promise<void> {
    this.audioStarted += 1;
    return Promise.resolve();
  }
}

function makeSession(presenceSource: 'signaling' | 'media', serviceSays: CallView['status'] = 'active') {
  FakeSocket.instances = [];
  const media = new ScriptedMedia(presenceSource);
  const session = new CallSession({
    role: 'agent',
    serviceUrl: 'http://svc.test',
    WebSocket: FakeSocket as unknown as typeof WebSocket,
    fetch: async () => new Response(JSON.stringify(call(serviceSays)), { status: 200 }),
    createAudioContext: () => new AudioContext(),
    createMedia: () => media,
  });
  session.start(call(), credentials);
  const socket = FakeSocket.instances[0]!;
  socket.open();
  return { session, media, socket };
}

describe('CallSession and its media engine', () => {
  it('in a mode whose presence is the media room, the socket presence is ignored and the room decides', () => {
    const { session, media, socket } = makeSession('media');
    media.emit('remote-participant', { role: 'client', present: true });
    socket.receive({ type: 'hello', role: 'agent', call: call(), peers: { agent: true, client: false } });
    assert.strictEqual(session.snapshot.state.status, 'connected', 'the room said the client is there before hello');
    socket.receive({ type: 'presence', role: 'client', present: false });
    assert.strictEqual(session.snapshot.state.status, 'connected', 'a socket presence does not count in this mode');
    media.emit('remote-participant', { role: 'client', present: false });
    assert.strictEqual(session.snapshot.state.status, 'client-left');
    session.dispose();
  });

  it('in a mode whose presence is the signaling, the media room events are ignored', () => {
    const { session, media, socket } = makeSession('signaling');
    socket.receive({ type: 'hello', role: 'agent', call: call(), peers: { agent: true, client: true } });
    media.emit('remote-participant', { role: 'client', present: false });
    assert.strictEqual(session.snapshot.state.status, 'connected');
    socket.receive({ type: 'presence', role: 'client', present: false });
    assert.strictEqual(session.snapshot.state.status, 'client-left');
    session.dispose();
  });

  it('media reconnecting shows reconnecting, then returns to connected', () => {
    const { session, media, socket } = makeSession('media');
    media.emit('remote-participant', { role: 'client', present: true });
    socket.receive({ type: 'hello', role: 'agent', call: call(), peers: { agent: true, client: true } });
    media.emit('connection-state', { state: 'reconnecting' });
    assert.strictEqual(session.snapshot.state.status, 'reconnecting');
    media.emit('connection-state', { state: 'connected' });
    assert.strictEqual(session.snapshot.state.status, 'connected');
    session.dispose();
  });

  it('a media path lost for good, while the service says the call runs, fails the room with the reason and a Rejoin', async () => {
    const { session, media, socket } = makeSession('media', 'active');
    media.emit('remote-participant', { role: 'client', present: true });
    socket.receive({ type: 'hello', role: 'agent', call: call(), peers: { agent: true, client: true } });
    media.emit('connection-state', { state: 'disconnected', reason: { code: 'room_deleted', message: 'The media room was closed.' } });
    await waitFor(() => session.snapshot.state.status === 'failed', 3000, 'failed');
    assert.deepInclude(session.snapshot.state, { code: 'room_deleted', rejoinable: true });
    assert.isTrue(session.snapshot.rejoinable);
    assert.isTrue(media.disconnected, 'everything is stopped');
  });

  it('a media path lost because the call ended ends the room instead', async () => {
    const { session, media, socket } = makeSession('media', 'ended');
    socket.receive({ type: 'hello', role: 'agent', call: call(), peers: { agent: true, client: true } });
    media.emit('connection-state', { state: 'disconnected', reason: { code: 'room_deleted', message: 'closed' } });
    await waitFor(() => session.snapshot.state.status === 'ended', 3000, 'ended');
    assert.isFalse(session.snapshot.rejoinable);
  });

  it('a peer-to-peer path that fails during the call fails the room with a Rejoin (not "Client connected")', async () => {
    const { session, media, socket } = makeSession('signaling', 'active');
    socket.receive({ type: 'hello', role: 'agent', call: call(), peers: { agent: true, client: true } });
    assert.strictEqual(session.snapshot.state.status, 'connected');
    media.emit('connection-state', { state: 'failed' });
    await waitFor(() => session.snapshot.state.status === 'failed', 3000, 'failed');
    assert.deepInclude(session.snapshot.state, { code: 'media_lost', rejoinable: true });
    assert.isTrue(media.disconnected, 'everything is stopped');
  });

  it('a capture the media engine could not publish reaches the snapshot as a media error', () => {
    const { session, media } = makeSession('media');
    media.emit('error', { error: new LocalMediaError('permission_denied', 'camera', 'NotAllowedError') });
    assert.deepEqual(session.snapshot.mediaErrors.map((e) => [e.kind, e.device]), [['permission_denied', 'camera']]);
    session.dispose();
  });

  it('blocked audio is in the snapshot until startAudio() from a click', async () => {
    const { session, media } = makeSession('media');
    media.emit('audio-blocked', { blocked: true });
    assert.isTrue(session.snapshot.audioBlocked);
    await session.startAudio();
    assert.strictEqual(media.audioStarted, 1);
    assert.isFalse(session.snapshot.audioBlocked);
    session.dispose();
  });
});
