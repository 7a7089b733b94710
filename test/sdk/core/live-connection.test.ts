import { assert } from '@open-wc/testing';
import { LiveConnection } from '../../../sdk/core/live-connection.js';
import type { LiveConnectionState } from '../../../sdk/core/live-connection.js';
import { FakeSocket } from '../helpers/fake-socket.js';
import { waitFor } from '../helpers/wait.js';

function connect(): { live: LiveConnection; states: LiveConnectionState[]; closed: number[] } {
  FakeSocket.instances = [];
  const live = new LiveConnection({
    url: 'ws://svc.test/v1/calls/c/live',
    token: 'tok',
    initialDelayMs: 10,
    pingIntervalMs: 0,
    WebSocket: FakeSocket as unknown as typeof WebSocket,
  });
  const states: LiveConnectionState[] = [];
  const closed: number[] = [];
  live.on('state', (s) => states.push(s));
  live.on('closed', ({ code }) => closed.push(code));
  live.connect();
  return { live, states, closed };
}

describe('LiveConnection', () => {
  it('offers the switchboard.v1 subprotocol and the token, and emits typed messages', () => {
    const { live } = connect();
    const socket = FakeSocket.instances[0]!;
    assert.deepEqual(socket.protocols, ['switchboard.v1', 'tok']);
    const types: string[] = [];
    live.on('message', (m) => types.push(m.type));
    socket.open();
    socket.receive({ type: 'presence', role: 'client', present: true });
    assert.deepEqual(types, ['presence']);
    assert.isTrue(live.sendSignal({ kind: 'mute', source: 'camera', muted: true }));
    assert.deepEqual(JSON.parse(socket.sent[0]!), { type: 'signal', data: { kind: 'mute', source: 'camera', muted: true } });
    live.close();
  });

  it('reconnects with backoff after an abnormal close, passing through reconnecting', async () => {
    const { live, states, closed } = connect();
    FakeSocket.instances[0]!.open();
    FakeSocket.instances[0]!.drop(1006);
    assert.strictEqual(live.state, 'reconnecting');
    await waitFor(() => FakeSocket.instances.length === 2, 2000, 'second socket');
    FakeSocket.instances[1]!.open();
    assert.deepEqual(states, ['connecting', 'open', 'reconnecting', 'open']);
    assert.deepEqual(closed, []);
    live.close();
  });

  for (const code of [4000, 4001, 4401]) {
    it(`does not reconnect after close code ${code}`, async () => {
      const { live, closed } = connect();
      FakeSocket.instances[0]!.open();
      FakeSocket.instances[0]!.drop(code);
      await new Promise((resolve) => setTimeout(resolve, 60));
      assert.lengthOf(FakeSocket.instances, 1);
      assert.deepEqual(closed, [code]);
      assert.strictEqual(live.state, 'closed');
    });
  }
});
