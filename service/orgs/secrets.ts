// The secrets of an org: how each is made, and the only form of an API key the store keeps (its SHA-256).
import { createHash, randomBytes } from 'node:crypto';

/** Characters of an API key shown in listings, so keys can be told apart without revealing them. */
export const API_KEY_PREFIX_CHARS = 10;

/** A new org id: `org_` and 16 random characters (ids are not secret, but need not be guessable either). */
export const newOrgId = (): string => `org_${randomBytes(12).toString('base64url')}`;

/** A new signing key id, carried in the `kid` header of agent tokens. */
export const newKid = (): string => `kid_${randomBytes(9).toString('base64url')}`;

/** A new HS256 signing secret (256 bits; host backends use its UTF-8 string as the key, as with ORG_SIGNING_SECRET). */
export const newSigningSecret = (): string => randomBytes(32).toString('base64url');

/** A new Standard Webhooks secret: `whsec_` and 24 random bytes in base64 (the format ORG_WEBHOOK_SECRET takes). */
export const newWebhookSecret = (): string => `whsec_${randomBytes(24).toString('base64')}`;

/** A new API key (`sk_…`, 192 bits) with its id; the key itself is shown once and only its hash is stored. */
export function newApiKey(): { id: string; key: string } {
  return { id: `key_${randomBytes(9).toString('base64url')}`, key: `sk_${randomBytes(24).toString('base64url')}` };
}

/** SHA-256 of a secret, hex: what the store keeps of an API key (a key has 192 random bits, so no slow hash is needed). */
export const sha256Hex = (value: string): string => createHash('sha256').update(value).digest('hex');

/** The part of an API key shown in listings. */
export const apiKeyPrefix = (key: string): string => key.slice(0, API_KEY_PREFIX_CHARS);

/** True when a bearer token has the shape of a JWT (agent token, call credentials) rather than an API key. */
export const looksLikeJwt = (token: string): boolean => /^eyJ[\w-]*\.[\w-]+\.[\w-]*$/.test(token);
