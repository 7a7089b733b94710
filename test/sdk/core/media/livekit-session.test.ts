// LiveKitSession in real Chromium (fake devices) against a real LiveKit server, started by
// test/support/wtr-livekit.ts: an agent and a client session join one room in this page.
import { assert } from '@open-wc/testing';
import { LogLevel, Room, setLogLevel } from 'livekit-client';
import { connectionFromStats } from '../../../../sdk/core/diagnostics.js';
import { LocalMediaError } from '../../../../sdk/core/local-media.js';
import { LiveKitSession, prepareRoom } from '../../../../sdk/core/media/livekit-session.js';
import type { MediaConnectionState, MediaDisconnectReason, RemoteTrack } from '../../../../sdk/core/media/media-session.js';
import type { Role, TrackSource } from '../../../../sdk/core/types.js';
import { waitFor, withTimeout } from '../../helpers/wait.js';

/** A join needs a signalling round trip and ICE on loopback: seconds, not the default 15 s budget. */
const LIVEKIT_TEST_TIMEOUT_MS = 40_000;
/** getDisplayMedia hangs forever without the fake-ui flag: never wait on it unguarded. */
const DISPLAY_MEDIA_TIMEOUT_MS = 8000;

setLogLevel(LogLevel.warn);

/** A test body with the LiveKit time budget. */
function slow(body: () => Promise<void>): MochaAsyncBody {
  return async function () {
    this.timeout(LIVEKIT_TEST_TIMEOUT_MS);
    await body();
  };
}

async function testApi<T>(path: string, body: unknown): Promise<T> {
  const res = await fetch(`/__test/livekit/${path}`, { method: 'POST', body: JSON.stringify(body) });
  const json = (await res.json()) as T & { message?: string };
  if (!res.ok) throw new Error(`${path}: ${json.message}`);
  return json;
}

const credentialsFor = (room: string, identity: string) => testApi<{ url: string; token: string }>('token', { room, identity });

/** Everything one session reports, for assertions. */
class Observer {
  remote: RemoteTrack[] = [];
  presence: { role: Role; present: boolean }[] = [];
  mutes: { source: string; muted: boolean }[] = [];
  states: { state: MediaConnectionState; reason?: MediaDisconnectReason }[] = [];
  ended: TrackSource[] = [];
  errors: Error[] = [];

  constructor(session: LiveKitSession) {
    session.on('remote-track-added', (t) => this.remote.push(t));
    session.on('remote-track-removed', (t) => (this.remote = this.remote.filter((r) => r !== t)));
    session.on('remote-participant', (p) => this.presence.push(p));
    session.on('remote-mute', (m) => this.mutes.push(m));
    session.on('connection-state', (s) => this.states.push(s));
    session.on('local-track-ended', ({ source }) => this.ended.push(source));
    session.on('error', ({ error }) => this.errors.push(error));
  }

  sources(): string[] {
    return this.remote.map((r) => r.source).sort();
  }

  get present(): boolean {
    return this.presence.at(-1)?.present ?? false;
  }
}

async function inboundBytes(session: LiveKitSession): Promise<{ audio: number; video: number }> {
  const totals = { audio: 0, video: 0 };
  for (const report of await session.getReceiverStats()) {
    report.forEach((s: { type: string; kind?: string; bytesReceived?: number }) => {
      if (s.type === 'inbound-rtp' && (s.kind === 'audio' || s.kind === 'video')) totals[s.kind] += s.bytesReceived ?? 0;
    });
  }
  return totals;
}

