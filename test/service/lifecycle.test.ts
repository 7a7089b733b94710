import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { transition, type CallStatus, type LifecycleEvent } from '../../service/domain/call-lifecycle.js';
import { createCall, sharedApp } from './helper.js';

const shared = sharedApp();
const end: LifecycleEvent = { type: 'end', by: 'agent', reason: 'done' };

test('transition: created rings when the link is delivered, and every open status can end', () => {
  assert.equal(transition('created', { type: 'link_delivered' }), 'ringing');
  assert.equal(transition('active', { type: 'link_delivered' }), 'active');
  for (const s of ['created', 'ringing', 'active', 'client_left'] as CallStatus[]) assert.equal(transition(s, end), 'ended');
});

test('transition: the client joins from created, ringing or client_left, and leaves only when active', () => {
  for (const s of ['created', 'ringing', 'client_left'] as CallStatus[]) assert.equal(transition(s, { type: 'client_joined' }), 'active');
  assert.equal(transition('active', { type: 'client_left' }), 'client_left');
  assert.equal(transition('ringing', { type: 'client_left' }), 'ringing');
});

test('transition: ended is final', () => {
  for (const e of [end, { type: 'client_joined' }, { type: 'client_left' }, { type: 'link_delivered' }] as LifecycleEvent[]) {
    assert.equal(transition('ended', e), 'ended');
  }
});

test('the sweep ends a call nobody joined within the ring timeout with reason no_answer', async () => {
  const app = shared.app();
  const { body } = await createCall(app, shared.config);
  const past = new Date(Date.now() - (shared.config.ringTimeoutSeconds + 1) * 1000);
  // created_at is immutable in the schema types; tests age a call with raw SQL.
  await sql`update calls set status = 'ringing', created_at = ${past} where id = ${body.call.id}`.execute(app.db);
  assert.ok((await app.calls.sweep()) >= 1);
  const call = await app.calls.get(body.call.id);
  assert.equal(call?.status, 'ended');
  assert.equal(call?.endReason, 'no_answer');
  assert.equal(call?.endedBy, 'system');
  const ended = await app.db.selectFrom('webhook_deliveries').select('payload').where('call_id', '=', body.call.id).where('event_type', '=', 'call.ended').executeTakeFirstOrThrow();
  assert.equal((ended.payload.data as Record<string, unknown>).reason, 'no_answer');
});

test('a call the client joined is not ended by the ring timeout', async () => {
  const app = shared.app();
  const { body } = await createCall(app, shared.config);
  await app.calls.clientJoined(body.call.id);
  await sql`update calls set created_at = now() - interval '2 days' where id = ${body.call.id}`.execute(app.db);
  await app.calls.sweep();
  assert.equal((await app.calls.get(body.call.id))?.status, 'active');
});
