import { createHmac, randomBytes } from 'node:crypto';
import { secretEquals } from '../../platform/secret-equal.js';
import path from 'node:path';
import type { DsrRow } from '../dsr-store.js';
import type { DsrJobDeps } from './step.js';

/** Where a request's export lives, and its per-export key (sealed by the master keyring in dsr_exports). */
export const exportFiles = (dataDir: string, requestId: string) => ({
  collected: path.join(dataDir, 'dsr', `${requestId}.collected`),
  zip: path.join(dataDir, 'dsr', `${requestId}.zip`),
});

export async function exportKey(deps: DsrJobDeps, row: DsrRow): Promise<Buffer> {
  const existing = await deps.store.getExport(row.id);
  if (!existing) {
    const key = randomBytes(32);
    const sealed = deps.keyring.sealSecret(key.toString('base64'), `export:${row.id}`);
    const now = deps.clock.now();
    await deps.store.putExport({
      id: row.id, requestId: row.id, subject: row.subject, file: exportFiles(deps.settings.dataDir, row.id).zip, keySealed: sealed.sealed,
      masterKeyId: sealed.masterKeyId, bytes: 0, createdAt: now.toISOString(), expiresAt: new Date(now.getTime() + deps.settings.exportLinkHours * 3_600_000).toISOString(), deletedAt: null,
    });
  }
  const stored = (await deps.store.getExport(row.id))!;
  return Buffer.from(deps.keyring.openSecret(stored.keySealed, stored.masterKeyId, `export:${row.id}`), 'base64');
}

/** The download link's signature: HMAC(LINK_SECRET) over the export id and its expiry. */
export const exportSignature = (secret: Buffer, id: string, expiresAt: string) =>
  createHmac('sha256', secret).update(`dsr-export\n${id}\n${expiresAt}`).digest('base64url');

export const signatureValid = (secret: Buffer, id: string, expiresAt: string, sig: unknown): boolean => secretEquals(exportSignature(secret, id, expiresAt), sig);

export const receiptSignature = (secret: Buffer, id: string, pass: number) =>
  createHmac('sha256', secret).update(`dsr-receipt\n${id}\n${pass}`).digest('base64url');

/** The erasure-receipt link's signature, compared in constant time. */
export const receiptSignatureValid = (secret: Buffer, id: string, pass: number, sig: unknown): boolean => secretEquals(receiptSignature(secret, id, pass), sig);
