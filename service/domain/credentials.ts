// Call credentials: JWTs (HS256, SERVICE_SECRET) a participant presents on REST and on the live socket.
import { randomUUID } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { errors } from '../errors.js';
import { hmacKey } from './hmac-key.js';

/** Audience of call credentials. */
export const CREDENTIALS_AUDIENCE = 'switchboard-call';
/**
 * How long call credentials live. Short, because they are bearer tokens a browser holds:
 * a live socket asks for fresh ones (`renew`) well before they expire, so a session that is
 * closed or revoked cannot be taken back later with what it had.
 */
export const CREDENTIALS_TTL_SECONDS = 600;

/** A participant role. */
export type Role = 'agent' | 'client';

/** Verified call credentials. */
export interface Participant {
  callId: string;
  role: Role;
  sessionId: string;
}

/** Signs and verifies call credentials. */
export class CredentialsIssuer {
  readonly #secret: string;
  constructor(serviceSecret: string) {
    this.#secret = serviceSecret;
  }

  /** A token for a role in a call and a session (a new one unless given), valid until `expiresAt`. */
  async issue(callId: string, role: Role, expiresAt: Date, sessionId: string = randomUUID()): Promise<string> {
    return new SignJWT({ role, sid: sessionId })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setAudience(CREDENTIALS_AUDIENCE)
      .setSubject(callId)
      .setIssuedAt()
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .sign(await hmacKey(this.#secret));
  }

  /** Verifies a token; expired ⇒ token_expired, otherwise invalid ⇒ unauthorized. */
  async verify(token: string): Promise<Participant> {
    try {
      const { payload } = await jwtVerify(token, await hmacKey(this.#secret), {
        algorithms: ['HS256'],
        audience: CREDENTIALS_AUDIENCE,
        requiredClaims: ['exp', 'sub'],
      });
      const { role, sid, sub } = payload;
      if ((role !== 'agent' && role !== 'client') || typeof sid !== 'string' || !sub) throw new Error('bad claims');
      return { callId: sub, role, sessionId: sid };
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) throw errors.tokenExpired('The call credentials have expired');
      throw errors.unauthorized('The call credentials are not valid');
    }
  }
}
