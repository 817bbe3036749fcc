import type { DsrStore } from './dsr-store.js';
import { exportSignature, receiptSignature } from './jobs/export-files.js';

/** The signed links sent to a person (export download, receipts), built the one way the mails and `dsr show` both use. */
export function dsrLinks(publicUrl: string, linkSecret: Buffer) {
  const exportUrl = (id: string, expiresAt: string) => `${publicUrl}/v1/exports/${id}?expires=${encodeURIComponent(expiresAt)}&sig=${exportSignature(linkSecret, id, expiresAt)}`;
  const receiptUrl = (id: string, pass: number) => `${publicUrl}/v1/requests/${id}/receipts/${pass}?sig=${receiptSignature(linkSecret, id, pass)}`;
  /**
   * What the person was sent for a request, for its operator: the export link while it works, and every
   * receipt's link. An admin-entered request's links go only to the person; this is how the operator sees them.
   */
  async function linksOf(store: DsrStore, id: string, now: Date): Promise<{ export: { url: string; expiresAt: string } | null; receipts: { pass: number; url: string }[] }> {
    const x = await store.getExport(id);
    const live = x && !x.deletedAt && x.expiresAt > now.toISOString() ? { url: exportUrl(id, x.expiresAt), expiresAt: x.expiresAt } : null;
    return { export: live, receipts: (await store.receipts(id)).map((r) => ({ pass: r.pass, url: receiptUrl(id, r.pass) })) };
  }
  return { exportUrl, receiptUrl, linksOf };
}
