// Managing orgs: create, list, change, and their API and signing keys. Shared by the admin routes and the CLI.
import { ServiceError } from '../errors.js';
import type { ApiKeyRow, OrgRow, SigningKeyRow } from '../store/schema.js';
import type { OrgStore } from './org-store.js';
import {
  WEBHOOK_SECRET_OVERLAP_DEFAULT_SECONDS, type ApiKeyView, type CreateOrgInput, type NewApiKey, type NewOrg, type NewSigningKey,
  type NewWebhookSecret, type OrgView, type RotateWebhookSecretInput, type SigningKeyView, type UpdateOrgInput,
} from './org-views.js';
import { apiKeyPrefix, newApiKey, newKid, newOrgId, newSigningSecret, newWebhookSecret, sha256Hex } from './secrets.js';

/** Defaults of a new org's policy (the service's LINK_TTL_SECONDS and RING_TIMEOUT_SECONDS). */
export interface OrgDefaults {
  linkTtlSeconds: number;
  ringTimeoutSeconds: number;
}

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

/** The listing form of an API key (never the key). */
export const toApiKeyView = (k: ApiKeyRow): ApiKeyView => ({
  id: k.id, name: k.name, prefix: k.prefix, createdAt: new Date(k.created_at).toISOString(), lastUsedAt: iso(k.last_used_at), revokedAt: iso(k.revoked_at),
});

/** The listing form of a signing key (never the secret). */
export const toSigningKeyView = (k: SigningKeyRow): SigningKeyView => ({ kid: k.kid, createdAt: new Date(k.created_at).toISOString(), revokedAt: iso(k.revoked_at) });

/** An org's origins as stored (jsonb read back as an array; anything else counts as none). */
export const originsOf = (org: OrgRow): string[] => (Array.isArray(org.allowed_origins) ? org.allowed_origins.filter((o) => typeof o === 'string') : []);

