// Join-link secrets: 32 random bytes, base64url in the link fragment, stored only as SHA-256.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A fresh secret and the hash to store. */
export function createJoinSecret(): { secret: string; hash: string } {
  const secret = randomBytes(32).toString('base64url');
  return { secret, hash: hashJoinSecret(secret) };
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
