// Join-link secrets: derived from SERVICE_SECRET per call, base64url in the link fragment, stored only as SHA-256.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The secret of a call's join link and the hash to store. Derived (HMAC-SHA256, 256 bits) rather than random, so the
 * webhook worker can rebuild the link when it sends the invite and the outbox never has to hold it.
 */
export function joinSecretFor(serviceSecret: string, callId: string): { secret: string; hash: string } {
  const secret = createHmac('sha256', serviceSecret).update(`join-link:${callId}`).digest('base64url');
  return { secret, hash: hashJoinSecret(secret) };
}

/** The join link of a call: the secret rides in the fragment, which browsers never send to a server. */
export function joinUrlFor(publicUrl: string, callId: string, secret: string): string {
  return `${publicUrl}/join/${callId}#${secret}`;
}

/** SHA-256 of a secret, hex. */
export function hashJoinSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Compares a presented secret with a stored hash in constant time. */
export function joinSecretMatches(secret: string, storedHash: string): boolean {
  const a = Buffer.from(hashJoinSecret(secret), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
