import { storedSubjectRef } from '../ledger/index.js';
import type { ExportRow } from './dsr-store.js';
import {
  dsrLinks,
  exportExpiry,
  exportLinkValid,
  exportLive,
  exportSignature,
  parseReceiptDeliveryId,
  receiptDeliveryId,
  receiptSignature,
  receiptSignatureValid,
} from './links.js';

const secret = Buffer.alloc(32, 7);
const id = '0b6f5c2e-7a41-4d3b-9a55-3f1e8c2d9b10';
const now = new Date('2026-11-01T10:00:00.000Z');
const x = (p: Partial<ExportRow> = {}): ExportRow => ({
  id,
  requestId: id,
  subject: storedSubjectRef('5'.repeat(64)),
  file: 'f',
  keySealed: Buffer.alloc(0),
  masterKeyId: 'm1',
  bytes: 0,
  createdAt: now.toISOString(),
  expiresAt: exportExpiry(now, 72),
  deletedAt: null,
  ...p,
});
const query = (url: string) => Object.fromEntries(new URL(url).searchParams);

describe('the links sent to a person', () => {
  it('an export link opens its export until it expires, with its own expiry and signature only', () => {
    const link = dsrLinks('https://privacy.example.com', secret).exportUrl(id, x().expiresAt);
    expect(link).toMatch(
      /^https:\/\/privacy\.example\.com\/v1\/exports\/0b6f5c2e-[^?]+\?expires=2026-11-04T10%3A00%3A00\.000Z&sig=/,
    );
    expect(exportLinkValid(secret, x(), query(link), now)).toBe(true);
    expect(exportLinkValid(Buffer.alloc(32, 8), x(), query(link), now)).toBe(false);
    expect(exportLinkValid(secret, x(), { ...query(link), expires: exportExpiry(now, 96) }, now)).toBe(false);
    expect(exportLinkValid(secret, x(), { ...query(link), sig: [query(link).sig] }, now)).toBe(false); // a repeated parameter
    expect(exportLinkValid(secret, x(), query(link), new Date('2026-11-04T10:00:00.000Z'))).toBe(false);
    expect(exportLinkValid(secret, x({ deletedAt: now.toISOString() }), query(link), now)).toBe(false);
    expect(exportLinkValid(secret, null, query(link), now)).toBe(false);
    expect(exportLive(x(), now)).toBe(true);
  });

  it('a receipt link is signed for its request and pass', () => {
    const link = dsrLinks('https://privacy.example.com', secret).receiptUrl(id, 2);
    expect(link).toBe(
      `https://privacy.example.com/v1/requests/${id}/receipts/2?sig=${receiptSignature(secret, id, 2)}`,
    );
    expect(receiptSignatureValid(secret, id, 2, query(link).sig)).toBe(true);
    expect(receiptSignatureValid(secret, id, 1, query(link).sig)).toBe(false);
    expect(receiptSignatureValid(secret, id, 2, undefined)).toBe(false);
    expect(receiptSignature(secret, id, 2)).not.toBe(exportSignature(secret, id, '2'));
  });

  it('the receipt of a pass is delivered under an id of the request and the pass, read back the same', () => {
    expect(receiptDeliveryId(id, 12)).toBe(`${id}-12`);
    expect(parseReceiptDeliveryId(receiptDeliveryId(id, 12))).toEqual({ requestId: id, pass: 12 });
  });
});
