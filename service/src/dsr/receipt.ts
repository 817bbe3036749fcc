import { createHash } from 'node:crypto';
import type { Policy } from '../../../shared/src/policy/index.js';
import { cardTable, html } from '../platform/http/html.js';
import type { ItemRow } from './dsr-store.js';
import type { Messages } from './messages.sq.js';
import { dsrDocument, retentionText } from './pages.js';

/** The erasure receipt: non-personal (ids, field names, reasons, dates), hashed as the certificate. */
export type Receipt = {
  requestId: string;
  pass: number;
  issuedAt: string;
  policyVersion: string;
  /** No order, note, account or booking of the subject was left to erase or anonymise (an earlier request did it). */
  nothingLeft: boolean;
  items: {
    item: string;
    action: 'erased' | 'anonymised' | 'retained' | 'rectified';
    fields: string[];
    hold: string | null;
    until: string | null;
    note?: string;
  }[];
};

export function buildReceipt(
  requestId: string,
  pass: number,
  issuedAt: string,
  items: readonly ItemRow[],
  policy: Policy,
): Receipt {
  const shop = new Set(['order', 'order-notes', 'customer', 'booking']);
  const mine = items.filter((i) => i.pass === pass);
  return {
    requestId,
    pass,
    issuedAt,
    policyVersion: policy.version.label,
    nothingLeft: !mine.some((i) => shop.has(i.resource) && i.action !== 'retain'),
    items: items
      .filter((i) => i.releasedPass === null || i.action !== 'retain')
      .map((i) => {
        const unchangeable = (i.result?.unchangeable as string[] | undefined) ?? [];
        const note =
          i.resource === 'reviews' && i.result?.outcome === 'not-supported'
            ? 'reviews-not-reachable'
            : unchangeable.length
              ? `unchangeable:${unchangeable.join(',')}`
              : undefined;
        return {
          item: i.item,
          action:
            i.action === 'erase'
              ? ('erased' as const)
              : i.action === 'anonymise'
                ? ('anonymised' as const)
                : ('retained' as const),
          fields: i.fields,
          hold: i.hold,
          until: i.until,
          ...(note ? { note } : {}),
        };
      }),
  };
}

/** The certificate of a receipt (erasure or rectification): SHA-256 of the stored JSON, so anyone holding the body can recompute it. */
export const certificateOf = (r: Receipt | object) => createHash('sha256').update(JSON.stringify(r)).digest('hex');

/** The receipt page of an erasure or a rectification (the same item list; its title and introduction say which). */
export function renderReceipt(
  r: Receipt,
  certificate: string,
  policy: Policy,
  kind: 'erasure' | 'rectification' = 'erasure',
): string {
  const rule = (id: string | null, m: Messages) => retentionText(policy, id, m);
  const rectification = kind === 'rectification';
  return dsrDocument(
    (m) => (rectification ? m.rectificationTitle : m.receiptTitle),
    (m) => {
      const label = { erased: m.erased, anonymised: m.anonymised, retained: m.retained, rectified: m.rectified };
      const rows = r.items.map((i) => [
        i.item,
        label[i.action],
        i.fields.join(', '),
        i.action === 'retained'
          ? `${rule(i.hold, m)} (${i.until ? `${m.until} ${i.until.slice(0, 10)}` : m.untilReleased})`
          : (i.note ?? ''),
      ]);
      const intro = html`<p>${rectification ? m.rectificationIntro : m.receiptIntro}</p>${r.nothingLeft ? html`<p>${m.nothingLeft}</p>` : ''}<p>${m.request}: <code>${r.requestId}</code> · ${m.pass} ${r.pass} · ${r.issuedAt}</p>`;
      return html`${intro}${cardTable(['', m.status, m.field, m.why], rows)}${rectification ? html`<p>${m.invoiceKept}</p>` : ''}<p>${m.keptRecord}</p><p>${m.certificate}: <code>${certificate}</code></p>`;
    },
  );
}
