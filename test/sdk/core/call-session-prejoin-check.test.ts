// CallSession.checkStillOpen(): what the pre-join learns from the service while the client has not
// joined (GET /v1/calls/:id with the client credentials; the link again when they went stale),
// and when it stops asking. No live socket is ever opened by it.
import { assert } from '@open-wc/testing';
import { CallSession } from '../../../sdk/core/call-session.js';
import type { CallView, Credentials } from '../../../sdk/core/types.js';
import { FakeSocket } from '../helpers/fake-socket.js';

const call = (status: CallView['status'] = 'ringing', endReason: string | null = null): CallView => ({
  id: 'c1', orgId: 'demo', conversationId: 'conv', clientId: 'cl', clientName: 'Bob', agentId: 'a', agentName: 'Alice',
  media: 'video', status, linkDelivered: true, createdAt: '', expiresAt: '', endedAt: null, endedBy: null, endReason, agentAwaySince: null, invitedAt: '',
});
const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString();
const credentials = (expiresAt: string, token = 'client-token'): Credentials => ({
  role: 'client', token, expiresAt, liveUrl: 'ws://svc.test/v1/calls/c1/live', media: { mode: 'direct', iceServers: [] },
});
const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const refused = (status: number, code: string) => json({ statusCode: status, code, error: 'x', message: code }, status);

/** A client session whose service answers POST /v1/join and GET /v1/calls/c1 from the given queues (the last answer repeats). */
function clientSession(joins: (() => Response | Promise<Response>)[], reads: (() => Response)[]) {
  FakeSocket.instances = [];
  const asked: string[] = [];
  const next = <T>(queue: (() => T)[]): T => (queue.length > 1 ? queue.shift()! : queue[0]!)();
  const session = new CallSession({
    role: 'client',
    serviceUrl: 'http://svc.test',
    WebSocket: FakeSocket as unknown as typeof WebSocket,
    fetch: async (input, init) => {
      const url = input as string;
      asked.push(`${init?.method ?? 'GET'} ${url.replace('http://svc.test', '')} ${new Headers(init?.headers).get('authorization') ?? ''}`.trim());
      if (url.endsWith('/v1/join')) return next(joins);
      if (url.endsWith('/v1/calls/c1')) return next(reads);
      return json({ accepted: true }, 202);
    },
  });
  return { session, asked };
}

