import { assert } from '@open-wc/testing';
import { DirectSession, type DirectSignal } from '../../../../sdk/core/media/direct-session.js';
import type { RemoteTrack } from '../../../../sdk/core/media/media-session.js';
import { SignalingRelay } from '../../helpers/signaling-relay.js';
import { waitFor, withTimeout } from '../../helpers/wait.js';

async function inboundBytes(session: DirectSession): Promise<{ audio: number; video: number }> {
  const totals = { audio: 0, video: 0 };
  const stats = await session.getStats();
  stats?.forEach((report: { type: string; kind?: string; bytesReceived?: number }) => {
    if (report.type === 'inbound-rtp' && (report.kind === 'audio' || report.kind === 'video')) {
      totals[report.kind] += report.bytesReceived ?? 0;
    }
  });
  return totals;
}

describe('DirectSession (two real peers in one page)', () => {
  let relay: SignalingRelay;
  let agent: DirectSession;
  let client: DirectSession;
  let agentRemote: RemoteTrack[];
  let clientRemote: RemoteTrack[];
  let agentSeesMute: { source: string; muted: boolean }[];

  beforeEach(async () => {
    relay = new SignalingRelay();
    agent = new DirectSession({ role: 'agent', signaling: relay.agent });
    client = new DirectSession({ role: 'client', signaling: relay.client });
    agentRemote = [];
    clientRemote = [];
    agentSeesMute = [];
    agent.on('remote-track-added', (t) => agentRemote.push(t));
    agent.on('remote-track-removed', (t) => (agentRemote = agentRemote.filter((r) => r !== t)));
    client.on('remote-track-added', (t) => clientRemote.push(t));
    client.on('remote-track-removed', (t) => (clientRemote = clientRemote.filter((r) => r !== t)));
    agent.on('remote-mute', (m) => agentSeesMute.push(m));
    await agent.connect();
    await client.connect();
    await agent.setMicrophoneEnabled(true);
    await agent.setCameraEnabled(true);
    relay.join('agent');
    await client.setMicrophoneEnabled(true);
    await client.setCameraEnabled(true);
    relay.join('client');
    await waitFor(() => agentRemote.length === 2 && clientRemote.length === 2, 10_000, 'remote tracks');
  });

  afterEach(() => {
    agent.disconnect();
    client.disconnect();
  });

  it('sends audio and video both ways (inbound-rtp bytes grow)', async () => {
    const first = await inboundBytes(client);
    await waitFor(async () => {
      const now = await inboundBytes(client);
      return now.audio > first.audio && now.video > first.video && now.audio > 0 && now.video > 0;
    }, 10_000, 'client inbound bytes to grow');
    await waitFor(async () => {
      const now = await inboundBytes(agent);
      return now.audio > 0 && now.video > 0;
    }, 10_000, 'agent inbound bytes');
    assert.deepEqual(clientRemote.map((r) => r.source).sort(), ['camera', 'microphone']);
  });

  it('switching the microphone replaces the track in the same sender (no new remote track), keeps it muted, and stops the old one', async () => {
    const devices = (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === 'audioinput' && d.deviceId !== 'default');
    const target = devices.find((d) => d.label === 'Fake Audio Input 2')!;
    await client.setMicrophoneEnabled(false);
    const before = client.localTrack('microphone')!;
    const remoteBefore = agentRemote.find((r) => r.source === 'microphone')!;
    await client.switchDevice('microphone', target.deviceId);
    const after = client.localTrack('microphone')!;
    assert.notStrictEqual(after, before);
    assert.strictEqual(after.label, 'Fake Audio Input 2');
    assert.strictEqual(after.enabled, false, 'still muted');
    assert.strictEqual(before.readyState, 'ended', 'the old device is released');
    assert.strictEqual(client.preferredDevice('microphone'), target.deviceId);
    const stats = await client.getStats();
    let sent = '';
    stats?.forEach((r: { type: string; kind?: string; trackIdentifier?: string }) => {
      if (r.type === 'media-source' && r.kind === 'audio') sent = r.trackIdentifier ?? '';
    });
    assert.strictEqual(sent, after.id, 'the sender carries the new track');
    assert.deepEqual(agentRemote.filter((r) => r.source === 'microphone'), [remoteBefore], 'the agent keeps the same remote track');
  });

  it('a switch to a device that cannot be opened keeps the current one and the previous choice', async () => {
    const before = client.localTrack('camera')!;
    let failure: unknown = null;
    await client.switchDevice('camera', 'no-such-camera').catch((error: unknown) => (failure = error));
    assert.strictEqual((failure as { kind?: string } | null)?.kind, 'not_found');
    assert.strictEqual(client.localTrack('camera'), before);
    assert.strictEqual(before.readyState, 'live');
    assert.isNull(client.preferredDevice('camera'));
  });

  it('each side measures its connection quality and tells the other (quality signal)', async () => {
    const agentSees: string[] = [];
    const clientMeasures: string[] = [];
    agent.on('quality', ({ side, level }) => agentSees.push(`${side}:${level}`));
    client.on('quality', ({ side, level }) => clientMeasures.push(`${side}:${level}`));
    await waitFor(() => clientMeasures.some((q) => q.startsWith('local:') && !q.endsWith('null')), 8000, 'the client measured');
    const measured = clientMeasures.find((q) => q.startsWith('local:') && !q.endsWith('null'))!.slice('local:'.length);
    assert.include(['good', 'fair', 'poor'], measured);
    await waitFor(() => agentSees.includes(`remote:${measured}`), 5000, "the agent told the client's level");
  });

  it('mic mute disables the track and is seen as a remote mute', async () => {
    await client.setMicrophoneEnabled(false);
    const mic = client.localTrack('microphone')!;
    assert.strictEqual(mic.enabled, false);
    assert.strictEqual(mic.readyState, 'live');
    await waitFor(() => agentSeesMute.some((m) => m.source === 'microphone' && m.muted), 5000, 'remote mute');
    await client.setMicrophoneEnabled(true);
    assert.strictEqual(mic.enabled, true);
    await waitFor(() => agentSeesMute.at(-1)?.muted === false, 5000, 'remote unmute');
  });

  it('camera off ends the local track; camera on makes a new live one', async () => {
    const before = client.localTrack('camera')!;
    await client.setCameraEnabled(false);
    assert.strictEqual(before.readyState, 'ended');
    assert.strictEqual(client.localTrack('camera'), null);
    assert.strictEqual(client.isEnabled('camera'), false);
    await waitFor(() => agentSeesMute.some((m) => m.source === 'camera' && m.muted), 5000, 'remote camera mute');
    await client.setCameraEnabled(true);
    const after = client.localTrack('camera')!;
    assert.notStrictEqual(after, before);
    assert.strictEqual(after.readyState, 'live');
    await waitFor(() => agentSeesMute.at(-1)?.source === 'camera' && agentSeesMute.at(-1)?.muted === false, 5000, 'remote camera unmute');
  });

  it('a screen share arrives as source "screen" and goes away when stopped', async () => {
    await withTimeout(client.setScreenShareEnabled(true), 8000, 'getDisplayMedia');
    await waitFor(() => agentRemote.some((r) => r.source === 'screen'), 8000, 'remote screen track');
    assert.lengthOf(agentRemote.filter((r) => r.source === 'camera'), 1);
    await client.setScreenShareEnabled(false);
    await waitFor(() => !agentRemote.some((r) => r.source === 'screen'), 8000, 'remote screen removed');
  });

  it('disconnect ends every local track', async () => {
    await withTimeout(agent.setScreenShareEnabled(true), 8000, 'getDisplayMedia');
    const tracks = (['microphone', 'camera', 'screen'] as const).map((s) => agent.localTrack(s)!);
    assert.strictEqual(tracks.every((t) => t.readyState === 'live'), true);
    agent.disconnect();
    assert.deepEqual(tracks.map((t) => t.readyState), ['ended', 'ended', 'ended']);
  });

  it('a peer that leaves and comes back gets a fresh connection', async () => {
    relay.leave('client');
    await waitFor(() => agentRemote.length === 0, 5000, 'remote tracks removed');
    relay.join('client');
    await waitFor(() => agentRemote.length === 2 && clientRemote.length >= 2, 10_000, 'tracks again');
    await waitFor(async () => (await inboundBytes(agent)).video > 0, 10_000, 'video again');
  });

  it('reconnects with media every time the client rejoins in quick succession', async () => {
    for (let round = 0; round < 3; round++) {
      relay.leave('client');
      relay.join('client');
      await waitFor(() => agentRemote.length === 2 && clientRemote.length >= 2, 10_000, `tracks in round ${round}`);
      const before = await inboundBytes(client);
      await waitFor(async () => {
        const now = await inboundBytes(client);
        return now.audio > before.audio && now.video > before.video;
      }, 10_000, `client media in round ${round}`);
    }
  });

  it('ignores descriptions and candidates of an earlier connection', async () => {
    const errors: Error[] = [];
    client.on('error', ({ error }) => errors.push(error));
    agent.on('error', ({ error }) => errors.push(error));
    const stale: DirectSignal[] = [
      { kind: 'description', generation: 'stale', description: { type: 'answer', sdp: 'v=0 not a real sdp' } },
      { kind: 'candidate', generation: 'stale', candidate: { candidate: 'candidate:1 1 udp 1 10.0.0.1 9 typ host', sdpMid: '0' } },
    ];
    for (const data of stale) {
      relay.deliver('agent', { type: 'signal', from: 'agent', data });
      relay.deliver('client', { type: 'signal', from: 'client', data });
    }
    const before = await inboundBytes(agent);
    await waitFor(async () => (await inboundBytes(agent)).video > before.video, 10_000, 'media still flowing');
    assert.deepEqual(errors, []);
  });
});

