// Agent tokens: JWTs the host backend mints (HS256, org signing secret) and the agent's browser presents.
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import type { Config } from '../config.js';
import { errors } from '../errors.js';

/** The longest an agent token may live (exp - iat), in seconds. */
export const AGENT_TOKEN_MAX_LIFETIME_SECONDS = 900;
/** Audience of agent tokens. */
export const AGENT_TOKEN_AUDIENCE = 'switchboard';

/** Verified claims of an agent token. */
export interface AgentClaims {
  orgId: string;
  agentId: string;
  agentName: string;
  conversationId: string;
  clientId: string | null;
  clientName: string | null;
  conversationStarted: boolean;
  conversationOwnerId: string | null;
}

/** Claims a host backend puts in an agent token (wire names). */
export interface AgentTokenClaims {
  sub: string;
  name: string;
  conversation_id: string;
  client_id?: string | null;
  client_name?: string | null;
  conversation_started: boolean;
  conversation_owner_id?: string | null;
  [extra: string]: unknown;
}

const key = (secret: string) => new TextEncoder().encode(secret);

/** Mints an agent token for the configured org, as a host backend would (tests and the demo use it). */
export async function signAgentToken(config: Pick<Config, 'org'>, claims: AgentTokenClaims, ttlSeconds = 300): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(config.org.id)
    .setAudience(AGENT_TOKEN_AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + ttlSeconds)
    .sign(key(config.org.signingSecret));
}

const optionalString = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** Verifies an agent token; expired ⇒ token_expired, anything else wrong ⇒ unauthorized. */
export async function verifyAgentToken(config: Pick<Config, 'org'>, token: string): Promise<AgentClaims> {
  let payload;
  try {
    ({ payload } = await jwtVerify(token, key(config.org.signingSecret), {
      algorithms: ['HS256'],
      issuer: config.org.id,
      audience: AGENT_TOKEN_AUDIENCE,
      requiredClaims: ['exp', 'iat', 'sub'],
      clockTolerance: 5,
    }));
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired) throw errors.tokenExpired('The agent token has expired');
    throw errors.unauthorized('The agent token is not valid');
  }
  const { exp, iat } = payload as { exp: number; iat: number };
  if (exp - iat > AGENT_TOKEN_MAX_LIFETIME_SECONDS) {
    throw errors.unauthorized(`The agent token lives longer than ${AGENT_TOKEN_MAX_LIFETIME_SECONDS} seconds`);
  }
  const { sub, name, conversation_id: conversationId } = payload as Record<string, unknown>;
  if (typeof sub !== 'string' || typeof name !== 'string' || typeof conversationId !== 'string' || conversationId === '') {
    throw errors.unauthorized('The agent token lacks sub, name or conversation_id');
  }
  return {
    orgId: config.org.id,
    agentId: sub,
    agentName: name,
    conversationId,
    clientId: optionalString(payload.client_id),
    clientName: optionalString(payload.client_name),
    conversationStarted: payload.conversation_started === true,
    conversationOwnerId: optionalString(payload.conversation_owner_id),
  };
}
