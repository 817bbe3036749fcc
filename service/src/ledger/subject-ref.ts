import { createHmac } from 'node:crypto';
import type { Sensitive } from '../platform/sensitive.js';
import { canonicalJson, JsonText, type JsonValue } from './canonical-json.js';

/** A pseudonymous subject reference: HMAC-SHA256 (secret pepper) of the normalised email, hex. */
export type SubjectRef = string & { readonly __brand: 'SubjectRef' };

const SUBJECT_REF = /^[0-9a-f]{64}$/;

/** The one rule for normalising an email before it becomes a SubjectRef: trim, lower-case. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function subjectRef(email: Sensitive<string>, pepper: Buffer): SubjectRef {
  return createHmac('sha256', pepper).update(normaliseEmail(email.reveal()), 'utf8').digest('hex') as SubjectRef;
}

export function isSubjectRef(value: unknown): value is SubjectRef {
  return typeof value === 'string' && SUBJECT_REF.test(value);
}

/**
 * A subject ref read back from a table: the one check where a store reads its rows. Stores are written with
 * SubjectRefs only, so a value that is not one was edited outside this code, and reading it is refused.
 */
export function storedSubjectRef(value: unknown): SubjectRef {
  if (!isSubjectRef(value)) throw new TypeError('a stored subject is not a subject ref');
  return value;
}

/**
 * A keyed digest of a value (HMAC with the pepper): safe to store in clear in natural keys, since
 * low-entropy personal values (a phone number) cannot be guessed back from it without the pepper.
 * A JsonText is digested as it is written; its value's canonicalJson text digests as the value.
 */
export function keyedFingerprint(value: JsonValue | JsonText, pepper: Buffer): string {
  const text = value instanceof JsonText ? value.text : canonicalJson(value);
  return createHmac('sha256', pepper).update(`fp\n${text}`, 'utf8').digest('hex').slice(0, 32);
}
