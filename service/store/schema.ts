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
  /** The client session of the latest join; credentials of older client sessions are refused. */
  client_session_id: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: ColumnType<Date, Date | string, never>;
  expires_at: ColumnType<Date, Date | string, Date | string>;
  ended_at: ColumnType<Date | null, Date | string | null, Date | string | null>;
  ended_by: 'agent' | 'client' | 'system' | 'api' | null;
  end_reason: string | null;
}

/** call_events: the timeline of each call. */
export interface CallEventsTable {
  /** bigserial: a string from PostgreSQL (pg), a number from PGlite; order by it in SQL, never compare it in JS. */
  id: Generated<string>;
  call_id: string;
  type: string;
  by: string;
  at: ColumnType<Date, Date | string, never>;
  data: ColumnType<Record<string, unknown>, string, string>;
}

/** webhook_deliveries: the outbox. */
export interface WebhookDeliveriesTable {
  id: string;
  /** Write order: each call's rows are delivered in it, one at a time. */
  seq: Generated<string>;
  org_id: string;
  call_id: string | null;
  event_type: string;
  payload: ColumnType<Record<string, unknown>, string, string>;
  /** `coalesced`: not sent because a neighbouring row of the same call stands for it (see webhooks/coalescing.ts). */
  status: 'pending' | 'delivered' | 'failed' | 'coalesced';
  attempts: number;
  next_attempt_at: ColumnType<Date, Date | string, Date | string>;
  last_error: string | null;
  created_at: ColumnType<Date, Date | string, never>;
  delivered_at: ColumnType<Date | null, Date | string | null, Date | string | null>;
  /** The row delivered in this one's place when it was coalesced; null when it cancelled out or was not coalesced. */
  coalesced_into: ColumnType<string | null, string | null | undefined, string | null>;
}

/** live_presence: the socket holding each role of a call, and the instance it is connected to. */
export interface LivePresenceTable {
  call_id: string;
  role: 'agent' | 'client';
  /** One id per live socket: a departure removes the row only if it is still this socket's. */
  connection_id: string;
  instance_id: string;
  /** The credentials session of the socket. */
  session_id: string;
  connected_at: ColumnType<Date, Date | string, Date | string>;
}

/** live_instances: the running service instances (PostgreSQL only) and their last heartbeat. */
export interface LiveInstancesTable {
  id: string;
  started_at: ColumnType<Date, Date | string, never>;
  heartbeat_at: ColumnType<Date, Date | string, Date | string>;
}

/** live_messages: bus messages too large for a NOTIFY payload, kept for a short while. */
export interface LiveMessagesTable {
  /** bigserial, read back as text (see CallEventsTable.id). */
  id: Generated<string>;
  payload: string;
  created_at: ColumnType<Date, Date | string | undefined, never>;
}

/** The whole database. */
export interface Database {
  calls: CallsTable;
  call_events: CallEventsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  live_presence: LivePresenceTable;
  live_instances: LiveInstancesTable;
  live_messages: LiveMessagesTable;
}

/** A calls row as read. */
export type CallRow = Selectable<CallsTable>;
/** A webhook_deliveries row as read. */
export type DeliveryRow = Selectable<WebhookDeliveriesTable>;
