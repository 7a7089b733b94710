// Table types of the store, as Kysely sees them.
import type { ColumnType, Generated, Selectable } from 'kysely';

/** calls: one row per call. */
export interface CallsTable {
  id: string;
  org_id: string;
  conversation_id: string;
  client_id: string;
  client_name: string | null;
  agent_id: string;
  agent_name: string;
  media: 'audio' | 'video';
  status: 'created' | 'ringing' | 'active' | 'client_left' | 'ended';
  link_delivered: boolean;
  secret_hash: string;
  created_at: ColumnType<Date, Date | string, never>;
  expires_at: ColumnType<Date, Date | string, Date | string>;
  ended_at: ColumnType<Date | null, Date | string | null, Date | string | null>;
  ended_by: 'agent' | 'client' | 'system' | 'api' | null;
  end_reason: string | null;
}

/** call_events: the timeline of each call. */
export interface CallEventsTable {
  id: Generated<number>;
  call_id: string;
  type: string;
  by: string;
  at: ColumnType<Date, Date | string, never>;
  data: ColumnType<Record<string, unknown>, string, string>;
}

/** webhook_deliveries: the outbox. */
export interface WebhookDeliveriesTable {
  id: string;
  /** Write order, the tie-breaker between rows due at the same time. */
  seq: Generated<string>;
  org_id: string;
  call_id: string | null;
  event_type: string;
  payload: ColumnType<Record<string, unknown>, string, string>;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  next_attempt_at: ColumnType<Date, Date | string, Date | string>;
  last_error: string | null;
  created_at: ColumnType<Date, Date | string, never>;
  delivered_at: ColumnType<Date | null, Date | string | null, Date | string | null>;
}

/** The whole database. */
export interface Database {
  calls: CallsTable;
  call_events: CallEventsTable;
  webhook_deliveries: WebhookDeliveriesTable;
}

/** A calls row as read. */
export type CallRow = Selectable<CallsTable>;
/** A webhook_deliveries row as read. */
export type DeliveryRow = Selectable<WebhookDeliveriesTable>;
