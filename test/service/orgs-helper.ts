// Helpers of the orgs tests: a second org made through the admin layer, its tokens and calls.
import type { FastifyInstance } from 'fastify';
import { signAgentToken, type AgentTokenClaims } from '../../service/domain/agent-token.js';
import type { CreateOrgInput } from '../../service/orgs/org-views.js';
import { goodClaims, type CreateBody } from './helper.js';

/** An org made for a test, with the secrets it was given once. */
export interface TestOrg {
  id: string;
  kid: string;
  signingSecret: string;
  apiKey: string;
  apiKeyId: string;
  webhookSecret: string;
}

/** Makes an org as the CLI and the admin routes do. */
export async function makeOrg(app: FastifyInstance, input: Partial<CreateOrgInput> = {}): Promise<TestOrg> {
  const made = await app.orgs.admin.createOrg({ name: 'Other Org', ...input });
  return {
    id: made.org.id, kid: made.signingKey.kid, signingSecret: made.signingKey.secret,
    apiKey: made.apiKey.key, apiKeyId: made.apiKey.id, webhookSecret: made.webhookSecret,
  };
}

/** `Authorization: Bearer <token>`. */
export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** An agent token of the org, with its kid in the header unless `withKid` is false. */
export function orgToken(org: Pick<TestOrg, 'id' | 'signingSecret' | 'kid'>, claims: AgentTokenClaims = goodClaims(), withKid = true): Promise<string> {
  return signAgentToken({ org: { id: org.id, signingSecret: org.signingSecret, ...(withKid ? { kid: org.kid } : {}) } }, claims);
}

/** Creates a call as an agent of the org; `headers` adds e.g. an Origin. */
export async function createOrgCall(app: FastifyInstance, token: string, headers: Record<string, string> = {}) {
  const res = await app.inject({ method: 'POST', url: '/v1/calls', headers: { ...bearer(token), ...headers }, payload: { media: 'audio' } });
  return { res, body: res.json<CreateBody>() };
}
