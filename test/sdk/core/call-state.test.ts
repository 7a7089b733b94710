import { assert } from '@open-wc/testing';
import { canRejoin, initialCallState, isPeerPresent, isRinging, isTerminal, transition } from '../../../sdk/core/call-state.js';
import type { CallState, CallStateEvent } from '../../../sdk/core/call-state.js';
import type { CallView } from '../../../sdk/core/types.js';

const call = (status: CallView['status'] = 'ringing'): CallView => ({
  id: 'c1', orgId: 'demo', conversationId: 'conv', clientId: 'cl', clientName: 'Bob', agentId: 'a', agentName: 'Alice',
  media: 'video', status, linkDelivered: true, createdAt: '', expiresAt: '', endedAt: null, endedBy: null, endReason: null, agentAwaySince: null, invitedAt: '',
});
const run = (state: CallState, ...events: CallStateEvent[]): CallState => events.reduce(transition, state);
const agent = initialCallState('agent');
const client = initialCallState('client');

describe('call state transition', () => {
  it('starts connecting and not ringing', () => {
    assert.strictEqual(agent.status, 'connecting');
    assert.isFalse(isRinging(agent));
  });

  it('agent waits (and rings) until the client is present, then is connected (ringing stops)', () => {
    const waiting = run(agent, { type: 'hello', call: call(), peers: { agent: true, client: false } });
    assert.strictEqual(waiting.status, 'waiting');
    assert.isTrue(isRinging(waiting));
    const connected = transition(waiting, { type: 'presence', role: 'client', present: true });
    assert.strictEqual(connected.status, 'connected');
    assert.isFalse(isRinging(connected));
    assert.isTrue(isPeerPresent(connected));
  });

  it('agent sees client-left when the client leaves, and connected when it comes back', () => {
    const left = run(agent, { type: 'hello', call: call('active'), peers: { agent: true, client: true } }, { type: 'presence', role: 'client', present: false });
    assert.strictEqual(left.status, 'client-left');
    assert.isFalse(isRinging(left));
    assert.strictEqual(transition(left, { type: 'presence', role: 'client', present: true }).status, 'connected');
  });

  it('hello for a call whose client already left gives client-left to the agent', () => {
    assert.strictEqual(run(agent, { type: 'hello', call: call('client_left'), peers: { agent: true, client: false } }).status, 'client-left');
  });

  it('client waits for the agent, never rings, and waits again if the agent drops', () => {
    const waiting = run(client, { type: 'hello', call: call('active'), peers: { agent: false, client: true } });
    assert.strictEqual(waiting.status, 'waiting');
    assert.isFalse(isRinging(waiting));
    const connected = transition(waiting, { type: 'presence', role: 'agent', present: true });
    assert.strictEqual(connected.status, 'connected');
    assert.strictEqual(transition(connected, { type: 'presence', role: 'agent', present: false }).status, 'waiting');
  });

  it('ignores presence about its own role', () => {
    const connected = run(agent, { type: 'hello', call: call(), peers: { agent: true, client: true } });
    assert.strictEqual(transition(connected, { type: 'presence', role: 'agent', present: false }), connected);
  });

  it('reconnecting after connect, resolved by the next hello', () => {
    const connected = run(agent, { type: 'hello', call: call(), peers: { agent: true, client: true } });
    const reconnecting = transition(connected, { type: 'live-reconnecting' });
    assert.strictEqual(reconnecting.status, 'reconnecting');
    assert.strictEqual(transition(reconnecting, { type: 'hello', call: call('active'), peers: { agent: true, client: true } }).status, 'connected');
  });

  it('a call record with status ended ends the call (remote cause)', () => {
    const connected = run(agent, { type: 'hello', call: call(), peers: { agent: true, client: true } });
    const ended = transition(connected, { type: 'call-updated', call: call('ended') });
    assert.deepEqual(ended, { status: 'ended', role: 'agent', call: call('ended'), cause: 'remote' });
  });

  it('the call record lives in the state: a change of linkDelivered alone is a new state to render', () => {
    const waiting = run(agent, { type: 'started', call: { ...call('created'), linkDelivered: false } }, { type: 'hello', call: { ...call('created'), linkDelivered: false }, peers: { agent: true, client: false } });
    const delivered = transition(waiting, { type: 'call-updated', call: call('ringing') });
    assert.notStrictEqual(delivered, waiting);
    assert.strictEqual(delivered.status, 'waiting');
    assert.isTrue(delivered.call?.linkDelivered);
  });

  it('END CALL is an ending phase until the service confirms; its echo then counts as a local end', () => {
    const connected = run(agent, { type: 'started', call: call() }, { type: 'hello', call: call(), peers: { agent: true, client: true } });
    const ending = transition(connected, { type: 'end-requested' });
    assert.strictEqual(ending.status, 'ending');
    assert.isFalse(isTerminal(ending));
    assert.strictEqual(transition(ending, { type: 'presence', role: 'client', present: false }), ending, 'nothing but the end matters now');
    assert.deepEqual(transition(ending, { type: 'call-updated', call: call('ended') }), { status: 'ended', role: 'agent', call: call('ended'), cause: 'local' });
    assert.deepInclude(transition(ending, { type: 'live-closed', code: 4000 }), { status: 'ended', cause: 'local' });
    assert.strictEqual(transition(ending, { type: 'end-confirmed' }).status, 'ended');
  });

  it('a media path that drops shows reconnecting and returns to where it was; presence meanwhile is kept for the return', () => {
    const connected = run(agent, { type: 'started', call: call() }, { type: 'hello', call: call(), peers: { agent: true, client: true } });
    const reconnecting = transition(connected, { type: 'media', state: 'reconnecting' });
    assert.strictEqual(reconnecting.status, 'reconnecting');
    assert.isTrue(isPeerPresent(reconnecting));
    assert.strictEqual(transition(reconnecting, { type: 'media', state: 'connected' }).status, 'connected');
    const left = transition(reconnecting, { type: 'presence', role: 'client', present: false });
    assert.strictEqual(left.status, 'reconnecting');
    assert.strictEqual(transition(left, { type: 'media', state: 'connected' }).status, 'client-left');
  });

  it('a media path lost for good fails the room with a reason and a way to rejoin', () => {
    const connected = run(client, { type: 'started', call: call() }, { type: 'hello', call: call(), peers: { agent: true, client: true } });
    const lost = transition(connected, { type: 'media', state: 'lost', code: 'room_deleted', message: 'the room was closed' });
    assert.deepInclude(lost, { status: 'failed', code: 'room_deleted', message: 'the room was closed', rejoinable: true });
    assert.isTrue(canRejoin(lost));
    assert.isFalse(canRejoin(transition(client, { type: 'failed', code: 'link_expired', message: 'expired' })), 'an expired link cannot be rejoined');
    assert.isTrue(canRejoin(transition(connected, { type: 'live-closed', code: 1006 })), 'a lost network can');
  });

  it('maps live close codes: 4000 ended, 4001 replaced, 4401 rejected, other failed', () => {
    assert.strictEqual(transition(agent, { type: 'live-closed', code: 4000 }).status, 'ended');
    const replaced = transition(agent, { type: 'live-closed', code: 4001 });
    assert.strictEqual(replaced.status === 'failed' && replaced.code, 'replaced');
    const rejected = transition(agent, { type: 'live-closed', code: 4401 });
    assert.strictEqual(rejected.status === 'failed' && rejected.code, 'credentials_rejected');
    assert.strictEqual(transition(agent, { type: 'live-closed', code: 1006 }).status, 'failed');
  });

  it('end-requested ends locally; terminal states absorb every later event', () => {
    const ended = transition(client, { type: 'end-requested' });
    assert.deepEqual(ended, { status: 'ended', role: 'client', call: null, cause: 'local' });
    assert.isTrue(isTerminal(ended));
    assert.strictEqual(transition(ended, { type: 'presence', role: 'agent', present: true }), ended);
    const failed = transition(client, { type: 'failed', code: 'link_invalid', message: 'x' });
    assert.strictEqual(transition(failed, { type: 'hello', call: call(), peers: { agent: true, client: true } }), failed);
  });

  it('hello for an ended call ends it', () => {
    assert.strictEqual(run(client, { type: 'hello', call: call('ended'), peers: { agent: false, client: true } }).status, 'ended');
  });
});
