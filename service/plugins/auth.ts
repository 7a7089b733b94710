// Who is calling, and for which org: an agent token, call credentials, an org API key, or the operator key.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest, preValidationAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config.js';
import { verifyAgentToken, type AgentClaims } from '../domain/agent-token.js';
import type { Participant } from '../domain/credentials.js';
import { isSafeText, UNSAFE_TEXT_MESSAGE } from '../domain/safe-text.js';
import { errors, ServiceError } from '../errors.js';
import { CALL_ID_MAX_LENGTH } from '../routes/schemas.js';

/** A caller of a call route: a participant of that call, or the backend of the call's org with one of its API keys. */
export type CallCaller =
  | { kind: 'participant'; participant: Participant; orgId: string }
  | { kind: 'api'; orgId: string; keyId: string };

/** Authentication helpers for routes. Each hook also sets `request.orgId`: every row a route touches must be that org's. */
export interface Auth {
  /** Verifies the agent token in `Authorization: Bearer` against its org's signing keys. */
  agent(request: FastifyRequest): Promise<AgentClaims>;
  /** Accepts call credentials for this call, or (when `allowApiKey`) an API key of the call's org; another org's call is 404. */
  caller(request: FastifyRequest, callId: string, allowApiKey: boolean): Promise<CallCaller>;
  /** Verifies a credentials token for this call (live socket subprotocol). */
  participant(token: string | null, callId: string): Promise<Participant>;
  /** preValidation hook: an agent token is required; sets request.agent. Runs before body validation, so 401 beats 400. */
  requireAgent: preValidationAsyncHookHandler;
  /** preValidation hook factory: credentials of the call in `:id` (or an API key of its org when allowed); sets request.caller. */
  requireCaller(allowApiKey: boolean): preValidationAsyncHookHandler;
  /** preValidation hook: an org API key is required (integrator-only routes); the route then sees only `request.orgId`'s rows. */
  requireApiKey: preValidationAsyncHookHandler;
  /** preValidation hook: the operator key (OPERATOR_API_KEY) of the admin routes. */
  requireOperator: preValidationAsyncHookHandler;
  /** The org the request acts for, as set by the hook that authenticated it; 401 when none did. */
  orgOf(request: FastifyRequest): string;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Authentication helpers. */
    auth: Auth;
  }
  interface FastifyRequest {
    /** Set by auth.requireAgent. */
    agent: AgentClaims | null;
    /** Set by auth.requireCaller. */
    caller: CallCaller | null;
    /** The org the request acts for: set by requireAgent, requireCaller and requireApiKey. */
    orgId: string | null;
  }
}

/** The bearer token of a request, or null. */
export function bearerToken(request: FastifyRequest): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  return match?.[1] ?? null;
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Adds Origin to Vary, keeping what is there: the answer now depends on the page that asked. */
function varyOnOrigin(reply: FastifyReply): void {
  const vary = reply.getHeader('vary');
  if (typeof vary === 'string' && /(^|,)\s*origin\s*(,|$)/i.test(vary)) return;
  reply.header('vary', vary ? `${String(vary)}, Origin` : 'Origin');
}

