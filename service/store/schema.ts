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
  /** Its org's ring timeout when the call was made (no_answer after created_at + this); null for calls made before orgs. */
  ring_timeout_seconds: ColumnType<number | null, number | null | undefined, number | null>;
  /** Since when the agent's live socket is gone (null: connected or never connected); after AGENT_GRACE_SECONDS the call ends `agent_left`. */
  agent_away_since: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** When the latest invite was sent (null: at creation); the ring timeout counts from it. */
  invited_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** An ended call whose media is still to be released (LiveKit: its room) is due for the next attempt then; null: nothing pending. */
  media_release_due_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** Release attempts made so far (the sweep gives up after the media's maxAttempts). */
  media_release_attempts: ColumnType<number, number | undefined, number>;
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

/** orgs: one row per org (tenant); the org of the environment (ORG_ID) is made on first start. */
export interface OrgsTable {
  id: string;
  name: string;
  /** Where the org's webhooks go; null: none yet (deliveries wait and retry). */
  webhook_url: string | null;
  /** Standard Webhooks secret (`whsec_…`), kept usable: shown once at creation, never logged or returned after. */
  webhook_secret: string;
  /** The secret before the last rotation, still signed with until webhook_secret_previous_until; null: none. */
  webhook_secret_previous: ColumnType<string | null, string | null | undefined, string | null>;
  webhook_secret_previous_until: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** Origins whose pages may call the API for this org; empty: any (the embedded default). */
  allowed_origins: ColumnType<string[], string | undefined, string>;
  link_ttl_seconds: number;
  ring_timeout_seconds: number;
  created_at: ColumnType<Date, Date | string, never>;
  /** The ORG_* values last applied (org of the environment only); see service/orgs/bootstrap.ts. */
  bootstrap: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
}

/** org_signing_keys: HS256 keys of agent tokens, by `kid`. */
export interface OrgSigningKeysTable {
  org_id: string;
  kid: string;
  /** Kept usable (HMAC needs it): shown once at creation, never logged or returned after. */
  secret: string;
  created_at: ColumnType<Date, Date | string, never>;
  revoked_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

/** org_api_keys: integrator API keys, stored as SHA-256 only. */
export interface OrgApiKeysTable {
  id: string;
  org_id: string;
  name: string;
  /** The key's first characters, to tell keys apart in a listing. */
  prefix: string;
  /** SHA-256 of the key, hex. */
  hash: string;
  created_at: ColumnType<Date, Date | string, never>;
  /** Updated at most once a minute per key. */
  last_used_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  revoked_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

/** call_diagnostics: the latest "Copy diagnostics" half of each side of a call (one row per call and role). */
export interface CallDiagnosticsTable {
  call_id: string;
  role: string;
  report: ColumnType<Record<string, unknown>, string, string>;
  received_at: ColumnType<Date, Date | string, Date | string>;
}

/** The whole database. */
export interface Database {
  calls: CallsTable;
  call_events: CallEventsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  live_presence: LivePresenceTable;
  live_instances: LiveInstancesTable;
  live_messages: LiveMessagesTable;
  orgs: OrgsTable;
  org_signing_keys: OrgSigningKeysTable;
  org_api_keys: OrgApiKeysTable;
  call_diagnostics: CallDiagnosticsTable;
}

/** A calls row as read. */
export type CallRow = Selectable<CallsTable>;
/** An orgs row as read. */
export type OrgRow = Selectable<OrgsTable>;
/** An org_api_keys row as read. */
export type ApiKeyRow = Selectable<OrgApiKeysTable>;
/** An org_signing_keys row as read. */
export type SigningKeyRow = Selectable<OrgSigningKeysTable>;
/** A webhook_deliveries row as read. */
export type DeliveryRow = Selectable<WebhookDeliveriesTable>;
