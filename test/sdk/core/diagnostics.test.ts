// The diagnostics builder in real Chromium: this browser's half (browser and OS from bowser,
// permission states, device counts with fake devices, connection figures from a real peer
// connection's stats), the report's contents with no secret in it, and copying.
import { assert } from '@open-wc/testing';
import { buildReport, collectHalf, connectionFromStats, copyText, reportText, withoutSecret } from '../../../sdk/core/diagnostics.js';
import type { CallView } from '../../../sdk/core/types.js';

const CALL: CallView = {
  id: 'call-42', orgId: 'org-acme', conversationId: 'conv-7', clientId: 'client-bob', clientName: 'Bob Lambert',
  agentId: 'agent-alice', agentName: 'Alice Martin', media: 'video', status: 'active', linkDelivered: true,
  createdAt: '2026-01-01T10:00:00.000Z', expiresAt: '', endedAt: null, endedBy: null, endReason: null, agentAwaySince: null, invitedAt: '2026-01-01T10:00:00.000Z',
};

/** Two peer connections of this page, connected, with audio flowing. */
async function connectedPair(): Promise<{ a: RTCPeerConnection; b: RTCPeerConnection }> {
  const a = new RTCPeerConnection();
  const b = new RTCPeerConnection();
  a.onicecandidate = (e) => void (e.candidate && b.addIceCandidate(e.candidate));
  b.onicecandidate = (e) => void (e.candidate && a.addIceCandidate(e.candidate));
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
  for (const track of stream.getTracks()) a.addTrack(track, stream);
  await a.setLocalDescription();
  await b.setRemoteDescription(a.localDescription!);
  await b.setLocalDescription();
  await a.setRemoteDescription(b.localDescription!);
  return { a, b };
}

describe('diagnostics', () => {
  it('strips the secret (fragment) and any query from a join link', () => {
    assert.strictEqual(withoutSecret('https://calls.example.com/join/call-42#s3cr3t'), 'https://calls.example.com/join/call-42');
    assert.strictEqual(withoutSecret('https://calls.example.com/join/call-42?x=1#s3cr3t'), 'https://calls.example.com/join/call-42');
    assert.strictEqual(withoutSecret('not a url#s3cr3t'), 'not a url');
  });

  it('gathers this browser\'s half: browser and OS, permission states, devices, the call as seen here', async () => {
    const half = await collectHalf({ status: 'connected', enabled: { microphone: true, camera: false, screen: false }, mediaMode: 'direct', stats: async () => null });
    assert.match(half.browser, /^Chrom/);
    assert.match(half.os, /Linux/);
    assert.strictEqual(half.userAgent, navigator.userAgent);
    assert.include(['granted', 'denied', 'prompt', 'unsupported'], half.permissions.camera);
    assert.include(['granted', 'denied', 'prompt', 'unsupported'], half.permissions.microphone);
    assert.isAtLeast(half.devices.audioinput, 1, 'the fake microphone is counted');
    assert.isAtLeast(half.devices.videoinput, 1, 'the fake camera is counted');
    assert.deepEqual(half.call, { status: 'connected', microphone: true, camera: false, screen: false });
    assert.deepEqual(half.connection, { mediaMode: 'direct', rttMs: null, packetLossPercent: null, candidateType: null });
    assert.strictEqual(new Date(half.collectedAt).toISOString(), half.collectedAt);
  });

  it('reads round-trip time, loss and the path from a real peer connection\'s stats', async () => {
    const { a, b } = await connectedPair();
    try {
      let figures = connectionFromStats(await a.getStats());
      for (let i = 0; i < 50 && figures.rttMs === null; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        figures = connectionFromStats(await a.getStats());
      }
      assert.isNotNull(figures.rttMs, 'a round-trip time once connected');
      assert.isAtLeast(figures.rttMs, 0);
      assert.include(['host', 'srflx', 'prflx', 'relay'], figures.candidateType);
      // The receiver's inbound-rtp entry appears only after its first packets, which may come
      // a little after the sender's round-trip time: wait for it the same way.
      let inbound = connectionFromStats(await b.getStats());
      for (let i = 0; i < 50 && inbound.packetLossPercent === null; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        inbound = connectionFromStats(await b.getStats());
      }
      assert.isNotNull(inbound.packetLossPercent, 'the receiving side counts packets');
    } finally {
      a.close();
      b.close();
    }
  });

  it('builds a report with every id, both halves and the timeline, and no secret or token', async () => {
    const half = await collectHalf({ status: 'connected', enabled: { microphone: true, camera: true, screen: false }, mediaMode: 'livekit', stats: async () => null });
    const report = buildReport({
      copiedBy: 'agent', call: CALL, joinLink: 'https://calls.example.com/join/call-42#s3cr3t-join-secret', roomStatus: 'connected',
      timeline: [{ at: '2026-01-01T10:00:01.000Z', type: 'call.client_joined', by: 'client' }],
      halves: { agent: half, client: { ...half, browser: 'Firefox 140.0' } }, notes: [],
      now: new Date('2026-01-01T10:05:00.000Z'),
    });
    const text = reportText(report);
    for (const expected of ['org-acme', 'agent-alice', 'Alice Martin', 'client-bob', 'Bob Lambert', 'conv-7', 'call-42', 'https://calls.example.com/join/call-42',
      '2026-01-01T10:05:00.000Z', 'call.client_joined', 'Firefox 140.0', '## Agent side', '## Client side', `camera ${half.permissions.camera}`]) {
      assert.include(text, expected);
    }
    assert.notInclude(text, 's3cr3t');
    const json = JSON.parse(text.slice(text.indexOf('## JSON\n') + 8)) as { halves: { client: { browser: string } }; joinLink: string };
    assert.strictEqual(json.halves.client.browser, 'Firefox 140.0');
    assert.strictEqual(json.joinLink, 'https://calls.example.com/join/call-42');
  });

  it('copies with the Clipboard API, or through a selected textarea where it is refused', async () => {
    const original = Object.getOwnPropertyDescriptor(Navigator.prototype, 'clipboard')!;
    let written: string | null = null;
    try {
      Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText: async (text: string) => void (written = text) } });
      assert.strictEqual(await copyText('report A'), 'copied');
      assert.strictEqual(written, 'report A');
      Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText: () => Promise.reject(new DOMException('denied', 'NotAllowedError')) } });
      let selected = '';
      const onCopy = (event: ClipboardEvent) => {
        selected = (document.activeElement as HTMLTextAreaElement | null)?.value ?? '';
        event.preventDefault();
      };
      document.addEventListener('copy', onCopy);
      const result = await copyText('report B');
      document.removeEventListener('copy', onCopy);
      assert.include(['copied', 'failed'], result);
      if (result === 'copied') assert.strictEqual(selected, 'report B', 'the copy came from the selected textarea');
      assert.isNull(document.querySelector('textarea'), 'the helper textarea is removed');
    } finally {
      delete (navigator as { clipboard?: unknown }).clipboard;
      Object.defineProperty(Navigator.prototype, 'clipboard', original);
    }
  });
});
