// The queries of orgs and their keys; the directory, the admin operations and the bootstrap call these.
import type { Kysely, Transaction } from 'kysely';
import type { ApiKeyRow, Database, OrgRow, SigningKeyRow } from '../store/schema.js';

/** The columns of a new org row. */
export interface NewOrgRow {
  id: string;
  name: string;
  webhookUrl: string | null;
  webhookSecret: string;
  allowedOrigins: string[];
  linkTtlSeconds: number;
  ringTimeoutSeconds: number;
  createdAt: Date;
  bootstrap?: Record<string, unknown>;
}

/** Changes to an org row. */
export interface OrgChanges {
  name?: string;
  webhookUrl?: string | null;
  webhookSecret?: string;
  allowedOrigins?: string[];
  linkTtlSeconds?: number;
  ringTimeoutSeconds?: number;
  bootstrap?: Record<string, unknown>;
}

/** Repository of orgs, org_signing_keys and org_api_keys. */
export class OrgStore {
  constructor(readonly db: Kysely<Database>) {}

  /** Runs `work` in one transaction with a store bound to it. */
  transaction<T>(work: (store: OrgStore, trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute((trx) => work(new OrgStore(trx), trx));
  }

  /** Inserts an org; false when the id is taken (nothing written). */
  async insertOrg(org: NewOrgRow): Promise<boolean> {
    const inserted = await this.db.insertInto('orgs').values({
      id: org.id, name: org.name, webhook_url: org.webhookUrl, webhook_secret: org.webhookSecret,
      allowed_origins: JSON.stringify(org.allowedOrigins), link_ttl_seconds: org.linkTtlSeconds,
      ring_timeout_seconds: org.ringTimeoutSeconds, created_at: org.createdAt,
      bootstrap: org.bootstrap ? JSON.stringify(org.bootstrap) : null,
    }).onConflict((oc) => oc.column('id').doNothing()).returning('id').executeTakeFirst();
    return !!inserted;
  }

  /** An org, or undefined; `forUpdate` locks its row until the transaction ends. */
  org(id: string, forUpdate = false): Promise<OrgRow | undefined> {
    const query = this.db.selectFrom('orgs').selectAll().where('id', '=', id);
    return (forUpdate ? query.forUpdate() : query).executeTakeFirst();
  }

  /** Every org, oldest first. */
  orgs(): Promise<OrgRow[]> {
    return this.db.selectFrom('orgs').selectAll().orderBy('created_at').orderBy('id').execute();
  }

  /** Applies changes to an org; the row after, or undefined when there is no such org. */
  async updateOrg(id: string, changes: OrgChanges): Promise<OrgRow | undefined> {
    const set = {
      ...(changes.name !== undefined ? { name: changes.name } : {}),
      ...(changes.webhookUrl !== undefined ? { webhook_url: changes.webhookUrl } : {}),
      // A secret set outright (a changed ORG_WEBHOOK_SECRET) ends any overlap of a rotation: only it signs.
      ...(changes.webhookSecret !== undefined ? { webhook_secret: changes.webhookSecret, webhook_secret_previous: null, webhook_secret_previous_until: null } : {}),
      ...(changes.allowedOrigins !== undefined ? { allowed_origins: JSON.stringify(changes.allowedOrigins) } : {}),
      ...(changes.linkTtlSeconds !== undefined ? { link_ttl_seconds: changes.linkTtlSeconds } : {}),
      ...(changes.ringTimeoutSeconds !== undefined ? { ring_timeout_seconds: changes.ringTimeoutSeconds } : {}),
      ...(changes.bootstrap !== undefined ? { bootstrap: JSON.stringify(changes.bootstrap) } : {}),
    };
    if (Object.keys(set).length === 0) return this.org(id);
    return this.db.updateTable('orgs').set(set).where('id', '=', id).returningAll().executeTakeFirst();
  }

  /**
   * Makes `secret` the org's webhook secret; the current one stays valid (signed with too) until `previousUntil`.
   * A secret older than the current one is dropped. The row after, or undefined when there is no such org.
   */
  rotateWebhookSecret(id: string, secret: string, previousUntil: Date): Promise<OrgRow | undefined> {
    return this.db.updateTable('orgs')
      .set((eb) => ({ webhook_secret_previous: eb.ref('webhook_secret'), webhook_secret_previous_until: previousUntil, webhook_secret: secret }))
      .where('id', '=', id).returningAll().executeTakeFirst();
  }

  /** Adds a signing key. */
  async insertSigningKey(orgId: string, kid: string, secret: string, createdAt: Date): Promise<SigningKeyRow> {
    return this.db.insertInto('org_signing_keys').values({ org_id: orgId, kid, secret, created_at: createdAt }).returningAll().executeTakeFirstOrThrow();
  }

  /** The org's signing keys, oldest first (revoked ones included). */
  signingKeys(orgId: string): Promise<SigningKeyRow[]> {
    return this.db.selectFrom('org_signing_keys').selectAll().where('org_id', '=', orgId).orderBy('created_at').orderBy('kid').execute();
  }

  /** The org's keys not revoked: what an agent token may be signed with (none when the org does not exist). */
  activeSigningKeys(orgId: string): Promise<Pick<SigningKeyRow, 'kid' | 'secret'>[]> {
    return this.db.selectFrom('org_signing_keys').select(['kid', 'secret'])
      .where('org_id', '=', orgId).where('revoked_at', 'is', null).orderBy('created_at').execute();
  }

  /** Revokes a signing key (idempotent: a revoked key keeps its first revocation time); undefined when unknown. */
  async revokeSigningKey(orgId: string, kid: string, at: Date): Promise<SigningKeyRow | undefined> {
    await this.db.updateTable('org_signing_keys').set({ revoked_at: at })
      .where('org_id', '=', orgId).where('kid', '=', kid).where('revoked_at', 'is', null).execute();
    return this.db.selectFrom('org_signing_keys').selectAll().where('org_id', '=', orgId).where('kid', '=', kid).executeTakeFirst();
  }

  /** Adds an API key by its hash. */
  async insertApiKey(key: { id: string; orgId: string; name: string; prefix: string; hash: string; createdAt: Date }): Promise<ApiKeyRow> {
    return this.db.insertInto('org_api_keys').values({
      id: key.id, org_id: key.orgId, name: key.name, prefix: key.prefix, hash: key.hash, created_at: key.createdAt,
    }).returningAll().executeTakeFirstOrThrow();
  }

  /** The org's API keys, oldest first (revoked ones included). */
  apiKeys(orgId: string): Promise<ApiKeyRow[]> {
    return this.db.selectFrom('org_api_keys').selectAll().where('org_id', '=', orgId).orderBy('created_at').orderBy('id').execute();
  }

  /** The API key with this hash, whether revoked or not; undefined when none. */
  apiKeyByHash(hash: string): Promise<ApiKeyRow | undefined> {
    return this.db.selectFrom('org_api_keys').selectAll().where('hash', '=', hash).executeTakeFirst();
  }

  /** Revokes an API key of an org (idempotent); undefined when the org has no such key. */
  async revokeApiKey(orgId: string, id: string, at: Date): Promise<ApiKeyRow | undefined> {
    await this.db.updateTable('org_api_keys').set({ revoked_at: at })
      .where('org_id', '=', orgId).where('id', '=', id).where('revoked_at', 'is', null).execute();
    return this.db.selectFrom('org_api_keys').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
  }

  /** Records a use of an API key, unless one was recorded since `staleBefore` (at most one write a minute per key, whatever the instance). */
  async touchApiKey(id: string, at: Date, staleBefore: Date): Promise<void> {
    await this.db.updateTable('org_api_keys').set({ last_used_at: at }).where('id', '=', id)
      .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', staleBefore)])).execute();
  }

  /** The org a call belongs to; undefined when there is no such call. */
  async orgOfCall(callId: string): Promise<string | undefined> {
    return (await this.db.selectFrom('calls').select('org_id').where('id', '=', callId).executeTakeFirst())?.org_id;
  }
}
