import { assert } from '@open-wc/testing';
import { CallSession } from '../../../sdk/core/call-session.js';
import { DirectSession } from '../../../sdk/core/media/direct-session.js';
import type { CallView, Credentials } from '../../../sdk/core/types.js';
import { en } from '../../../sdk/i18n/en.js';
import { FakeSocket } from '../helpers/fake-socket.js';
import { waitFor } from '../helpers/wait.js';

const call = (status: CallView['status'] = 'ringing', media: CallView['media'] = 'video'): CallView => ({
  id: 'c1', orgId: 'demo', conversationId: 'conv', clientId: 'cl', clientName: 'Bob', agentId: 'a', agentName: 'Alice',
  media, status, linkDelivered: true, createdAt: '', expiresAt: '', endedAt: null, endedBy: null, endReason: null, agentAwaySince: null, invitedAt: '',
});
const credentials: Credentials = {
  role: 'agent', token: 'call-token', expiresAt: '', liveUrl: 'ws://svc.test/v1/calls/c1/live', media: { mode: 'direct', iceServers: [] },
};

interface Seen { method: string; url: string; body: unknown }

function makeSession(options: { denyCamera?: boolean } = {}) {
  FakeSocket.instances = [];
  const requests: Seen[] = [];
  const contexts: AudioContext[] = [];
  let media: DirectSession | null = null;
  const session = new CallSession({
    role: 'agent',
    serviceUrl: 'http://svc.test',
    WebSocket: FakeSocket as unknown as typeof WebSocket,
    fetch: async (input, init) => {
      const url = input as string;
      requests.push({ method: init?.method ?? 'GET', url, body: typeof init?.body === 'string' ? JSON.parse(init.body) : null });
      const ended = url.endsWith('/end');
      return new Response(JSON.stringify(ended ? call('ended') : { accepted: true }), { status: ended ? 200 : 202 });
    },
    createAudioContext: () => {
      const context = new AudioContext();
      contexts.push(context);
      return context;
    },
    createMedia: (creds, signaling) =>
      (media = new DirectSession({
        role: creds.role,
        signaling,
        ...(options.denyCamera ? { capture: { camera: () => Promise.reject(new DOMException('denied', 'NotAllowedError')) } } : {}),
      })),
  });
  return { session, requests, contexts, media: () => media! };
}