describe('LiveKitSession (agent and client in one real LiveKit room)', () => {
  let room: string;
  let agent: LiveKitSession;
  let client: LiveKitSession;
  /** The room the client's pre-join prepared (its connection warmed), as the hosted join page does. */
  let prepared: Room;
  let atAgent: Observer;
  let atClient: Observer;

  beforeEach(async function () {
    this.timeout(LIVEKIT_TEST_TIMEOUT_MS);
    room = `test-${crypto.randomUUID()}`;
    agent = new LiveKitSession({ role: 'agent', ...(await credentialsFor(room, `agent:${crypto.randomUUID()}`)) });
    const clientCredentials = await credentialsFor(room, `client:${crypto.randomUUID()}`);
    prepared = prepareRoom(clientCredentials.url, clientCredentials.token);
    client = new LiveKitSession({ role: 'client', ...clientCredentials, room: prepared });
    atAgent = new Observer(agent);
    atClient = new Observer(client);
    // The agent captures before joining (published on join), the client after (published at once).
    await agent.setMicrophoneEnabled(true);
    await agent.setCameraEnabled(true);
    await agent.connect();
    await client.connect();
    await client.setMicrophoneEnabled(true);
    await client.setCameraEnabled(true);
    await waitFor(() => atAgent.remote.length === 2 && atClient.remote.length === 2, 15_000, 'two remote tracks on each side');
  });

  afterEach(async function () {
    this.timeout(LIVEKIT_TEST_TIMEOUT_MS);
    agent.disconnect();
    client.disconnect();
    await testApi('delete-room', { room }).catch(() => undefined);
  });

  it('joins, sees the other side and carries audio and video both ways (receiver bytes grow)', slow(async () => {
    assert.deepEqual(atAgent.presence, [{ role: 'client', present: true }]);
    assert.deepEqual(atClient.presence, [{ role: 'agent', present: true }]);
    assert.deepEqual(atAgent.sources(), ['camera', 'microphone']);
    assert.deepEqual(atClient.sources(), ['camera', 'microphone']);
    assert.include(atAgent.states.map((s) => s.state), 'connected');
    assert.strictEqual(client.room, prepared, 'the client joined the room prepared before Join');
    assert.strictEqual(prepared.state, 'connected');
    for (const side of [agent, client]) {
      const first = await inboundBytes(side);
      await waitFor(async () => {
        const now = await inboundBytes(side);
        return now.audio > first.audio && now.video > first.video;
      }, 10_000, `${side.role} inbound bytes to grow`);
    }
    assert.deepEqual([...atAgent.errors, ...atClient.errors], []);
  }));

  it('gives diagnostics a round-trip time and a packet loss figure from its peer connections', slow(async () => {
    for (const side of [agent, client]) {
      let figures = connectionFromStats(await side.getStats());
      await waitFor(async () => {
        figures = connectionFromStats(await side.getStats());
        return figures.rttMs !== null && figures.packetLossPercent !== null;
      }, 10_000, `${side.role}: a round-trip time and inbound packets in the stats`);
      assert.isAtLeast(figures.rttMs!, 0);
      assert.isAtLeast(figures.packetLossPercent!, 0);
      assert.include(['host', 'srflx', 'prflx', 'relay'], figures.candidateType);
    }
  }));

  it('a muted microphone keeps its live track and is seen as a remote mute, then unmute', slow(async () => {
    const mic = client.localTrack('microphone')!;
    await client.setMicrophoneEnabled(false);
    assert.strictEqual(mic.enabled, false);
    assert.strictEqual(mic.readyState, 'live');
    assert.isFalse(client.isEnabled('microphone'));
    await waitFor(() => atAgent.mutes.at(-1)?.source === 'microphone' && atAgent.mutes.at(-1)?.muted === true, 8000, 'remote mute');
    await client.setMicrophoneEnabled(true);
    assert.isTrue(mic.enabled);
    await waitFor(() => atAgent.mutes.at(-1)?.source === 'microphone' && atAgent.mutes.at(-1)?.muted === false, 8000, 'remote unmute');
  }));

  it('camera off releases the device and is a remote mute; on again sends video on the same remote track', slow(async () => {
    const before = client.localTrack('camera')!;
    const remoteCamera = atAgent.remote.find((r) => r.source === 'camera')!;
    await client.setCameraEnabled(false);
    assert.strictEqual(before.readyState, 'ended');
    assert.isNull(client.localTrack('camera'));
    await waitFor(() => atAgent.mutes.some((m) => m.source === 'camera' && m.muted), 8000, 'remote camera mute');
    await client.setCameraEnabled(true);
    const after = client.localTrack('camera')!;
    assert.notStrictEqual(after, before);
    assert.strictEqual(after.readyState, 'live');
    await waitFor(() => atAgent.mutes.at(-1)?.source === 'camera' && atAgent.mutes.at(-1)?.muted === false, 8000, 'remote camera unmute');
    assert.strictEqual(atAgent.remote.find((r) => r.source === 'camera'), remoteCamera, 'the same remote track carries the new camera');
    const first = await inboundBytes(agent);
    await waitFor(async () => (await inboundBytes(agent)).video > first.video, 8000, 'video again');
  }));

  it('a screen share arrives as source "screen" and goes away when stopped', slow(async () => {
    await withTimeout(client.setScreenShareEnabled(true), DISPLAY_MEDIA_TIMEOUT_MS, 'getDisplayMedia');
    assert.isTrue(client.isEnabled('screen'));
    await waitFor(() => atAgent.remote.some((r) => r.source === 'screen'), 10_000, 'remote screen track');
    assert.deepEqual(atAgent.sources(), ['camera', 'microphone', 'screen']);
    const screen = client.localTrack('screen')!;
    await client.setScreenShareEnabled(false);
    assert.strictEqual(screen.readyState, 'ended');
    await waitFor(() => !atAgent.remote.some((r) => r.source === 'screen'), 10_000, 'remote screen removed');
  }));

  it('a screen share the browser ends ("Stop sharing") turns the source off on both sides', slow(async () => {
    await withTimeout(client.setScreenShareEnabled(true), DISPLAY_MEDIA_TIMEOUT_MS, 'getDisplayMedia');
    await waitFor(() => atAgent.remote.some((r) => r.source === 'screen'), 10_000, 'remote screen track');
    const screen = client.localTrack('screen')!;
    // What the browser fires on "Stop sharing" (track.stop() never fires it; see TESTING.md).
    screen.dispatchEvent(new Event('ended'));
    await waitFor(() => atClient.ended.includes('screen'), 5000, 'local-track-ended');
    assert.isFalse(client.isEnabled('screen'));
    assert.strictEqual(screen.readyState, 'ended');
    await waitFor(() => !atAgent.remote.some((r) => r.source === 'screen'), 10_000, 'remote screen removed');
  }));

  it('a camera the browser ends (unplugged, permission revoked) is off and muted for the other side, and can come back', slow(async () => {
    const camera = client.localTrack('camera')!;
    // What the browser fires when the device goes away.
    camera.dispatchEvent(new Event('ended'));
    await waitFor(() => atClient.ended.includes('camera'), 5000, 'local-track-ended');
    assert.isFalse(client.isEnabled('camera'));
    assert.isNull(client.localTrack('camera'));
    await waitFor(() => atAgent.mutes.at(-1)?.source === 'camera' && atAgent.mutes.at(-1)?.muted === true, 8000, 'remote camera mute');
    await client.setCameraEnabled(true);
    assert.isTrue(client.isEnabled('camera'));
    await waitFor(() => atAgent.mutes.at(-1)?.source === 'camera' && atAgent.mutes.at(-1)?.muted === false, 8000, 'remote camera unmute');
  }));

  it('a dropped signal connection is reported as reconnecting, then connected, and media keeps flowing', slow(async () => {
    await client.room.simulateScenario('signal-reconnect');
    await waitFor(() => atClient.states.some((s) => s.state === 'reconnecting'), 5000, 'reconnecting');
    await waitFor(() => atClient.states.at(-1)?.state === 'connected', 10_000, 'connected again');
    const first = await inboundBytes(client);
    await waitFor(async () => (await inboundBytes(client)).video > first.video, 8000, 'video after the reconnect');
  }));

  it('a full reconnect (new server session) comes back with presence, tracks and media', slow(async () => {
    await client.room.simulateScenario('full-reconnect');
    await waitFor(() => atClient.states.some((s) => s.state === 'reconnecting'), 5000, 'reconnecting');
    await waitFor(() => atClient.states.at(-1)?.state === 'connected', 15_000, 'connected again');
    await waitFor(() => atClient.present && atAgent.present, 8000, 'presence on both sides');
    await waitFor(() => atAgent.remote.length === 2 && atClient.remote.length === 2, 15_000, 'tracks on both sides');
    for (const side of [agent, client]) {
      const first = await inboundBytes(side);
      await waitFor(async () => {
        const now = await inboundBytes(side);
        return now.audio > first.audio && now.video > first.video;
      }, 10_000, `${side.role} media after the full reconnect`);
    }
  }));

  it('disconnect ends every local track and the other side sees the participant leave', slow(async () => {
    await withTimeout(agent.setScreenShareEnabled(true), DISPLAY_MEDIA_TIMEOUT_MS, 'getDisplayMedia');
    const tracks = (['microphone', 'camera', 'screen'] as const).map((s) => agent.localTrack(s)!);
    assert.deepEqual(tracks.map((t) => t.readyState), ['live', 'live', 'live']);
    agent.disconnect();
    assert.deepEqual(tracks.map((t) => t.readyState), ['ended', 'ended', 'ended']);
    assert.strictEqual(atAgent.states.at(-1)?.state, 'closed');
    await waitFor(() => !atClient.present, 8000, 'client sees the agent leave');
    await waitFor(() => atClient.remote.length === 0, 8000, 'agent tracks removed at the client');
  }));

  it('a room deleted on the server disconnects both sides with the reason and ends their tracks', slow(async () => {
    const tracks = [agent.localTrack('microphone')!, client.localTrack('camera')!];
    await testApi('delete-room', { room });
    for (const seen of [atAgent, atClient]) {
      await waitFor(() => seen.states.at(-1)?.state === 'disconnected', 8000, 'disconnected');
      assert.strictEqual(seen.states.at(-1)?.reason?.code, 'room_deleted');
      assert.isString(seen.states.at(-1)?.reason?.message);
      assert.lengthOf(seen.remote, 0);
    }
    assert.deepEqual(tracks.map((t) => t.readyState), ['ended', 'ended']);
    assert.isNull(agent.localTrack('microphone'));
    // The room is gone for good: turning a device on does not grab it.
    await agent.setCameraEnabled(true);
    assert.isNull(agent.localTrack('camera'));
  }));
});

