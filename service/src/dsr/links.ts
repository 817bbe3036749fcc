import { createHmac } from 'node:crypto';
import { secretEquals } from '../platform/secret-equal.js';
import type { DsrStore, ExportRow } from './dsr-store.js';

/**
 * The links sent to a person — the export download and the erasure receipts — in one place: their
 * URLs, their signatures (HMAC under LINK_SECRET, checked in constant time by secretEquals, which
 * compares with crypto.timingSafeEqual), the export's expiry, and the ids the delivery outbox pushes
 * them under. The mails, the My Account tab, `dsr show` and the routes that open them all use these.
 */

/** Delivery outbox targets: WordPress e-mails the export link and the receipt link. */
export const EXPORT_READY_TARGET = 'dsr-export-ready';
export const RECEIPT_TARGET = 'dsr-receipt';

/** The receipt of `pass` as the outbox names it (ids only), and back. */
export const receiptDeliveryId = (requestId: string, pass: number) => `${requestId}-${pass}`;
export const parseReceiptDeliveryId = (id: string) => ({ requestId: id.slice(0, 36), pass: Number(id.slice(37)) });

/** When an export link made at `now` stops working (DSR_EXPORT_LINK_HOURS). */
export const exportExpiry = (now: Date, hours: number) => new Date(now.getTime() + hours * 3_600_000).toISOString();

/** The download link's signature: HMAC(LINK_SECRET) over the export id and its expiry. */
export const exportSignature = (secret: Buffer, id: string, expiresAt: string) =>
  createHmac('sha256', secret).update(`dsr-export\n${id}\n${expiresAt}`).digest('base64url');

export const receiptSignature = (secret: Buffer, id: string, pass: number) =>
  createHmac('sha256', secret).update(`dsr-receipt\n${id}\n${pass}`).digest('base64url');

/** The erasure-receipt link's signature, compared in constant time. */
export const receiptSignatureValid = (secret: Buffer, id: string, pass: number, sig: unknown): boolean =>
  secretEquals(receiptSignature(secret, id, pass), sig);

/** An export that can still be downloaded at `now`: not deleted, not expired. */
export const exportLive = (x: Pick<ExportRow, 'deletedAt' | 'expiresAt'> | null, now: Date): x is ExportRow =>
  x !== null && !x.deletedAt && x.expiresAt > now.toISOString();

/** A download link opens a live export only with its own expiry and a signature over both (constant time). */
export const exportLinkValid = (
  secret: Buffer,
  x: ExportRow | null,
  query: { expires?: unknown; sig?: unknown },
  now: Date,
): x is ExportRow =>
  exportLive(x, now) &&
  query.expires === x.expiresAt &&
  secretEquals(exportSignature(secret, x.id, x.expiresAt), query.sig);

/** The signed links sent to a person (export download, receipts), built the one way the mails and `dsr show` both use. */
export function dsrLinks(publicUrl: string, linkSecret: Buffer) {
  const exportUrl = (id: string, expiresAt: string) =>
    `${publicUrl}/v1/exports/${id}?expires=${encodeURIComponent(expiresAt)}&sig=${exportSignature(linkSecret, id, expiresAt)}`;
  const receiptUrl = (id: string, pass: number) =>
    `${publicUrl}/v1/requests/${id}/receipts/${pass}?sig=${receiptSignature(linkSecret, id, pass)}`;
  /**
   * What the person was sent for a request, for its operator: the export link while it works, and every
   * receipt's link. An admin-entered request's links go only to the person; this is how the operator sees them.
   */
  async function linksOf(
    store: DsrStore,
    id: string,
    now: Date,
  ): Promise<{ export: { url: string; expiresAt: string } | null; receipts: { pass: number; url: string }[] }> {
    const x = await store.getExport(id);
    const live = exportLive(x, now) ? { url: exportUrl(id, x.expiresAt), expiresAt: x.expiresAt } : null;
    return {
      export: live,
      receipts: (await store.receipts(id)).map((r) => ({ pass: r.pass, url: receiptUrl(id, r.pass) })),
    };
  }
  return { exportUrl, receiptUrl, linksOf };
}
