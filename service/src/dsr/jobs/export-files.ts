import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { DsrRow } from '../dsr-store.js';
import { exportExpiry } from '../links.js';
import type { DsrJobDeps, DsrJobSettings } from './step.js';

/** Where a request's export lives, and its per-export key (sealed by the master keyring in dsr_exports). */
export const exportFiles = (dataDir: string, requestId: string) => ({
  collected: path.join(dataDir, 'dsr', `${requestId}.collected`),
  zip: path.join(dataDir, 'dsr', `${requestId}.zip`),
});

export type ExportKeyNeeds = Pick<DsrJobDeps, 'store' | 'keyring' | 'clock'> & {
  settings: Pick<DsrJobSettings, 'dataDir' | 'exportLinkHours'>;
};

export async function exportKey(deps: ExportKeyNeeds, row: DsrRow): Promise<Buffer> {
  const existing = await deps.store.getExport(row.id);
  if (!existing) {
    const key = randomBytes(32);
    const sealed = deps.keyring.sealSecret(key.toString('base64'), `export:${row.id}`);
    const now = deps.clock.now();
    await deps.store.putExport({
      id: row.id,
      requestId: row.id,
      subject: row.subject,
      file: exportFiles(deps.settings.dataDir, row.id).zip,
      keySealed: sealed.sealed,
      masterKeyId: sealed.masterKeyId,
      bytes: 0,
      createdAt: now.toISOString(),
      expiresAt: exportExpiry(now, deps.settings.exportLinkHours),
      deletedAt: null,
    });
  }
  const stored = (await deps.store.getExport(row.id))!;
  return Buffer.from(deps.keyring.openSecret(stored.keySealed, stored.masterKeyId, `export:${row.id}`), 'base64');
}
