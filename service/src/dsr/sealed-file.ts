import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

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

/**
 * The same sealed file, written from a stream: iv and a zeroed tag first, the ciphertext as it comes,
 * then the tag in its place (known only at the end). Written to `.tmp` and renamed, as writeSealed does.
 */
export async function writeSealedStream(
  file: string,
  key: Buffer,
  source: Readable,
  associated: string,
): Promise<number> {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(associated, 'utf8'));
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.tmp`;
  try {
    const out = createWriteStream(tmp, { mode: 0o600 });
    out.write(Buffer.concat([iv, Buffer.alloc(16)]));
    await pipeline(source, cipher, out);
    const handle = await fs.open(tmp, 'r+');
    try {
      await handle.write(cipher.getAuthTag(), 0, 16, 12);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(tmp, file);
    return (await fs.stat(file)).size;
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
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
