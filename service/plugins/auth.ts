// Who is calling: an agent token, call credentials, or the org API key.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest, preValidationAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config.js';
import { verifyAgentToken, type AgentClaims } from '../domain/agent-token.js';
import type { Participant } from '../domain/credentials.js';
import { errors } from '../errors.js';

/** A caller of a call route: a participant of that call, or the integrator's backend. */
export type CallCaller = { kind: 'participant'; participant: Participant } | { kind: 'api' };

/** Authentication helpers for routes. */
export interface Auth {
  /** Verifies the agent token in `Authorization: Bearer`. */
  agent(request: FastifyRequest): Promise<AgentClaims>;
  /** Accepts call credentials for this call, or the org API key when `allowApiKey`. */
  caller(request: FastifyRequest, callId: string, allowApiKey: boolean): Promise<CallCaller>;
  /** Verifies a credentials token for this call (live socket subprotocol). */
  participant(token: string | null, callId: string): Promise<Participant>;
  /** preValidation hook: an agent token is required; sets request.agent. Runs before body validation, so 401 beats 400. */
  requireAgent: preValidationAsyncHookHandler;
  /** preValidation hook factory: credentials of the call in `:id` (or the API key when allowed); sets request.caller. */
  requireCaller(allowApiKey: boolean): preValidationAsyncHookHandler;
  /** preValidation hook: the org API key is required (integrator-only routes such as webhook deliveries). */
  requireApiKey: preValidationAsyncHookHandler;
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
  }
}

/** The bearer token of a request, or null. */
export function bearerToken(request: FastifyRequest): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  return match?.[1] ?? null;
}

const digest = (value: string) => createHash('sha256').update(value).digest();

async function authPlugin(fastify: FastifyInstance, opts: { config: Config }): Promise<void> {
  const { config } = opts;
  const apiKeyDigest = digest(config.org.apiKey);
  const isApiKey = (token: string) => timingSafeEqual(digest(token), apiKeyDigest);

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
    return verifyAgentToken(config, token);
  };
  const caller = async (request: FastifyRequest, callId: string, allowApiKey: boolean): Promise<CallCaller> => {
    const token = bearerToken(request);
    if (allowApiKey && token && isApiKey(token)) return { kind: 'api' };
    return { kind: 'participant', participant: await participant(token, callId) };
  };

  fastify.decorateRequest('agent', null);
  fastify.decorateRequest('caller', null);
  fastify.decorate('auth', {
    agent,
    caller,
    participant,
    async requireAgent(request) {
      request.agent = await agent(request);
    },
    requireCaller: (allowApiKey) => async (request) => {
      request.caller = await caller(request, (request.params as { id?: string }).id ?? '', allowApiKey);
    },
    async requireApiKey(request) {
      const token = bearerToken(request);
      if (!token || !isApiKey(token)) throw errors.unauthorized('The org API key is required (Authorization: Bearer)');
    },
  } satisfies Auth);
}

/** Decorates `auth`. */
export default fp(authPlugin, { name: 'switchboard-auth', fastify: '5.x', dependencies: ['switchboard-calls'] });
