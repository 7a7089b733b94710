// The org of the environment (ORG_*): made on first start, so the embedded default works with nothing set up.
import type { Config } from '../config.js';
import { ServiceError } from '../errors.js';
import type { OrgStore } from './org-store.js';
import { apiKeyPrefix, newApiKey, newKid, sha256Hex } from './secrets.js';

/** What the environment says about its org. */
export type EnvOrgConfig = Pick<Config, 'org' | 'linkTtlSeconds' | 'ringTimeoutSeconds'>;

/** What a start did to the org of the environment: made it, or applied the variables that changed since the last start. */
export interface BootstrapOutcome {
  created: boolean;
  /** The variables whose new values were applied (never their values: some are secrets). */
  changed: string[];
}

/**
 * The ORG_* values last applied, kept on the org row (secrets as SHA-256 only). A start compares the environment with
 * this record, not with the row: a value changed in the database (CLI, admin API) stays until its variable changes.
 */
interface Applied {
  name?: string;
  webhookUrl?: string;
  webhookSecretHash?: string;
  allowedOrigins?: string[];
  linkTtlSeconds?: number;
  ringTimeoutSeconds?: number;
  signingSecretHash?: string;
  signingKid?: string;
  apiKeyHash?: string;
  apiKeyId?: string;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Makes the org of the environment, or brings it in step with variables changed since the last start. A changed
 * ORG_SIGNING_SECRET or ORG_API_KEY replaces (revokes) the key the previous value made, as changing it did before
 * orgs lived in the database; a key revoked in the database stays revoked while its variable is unchanged.
 * One transaction with the org row locked, so instances starting together on one PostgreSQL apply it once.
 */
export async function bootstrapEnvOrg(store: OrgStore, config: EnvOrgConfig, now = new Date()): Promise<BootstrapOutcome> {
  const env = config.org;
  return store.transaction(async (tx) => {
    const created = await tx.insertOrg({
      id: env.id, name: env.name, webhookUrl: env.webhookUrl, webhookSecret: env.webhookSecret, allowedOrigins: env.allowedOrigins,
      linkTtlSeconds: config.linkTtlSeconds, ringTimeoutSeconds: config.ringTimeoutSeconds, createdAt: now, bootstrap: {},
    });
    const row = (await tx.org(env.id, true))!;
    const applied: Applied = { ...(row.bootstrap ?? {}) };
    const changed: string[] = [];
    const settings: [keyof Applied, string, unknown][] = [
      ['name', 'ORG_NAME', env.name],
      ['webhookUrl', 'ORG_WEBHOOK_URL', env.webhookUrl],
      ['allowedOrigins', 'ORG_ALLOWED_ORIGINS', env.allowedOrigins],
      ['linkTtlSeconds', 'LINK_TTL_SECONDS', config.linkTtlSeconds],
      ['ringTimeoutSeconds', 'RING_TIMEOUT_SECONDS', config.ringTimeoutSeconds],
    ];
    const changes: Record<string, unknown> = {};
    for (const [field, variable, value] of settings) {
      if (same(applied[field], value)) continue;
      changes[field] = value;
      (applied as Record<string, unknown>)[field] = value;
      changed.push(variable);
    }
    const webhookSecretHash = sha256Hex(env.webhookSecret);
    if (applied.webhookSecretHash !== webhookSecretHash) {
      changes.webhookSecret = env.webhookSecret;
      applied.webhookSecretHash = webhookSecretHash;
      changed.push('ORG_WEBHOOK_SECRET');
    }
    if (await applySigningSecret(tx, env.id, env.signingSecret, applied, now)) changed.push('ORG_SIGNING_SECRET');
    if (await applyApiKey(tx, env.id, env.apiKey, applied, now)) changed.push('ORG_API_KEY');
    if (changed.length > 0) await tx.updateOrg(env.id, { ...changes, bootstrap: { ...applied } });
    return { created, changed: created ? [] : changed };
  });
}

/** Makes ORG_SIGNING_SECRET an active key of the org when it changed; true when it did. */
async function applySigningSecret(tx: OrgStore, orgId: string, secret: string, applied: Applied, now: Date): Promise<boolean> {
  const hash = sha256Hex(secret);
  if (applied.signingSecretHash === hash) return false;
  if (applied.signingKid) await tx.revokeSigningKey(orgId, applied.signingKid, now);
  const existing = (await tx.signingKeys(orgId)).find((k) => k.secret === secret);
  const kid = existing?.kid ?? (await tx.insertSigningKey(orgId, newKid(), secret, now)).kid;
  Object.assign(applied, { signingSecretHash: hash, signingKid: kid });
  return true;
}

/** Makes ORG_API_KEY a key of the org when it changed; true when it did. */
async function applyApiKey(tx: OrgStore, orgId: string, key: string, applied: Applied, now: Date): Promise<boolean> {
  const hash = sha256Hex(key);
  if (applied.apiKeyHash === hash) return false;
  if (applied.apiKeyId) await tx.revokeApiKey(orgId, applied.apiKeyId, now);
  const existing = await tx.apiKeyByHash(hash);
  if (existing && existing.org_id !== orgId) {
    // The hash is unique: one key cannot open two orgs.
    throw new ServiceError('org_exists', `ORG_API_KEY is already a key of org ${JSON.stringify(existing.org_id)}`);
  }
  const id = existing?.id ?? (await tx.insertApiKey({ id: newApiKey().id, orgId, name: 'ORG_API_KEY', prefix: apiKeyPrefix(key), hash, createdAt: now })).id;
  Object.assign(applied, { apiKeyHash: hash, apiKeyId: id });
  return true;
}
