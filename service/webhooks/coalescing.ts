// Which queued rows of a call need not be sent: a flapping link holder must not become hundreds of webhooks.
import { EventType } from '../domain/events.js';
import type { DeliveryRow } from '../store/schema.js';

/**
 * What to do with a call's head row, given the rows queued behind it:
 * - `absorb`: send the head; the listed rows say nothing more and are marked coalesced into it;
 * - `cancel`: the head and the next row undo each other; neither is sent;
 * - `none`: send the head as it is.
 */
export type Coalescing = { kind: 'none' } | { kind: 'absorb'; ids: string[] } | { kind: 'cancel'; ids: [string, string] };

const OPPOSITE: Partial<Record<string, string>> = {
  [EventType.screenShareStarted]: EventType.screenShareStopped,
  [EventType.screenShareStopped]: EventType.screenShareStarted,
};

/**
 * Whether a head of this type can ever be coalesced with the rows behind it: for any other head, `coalescing` answers
 * `none` whatever follows, so the worker need not read the rows behind it (two reads per call saved: docs/performance.md).
 */
export function mayCoalesce(head: DeliveryRow): boolean {
  return head.event_type === EventType.linkOpened || OPPOSITE[head.event_type] !== undefined;
}

/**
 * The rule, applied to rows still queued (never to what was already sent), with nothing in between:
 * - `call.link_opened` followed by more `call.link_opened`: one is sent (the head), the others are absorbed;
 * - a screen share started then stopped (or stopped then started) by the same side, same device: both are dropped,
 *   since the host's view of that side's sharing ends where it was.
 * `following` is the call's rows after the head, in write order.
 */
export function coalescing(head: DeliveryRow, following: readonly DeliveryRow[]): Coalescing {
  if (head.event_type === EventType.linkOpened) {
    const ids: string[] = [];
    for (const row of following) {
      if (row.status !== 'pending' || row.event_type !== EventType.linkOpened) break;
      ids.push(row.id);
    }
    return ids.length > 0 ? { kind: 'absorb', ids } : { kind: 'none' };
  }
  const next = following[0];
  const opposite = OPPOSITE[head.event_type];
  if (opposite && next?.status === 'pending' && next.event_type === opposite && sameSide(head, next)) {
    return { kind: 'cancel', ids: [head.id, next.id] };
  }
  return { kind: 'none' };
}

function sameSide(a: DeliveryRow, b: DeliveryRow): boolean {
  const da = dataOf(a);
  const db = dataOf(b);
  return da.by === db.by && da.device === db.device;
}

function dataOf(row: DeliveryRow): Record<string, unknown> {
  const data = row.payload.data;
  return data && typeof data === 'object' ? (data as Record<string, unknown>) : {};
}