/** Checks a webhook URL (http or https, no fragment); returns it without trailing slashes. */
export function checkWebhookUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ServiceError('invalid_request', `webhookUrl must be a URL, got ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ServiceError('invalid_request', 'webhookUrl must use http: or https:');
  return value.replace(/\/+$/, '');
}

/** Checks origins: each exactly `scheme://host[:port]`, as a browser sends it in `Origin`. */
export function checkOrigins(values: string[]): string[] {
  for (const value of values) {
    let origin: string | null = null;
    try {
      const url = new URL(value);
      origin = url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null;
    } catch {
      // reported below
    }
    if (origin !== value) throw new ServiceError('invalid_request', `allowedOrigins: ${JSON.stringify(value)} is not an origin like https://app.example.com`);
  }
  return [...new Set(values)];
}

const orgNotFound = () => new ServiceError('org_not_found', 'No such org');

/** Org administration over the store; every secret it makes is returned once and never again. */
export class OrgAdmin {
  constructor(private readonly store: OrgStore, private readonly defaults: OrgDefaults, private readonly now: () => Date = () => new Date()) {}

  /** Creates an org with a signing key, an API key and a webhook secret. */
  async createOrg(input: CreateOrgInput): Promise<NewOrg> {
    const id = input.id ?? newOrgId();
    const createdAt = this.now();
    const webhookSecret = newWebhookSecret();
    const signing = { kid: newKid(), secret: newSigningSecret() };
    const api = newApiKey();
    await this.store.transaction(async (store) => {
      const inserted = await store.insertOrg({
        id, name: input.name, webhookUrl: input.webhookUrl ? checkWebhookUrl(input.webhookUrl) : null, webhookSecret,
        allowedOrigins: checkOrigins(input.allowedOrigins ?? []),
        linkTtlSeconds: input.linkTtlSeconds ?? this.defaults.linkTtlSeconds,
        ringTimeoutSeconds: input.ringTimeoutSeconds ?? this.defaults.ringTimeoutSeconds, createdAt,
      });
      if (!inserted) throw new ServiceError('org_exists', `An org with id ${JSON.stringify(id)} exists already`);
      await store.insertSigningKey(id, signing.kid, signing.secret, createdAt);
      await store.insertApiKey({ id: api.id, orgId: id, name: 'default', prefix: apiKeyPrefix(api.key), hash: sha256Hex(api.key), createdAt });
    });
    const org = await this.getOrg(id);
    const apiKey = org.apiKeys.find((k) => k.id === api.id)!;
    const signingKey = org.signingKeys.find((k) => k.kid === signing.kid)!;
    return { org, signingKey: { ...signingKey, secret: signing.secret }, apiKey: { ...apiKey, key: api.key }, webhookSecret };
  }

  /** Every org with its keys (no secret). */
  async listOrgs(): Promise<OrgView[]> {
    const rows = await this.store.orgs();
    return Promise.all(rows.map((row) => this.#view(row)));
  }

  /** One org with its keys (no secret); org_not_found when unknown. */
  async getOrg(id: string): Promise<OrgView> {
    const row = await this.store.org(id);
    if (!row) throw orgNotFound();
    return this.#view(row);
  }

  /** Changes an org's settings; calls already made keep their link lifetime and ring deadline. */
  async updateOrg(id: string, input: UpdateOrgInput): Promise<OrgView> {
    const row = await this.store.updateOrg(id, {
      ...input,
      ...(input.webhookUrl !== undefined ? { webhookUrl: input.webhookUrl === null ? null : checkWebhookUrl(input.webhookUrl) } : {}),
      ...(input.allowedOrigins !== undefined ? { allowedOrigins: checkOrigins(input.allowedOrigins) } : {}),
    });
    if (!row) throw orgNotFound();
    return this.#view(row);
  }

  /** Adds an API key to an org; the key is in the answer and nowhere else. */
  async createApiKey(orgId: string, name: string): Promise<NewApiKey> {
    await this.#mustExist(orgId);
    const api = newApiKey();
    const row = await this.store.insertApiKey({ id: api.id, orgId, name, prefix: apiKeyPrefix(api.key), hash: sha256Hex(api.key), createdAt: this.now() });
    return { ...toApiKeyView(row), key: api.key };
  }

  /** Revokes an API key of an org (idempotent); api_key_not_found when the org has no such key. */
  async revokeApiKey(orgId: string, keyId: string): Promise<ApiKeyView> {
    await this.#mustExist(orgId);
    const row = await this.store.revokeApiKey(orgId, keyId, this.now());
    if (!row) throw new ServiceError('api_key_not_found', 'No such API key in this org');
    return toApiKeyView(row);
  }

  /** Adds a signing key and keeps the others active: host backends move to the new `kid`, then the old key is revoked. */
  async rotateSigningKey(orgId: string): Promise<NewSigningKey> {
    await this.#mustExist(orgId);
    const secret = newSigningSecret();
    const row = await this.store.insertSigningKey(orgId, newKid(), secret, this.now());
    return { ...toSigningKeyView(row), secret };
  }

  /** Revokes a signing key (idempotent); signing_key_not_found when the org has no such kid. */
  async revokeSigningKey(orgId: string, kid: string): Promise<SigningKeyView> {
    await this.#mustExist(orgId);
    const row = await this.store.revokeSigningKey(orgId, kid, this.now());
    if (!row) throw new ServiceError('signing_key_not_found', 'No such signing key in this org');
    return toSigningKeyView(row);
  }

  /**
   * Gives the org a new webhook secret (shown once); the current one stays valid for `overlapSeconds` (each webhook is
   * signed with both meanwhile), then only the new one signs. A secret rotated out before is dropped now.
   */
  async rotateWebhookSecret(orgId: string, input: RotateWebhookSecretInput = {}): Promise<NewWebhookSecret> {
    const webhookSecret = newWebhookSecret();
    const until = new Date(this.now().getTime() + (input.overlapSeconds ?? WEBHOOK_SECRET_OVERLAP_DEFAULT_SECONDS) * 1000);
    const row = await this.store.rotateWebhookSecret(orgId, webhookSecret, until);
    if (!row) throw orgNotFound();
    return { webhookSecret, previousSecretValidUntil: until.toISOString() };
  }

  async #mustExist(orgId: string): Promise<void> {
    if (!(await this.store.org(orgId))) throw orgNotFound();
  }

  /** When the previous webhook secret stops being signed with; null when it already has (or there is none). */
  #overlapUntil(row: OrgRow): string | null {
    const until = row.webhook_secret_previous_until;
    return row.webhook_secret_previous !== null && until !== null && new Date(until).getTime() > this.now().getTime() ? iso(until) : null;
  }

  async #view(row: OrgRow): Promise<OrgView> {
    const [apiKeys, signingKeys] = await Promise.all([this.store.apiKeys(row.id), this.store.signingKeys(row.id)]);
    return {
      id: row.id, createdAt: new Date(row.created_at).toISOString(), name: row.name, webhookUrl: row.webhook_url,
      allowedOrigins: originsOf(row), linkTtlSeconds: row.link_ttl_seconds, ringTimeoutSeconds: row.ring_timeout_seconds,
      apiKeys: apiKeys.map(toApiKeyView), signingKeys: signingKeys.map(toSigningKeyView),
      previousWebhookSecretValidUntil: this.#overlapUntil(row),
    };
  }
}
