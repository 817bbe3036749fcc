import {
  RESIDUE_TERM_KINDS,
  type ResidueProbeQuery,
  type ResidueProbeResult,
} from '../../../shared/src/contracts/dsr.js';
import { normaliseEmail } from '../ledger/index.js';
import type { ItemRow } from './dsr-store.js';
import type { Terms } from './dsr.service.js';
import type { WooCustomer, WooOrder } from '../woocommerce/index.js';
import { alreadyAnonymous, candidateFields, ERASURE_NOTE } from './erasure-plan.js';

/**
 * The residue check's rules, pure: given what the shop, Redis and our stores answer now, what of the
 * subject is left that the plan did not keep. check-residue.job.ts asks; these judge.
 */
export type Residue = { item: string; field?: string; reason: string };

const isOrderItem = (i: ItemRow) => i.resource === 'order' || i.resource === 'order-notes';
const liveHold = (i: ItemRow) => i.action === 'retain' && i.releasedPass === null;

/** The orders a pass's plan changed (erased or anonymised): the ones to read again. */
export const changedOrders = (mine: readonly ItemRow[]) => [
  ...new Set(mine.filter((i) => isOrderItem(i) && i.action !== 'retain').map((i) => i.resourceId!)),
];

/** The accounts a pass's plan erased: each is looked up again. */
export const erasedAccounts = (mine: readonly ItemRow[]) =>
  mine.filter((i) => i.resource === 'customer' && i.action === 'erase' && i.resourceId).map((i) => i.resourceId!);

/**
 * A pass's items against the shop now: an anonymised field whose value still has its old fingerprint
 * (and is not a placeholder), a note left on an order whose notes were erased, an erased account still there.
 */
export function judgeItems(
  mine: readonly ItemRow[],
  current: ReadonlyMap<number, WooOrder>,
  fingerprint: (v: unknown) => string,
  accountsLeft: ReadonlySet<number>,
): Residue[] {
  const out: Residue[] = [];
  for (const item of mine) {
    const order = item.resourceId ? current.get(item.resourceId) : undefined;
    if (item.action === 'anonymise' && order) {
      const now = candidateFields(order);
      for (const field of item.fields)
        if (
          now.has(field) &&
          fingerprint(now.get(field)) === item.fingerprints[field] &&
          !alreadyAnonymous(field, now.get(field))
        )
          out.push({ item: item.item, field, reason: 'unchanged' });
    }
    if (item.resource === 'order-notes' && item.action === 'erase' && order) {
      const left = ((order.notes ?? []) as { note?: string }[]).filter((n) => !ERASURE_NOTE.test(n.note ?? '')).length;
      if (left > 0) out.push({ item: item.item, reason: `notes-left:${left}` });
    }
    if (item.resource === 'customer' && item.action === 'erase' && item.resourceId && accountsLeft.has(item.resourceId))
      out.push({ item: item.item, reason: 'account-exists' });
  }
  return out;
}

/**
 * The shop's own search, as an admin would run it, judged for one request (all its passes' items): an
 * order of the subject's e-mail is residue unless a live hold keeps its e-mail; an account of that
 * e-mail unless a live hold keeps the account. `email` is normalised.
 */
export function searchJudge(
  email: string,
  all: readonly ItemRow[],
): (found: { orders: readonly WooOrder[]; customers: readonly WooCustomer[] }) => Residue[] {
  const keptWithEmail = new Set(
    all.filter((i) => liveHold(i) && i.fields.includes('billing.email')).map((i) => i.resourceId),
  );
  const planned = new Set(all.map((i) => i.resourceId));
  const theirs = (e: unknown) => typeof e === 'string' && normaliseEmail(e) === email;
  return (found) => [
    ...found.orders
      .filter((o) => theirs(o.billing?.email) && !keptWithEmail.has(o.id))
      .map((o) => ({ item: `order-${o.id}`, reason: planned.has(o.id) ? 'found-by-search' : 'unplanned-order' })),
    ...found.customers
      .filter(
        (c) => theirs(c.email) && !all.some((i) => i.resource === 'customer' && i.resourceId === c.id && liveHold(i)),
      )
      .map((c) => ({ item: `customer-${c.id}`, reason: 'found-by-search' })),
  ];
}

/** The terms the plugin's SQL search looks for: the e-mail, phones as written, surnames (3 characters at least). */
export const probeTermsOf = (email: string, terms: Pick<Terms, 'fullPhones' | 'names'>): ResidueProbeQuery['terms'] =>
  [
    { kind: 'email' as const, value: email },
    ...(terms.fullPhones ?? []).map((value) => ({ kind: 'phone' as const, value })),
    ...terms.names.map((value) => ({ kind: 'name' as const, value })),
  ].filter((t) => t.value.length >= 3);

/** The request's accounts (every pass): the SQL search's rows of these users are the subject's. */
export const accountsOf = (all: readonly ItemRow[]) =>
  new Set(all.filter((i) => i.resource === 'customer' && i.resourceId !== null).map((i) => i.resourceId!));