describe('CallSession (agent) wiring', () => {
  for (const [what, answer, expected] of [
    ['the call ended meanwhile', () => new Response(JSON.stringify(call('ended')), { status: 200 }), 'ended'],
    ['the credentials are refused', () => new Response(JSON.stringify({ statusCode: 401, code: 'unauthorized', error: 'Unauthorized', message: 'no' }), { status: 401 }), 'failed'],
  ] as const) {
    it(`stops reconnecting when the live socket drops and the REST API says ${what}`, async () => {
      FakeSocket.instances = [];
      const asked: string[] = [];
      const session = new CallSession({
        role: 'agent',
        serviceUrl: 'http://svc.test',
        WebSocket: FakeSocket as unknown as typeof WebSocket,
        fetch: async (input, init) => {
          asked.push(`${init?.method ?? 'GET'} ${input as string}`);
          return (input as string).endsWith('/v1/calls/c1') ? answer() : new Response('{"accepted":true}', { status: 202 });
        },
        createAudioContext: () => new AudioContext(),
        createMedia: (creds, signaling) => new DirectSession({ role: creds.role, signaling }),
      });
      session.start(call(), credentials);
      const socket = FakeSocket.instances[0]!;
      socket.open();
      socket.receive({ type: 'hello', role: 'agent', call: call(), peers: { agent: true, client: true } });
      socket.drop(1006);
      await waitFor(() => session.snapshot.state.status === expected, 5000, expected);
      assert.include(asked, 'GET http://svc.test/v1/calls/c1');
      session.dispose();
    });
  }

  it("shows the other side's blocked devices even when the report arrives before their presence, until they leave", () => {
    const { session } = makeSession();
    session.start(call(), credentials);
    const socket = FakeSocket.instances[0]!;
    socket.open();
    socket.receive({ type: 'hello', role: 'agent', call: call(), peers: { agent: true, client: false } });
    const blocked = (device: string) => ({ type: 'event', event: { type: 'call.media_blocked', by: 'client', at: '', data: { device, reason: 'permission_denied' } } });
    socket.receive(blocked('microphone'));
    socket.receive({ type: 'presence', role: 'client', present: true });
    socket.receive(blocked('camera'));
    socket.receive({ type: 'event', event: { type: 'call.media_blocked', by: 'agent', at: '', data: { device: 'screen', reason: 'x' } } });
    assert.deepEqual(session.snapshot.remoteBlocked, { microphone: 'permission_denied', camera: 'permission_denied' });
    socket.receive({ type: 'presence', role: 'client', present: false });
    assert.deepEqual(session.snapshot.remoteBlocked, {});
    session.dispose();
  });

  it('rings while waiting, stops when the client joins, shows client-left and reconnecting', async () => {
    const { session, contexts } = makeSession();
    session.start(call(), credentials);
    const socket = FakeSocket.instances[0]!;
    assert.deepEqual(socket.protocols, ['switchboard.v1', 'call-token']);
    socket.open();
    socket.receive({ type: 'hello', role: 'agent', call: call(), peers: { agent: true, client: false } });
    assert.strictEqual(session.snapshot.state.status, 'waiting');
    assert.isTrue(session.snapshot.ringing);
    assert.isTrue(session.ringtonePlaying);
    socket.receive({ type: 'presence', role: 'client', present: true });
    assert.strictEqual(session.snapshot.state.status, 'connected');
    assert.isFalse(session.ringtonePlaying);
    await waitFor(() => contexts[0]!.state === 'closed', 3000, 'ringtone context closed');
    socket.receive({ type: 'presence', role: 'client', present: false });
    assert.strictEqual(session.snapshot.state.status, 'client-left');
    socket.drop(1006);
    assert.strictEqual(session.snapshot.state.status, 'reconnecting');
    session.dispose();
  });

  it('renews its short-lived credentials over the live socket and reconnects with the new ones', async () => {
    const { session } = makeSession();
    // Expiring in 2 min 5 s: the renewal is due 2 minutes before, i.e. in about 5 s.
    session.start(call(), { ...credentials, expiresAt: new Date(Date.now() + 125_000).toISOString() });
    const socket = FakeSocket.instances[0]!;
    socket.open();
    socket.receive({ type: 'hello', role: 'agent', call: call(), peers: { agent: true, client: false } });
    await waitFor(() => socket.sent.some((m) => JSON.parse(m).type === 'renew'), 8000, 'a renew request');
    socket.receive({ type: 'credentials', credentials: { token: 'renewed-token', expiresAt: new Date(Date.now() + 600_000).toISOString() } });
    socket.drop(1006);
    await waitFor(() => FakeSocket.instances.length === 2, 3000, 'a reconnect');
    assert.deepEqual(FakeSocket.instances[1]!.protocols, ['switchboard.v1', 'renewed-token']);
    session.dispose();
  });

  it('a 4000 close ends the call and stops every local track', async () => {
    const { session } = makeSession();
    session.start(call(), credentials);
    FakeSocket.instances[0]!.open();
    await waitFor(() => session.snapshot.local.microphone !== null && session.snapshot.local.camera !== null, 5000, 'tracks');
    const tracks = [session.snapshot.local.microphone!, session.snapshot.local.camera!];
    FakeSocket.instances[0]!.drop(4000);
    assert.deepInclude(session.snapshot.state, { status: 'ended', role: 'agent', cause: 'remote' });
    assert.deepEqual(tracks.map((t) => t.readyState), ['ended', 'ended']);
    assert.isFalse(session.ringtonePlaying);
  });

  it('an audio call opens only the microphone', async () => {
    const { session } = makeSession();
    session.start(call('ringing', 'audio'), credentials);
    await waitFor(() => session.snapshot.local.microphone !== null, 5000, 'mic');
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.isNull(session.snapshot.local.camera);
    session.dispose();
  });

  it('a blocked camera gives a human message and is reported as media_blocked', async () => {
    const { session, requests } = makeSession({ denyCamera: true });
    session.start(call(), credentials);
    await waitFor(() => session.snapshot.mediaErrors.length > 0, 5000, 'media error');
    assert.strictEqual(session.snapshot.mediaErrors[0]!.kind, 'permission_denied');
    assert.include(session.snapshot.mediaErrors[0]!.message, 'address bar');
    await waitFor(() => requests.some((r) => r.url.endsWith('/v1/calls/c1/events')), 3000, 'report');
    const report = requests.find((r) => r.url.endsWith('/events'))!;
    assert.deepEqual(report.body, { type: 'media_blocked', device: 'camera', reason: 'permission_denied' });
    session.dispose();
  });

  it('screen share start/stop is reported; the browser ending it stops sharing in the app', async () => {
    const { session, requests, media } = makeSession();
    session.start(call(), credentials);
    await session.setEnabled('screen', true);
    const track = session.snapshot.local.screen!;
    assert.isTrue(session.snapshot.enabled.screen);
    const ended: string[] = [];
    media().on('local-track-ended', ({ source }) => ended.push(source));
    // What Chrome does when the user clicks its "Stop sharing" bar.
    track.dispatchEvent(new Event('ended'));
    await waitFor(() => !session.snapshot.enabled.screen, 3000, 'sharing stopped');
    assert.deepEqual(ended, ['screen']);
    assert.strictEqual(session.snapshot.localNotice, en.media.endedByBrowser.screen);
    await waitFor(() => requests.filter((r) => r.url.endsWith('/events')).length === 2, 3000, 'reports');
    assert.deepEqual(
      requests.filter((r) => r.url.endsWith('/events')).map((r) => (r.body as { type: string }).type),
      ['screen_share_started', 'screen_share_stopped'],
    );
    session.dispose();
  });

  it('END CALL posts /end with the agent credentials, then ends locally', async () => {
    const { session, requests } = makeSession();
    session.start(call(), credentials);
    FakeSocket.instances[0]!.open();
    await session.end();
    const end = requests.find((r) => r.url.endsWith('/end'))!;
    assert.strictEqual(end.method, 'POST');
    assert.deepInclude(session.snapshot.state, { status: 'ended', role: 'agent', cause: 'local' });
  });
});
