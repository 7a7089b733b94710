// Call credentials: JWTs (HS256, SERVICE_SECRET) a participant presents on REST and on the live socket.
import { randomUUID } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { errors } from '../errors.js';

/** Audience of call credentials. */
export const CREDENTIALS_AUDIENCE = 'switchboard-call';

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
  readonly #key: Uint8Array;
  constructor(serviceSecret: string) {
    this.#key = new TextEncoder().encode(serviceSecret);
  }

  /** A token for a role in a call, valid until the call's expiry. */
  async issue(callId: string, role: Role, expiresAt: Date): Promise<string> {
    return new SignJWT({ role, sid: randomUUID() })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setAudience(CREDENTIALS_AUDIENCE)
      .setSubject(callId)
      .setIssuedAt()
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .sign(this.#key);
  }

  /** Verifies a token; expired ⇒ token_expired, otherwise invalid ⇒ unauthorized. */
  async verify(token: string): Promise<Participant> {
    try {
      const { payload } = await jwtVerify(token, this.#key, {
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
