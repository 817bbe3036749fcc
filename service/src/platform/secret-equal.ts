import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const KEY = randomBytes(32);
const digest = (v: string | Buffer) => createHmac('sha256', KEY).update(v).digest();

/**
 * The one way to compare a secret (a signature, a token, a MAC) with what a caller sent: both sides
 * are HMAC'd under a per-process key first, so the comparison takes the same time whatever the
 * lengths and wherever they differ. A non-string from the caller (a repeated query parameter) is false.
 */
export function secretEquals(expected: string | Buffer, given: unknown): boolean {
  if (typeof given !== 'string' && !Buffer.isBuffer(given)) return false;
  return timingSafeEqual(digest(expected), digest(given));
}
