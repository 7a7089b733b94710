// LiveHub on its own (no HTTP): an error thrown inside one socket's handler is reported and stays
// there. In `ws`, a listener that throws is an uncaught exception, which would end the process
// and every call with it (issue 5, item 1).
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import type { WebSocket } from 'ws';
import type { CallView } from '../../service/domain/call-view.js';
import { MemoryLiveBus } from '../../service/live/live-bus.js';
import { LiveHub } from '../../service/live/live-hub.js';

/** Just enough of a `ws` socket for the hub; `send` fails when told to. */
class FakeSocket extends EventEmitter {
  readonly OPEN = 1;
  readonly CONNECTING = 0;
  readyState = 1;
  bufferedAmount = 0;
  failSends = false;
  sent: { type: string }[] = [];
  send(text: string): void {
    if (this.failSends) throw new Error('send exploded');
    this.sent.push(JSON.parse(text) as { type: string });
  }
  close(): void {
    this.readyState = 3;
  }
  terminate(): void {
    this.readyState = 3;
  }
  ping(): void {}
}

const call = { id: 'call-1', status: 'active' } as CallView;

test('an error thrown in one socket\'s message handler is reported, not thrown into the process; other sockets are still served', async (t) => {
  const reported: string[] = [];
  const hub = new LiveHub({
    calls: { get: async () => call, clientJoined: async () => undefined, clientLeft: async () => undefined, renewCredentials: async () => ({ token: 't', expiresAt: '' }) },
    bus: new MemoryLiveBus(),
    pingIntervalMs: 60_000,
    onError: (message) => reported.push(message),
  });
  t.after(() => hub.close());
  const broken = new FakeSocket();
  const healthy = new FakeSocket();
  await hub.connect({ callId: call.id, role: 'client', sessionId: 's1' }, broken as unknown as WebSocket);
  await hub.connect({ callId: call.id, role: 'agent', sessionId: 's2' }, healthy as unknown as WebSocket);
  assert.equal(broken.sent[0]?.type, 'hello');

  broken.failSends = true;
  const ping = Buffer.from(JSON.stringify({ type: 'ping' }));
  assert.doesNotThrow(() => broken.emit('message', ping, false), 'ws would turn a throw here into an uncaught exception');
  assert.ok(reported.some((m) => m.includes('message handler failed: send exploded')), reported.join('\n'));

  healthy.emit('message', ping, false);
  assert.equal(healthy.sent.at(-1)?.type, 'pong');
});
