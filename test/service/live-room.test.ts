// LiveRoom: one call's presence on one instance, from versioned changes that may arrive before, after or twice.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PresenceMessage } from '../../service/live/live-bus.js';
import { LiveRoom, type RoomEffect, type RoomMember } from '../../service/live/live-room.js';

interface Member extends RoomMember { name: string }

const member = (name: string, role: Member['role'], connectionId = name): Member => ({ name, role, connectionId, version: null });
const change = (role: Member['role'], connectionId: string, present: boolean, version: number): PresenceMessage =>
  ({ kind: 'presence', callId: 'call-1', role, connectionId, present, version });
const describe = (effects: RoomEffect<Member>[]) => effects.map((e) => {
  switch (e.type) {
    case 'presence': return `presence ${e.role} ${e.present} → ${e.to.name}`;
    case 'hello': return `hello ${e.session.name} agent=${e.peers.agent} client=${e.peers.client}`;
    default: return `${e.type} ${e.session.name}`;
  }
});

test('changes that arrive before the first snapshot are applied after it, in version order, those it holds skipped', () => {
  const room = new LiveRoom<Member>('call-1');
  const agent = member('agent', 'agent');
  room.add(agent);
  // Version 3 (a client that came and went) and 5 (a client that came) reach this instance before the announcement returns.
  assert.deepEqual(room.change(change('client', 'c2', true, 5)), []);
  assert.deepEqual(room.change(change('client', 'c1', false, 3)), []);
  const effects = room.announced(agent, { version: 4, connections: { agent: 'agent', client: null } });
  assert.deepEqual(describe(effects), ['hello agent agent=true client=true'], 'hello after every change it does not include; no separate presence');
  assert.deepEqual(describe(room.change(change('client', 'c2', true, 5))), [], 'a change delivered twice is applied once');
  assert.deepEqual(describe(room.change(change('client', 'c2', false, 6))), ['presence client false → agent']);
});

test('a socket joining a synced room is greeted once the room reaches its own version, not before', () => {
  const room = new LiveRoom<Member>('call-1');
  const agent = member('agent', 'agent');
  room.add(agent);
  room.announced(agent, { version: 10, connections: { agent: 'agent', client: null } });
  const client = member('client', 'client');
  room.add(client);
  assert.deepEqual(describe(room.announced(client, { version: 12, connections: { agent: 'agent', client: 'client' } })), [], 'version 11 is not here yet');
  assert.deepEqual(describe(room.change(change('agent', 'agent', true, 11))), [], 'the agent itself again: nothing new');
  assert.deepEqual(describe(room.change(change('client', 'client', true, 12))), ['presence client true → agent', 'hello client agent=true client=true']);
});

test('a role taken over by a newer connection: the older open socket is replaced, a joining one is never greeted', () => {
  const room = new LiveRoom<Member>('call-1');
  const agent = member('agent', 'agent');
  const first = member('first', 'client');
  room.add(agent);
  room.add(first);
  room.announced(agent, { version: 1, connections: { agent: 'agent', client: null } });
  room.announced(first, { version: 2, connections: { agent: 'agent', client: 'first' } });
  assert.deepEqual(describe(room.change(change('client', 'first', true, 2))), ['presence client true → agent', 'hello first agent=true client=true']);
  const late = member('late', 'client');
  room.add(late);
  assert.deepEqual(describe(room.change(change('client', 'elsewhere', true, 3))), ['replaced first', 'presence client true → agent'], 'a client socket on another instance took over');
  assert.deepEqual(describe(room.announced(late, { version: 2, connections: { agent: 'agent', client: 'late' } })), ['replaced late'], 'its own version is already overtaken');
  assert.equal(room.view.client, 'elsewhere');
});

test('a local socket whose presence another instance withdrew (taken for dead) is evicted, and its peer told', () => {
  const room = new LiveRoom<Member>('call-1');
  const agent = member('agent', 'agent');
  const client = member('client', 'client');
  room.add(agent);
  room.add(client);
  room.announced(agent, { version: 1, connections: { agent: 'agent', client: 'client' } });
  room.announced(client, { version: 1, connections: { agent: 'agent', client: 'client' } });
  assert.deepEqual(describe(room.change(change('client', 'client', false, 2))), ['presence client false → agent', 'evicted client']);
  assert.deepEqual(describe(room.change(change('client', 'someone-else', false, 3))), [], 'a departure of a connection not holding the role changes nothing');
  room.remove(agent);
  assert.equal(room.empty, true);
});