async function authPlugin(fastify: FastifyInstance, opts: { config: Config }): Promise<void> {
  const { config } = opts;
  const directory = fastify.orgs.directory;
  const operatorDigest = config.operatorApiKey ? digest(config.operatorApiKey) : null;
  // The hosted join page is the service's own: a client's credentials are used from there.
  const joinPageOrigin = new URL(config.publicUrl).origin;

  /**
   * A browser's request for an org that lists its origins must come from one of them. The CORS plugin answered the
   * preflight (no credentials travel there, so no org is known yet); here the org is known, so a page of another origin
   * is refused before anything happens (403 origin_not_allowed, readable so the integrator sees why), and an allowed
   * one gets its own origin back instead of `*`. No Origin header: not a browser's cross-origin call (a backend).
   */
  const enforceOrigin = async (request: FastifyRequest, reply: FastifyReply, orgId: string, extra: string[] = []): Promise<void> => {
    const origin = request.headers.origin;
    if (origin === undefined) return;
    const allowed = await directory.allowedOrigins(orgId);
    if (allowed.length === 0) return;
    varyOnOrigin(reply);
    if (!allowed.includes(origin) && !extra.includes(origin)) throw errors.originNotAllowed();
    reply.header('access-control-allow-origin', origin);
  };

  const participant = async (token: string | null, callId: string): Promise<Participant> => {
    if (!token) throw errors.unauthorized();
    const p = await fastify.credentials.verify(token);
    if (p.callId !== callId) throw errors.unauthorized('These credentials are for another call');
    if (!(await fastify.calls.isCurrentSession(p))) throw errors.credentialsReplaced();
    return p;
  };

  const agent = async (request: FastifyRequest): Promise<AgentClaims> => {
    const token = bearerToken(request);
    if (!token) throw errors.unauthorized('An agent token is required (Authorization: Bearer)');
    return verifyAgentToken(directory, token);
  };

  const caller = async (request: FastifyRequest, callId: string, allowApiKey: boolean): Promise<CallCaller> => {
    const token = bearerToken(request);
    const key = allowApiKey && token ? await directory.apiKey(token) : null;
    if (key) {
      // This runs before the params are validated: refuse what validation would (the store cannot even look such an id up).
      if (!isSafeText(callId)) throw errors.invalidRequest(`params/id ${UNSAFE_TEXT_MESSAGE}`);
      if (callId.length > CALL_ID_MAX_LENGTH) throw errors.invalidRequest(`params/id must NOT have more than ${CALL_ID_MAX_LENGTH} characters`);
      const owner = await directory.orgOfCall(callId);
      // Another org's call answers like an unknown one: an API key learns nothing about other orgs' ids.
      if (owner !== key.orgId) throw errors.callNotFound();
      return { kind: 'api', orgId: key.orgId, keyId: key.keyId };
    }
    const p = await participant(token, callId);
    const orgId = await directory.orgOfCall(p.callId);
    // Valid credentials of a call that is gone (its org was deleted): they no longer open anything.
    if (orgId === undefined) throw errors.unauthorized('These credentials are for a call that no longer exists');
    return { kind: 'participant', participant: p, orgId };
  };

  fastify.decorateRequest('agent', null);
  fastify.decorateRequest('caller', null);
  fastify.decorateRequest('orgId', null);
  fastify.decorate('auth', {
    agent,
    caller,
    participant,
    async requireAgent(request, reply) {
      request.agent = await agent(request);
      request.orgId = request.agent.orgId;
      await enforceOrigin(request, reply, request.agent.orgId);
    },
    requireCaller: (allowApiKey) => async (request, reply) => {
      request.caller = await caller(request, (request.params as { id?: string }).id ?? '', allowApiKey);
      request.orgId = request.caller.orgId;
      await enforceOrigin(request, reply, request.orgId, request.caller.kind === 'participant' ? [joinPageOrigin] : []);
    },
    async requireApiKey(request, reply) {
      const token = bearerToken(request);
      const key = token ? await directory.apiKey(token) : null;
      if (!key) throw errors.unauthorized('The org API key is required (Authorization: Bearer)');
      request.orgId = key.orgId;
      await enforceOrigin(request, reply, key.orgId);
    },
    async requireOperator(request) {
      // Without OPERATOR_API_KEY the admin routes are not registered at all; this stays as a second lock.
      if (!operatorDigest) throw new ServiceError('not_found', 'Not found');
      const token = bearerToken(request);
      if (!token || !timingSafeEqual(digest(token), operatorDigest)) throw errors.unauthorized('The operator key is required (Authorization: Bearer)');
    },
    orgOf(request) {
      if (!request.orgId) throw errors.unauthorized();
      return request.orgId;
    },
  } satisfies Auth);
}

/** Decorates `auth`. */
export default fp(authPlugin, { name: 'switchboard-auth', fastify: '5.x', dependencies: ['switchboard-calls', 'switchboard-orgs'] });