describe('DirectSession: local tracks captured while an offer is applied', () => {
  it('answers once, with those tracks, instead of failing on a duplicate sender', async () => {
    const relay = new SignalingRelay();
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
    const [mic] = stream.getAudioTracks();
    const [cam] = stream.getVideoTracks();
    const agent = new DirectSession({ role: 'agent', signaling: relay.agent });
    const client = new DirectSession({
      role: 'client',
      signaling: relay.client,
      capture: { microphone: () => Promise.resolve(mic!), camera: () => Promise.resolve(cam!) },
    });
    const errors: Error[] = [];
    const agentRemote: RemoteTrack[] = [];
    client.on('error', ({ error }) => errors.push(error));
    agent.on('remote-track-added', (t) => agentRemote.push(t));
    // The client's connection opens when the agent's offer arrives: capture right then,
    // so the tracks land while the offer is still being applied.
    client.on('connection-state', ({ state }) => {
      if (state !== 'connecting') return;
      void client.setMicrophoneEnabled(true);
      void client.setCameraEnabled(true);
    });
    try {
      await agent.connect();
      await client.connect();
      await agent.setMicrophoneEnabled(true);
      await agent.setCameraEnabled(true);
      relay.join('agent');
      relay.join('client');
      await waitFor(() => agentRemote.length === 2, 10_000, 'client tracks at the agent');
      await waitFor(async () => {
        const bytes = await inboundBytes(agent);
        return bytes.audio > 0 && bytes.video > 0;
      }, 10_000, 'client media at the agent');
      assert.deepEqual(errors, []);
    } finally {
      agent.disconnect();
      client.disconnect();
    }
  });
});
