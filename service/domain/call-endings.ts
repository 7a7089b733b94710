// When an open call is over by itself (missed, expired, agent gone, abandoned), and what its ending records. Pure rules.
import { EndReason } from '../../protocol/call.js';
import type { CallRow } from '../store/schema.js';
import { isRinging, type LifecycleEvent } from './call-lifecycle.js';
import { EventType, type NewEvent } from './events.js';

/** The timings the rules need: the configured defaults (a row's own ring timeout wins). */
export interface EndingTimings {
  ringTimeoutSeconds: number;
  agentGraceSeconds: number;
}

const ms = (d: Date | string): number => new Date(d).getTime();

/** When the call's ringing started: the latest invite (a resent link rings again), else its creation. */
export function ringingSince(row: CallRow): Date {
  return new Date(row.invited_at ?? row.created_at);
}

/**
 * Why an open call is over at `now`, or null: its link expired; nobody joined within the ring timeout counted from the
 * latest invite (missed: `no_answer`); or the agent's live connection has been gone longer than the grace (`agent_left`,
 * which the caller confirms against live presence first).
 */
export function overdueReason(row: CallRow, now: number, timings: EndingTimings): EndReason | null {
  if (row.status === 'ended') return null;
  if (ms(row.expires_at) <= now) return EndReason.expired;
  if (isRinging(row.status) && ringingSince(row).getTime() + (row.ring_timeout_seconds ?? timings.ringTimeoutSeconds) * 1000 <= now) return EndReason.noAnswer;
  if (row.agent_away_since && ms(row.agent_away_since) + timings.agentGraceSeconds * 1000 <= now) return EndReason.agentLeft;
  return null;
}

/**
 * An open call the agent walked away from: no client in it (never joined, or left) and the agent's live connection
 * gone. Pressing the phone again replaces it with a new call (new link, new invite, ringing again) rather than
 * silently reopening it. A call with the client in it is never abandoned: an agent reloading the page gets it back.
 * The caller also checks that no agent socket is present (the away mark may lag a reconnect on another instance).
 */
export function isAbandoned(row: CallRow): boolean {
  return row.status !== 'ended' && row.status !== 'active' && row.agent_away_since !== null;
}

/**
 * Seconds from the client's first join to the end; null when nobody joined (a missed or abandoned call has no
 * duration). `firstJoinedAt` is the call's first `call.client_joined`, if any.
 */
export function durationSeconds(firstJoinedAt: Date | string | null, endedAt: Date): number | null {
  if (firstJoinedAt === null) return null;
  return Math.max(0, Math.round((endedAt.getTime() - ms(firstJoinedAt)) / 1000));
}

/** The timeline events of a lifecycle change (none when the status stayed). */
export function lifecycleEvents(before: CallRow, after: CallRow, event: LifecycleEvent, firstJoinedAt: Date | string | null, now: Date): NewEvent[] {
  if (before.status === after.status) return [];
  switch (event.type) {
    case 'client_joined':
      return [{ type: EventType.clientJoined, by: 'client', data: {} }];
    case 'client_left':
      return [{ type: EventType.clientLeft, by: 'client', data: {} }];
    case 'end':
      return [{ type: EventType.ended, by: event.by, data: { reason: event.reason, durationSeconds: durationSeconds(firstJoinedAt, now) } }];
    case 'link_delivered':
      return [];
  }
}