/** Redis keys holding the subject's values, named by key (its odd characters masked, cut to 120). */
export const redisResidue = (keys: readonly string[]): Residue[] =>
  keys.map((key) => ({ item: 'redis', reason: `key:${key.replace(/[^A-Za-z0-9:_.-]/g, '?').slice(0, 120)}` }));

/** Export files of the subject still on disk. */
export const exportResidue = (exports: readonly { id: string }[]): Residue[] =>
  exports.map((e) => ({ item: 'export-file', reason: `export:${e.id}` }));

/** What the step records: each finding once, at most 500 listed, and how many there were. */
export function residueReport(residue: readonly Residue[]): {
  residue: { item: string; field: string | null; reason: string }[];
  count: number;
} {
  const unique = [...new Map(residue.map((r) => [`${r.item}|${r.field ?? ''}|${r.reason}`, r])).values()];
  return {
    residue: unique.slice(0, 500).map((r) => ({ item: r.item, field: r.field ?? null, reason: r.reason })),
    count: unique.length,
  };
}

/** Which retained fields allow a term of each kind to stay on a held order. */
const KEPT_BY = {
  email: (f: string) => f === 'billing.email',
  phone: (f: string) => /^(billing|shipping)\.phone$/.test(f) || f === 'customer_note',
  name: (f: string) => /^(billing|shipping)\.(first|last)_name$/.test(f) || f === 'customer_note',
} as const;

/**
 * What the plan's unreleased holds keep, as the SQL search's `keep`: per held order, the kinds of term its
 * kept fields match and whether its notes are kept. judgeProbe applies the same rule to what comes back.
 */
export function keptForProbe(items: readonly ItemRow[]): NonNullable<ResidueProbeQuery['keep']> {
  const live = items.filter((i) => i.action === 'retain' && i.releasedPass === null && i.resourceId !== null);
  const byOrder = new Map<number, { kinds: Set<ResidueProbeQuery['terms'][number]['kind']>; notes: boolean }>();
  for (const i of live) {
    if (i.resource !== 'order' && i.resource !== 'order-notes') continue;
    const kept = byOrder.get(i.resourceId!) ?? { kinds: new Set(), notes: false };
    if (i.resource === 'order-notes') kept.notes = true;
    else for (const kind of RESIDUE_TERM_KINDS) if (i.fields.some(KEPT_BY[kind])) kept.kinds.add(kind);
    byOrder.set(i.resourceId!, kept);
  }
  return [...byOrder]
    .filter(([, k]) => k.notes || k.kinds.size > 0)
    .map(([orderId, k]) => ({ orderId, kinds: [...k.kinds], notes: k.notes }));
}

/**
 * The plugin's SQL search, judged against the plan. A row of one of the subject's orders or of their
 * account is residue unless an unreleased hold keeps what matched there (the held order's field of that
 * kind, its notes, the account kept whole, or Analytics' customer row while a held order keeps that kind). A row elsewhere is residue when the subject's e-mail
 * matched (it can only be theirs); a phone or surname matched on someone else's row is not theirs.
 */
export function judgeProbe(
  result: ResidueProbeResult,
  terms: ResidueProbeQuery['terms'],
  items: readonly ItemRow[],
  customerIds: ReadonlySet<number>,
): Residue[] {
  const live = items.filter((i) => i.action === 'retain' && i.releasedPass === null);
  const orders = new Set(
    items.filter((i) => i.resource === 'order' || i.resource === 'order-notes').map((i) => i.resourceId),
  );
  const keptAccount = new Set(live.filter((i) => i.resource === 'customer').map((i) => i.resourceId));
  const out: Residue[] = [];
  for (const hit of result.hits) {
    const kind = terms[hit.term]?.kind ?? 'email';
    const mineOrder = hit.orderId !== null && orders.has(hit.orderId);
    const mineUser = hit.userId !== null && customerIds.has(hit.userId);
    if (!mineOrder && !mineUser && kind !== 'email') continue;
    if (hit.userId !== null && keptAccount.has(hit.userId) && hit.orderId === null) continue;
    // WooCommerce Analytics refills its customer row from any order it sees again: a held order's kept fields may be there.
    if (hit.table === 'wc_customer_lookup' && live.some((i) => i.resource === 'order' && i.fields.some(KEPT_BY[kind])))
      continue;
    if (hit.orderId !== null) {
      const held = live.filter((i) => i.resourceId === hit.orderId);
      if (hit.table === 'comments' && held.some((i) => i.resource === 'order-notes')) continue;
      if (held.some((i) => i.resource === 'order' && i.fields.some(KEPT_BY[kind]))) continue;
    }
    out.push({
      item:
        hit.orderId !== null
          ? `order-${hit.orderId}`
          : hit.userId !== null
            ? `customer-${hit.userId}`
            : `db:${hit.table}`,
      field: `${hit.table}.${hit.column}`,
      reason: `sql:${kind}`,
    });
  }
  if (result.truncated) out.push({ item: 'db', reason: 'sql:truncated' });
  return out;
}
