import type { ResidueProbeQuery, ResidueProbeResult } from '../../../shared/src/contracts/dsr.js';
import type { ItemRow } from './dsr-store.js';

/** Which retained fields allow a term of each kind to stay on a held order. */
const KEPT_BY = {
  email: (f: string) => f === 'billing.email',
  phone: (f: string) => /^(billing|shipping)\.phone$/.test(f) || f === 'customer_note',
  name: (f: string) => /^(billing|shipping)\.(first|last)_name$/.test(f) || f === 'customer_note',
} as const;

export type ProbeResidue = { item: string; field?: string; reason: string };

/**
 * The plugin's SQL search, judged against the plan. A row of one of the subject's orders or of their
 * account is residue unless an unreleased hold keeps what matched there (the held order's field of that
 * kind, its notes, the account kept whole, or Analytics' customer row while a held order keeps that kind). A row elsewhere is residue when the subject's e-mail
 * matched (it can only be theirs); a phone or surname matched on someone else's row is not theirs.
 */
export function judgeProbe(result: ResidueProbeResult, terms: ResidueProbeQuery['terms'], items: readonly ItemRow[], customerIds: ReadonlySet<number>): ProbeResidue[] {
  const live = items.filter((i) => i.action === 'retain' && i.releasedPass === null);
  const orders = new Set(items.filter((i) => i.resource === 'order' || i.resource === 'order-notes').map((i) => i.resourceId));
  const keptAccount = new Set(live.filter((i) => i.resource === 'customer').map((i) => i.resourceId));
  const out: ProbeResidue[] = [];
  for (const hit of result.hits) {
    const kind = terms[hit.term]?.kind ?? 'email';
    const mineOrder = hit.orderId !== null && orders.has(hit.orderId);
    const mineUser = hit.userId !== null && customerIds.has(hit.userId);
    if (!mineOrder && !mineUser && kind !== 'email') continue;
    if (hit.userId !== null && keptAccount.has(hit.userId) && hit.orderId === null) continue;
    // WooCommerce Analytics refills its customer row from any order it sees again: a held order's kept fields may be there.
    if (hit.table === 'wc_customer_lookup' && live.some((i) => i.resource === 'order' && i.fields.some(KEPT_BY[kind]))) continue;
    if (hit.orderId !== null) {
      const held = live.filter((i) => i.resourceId === hit.orderId);
      if (hit.table === 'comments' && held.some((i) => i.resource === 'order-notes')) continue;
      if (held.some((i) => i.resource === 'order' && i.fields.some(KEPT_BY[kind]))) continue;
    }
    out.push({ item: hit.orderId !== null ? `order-${hit.orderId}` : hit.userId !== null ? `customer-${hit.userId}` : `db:${hit.table}`, field: `${hit.table}.${hit.column}`, reason: `sql:${kind}` });
  }
  if (result.truncated) out.push({ item: 'db', reason: 'sql:truncated' });
  return out;
}
