// Who an org is at request time: its signing keys (agent tokens), its API keys, its policy, webhook endpoint and origins.
import type { AgentTokenKeys } from '../domain/agent-token.js';
import { errors } from '../errors.js';
import type { OrgRow } from '../store/schema.js';
import { originsOf } from './org-admin.js';
import type { OrgStore } from './org-store.js';
import { looksLikeJwt, sha256Hex } from './secrets.js';

/** How long an org row is reused before being read again (policy, webhook endpoint, origins). Keys are never cached. */
export const ORG_CACHE_MS = 5_000;
/** An API key's last use is written at most this often. */
export const API_KEY_TOUCH_INTERVAL_MS = 60_000;
/** Above this many cached orgs the cache starts over (it only saves reads). */
const MAX_CACHED = 10_000;

/** What an org decides about its calls. */
export interface OrgPolicy {
  linkTtlSeconds: number;
  ringTimeoutSeconds: number;
}

/** Where an org's webhooks go and the secret they are signed with. */
export interface WebhookEndpoint {
  url: string;
  secret: string;
  /** The secret before a rotation, while it is still valid: each webhook then carries a signature with each. */
  previousSecret?: string;
}

/** The org and key an API key request acts for. */
export interface ApiKeyIdentity {
  orgId: string;
  keyId: string;
}

/** Options of the directory; tests shorten the cache or pin the clock. */
export interface OrgDirectoryOptions {
  cacheMs?: number;
  now?: () => Date;
}

/**
 * Answers the request path's questions about orgs. Keys are read from the store at each use, so a revocation holds at
 * once on every instance; org rows (policy, endpoint, origins) are cached for ORG_CACHE_MS.
 */
export class OrgDirectory implements AgentTokenKeys {
  readonly #store: OrgStore;
  readonly #cacheMs: number;
  readonly #now: () => Date;
  readonly #orgs = new Map<string, { row: OrgRow; readAt: number }>();
  readonly #touched = new Map<string, number>();

  constructor(store: OrgStore, options: OrgDirectoryOptions = {}) {
    this.#store = store;
    this.#cacheMs = options.cacheMs ?? ORG_CACHE_MS;
    this.#now = options.now ?? (() => new Date());
  }

  /** The org row, read at most every ORG_CACHE_MS; null when there is no such org. */
  async org(id: string): Promise<OrgRow | null> {
    const cached = this.#orgs.get(id);
    const now = this.#now().getTime();
    if (cached && now - cached.readAt < this.#cacheMs) return cached.row;
    const row = await this.#store.org(id);
    if (this.#orgs.size >= MAX_CACHED) this.#orgs.clear();
    if (row) this.#orgs.set(id, { row, readAt: now });
    else this.#orgs.delete(id);
    return row ?? null;
  }

  /** Drops cached rows (after an admin change in this process; other instances see it within ORG_CACHE_MS). */
  forget(orgId?: string): void {
    if (orgId === undefined) this.#orgs.clear();
    else this.#orgs.delete(orgId);
  }

  /** The org's link lifetime and ring timeout; null when there is no such org. */
  async policy(orgId: string): Promise<OrgPolicy | null> {
    const org = await this.org(orgId);
    return org ? { linkTtlSeconds: org.link_ttl_seconds, ringTimeoutSeconds: org.ring_timeout_seconds } : null;
  }

  /** Where the org's webhooks go and what they are signed with; null when the org is unknown or has no webhook URL. */
  async webhookEndpoint(orgId: string): Promise<WebhookEndpoint | null> {
    const org = await this.org(orgId);
    if (!org?.webhook_url) return null;
    const until = org.webhook_secret_previous_until;
    const previousValid = org.webhook_secret_previous !== null && until !== null && new Date(until).getTime() > this.#now().getTime();
    return { url: org.webhook_url, secret: org.webhook_secret, ...(previousValid ? { previousSecret: org.webhook_secret_previous! } : {}) };
  }

  /** Origins whose pages may call the API for this org; empty: any origin. */
  async allowedOrigins(orgId: string): Promise<string[]> {
    const org = await this.org(orgId);
    return org ? originsOf(org) : [];
  }

  /**
   * The secret to verify an agent token of `orgId` with. With a `kid`, that active key; without, the org's only active
   * key (tokens from before key rotation existed carry none), and a 401 asking for `kid` once the org has several.
   */
  async signingSecret(orgId: string, kid: string | null): Promise<string> {
    const keys = await this.#store.activeSigningKeys(orgId);
    if (kid !== null) {
      const key = keys.find((k) => k.kid === kid);
      if (!key) throw errors.unauthorized('The agent token is not valid: unexpected "kid" header value (no active signing key of the org has it)');
      return key.secret;
    }
    if (keys.length === 1) return keys[0]!.secret;
    if (keys.length === 0) throw errors.unauthorized('The agent token is not valid: unexpected "iss" claim value (no org with an active signing key)');
    throw errors.unauthorized('The agent token must name its signing key in the "kid" header: the org has several active keys');
  }

  /** The org and key of an API key, recording its use; null when it is no active API key (JWTs are not looked up). */
  async apiKey(token: string): Promise<ApiKeyIdentity | null> {
    if (looksLikeJwt(token)) return null;
    const row = await this.#store.apiKeyByHash(sha256Hex(token));
    if (!row || row.revoked_at !== null) return null;
    await this.#touch(row.id);
    return { orgId: row.org_id, keyId: row.id };
  }

  /** The org a call belongs to; undefined when there is no such call. */
  orgOfCall(callId: string): Promise<string | undefined> {
    return this.#store.orgOfCall(callId);
  }

  /** Writes last_used_at at most once a minute per key: this instance remembers its writes, the query skips recent ones. */
  async #touch(keyId: string): Promise<void> {
    const now = this.#now();
    const last = this.#touched.get(keyId);
    if (last !== undefined && now.getTime() - last < API_KEY_TOUCH_INTERVAL_MS) return;
    if (this.#touched.size >= MAX_CACHED) this.#touched.clear();
    this.#touched.set(keyId, now.getTime());
    // A failed write loses one timestamp, never the request.
    await this.#store.touchApiKey(keyId, now, new Date(now.getTime() - API_KEY_TOUCH_INTERVAL_MS)).catch(() => undefined);
  }
}