describe('LiveKitSession: joining', () => {
  it('ignores participants that are neither agent nor client', slow(async () => {
    const room = `test-${crypto.randomUUID()}`;
    const observer = new Room();
    const agent = new LiveKitSession({ role: 'agent', ...(await credentialsFor(room, `agent:${crypto.randomUUID()}`)) });
    const client = new LiveKitSession({ role: 'client', ...(await credentialsFor(room, `client:${crypto.randomUUID()}`)) });
    const seen = new Observer(agent);
    try {
      const recorder = await credentialsFor(room, 'recorder-1');
      await observer.connect(recorder.url, recorder.token);
      await agent.connect();
      assert.include(seen.states.map((s) => s.state), 'connected');
      assert.deepEqual(seen.presence, [], 'a participant of no known role is not the client');
      await client.connect();
      await waitFor(() => seen.present, 8000, 'the client');
      assert.deepEqual(seen.presence, [{ role: 'client', present: true }]);
    } finally {
      agent.disconnect();
      client.disconnect();
      await observer.disconnect();
      await testApi('delete-room', { room }).catch(() => undefined);
    }
  }));

  it('refused credentials end in connection-state failed with a reason, and connect() still resolves', slow(async () => {
    const { url } = await credentialsFor(`test-${crypto.randomUUID()}`, 'agent:x');
    const session = new LiveKitSession({ role: 'agent', url, token: 'not-a-token' });
    const seen = new Observer(session);
    await session.connect();
    assert.strictEqual(seen.states.at(-1)?.state, 'failed');
    assert.strictEqual(seen.states.at(-1)?.reason?.code, 'not_allowed');
    assert.lengthOf(seen.errors, 1);
    session.disconnect();
  }));

  it('a capture the browser refuses rejects with the same LocalMediaError as direct mode', async () => {
    const refused = () => Promise.reject(new DOMException('denied', 'NotAllowedError'));
    const session = new LiveKitSession({ role: 'client', url: 'ws://127.0.0.1:9', token: 'unused', capture: { microphone: refused } });
    try {
      const error = await session.setMicrophoneEnabled(true).then(() => null, (e: unknown) => e);
      assert.instanceOf(error, LocalMediaError);
      assert.strictEqual(error.kind, 'permission_denied');
      assert.strictEqual(error.device, 'microphone');
      assert.isNull(session.localTrack('microphone'));
    } finally {
      session.disconnect();
    }
  });
});
