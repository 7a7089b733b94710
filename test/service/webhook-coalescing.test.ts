import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DeliveryRow } from '../../service/store/schema.js';
import { EventType } from '../../service/domain/events.js';
import { coalescing, mayCoalesce } from '../../service/webhooks/coalescing.js';

let seq = 0;
function row(type: string, data: Record<string, unknown> = {}, status: DeliveryRow['status'] = 'pending'): DeliveryRow {
  seq += 1;
  return {
    id: `msg_${seq}`, seq: String(seq), org_id: 'demo', call_id: 'call-1', event_type: `call.${type}`, status, attempts: 0,
    payload: { type: `call.${type}`, timestamp: '', data: { callId: 'call-1', ...data } },
    next_attempt_at: new Date(), last_error: null, created_at: new Date(), delivered_at: null, coalesced_into: null,
  };
}

test('consecutive queued link opens are absorbed into the first, up to the first other event', () => {
  const head = row('link_opened', { by: 'client' });
  const [a, b, other, c] = [row('link_opened'), row('link_opened'), row('client_joined'), row('link_opened')];
  assert.deepEqual(coalescing(head, [a, b, other, c]), { kind: 'absorb', ids: [a.id, b.id] });
  assert.deepEqual(coalescing(head, [other, c]), { kind: 'none' });
  assert.deepEqual(coalescing(head, [row('link_opened', {}, 'delivered'), c]), { kind: 'none' }, 'only rows still queued');
});

test('a screen share started then stopped (or stopped then started) by the same side, same device, cancels out', () => {
  const started = row('screen_share_started', { by: 'agent', device: 'screen' });
  const stopped = row('screen_share_stopped', { by: 'agent', device: 'screen' });
  assert.deepEqual(coalescing(started, [stopped]), { kind: 'cancel', ids: [started.id, stopped.id] });
  assert.deepEqual(coalescing(stopped, [row('screen_share_started', { by: 'agent', device: 'screen' })]).kind, 'cancel');
});

test('screen share events of another side, another device, or with something between are all sent', () => {
  const started = row('screen_share_started', { by: 'agent', device: 'screen' });
  assert.equal(coalescing(started, [row('screen_share_stopped', { by: 'client', device: 'screen' })]).kind, 'none');
  assert.equal(coalescing(started, [row('screen_share_stopped', { by: 'agent' })]).kind, 'none');
  assert.equal(coalescing(started, [row('media_blocked', { by: 'agent' }), row('screen_share_stopped', { by: 'agent', device: 'screen' })]).kind, 'none');
  assert.equal(coalescing(started, [row('screen_share_started', { by: 'agent', device: 'screen' })]).kind, 'none');
  assert.equal(coalescing(row('ended'), [row('ended')]).kind, 'none');
});

test('the worker skips reading the rows behind a head only where no rows could change what is sent', () => {
  const types = Object.values(EventType).map((t) => t.slice('call.'.length));
  const coalescible = types.filter((t) => mayCoalesce(row(t)));
  assert.deepEqual(coalescible.sort(), ['link_opened', 'screen_share_started', 'screen_share_stopped']);
  for (const type of types.filter((t) => !coalescible.includes(t))) {
    // Every kind of row behind it, both sides, with and without a device: still sent as it is.
    const behind = types.flatMap((t) => [row(t, { by: 'agent', device: 'screen' }), row(t, { by: 'client' })]);
    for (let i = 0; i < behind.length; i++) assert.equal(coalescing(row(type, { by: 'agent', device: 'screen' }), behind.slice(i)).kind, 'none', type);
  }
});

