import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jwtVerify, SignJWT } from 'jose';
import { hmacKey } from '../../service/domain/hmac-key.js';

const sign = (key: Uint8Array | CryptoKey) => new SignJWT({ role: 'agent' }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1m').sign(key);

test('an imported key signs and verifies exactly as the secret\'s bytes do, and is imported once per secret', async () => {
  const secret = 'a-signing-secret-of-32-characters';
  const bytes = new TextEncoder().encode(secret);
  assert.equal(hmacKey(secret), hmacKey(secret), 'the same import is reused');
  assert.equal((await jwtVerify(await sign(bytes), await hmacKey(secret))).payload.role, 'agent');
  assert.equal((await jwtVerify(await sign(await hmacKey(secret)), bytes)).payload.role, 'agent');
  await assert.rejects(jwtVerify(await sign(bytes), await hmacKey(`${secret}-other`)), { code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' });
});
