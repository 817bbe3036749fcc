import { createHash, createHmac, randomBytes } from 'node:crypto';
import { secretEquals } from '../platform/secret-equal.js';

/**
 * Links sent to people, signed with LINK_SECRET: unsubscribe tokens and consent receipt links.
 * Neither carries an email. A token is a random id plus a signature over it; the id maps, server
 * side, to a subject ref (stored as the id's SHA-256, so a database reader cannot rebuild a link).
 */
const mac = (secret: Buffer, purpose: string, value: string) =>
  createHmac('sha256', secret).update(`${purpose}\n${value}`, 'utf8').digest().subarray(0, 16);

const equal = (a: Buffer, b: Buffer) => secretEquals(a, b);

export function newUnsubscribeToken(secret: Buffer): { token: string; tokenHash: string } {
  const id = randomBytes(16).toString('base64url');
  return { token: `${id}.${mac(secret, 'unsubscribe', id).toString('base64url')}`, tokenHash: tokenHashOf(id) };
}

/** The token id's hash when the signature verifies; null for anything forged or malformed. */
export function verifyUnsubscribeToken(secret: Buffer, token: string): string | null {
  const m = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{22})$/.exec(token);
  if (!m) return null;
  return equal(mac(secret, 'unsubscribe', m[1]!), Buffer.from(m[2]!, 'base64url')) ? tokenHashOf(m[1]!) : null;
}

const tokenHashOf = (id: string) => createHash('sha256').update(`unsubscribe\n${id}`, 'utf8').digest('hex');

/** How long a consent receipt link works: long enough to keep the page, not forever for whoever finds the link. */
export const RECEIPT_LINK_DAYS = 30;

export function receiptSignature(secret: Buffer, eventId: string, expires: number): string {
  return mac(secret, 'receipt', `${eventId}\n${expires}`).toString('base64url');
}

/** A receipt link valid for RECEIPT_LINK_DAYS from `now`: `exp` (Unix seconds) is signed with the event id. */
export function receiptPath(secret: Buffer, eventId: string, now: Date): string {
  const expires = Math.floor(now.getTime() / 1000) + RECEIPT_LINK_DAYS * 86_400;
  return `/v1/consents/receipts/${eventId}?exp=${expires}&sig=${receiptSignature(secret, eventId, expires)}`;
}

/** A receipt link's signature is ours for this event and expiry, and the expiry has not passed. */
export function receiptSignatureValid(secret: Buffer, eventId: string, exp: unknown, sig: unknown, now: Date): boolean {
  if (typeof exp !== 'string' || !/^\d{1,12}$/.test(exp) || Number(exp) * 1000 <= now.getTime()) return false;
  return (
    typeof sig === 'string' &&
    /^[A-Za-z0-9_-]{22}$/.test(sig) &&
    equal(mac(secret, 'receipt', `${eventId}\n${Number(exp)}`), Buffer.from(sig, 'base64url'))
  );
}

/** A consent event's id: derived from its natural key, so a redelivered message gets the same id. */
export const eventIdOf = (naturalKey: string) =>
  createHash('sha256').update(`consent\n${naturalKey}`, 'utf8').digest('hex').slice(0, 32);
