import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

/** Files at rest under DATA_DIR, AES-256-GCM with a per-file key: iv (12) ‖ tag (16) ‖ ciphertext. */
export async function writeSealed(file: string, key: Buffer, plaintext: Buffer, associated: string): Promise<number> {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(associated, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const out = Buffer.concat([iv, cipher.getAuthTag(), body]);
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  // Write then rename: a crash never leaves a half-written file under the final name.
  await fs.writeFile(`${file}.tmp`, out, { mode: 0o600 });
  await fs.rename(`${file}.tmp`, file);
  return out.length;
}

export async function readSealed(file: string, key: Buffer, associated: string): Promise<Buffer> {
  const data = await fs.readFile(file);
  const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, 12));
  decipher.setAAD(Buffer.from(associated, 'utf8'));
  decipher.setAuthTag(data.subarray(12, 28));
  return Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]);
}

export async function removeFile(file: string): Promise<void> {
  await fs.rm(file, { force: true });
  await fs.rm(`${file}.tmp`, { force: true });
}
