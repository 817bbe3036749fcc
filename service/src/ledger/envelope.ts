import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM envelopes: iv (12 bytes) ‖ tag (16 bytes) ‖ ciphertext.
 * The associated data binds a ciphertext to where it belongs (an entry's natural key, a data key's id),
 * so a value copied into another entry does not decrypt there.
 */
const IV = 12;
const TAG = 16;

export function seal(key: Buffer, plaintext: Buffer, associated: string): Buffer {
  const iv = randomBytes(IV);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(associated, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

export function open(key: Buffer, envelope: Buffer, associated: string): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, envelope.subarray(0, IV));
  decipher.setAAD(Buffer.from(associated, 'utf8'));
  decipher.setAuthTag(envelope.subarray(IV, IV + TAG));
  return Buffer.concat([decipher.update(envelope.subarray(IV + TAG)), decipher.final()]);
}
