// Per-route request limits answering 429 rate_limited with Retry-After.
// Counters live in @fastify/rate-limit's in-memory store: right for one instance; several instances
// would pass the plugin's `redis` option (ioredis client) so that they share the counters.
import rateLimit, { normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestAsyncHookHandler, preValidationAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import type { Config, RateLimitRule } from '../config.js';
import { errors } from '../errors.js';

/** Hooks that count a request against its limits and throw 429 rate_limited once one is exceeded. */
export interface RateLimitHooks {
  /** preValidation of POST /v1/join: per IP, then per call id + IP (the body is parsed, not yet validated). */
  join: preValidationAsyncHookHandler;
  /** onRequest of GET /join/:callId: per IP. */
  joinPage: onRequestAsyncHookHandler;
  /** preValidation of POST /v1/calls, after auth.requireAgent: per org + agent. */
  createCall: preValidationAsyncHookHandler;
  /** preValidation of POST /v1/calls/:id/events, after auth.requireCaller: per call + role. */
  callEvents: preValidationAsyncHookHandler;
  /** onRequest of GET /v1/calls/:id/live: per IP, then per call id + IP, so a 429 is plain HTTP before any upgrade. */
  live: onRequestAsyncHookHandler;
  /** preValidation of GET /v1/calls/:id, its timeline and diagnostics, after auth.requireCaller: per call + role (API keys are not counted). */
  callReads: preValidationAsyncHookHandler;
  /** preValidation of POST /v1/webhooks/test, after auth.requireApiKey: per org. */
  webhookTest: preValidationAsyncHookHandler;
  /** preValidation of POST /v1/calls/:id/invite, after auth.requireCaller: per call (each one posts a message). */
  resendInvite: preValidationAsyncHookHandler;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Rate-limit hooks for the routes that need them. */
    limits: RateLimitHooks;
  }
}

/** Keys the limit by; '' means "not this limit" (e.g. no call id to count). */
type KeyOf = (request: FastifyRequest) => string;

/** IPv6 clients are grouped by /64, which one subscriber usually holds whole; a socket without an address (injected) is one client. */
const clientIp = (request: FastifyRequest) => (request.ip ? normalizeIP(request.ip) : 'unknown');

const callIdInBody = (request: FastifyRequest) => {
  const callId = (request.body as { callId?: unknown } | undefined)?.callId;
  return typeof callId === 'string' ? callId.slice(0, 128) : '';
};

const callIdInParams = (request: FastifyRequest) => ((request.params as { id?: string }).id ?? '').slice(0, 128);

async function rateLimitPlugin(fastify: FastifyInstance, opts: { config: Config }): Promise<void> {
  const limits = opts.config.rateLimits;
  // Only the routes below are limited, each by its own keys, so no global limit.
  await fastify.register(rateLimit, { global: false });

  /** A hook checking the rules in order; the first exceeded one answers. */
  const hook = (rules: [name: string, rule: RateLimitRule, keyOf: KeyOf][]) => {
    const limiters = rules.map(([name, rule, keyOf]) => ({
      keyOf,
      // Keys carry the rule's name: a shared (Redis) store keeps one namespace for every limiter.
      check: fastify.createRateLimit({ max: rule.max, timeWindow: rule.windowMs, keyGenerator: (request) => `${name}:${keyOf(request)}` }),
    }));
    return async (request: FastifyRequest, reply: FastifyReply) => {
      for (const { keyOf, check } of limiters) {
        if (keyOf(request) === '') continue;
        const result = await check(request);
        if (!result.isAllowed && result.isExceeded) {
          reply.header('retry-after', String(result.ttlInSeconds));
          throw errors.rateLimited(result.ttlInSeconds);
        }
      }
    };
  };

  fastify.decorate('limits', {
    join: hook([
      ['join-ip', limits.joinPerIp, clientIp],
      ['join-call', limits.joinPerCall, (r) => (callIdInBody(r) && `${callIdInBody(r)}|${clientIp(r)}`)],
    ]),
    joinPage: hook([['join-page-ip', limits.joinPagePerIp, clientIp]]),
    createCall: hook([['create-call-agent', limits.createCallPerAgent, (r) => (r.agent ? `${r.agent.orgId}|${r.agent.agentId}` : '')]]),
    callEvents: hook([[
      'events-call-role', limits.eventsPerCallRole,
      (r) => (r.caller?.kind === 'participant' ? `${r.caller.participant.callId}|${r.caller.participant.role}` : ''),
    ]]),
    live: hook([
      ['live-ip', limits.livePerIp, clientIp],
      ['live-call', limits.livePerCall, (r) => `${callIdInParams(r)}|${clientIp(r)}`],
    ]),
    callReads: hook([[
      'reads-call-role', limits.callReadsPerCallRole,
      (r) => (r.caller?.kind === 'participant' ? `${r.caller.participant.callId}|${r.caller.participant.role}` : ''),
    ]]),
    webhookTest: hook([['webhook-test-org', limits.webhookTestPerOrg, (r) => r.orgId ?? '']]),
    resendInvite: hook([['resend-invite-call', limits.resendInvitePerCall, (r) => (r.caller?.kind === 'participant' ? r.caller.participant.callId : '')]]),
  } satisfies RateLimitHooks);
}

/** Decorates `limits`. */
export default fp(rateLimitPlugin, { name: 'switchboard-rate-limit', fastify: '5.x', dependencies: ['switchboard-auth'] });
