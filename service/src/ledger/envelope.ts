import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM envelopes: iv (12 bytes) ‖ tag (16 bytes) ‖ ciphertext.
 * The associated data binds a ciphertext to where it belongs (an entry's natural key, a data key's id),
 * so a value copied into another entry does not decrypt there.
 */
const IV = 12;
const TAG = 16;

export function seal(key: Buffer, plaintext: Buffer, associated: string): Buffer {
  const iv = nextIv();
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(associated, 'utf8'));
  const body = cipher.update(plaintext);
  cipher.final(); // GCM is a stream mode: final() emits nothing, it computes the tag
  return Buffer.concat([iv, cipher.getAuthTag(), body], IV + TAG + body.length);
}

// IVs stay 96 random bits from the CSPRNG; drawing them 1,024 at a time saves a randomBytes call per seal,
// which was a tenth of the cost of a batched append. Each pool is fresh memory, used once, front to back.
const IV_POOL = IV * 1_024;
let ivPool = Buffer.alloc(0);
let ivOffset = 0;
function nextIv(): Buffer {
  if (ivOffset + IV > ivPool.length) {
    ivPool = randomBytes(IV_POOL);
    ivOffset = 0;
  }
  ivOffset += IV;
  return ivPool.subarray(ivOffset - IV, ivOffset);
}

export function open(key: Buffer, envelope: Buffer, associated: string): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, envelope.subarray(0, IV));
  decipher.setAAD(Buffer.from(associated, 'utf8'));
  decipher.setAuthTag(envelope.subarray(IV, IV + TAG));
  return Buffer.concat([decipher.update(envelope.subarray(IV + TAG)), decipher.final()]);
}