describe('CallSession.checkStillOpen (client on the pre-join)', () => {
  it('keeps asking while the call rings, with the client credentials, and opens no live socket', async () => {
    const { session, asked } = clientSession([() => json({ call: call(), credentials: credentials(inMinutes(10)) })], [() => json(call('ringing'))]);
    assert.isTrue(await session.open('c1', 'secret'));
    assert.isTrue(await session.checkStillOpen());
    assert.isTrue(await session.checkStillOpen());
    assert.deepEqual(asked, ['POST /v1/join', 'GET /v1/calls/c1 Bearer client-token', 'GET /v1/calls/c1 Bearer client-token']);
    assert.strictEqual(session.snapshot.state.status, 'connecting', 'not in the call');
    assert.lengthOf(FakeSocket.instances, 0, 'no live socket: that would mean "joined"');
    session.dispose();
  });

  for (const [what, endReason, expected] of [['the agent ended it', 'ended_by_agent', 'remote'], ['nobody answered', 'no_answer', 'remote']] as const) {
    it(`ends the session when ${what}, and stops asking`, async () => {
      const { session } = clientSession([() => json({ call: call(), credentials: credentials(inMinutes(10)) })], [() => json(call('ended', endReason))]);
      await session.open('c1', 'secret');
      assert.isFalse(await session.checkStillOpen(), 'no point asking again');
      const state = session.snapshot.state;
      assert.strictEqual(state.status, 'ended');
      assert.strictEqual(state.status === 'ended' && state.cause, expected);
      assert.strictEqual(session.snapshot.call?.endReason, endReason);
      session.dispose();
    });
  }

  it('credentials about to expire: exchanges the link again, which says the link expired', async () => {
    const { session, asked } = clientSession(
      [() => json({ call: call(), credentials: credentials(new Date(Date.now() + 10_000).toISOString()) }), () => refused(410, 'link_expired')],
      [() => json(call('ringing'))],
    );
    await session.open('c1', 'secret');
    assert.isFalse(await session.checkStillOpen());
    assert.deepEqual(asked, ['POST /v1/join', 'POST /v1/join'], 'the link, not the stale credentials');
    const state = session.snapshot.state;
    assert.strictEqual(state.status, 'failed');
    assert.strictEqual(state.status === 'failed' && state.code, 'link_expired');
    assert.isFalse(session.snapshot.rejoinable);
    session.dispose();
  });

  it('credentials refused as expired: exchanges the link again and goes on with the fresh ones', async () => {
    const { session, asked } = clientSession(
      [() => json({ call: call(), credentials: credentials(inMinutes(10), 'old') }), () => json({ call: call(), credentials: credentials(inMinutes(10), 'fresh') })],
      [() => refused(401, 'token_expired'), () => json(call('ringing'))],
    );
    await session.open('c1', 'secret');
    assert.isTrue(await session.checkStillOpen());
    assert.isTrue(await session.checkStillOpen());
    assert.deepEqual(asked, ['POST /v1/join', 'GET /v1/calls/c1 Bearer old', 'POST /v1/join', 'GET /v1/calls/c1 Bearer fresh']);
    assert.strictEqual(session.credentials?.token, 'fresh');
    session.dispose();
  });

  it('another tab took this link over: stops asking without failing (Join here will say so), and never takes it back', async () => {
    const { session, asked } = clientSession([() => json({ call: call(), credentials: credentials(inMinutes(10)) })], [() => refused(401, 'credentials_replaced')]);
    await session.open('c1', 'secret');
    assert.isFalse(await session.checkStillOpen());
    assert.strictEqual(session.snapshot.state.status, 'connecting');
    assert.deepEqual(asked, ['POST /v1/join', 'GET /v1/calls/c1 Bearer client-token']);
    session.dispose();
  });

  it('the service unreachable or busy (429): asks again later, nothing changes', async () => {
    const { session } = clientSession([() => json({ call: call(), credentials: credentials(inMinutes(10)) })], [() => refused(429, 'rate_limited'), () => json(call('ringing'))]);
    await session.open('c1', 'secret');
    assert.isTrue(await session.checkStillOpen());
    assert.strictEqual(session.snapshot.state.status, 'connecting');
    session.dispose();
  });

  it('Join waits for a check in flight: one link exchange for stale credentials, not one each', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const { session, asked } = clientSession(
      [
        () => json({ call: call(), credentials: credentials(new Date(Date.now() + 10_000).toISOString(), 'stale') }),
        async () => {
          await held;
          return json({ call: call(), credentials: credentials(inMinutes(10), 'fresh') });
        },
        () => json({ call: call(), credentials: credentials(inMinutes(10), 'another') }),
      ],
      [() => json(call('ringing'))],
    );
    await session.open('c1', 'secret');
    const checking = session.checkStillOpen();
    await new Promise((resolve) => setTimeout(resolve, 0));
    assert.deepEqual(asked, ['POST /v1/join', 'POST /v1/join'], 'the check is exchanging the link');
    const entering = session.enter();
    release();
    assert.isTrue(await checking);
    await entering;
    assert.deepEqual(asked.filter((a) => a.startsWith('POST /v1/join')), ['POST /v1/join', 'POST /v1/join'], 'Join used the check\'s fresh credentials');
    assert.strictEqual(session.credentials?.token, 'fresh');
    assert.lengthOf(FakeSocket.instances, 1, 'Join opened the live socket');
    session.dispose();
  });
});
