// In-code migrations, applied in name order by Kysely's Migrator.
import { sql, type Kysely } from 'kysely';
import type { Migration, MigrationProvider } from 'kysely/migration';

const migrations: Record<string, Migration> = {
  '0001_initial': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('calls')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('conversation_id', 'text', (c) => c.notNull())
        .addColumn('client_id', 'text', (c) => c.notNull())
        .addColumn('client_name', 'text')
        .addColumn('agent_id', 'text', (c) => c.notNull())
        .addColumn('agent_name', 'text', (c) => c.notNull())
        .addColumn('media', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('link_delivered', 'boolean', (c) => c.notNull().defaultTo(false))
        .addColumn('secret_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull())
        .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
        .addColumn('ended_at', 'timestamptz')
        .addColumn('ended_by', 'text')
        .addColumn('end_reason', 'text')
        .execute();
      // At most one open call per conversation: concurrent creations collide here and return the existing call.
      await sql`create unique index calls_open_conversation on calls (org_id, conversation_id) where status <> 'ended'`.execute(db);
      await sql`create index calls_open_by_age on calls (created_at) where status <> 'ended'`.execute(db);
      await db.schema
        .createTable('call_events')
        .addColumn('id', 'bigserial', (c) => c.primaryKey())
        .addColumn('call_id', 'text', (c) => c.notNull().references('calls.id'))
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('by', 'text', (c) => c.notNull())
        .addColumn('at', 'timestamptz', (c) => c.notNull())
        .addColumn('data', 'jsonb', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('call_events_call').on('call_events').columns(['call_id', 'id']).execute();
      await db.schema
        .createTable('webhook_deliveries')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('call_id', 'text')
        .addColumn('event_type', 'text', (c) => c.notNull())
        .addColumn('payload', 'jsonb', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull())
        .addColumn('last_error', 'text')
        .addColumn('created_at', 'timestamptz', (c) => c.notNull())
        .addColumn('delivered_at', 'timestamptz')
        .execute();
      await sql`create index webhook_deliveries_due on webhook_deliveries (next_attempt_at) where status = 'pending'`.execute(db);
    },
  },
  '0002_delivery_order': {
    async up(db: Kysely<unknown>) {
      // Rows written in one transaction share their timestamps; seq keeps them in write order (created before invite).
      await sql`alter table webhook_deliveries add column seq bigserial`.execute(db);
    },
  },
  '0003_delivery_heads': {
    async up(db: Kysely<unknown>) {
      // A row is due only when no earlier row of its call is pending or failed: this index answers that per row.
      await sql`create index webhook_deliveries_call_order on webhook_deliveries (call_id, seq)`.execute(db);
      // The deliveries listing: newest first, by status.
      await sql`create index webhook_deliveries_status_order on webhook_deliveries (status, seq)`.execute(db);
      await sql`alter table webhook_deliveries add column coalesced_into text`.execute(db);
    },
  },
  '0005_client_session': {
    async up(db: Kysely<unknown>) {
      // The client session that last exchanged the link: older client credentials stop working.
      await sql`alter table calls add column client_session_id text`.execute(db);
    },
  },
  '0006_livekit': {
    async up(db: Kysely<unknown>) {
      // LiveKit webhook ids already applied: a replayed delivery (same id) is answered without effect.
      await db.schema.createTable('livekit_webhook_events')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('received_at', 'timestamptz', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('livekit_webhook_events_age').on('livekit_webhook_events').column('received_at').execute();
      // One row per LiveKit participant (sid): joined, then left for good, whatever order the webhooks arrive in.
      await db.schema.createTable('livekit_participants')
        .addColumn('sid', 'text', (c) => c.primaryKey())
        .addColumn('call_id', 'text', (c) => c.notNull())
        .addColumn('identity', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('joined_at_ms', 'double precision', (c) => c.notNull())
        .addColumn('left_at', 'timestamptz')
        .execute();
      await db.schema.createIndex('livekit_participants_call').on('livekit_participants').column('call_id').execute();
      // One row per published screen-share track (sid): published, then unpublished for good.
      await db.schema.createTable('livekit_tracks')
        .addColumn('sid', 'text', (c) => c.primaryKey())
        .addColumn('call_id', 'text', (c) => c.notNull())
        .addColumn('participant_sid', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('unpublished_at', 'timestamptz')
        .execute();
      await db.schema.createIndex('livekit_tracks_call').on('livekit_tracks').column('call_id').execute();
    },
  },
  '0007_live_bus': {
    async up(db: Kysely<unknown>) {
      // Versions of presence changes: taken under the call's presence lock, so each call's versions follow commit order.
      await sql`create sequence live_presence_version`.execute(db);
      // Which socket holds each role of a call, on which instance: what a new socket's `hello.peers` is read from.
      await db.schema.createTable('live_presence')
        .addColumn('call_id', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('connection_id', 'text', (c) => c.notNull())
        .addColumn('instance_id', 'text', (c) => c.notNull())
        .addColumn('session_id', 'text', (c) => c.notNull())
        .addColumn('connected_at', 'timestamptz', (c) => c.notNull())
        .addPrimaryKeyConstraint('live_presence_pk', ['call_id', 'role'])
        .execute();
      await db.schema.createIndex('live_presence_instance').on('live_presence').column('instance_id').execute();
      // Service instances and their heartbeats: the presence rows of an instance that stopped beating are removed by the others.
      await db.schema.createTable('live_instances')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('started_at', 'timestamptz', (c) => c.notNull())
        .addColumn('heartbeat_at', 'timestamptz', (c) => c.notNull())
        .execute();
      // Bus messages too large for a NOTIFY payload (8000 bytes; an SDP may be 48 KiB): NOTIFY carries their id, kept briefly.
      await db.schema.createTable('live_messages')
        .addColumn('id', 'bigserial', (c) => c.primaryKey())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await db.schema.createIndex('live_messages_age').on('live_messages').column('created_at').execute();
    },
  },
  '0008_orgs': {
    async up(db: Kysely<unknown>) {
      // Orgs live here rather than in the environment: many per service, each with its own endpoint and policy.
      await db.schema.createTable('orgs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('webhook_url', 'text')
        // Stored as is: the worker signs with it. Returned once, at creation; never logged.
        .addColumn('webhook_secret', 'text', (c) => c.notNull())
        .addColumn('allowed_origins', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
        .addColumn('link_ttl_seconds', 'integer', (c) => c.notNull())
        .addColumn('ring_timeout_seconds', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull())
        // The ORG_* values last applied to the org of the environment (null for other orgs): a start re-applies only what changed.
        .addColumn('bootstrap', 'jsonb')
        .execute();
      // HS256 keys of agent tokens, picked by the token's `kid`; several may be active while a host backend rotates.
      await db.schema.createTable('org_signing_keys')
        .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id'))
        .addColumn('kid', 'text', (c) => c.notNull())
        .addColumn('secret', 'text', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull())
        .addColumn('revoked_at', 'timestamptz')
        .addPrimaryKeyConstraint('org_signing_keys_pk', ['org_id', 'kid'])
        .execute();
      // Integrator API keys: only their SHA-256 is kept (a key is shown once, when made).
      await db.schema.createTable('org_api_keys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('prefix', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull())
        .addColumn('last_used_at', 'timestamptz')
        .addColumn('revoked_at', 'timestamptz')
        .execute();
      await db.schema.createIndex('org_api_keys_org').on('org_api_keys').column('org_id').execute();
      // Each call keeps the ring timeout of its org when it was made (null: made before orgs; the configured one applies).
      await sql`alter table calls add column ring_timeout_seconds integer`.execute(db);
      // The deliveries listing is per org now.
      await sql`create index webhook_deliveries_org_order on webhook_deliveries (org_id, seq)`.execute(db);
    },
  },
  '0009_calls_listing': {
    async up(db: Kysely<unknown>) {
      // GET /v1/calls: an org's calls newest first, paged on (created_at, id); filters narrow within this order.
      await sql`create index calls_org_listing on calls (org_id, created_at desc, id desc)`.execute(db);
    },
  },
  '0010_webhook_secret_rotation': {
    async up(db: Kysely<unknown>) {
      // A rotated webhook secret stays valid until webhook_secret_previous_until: each webhook is signed with both meanwhile.
      await sql`alter table orgs add column webhook_secret_previous text`.execute(db);
      await sql`alter table orgs add column webhook_secret_previous_until timestamptz`.execute(db);
    },
  },
  '0011_call_abandonment': {
    async up(db: Kysely<unknown>) {
      // Since when the agent's live socket is gone (null: connected, or never was); the sweep ends the call after the grace.
      await sql`alter table calls add column agent_away_since timestamptz`.execute(db);
      // When the latest invite went out (null: at creation); the ring timeout counts from it, so a resent link rings again.
      await sql`alter table calls add column invited_at timestamptz`.execute(db);
    },
  },
  '0012_call_diagnostics': {
    async up(db: Kysely<unknown>) {
      // "Copy diagnostics": each side's latest half (bounded in size by the route), replaced on each report; gone with its call.
      await db.schema.createTable('call_diagnostics')
        .addColumn('call_id', 'text', (c) => c.notNull().references('calls.id').onDelete('cascade'))
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('report', 'jsonb', (c) => c.notNull())
        .addColumn('received_at', 'timestamptz', (c) => c.notNull())
        .addPrimaryKeyConstraint('call_diagnostics_pk', ['call_id', 'role'])
        .execute();
    },
  },
  '0013_media_release': {
    async up(db: Kysely<unknown>) {
      // An ended call whose media must still be released (LiveKit: DeleteRoom) is due at media_release_due_at:
      // the sweep retries it from here, so a restart or another instance carries on where a failed attempt left off.
      await sql`alter table calls add column media_release_due_at timestamptz`.execute(db);
      await sql`alter table calls add column media_release_attempts integer not null default 0`.execute(db);
      await sql`create index calls_media_release_due on calls (media_release_due_at) where media_release_due_at is not null`.execute(db);
    },
  },
};

/** Serves the in-code migrations to Kysely's Migrator. */
export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve(migrations),
};
