// The operator's API: orgs and their keys (registered only when OPERATOR_API_KEY is set). The CLI does the same offline.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  ApiKeyViewSchema, CreateOrgBody, KeyIdSchema, NewApiKeySchema, NewOrgSchema, NewSigningKeySchema, NewWebhookSecretSchema, OrgDeletedSchema,
  OrgIdSchema, OrgViewSchema, RotateWebhookSecretBody, SigningKeyViewSchema, UpdateOrgBody,
} from '../orgs/org-views.js';
import { deleteOrg, orgDeletionDeps } from '../orgs/org-deletion.js';
import { errorResponses, NO_STORE, SafeString } from './schemas.js';

const OrgParams = Type.Object({ orgId: OrgIdSchema });
const ApiKeyParams = Type.Object({ orgId: OrgIdSchema, keyId: KeyIdSchema });
const SigningKeyParams = Type.Object({ orgId: OrgIdSchema, kid: KeyIdSchema });
const CreateApiKeyBody = Type.Object({ name: SafeString({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false });
const security = [{ operatorKey: [] }];
/** OpenAPI summary and tag of an admin route. */
const doc = (summary: string) => ({ summary, tags: ['admin'], security });

const admin: FastifyPluginAsyncTypebox = async (fastify) => {
  const { admin: orgs, directory } = fastify.orgs;
  // Every answer here may carry a secret shown once, or what a cache should not keep.
  fastify.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', NO_STORE);
  });
  const preValidation = fastify.auth.requireOperator;

  fastify.get('/v1/admin/orgs', {
    preValidation,
    schema: { ...doc('List orgs and their keys (never a secret)'), response: { 200: Type.Object({ orgs: Type.Array(OrgViewSchema) }), ...errorResponses(401) } },
  }, async () => ({ orgs: await orgs.listOrgs() }));

  fastify.post('/v1/admin/orgs', {
    preValidation,
    schema: { ...doc('Create an org; its signing key, API key and webhook secret are in this answer only'), body: CreateOrgBody, response: { 201: NewOrgSchema, ...errorResponses(400, 401, 409) } },
  }, async (request, reply) => reply.code(201).send(await orgs.createOrg(request.body)));

  fastify.get('/v1/admin/orgs/:orgId', {
    preValidation,
    schema: { ...doc('Read an org and its keys (never a secret)'), params: OrgParams, response: { 200: OrgViewSchema, ...errorResponses(400, 401, 404) } },
  }, async (request) => orgs.getOrg(request.params.orgId));

  fastify.patch('/v1/admin/orgs/:orgId', {
    preValidation,
    schema: { ...doc('Change an org\'s settings (calls already made keep theirs)'), params: OrgParams, body: UpdateOrgBody, response: { 200: OrgViewSchema, ...errorResponses(400, 401, 404) } },
  }, async (request) => {
    const org = await orgs.updateOrg(request.params.orgId, request.body);
    directory.forget(org.id);
    return org;
  });

  fastify.delete('/v1/admin/orgs/:orgId', {
    preValidation,
    schema: {
      ...doc('Delete an org: its keys stop at once, its open calls end (org_deleted), then its calls, deliveries and keys are removed'),
      params: OrgParams, response: { 200: OrgDeletedSchema, ...errorResponses(400, 401, 404, 409) },
    },
  }, async (request) => {
    const deleted = await deleteOrg(orgDeletionDeps(fastify), request.params.orgId);
    directory.forget(deleted.id);
    return deleted;
  });

  fastify.post('/v1/admin/orgs/:orgId/api-keys', {
    preValidation,
    schema: { ...doc('Add an API key (shown in this answer only; the service keeps its SHA-256)'), params: OrgParams, body: CreateApiKeyBody, response: { 201: NewApiKeySchema, ...errorResponses(400, 401, 404) } },
  }, async (request, reply) => reply.code(201).send(await orgs.createApiKey(request.params.orgId, request.body.name)));

  fastify.post('/v1/admin/orgs/:orgId/api-keys/:keyId/revoke', {
    preValidation,
    schema: { ...doc('Revoke an API key, at once'), params: ApiKeyParams, response: { 200: ApiKeyViewSchema, ...errorResponses(400, 401, 404) } },
  }, async (request) => orgs.revokeApiKey(request.params.orgId, request.params.keyId));

  fastify.post('/v1/admin/orgs/:orgId/signing-keys', {
    preValidation,
    schema: { ...doc('Add a signing key (rotation); the others stay active until revoked'), params: OrgParams, response: { 201: NewSigningKeySchema, ...errorResponses(400, 401, 404) } },
  }, async (request, reply) => reply.code(201).send(await orgs.rotateSigningKey(request.params.orgId)));

  fastify.post('/v1/admin/orgs/:orgId/signing-keys/:kid/revoke', {
    preValidation,
    schema: { ...doc('Revoke a signing key, at once'), params: SigningKeyParams, response: { 200: SigningKeyViewSchema, ...errorResponses(400, 401, 404) } },
  }, async (request) => orgs.revokeSigningKey(request.params.orgId, request.params.kid));

  fastify.post('/v1/admin/orgs/:orgId/webhook-secret/rotate', {
    preValidation,
    schema: {
      ...doc('New webhook secret (shown in this answer only); the current one is signed with too until the overlap ends'),
      params: OrgParams, body: RotateWebhookSecretBody, response: { 201: NewWebhookSecretSchema, ...errorResponses(400, 401, 404) },
    },
  }, async (request, reply) => {
    const rotated = await orgs.rotateWebhookSecret(request.params.orgId, request.body);
    // Other instances read the new secret within ORG_CACHE_MS, and sign with the old one meanwhile (still valid).
    directory.forget(request.params.orgId);
    return reply.code(201).send(rotated);
  });
};

export default admin;
