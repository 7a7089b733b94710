// What the admin API and the CLI say about orgs and their keys: TypeBox schemas, the one definition of each shape.
import { Type, type Static } from 'typebox';
import { SafeString } from '../../protocol/text.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

/** Shortest and longest join-link lifetime an org may have, in seconds (as LINK_TTL_SECONDS). */
export const LINK_TTL_SECONDS_RANGE = { minimum: 60, maximum: 30 * 86400 } as const;
/** Shortest and longest ring timeout an org may have, in seconds (as RING_TIMEOUT_SECONDS). */
export const RING_TIMEOUT_SECONDS_RANGE = { minimum: 5, maximum: 86400 } as const;

/** An org id: what agent tokens carry in `iss` (the ORG_ID pattern). */
export const OrgIdSchema = Type.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$' });
/** An id of a key (API key id or signing key kid) in a path. */
export const KeyIdSchema = Type.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$' });

/** Properties of the settings of an org, set at creation and changed later. */
const settings = {
  name: SafeString({ minLength: 1, maxLength: 200 }),
  webhookUrl: Nullable(Type.String({ maxLength: 2000, description: 'http(s) URL receiving the org\'s webhooks; null: none yet' })),
  allowedOrigins: Type.Array(Type.String({ maxLength: 200 }), {
    maxItems: 50, description: 'Origins (scheme://host[:port]) whose pages may call the API for this org; empty: any',
  }),
  linkTtlSeconds: Type.Integer(LINK_TTL_SECONDS_RANGE),
  ringTimeoutSeconds: Type.Integer(RING_TIMEOUT_SECONDS_RANGE),
};

/** Settings of an org. */
export const OrgSettingsSchema = Type.Object(settings, { additionalProperties: false });
/** Settings of an org. */
export type OrgSettings = Static<typeof OrgSettingsSchema>;

/** Body of POST /v1/admin/orgs: a name, the rest optional (defaults from the service's configuration). */
export const CreateOrgBody = Type.Object({
  id: Type.Optional(OrgIdSchema),
  name: settings.name,
  webhookUrl: Type.Optional(settings.webhookUrl),
  allowedOrigins: Type.Optional(settings.allowedOrigins),
  linkTtlSeconds: Type.Optional(settings.linkTtlSeconds),
  ringTimeoutSeconds: Type.Optional(settings.ringTimeoutSeconds),
}, { additionalProperties: false });
/** Input of an org creation. */
export type CreateOrgInput = Static<typeof CreateOrgBody>;

/** Body of PATCH /v1/admin/orgs/:orgId: any settings to change. */
export const UpdateOrgBody = Type.Object({
  name: Type.Optional(settings.name),
  webhookUrl: Type.Optional(settings.webhookUrl),
  allowedOrigins: Type.Optional(settings.allowedOrigins),
  linkTtlSeconds: Type.Optional(settings.linkTtlSeconds),
  ringTimeoutSeconds: Type.Optional(settings.ringTimeoutSeconds),
}, { additionalProperties: false, minProperties: 1 });
/** Input of an org update. */
export type UpdateOrgInput = Static<typeof UpdateOrgBody>;

/** An API key as listed: never the key, only its prefix. */
export const ApiKeyViewSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  prefix: Type.String({ description: 'The first characters of the key' }),
  createdAt: Type.String(),
  lastUsedAt: Nullable(Type.String({ description: 'Updated at most once a minute' })),
  revokedAt: Nullable(Type.String()),
});
/** An API key as listed. */
export type ApiKeyView = Static<typeof ApiKeyViewSchema>;

/** A signing key as listed: never the secret. */
export const SigningKeyViewSchema = Type.Object({
  kid: Type.String({ description: 'The `kid` header of agent tokens signed with this key' }),
  createdAt: Type.String(),
  revokedAt: Nullable(Type.String()),
});
/** A signing key as listed. */
export type SigningKeyView = Static<typeof SigningKeyViewSchema>;

/** An org as listed: settings and keys, no secret. */
export const OrgViewSchema = Type.Object({
  id: Type.String(),
  createdAt: Type.String(),
  ...settings,
  apiKeys: Type.Array(ApiKeyViewSchema),
  signingKeys: Type.Array(SigningKeyViewSchema),
  previousWebhookSecretValidUntil: Nullable(Type.String({ description: 'Until then webhooks carry a signature with the secret before the last rotation too; null: no such overlap' })),
});
/** An org as listed. */
export type OrgView = Static<typeof OrgViewSchema>;

/** A new API key: the only time the key itself is shown. */
export const NewApiKeySchema = Type.Object({ ...ApiKeyViewSchema.properties, key: Type.String({ description: 'Shown once; only its SHA-256 is kept' }) });
/** A new API key. */
export type NewApiKey = Static<typeof NewApiKeySchema>;

/** A new signing key: the only time the secret is shown. */
export const NewSigningKeySchema = Type.Object({ ...SigningKeyViewSchema.properties, secret: Type.String({ description: 'Shown once: the HS256 key (its UTF-8 bytes)' }) });
/** A new signing key. */
export type NewSigningKey = Static<typeof NewSigningKeySchema>;

/** A new org with every secret it was given, shown this once. */
export const NewOrgSchema = Type.Object({
  org: OrgViewSchema,
  signingKey: NewSigningKeySchema,
  apiKey: NewApiKeySchema,
  webhookSecret: Type.String({ description: 'Shown once: the Standard Webhooks secret (whsec_…)' }),
});
/** A new org with its secrets. */
export type NewOrg = Static<typeof NewOrgSchema>;

/** What DELETE /v1/admin/orgs/:orgId did. */
export const OrgDeletedSchema = Type.Object({
  id: Type.String(),
  deletedAt: Type.String(),
  callsEnded: Type.Integer({ minimum: 0, description: 'Open calls ended with reason org_deleted (sockets closed, media rooms deleted)' }),
  callsDeleted: Type.Integer({ minimum: 0, description: 'Calls removed with their timelines' }),
  deliveriesDeleted: Type.Integer({ minimum: 0, description: 'Webhook deliveries removed (pending ones are never sent)' }),
});

/** Longest overlap of a rotated webhook secret: a week, in seconds. */
export const WEBHOOK_SECRET_OVERLAP_MAX_SECONDS = 7 * 86400;
/** Overlap when none is asked: a day, for receivers to move to the new secret. */
export const WEBHOOK_SECRET_OVERLAP_DEFAULT_SECONDS = 86400;

/** Body of POST /v1/admin/orgs/:orgId/webhook-secret/rotate. */
export const RotateWebhookSecretBody = Type.Object({
  overlapSeconds: Type.Optional(Type.Integer({
    minimum: 0, maximum: WEBHOOK_SECRET_OVERLAP_MAX_SECONDS,
    description: 'How long the current secret stays valid beside the new one (default a day); 0 ends it at once, e.g. when it leaked',
  })),
}, { additionalProperties: false });
/** Input of a webhook secret rotation. */
export type RotateWebhookSecretInput = Static<typeof RotateWebhookSecretBody>;

/** A new webhook secret: the only time it is shown. */
export const NewWebhookSecretSchema = Type.Object({
  webhookSecret: Type.String({ description: 'Shown once: the new Standard Webhooks secret (whsec_…)' }),
  previousSecretValidUntil: Type.String({ description: 'Until then each webhook carries a signature with the previous secret as well' }),
});
/** A new webhook secret. */
export type NewWebhookSecret = Static<typeof NewWebhookSecretSchema>;
