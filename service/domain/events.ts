// The one event vocabulary: timeline rows, live-socket events and webhooks.
import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import { EventType } from '../../protocol/call.js';
import type { CallRow, Database } from '../store/schema.js';

/** Event types of the vocabulary (defined in protocol/call.ts). */
export { EventType };

/** An event about to be recorded. */
export interface NewEvent {
  type: EventType;
  by: 'agent' | 'client' | 'system' | 'api';
  data: Record<string, unknown>;
  /** Webhook data when it must differ from the timeline (the invite carries the join URL, the timeline must not). */
  webhookData?: Record<string, unknown>;
}

/** An event as recorded and broadcast. */
export interface RecordedEvent {
  type: EventType;
  by: NewEvent['by'];
  at: string;
  data: Record<string, unknown>;
}

/** Writes events to the timeline and the webhook outbox in the caller's transaction. */
export async function recordEvents(trx: Transaction<Database>, call: CallRow, events: NewEvent[], at: Date): Promise<RecordedEvent[]> {
  if (events.length === 0) return [];
  await trx
    .insertInto('call_events')
    .values(events.map((e) => ({ call_id: call.id, type: e.type, by: e.by, at, data: JSON.stringify(e.data) })))
    .execute();
  const base = { callId: call.id, conversationId: call.conversation_id, clientId: call.client_id, agentId: call.agent_id };
  await trx
    .insertInto('webhook_deliveries')
    .values(
      events.map((e) => ({
        id: `msg_${randomUUID()}`,
        org_id: call.org_id,
        call_id: call.id,
        event_type: e.type,
        payload: JSON.stringify({ type: e.type, timestamp: at.toISOString(), data: e.webhookData ?? { ...base, by: e.by, ...e.data } }),
        status: 'pending' as const,
        attempts: 0,
        next_attempt_at: at,
        created_at: at,
      })),
    )
    .execute();
  return events.map((e) => ({ type: e.type, by: e.by, at: at.toISOString(), data: e.data }));
}
