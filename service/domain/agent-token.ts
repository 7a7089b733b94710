// Agent tokens: JWTs the host backend mints (HS256, a signing key of its org) and the agent's browser presents.
import { decodeJwt, decodeProtectedHeader, errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { errors } from '../errors.js';
import { hmacKey } from './hmac-key.js';
import { isSafeText } from './safe-text.js';

/** The longest an agent token may live (exp - iat), in seconds. */
export const AGENT_TOKEN_MAX_LIFETIME_SECONDS = 900;
/** Clock skew tolerated between the host backend and the service, in seconds. */
export const AGENT_TOKEN_CLOCK_SKEW_SECONDS = 5;
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

/**
 * Where the verification finds an org's signing secret: by the token's `iss` (the org) and `kid` (null when the header
 * has none). Throws 401 unauthorized when there is no such active key. Implemented by service/orgs/org-directory.ts.
 */
export interface AgentTokenKeys {
  signingSecret(orgId: string, kid: string | null): Promise<string>;
}

/** The org a token is minted for: its id (`iss`), a signing secret, and that key's `kid` when the org has several. */
export interface AgentTokenSigner {
  org: { id: string; signingSecret: string; kid?: string };
}

const key = (secret: string) => new TextEncoder().encode(secret);

/** Mints an agent token, as a host backend would (tests and the demo use it); `config` may be the service's own. */
export async function signAgentToken(config: AgentTokenSigner, claims: AgentTokenClaims, ttlSeconds = 300): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT', ...(config.org.kid ? { kid: config.org.kid } : {}) })
    .setIssuer(config.org.id)
    .setAudience(AGENT_TOKEN_AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + ttlSeconds)
    .sign(key(config.org.signingSecret));
}

const optionalString = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** String claims that reach the store (iss is compared, but a NUL in it still deserves a clear answer). */
const TEXT_CLAIMS = ['iss', 'sub', 'name', 'conversation_id', 'client_id', 'client_name', 'conversation_owner_id'] as const;

/**
 * The token's own times must not stretch its life: exp - iat alone would accept a token "issued" a
 * month ahead, usable for that month; so iat may not be in the future and exp not beyond the maximum from now.
 */
function checkLifetime(payload: { exp: number; iat: number }): void {
  const now = Math.floor(Date.now() / 1000);
  const { exp, iat } = payload;
  if (iat > now + AGENT_TOKEN_CLOCK_SKEW_SECONDS) {
    throw errors.unauthorized('The agent token is issued in the future (iat); check the clock of the host backend');
  }
  if (exp - iat > AGENT_TOKEN_MAX_LIFETIME_SECONDS) {
    throw errors.unauthorized(`The agent token lives longer than ${AGENT_TOKEN_MAX_LIFETIME_SECONDS} seconds`);
  }
  if (exp > now + AGENT_TOKEN_MAX_LIFETIME_SECONDS + AGENT_TOKEN_CLOCK_SKEW_SECONDS) {
    throw errors.unauthorized(`The agent token expires more than ${AGENT_TOKEN_MAX_LIFETIME_SECONDS} seconds from now (exp)`);
  }
}

/**
 * The org (`iss`) and key id (`kid`) a token says it is signed by, read before its signature is checked so the right
 * key can be looked up; nothing else of it is believed until jwtVerify has passed.
 */
function claimedSigner(token: string): { orgId: string; kid: string | null } {
  let iss: unknown;
  let kid: unknown;
  try {
    ({ kid } = decodeProtectedHeader(token));
    ({ iss } = decodeJwt(token));
  } catch {
    throw errors.unauthorized('The agent token is not valid');
  }
  // Checked before any lookup: the store refuses NUL and lone surrogates, and such an iss names no org anyway.
  if (typeof iss !== 'string' || iss === '' || !isSafeText(iss)) throw errors.unauthorized('The agent token is not valid: unexpected "iss" claim value');
  if (kid !== undefined && (typeof kid !== 'string' || kid === '' || !isSafeText(kid))) throw errors.unauthorized('The agent token is not valid: unexpected "kid" header value');
  return { orgId: iss, kid: kid ?? null };
}

/** Verifies an agent token against its org's keys; expired ⇒ token_expired, anything else wrong ⇒ unauthorized. */
export async function verifyAgentToken(keys: AgentTokenKeys, token: string): Promise<AgentClaims> {
  const { orgId, kid } = claimedSigner(token);
  const secret = await keys.signingSecret(orgId, kid);
  let payload;
  try {
    ({ payload } = await jwtVerify(token, await hmacKey(secret), {
      algorithms: ['HS256'],
      issuer: orgId,
      audience: AGENT_TOKEN_AUDIENCE,
      requiredClaims: ['exp', 'iat', 'sub'],
      clockTolerance: AGENT_TOKEN_CLOCK_SKEW_SECONDS,
    }));
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired) throw errors.tokenExpired('The agent token has expired');
    // jose names the claim (e.g. '"nbf" claim timestamp check failed'); the signature is good by then, so saying which helps the integrator.
    if (err instanceof joseErrors.JWTClaimValidationFailed) throw errors.unauthorized(`The agent token is not valid: ${err.message}`);
    throw errors.unauthorized('The agent token is not valid');
  }
  checkLifetime(payload as { exp: number; iat: number });
  for (const claim of TEXT_CLAIMS) {
    const value = payload[claim];
    if (typeof value === 'string' && !isSafeText(value)) {
      throw errors.unauthorized(`The agent token's ${claim} claim contains a NUL character or an unpaired surrogate`);
    }
  }
  const { sub, name, conversation_id: conversationId } = payload as Record<string, unknown>;
  if (typeof sub !== 'string' || typeof name !== 'string' || typeof conversationId !== 'string' || conversationId === '') {
    throw errors.unauthorized('The agent token lacks sub, name or conversation_id');
  }
  return {
    orgId,
    agentId: sub,
    agentName: name,
    conversationId,
    clientId: optionalString(payload.client_id),
    clientName: optionalString(payload.client_name),
    conversationStarted: payload.conversation_started === true,
    conversationOwnerId: optionalString(payload.conversation_owner_id),
  };
}
