import type { ItemRow } from './dsr-store.js';
import type { WooOrder } from '../woocommerce/index.js';
import { planOrder, type PlanItem, type PlanOptions } from './erasure-plan.js';

/** The held orders (and their notes) to read again from the shop before deciding: accounts and bookings are decided without it. */
export const heldOrders = (retained: readonly ItemRow[]) =>
  retained.filter((i) => i.resource !== 'customer' && i.resource !== 'booking').map((i) => i.resourceId!);

/**
 * One request's held items whose hold is due, decided for erasure pass `pass`, purely: an account or
 * booking with a known end is erased; an order is planned again on the shop's current data (`fresh`) —
 * still held as before it stays, gone from the shop it is released with nothing to do, otherwise its
 * new plan (limited to the fields that were held) joins the pass. An account kept only for orders that
 * are all released now goes too. `released` names the items the pass takes over; `next` is its plan.
 */
export function releaseHolds(
  retained: readonly ItemRow[],
  fresh: ReadonlyMap<number, WooOrder>,
  pass: number,
  opts: PlanOptions,
): { next: PlanItem[]; released: string[] } {
  const next: PlanItem[] = [];
  const released: string[] = [];
  const eraseWhole = (item: ItemRow) => {
    next.push({ ...item, item: `${item.item}@${pass}`, action: 'erase', hold: null, until: null, fingerprints: {} });
    released.push(item.item);
  };
  for (const item of retained) {
    if (item.resource === 'customer' || item.resource === 'booking') {
      if (item.until !== null) eraseWhole(item); // else: an account kept for an open order, released with the order
      continue;
    }
    const order = fresh.get(item.resourceId!);
    if (!order) {
      released.push(item.item);
      continue;
    } // deleted in the shop meanwhile
    const replanned = planOrder(order, [], opts).filter(
      (p) =>
        p.fields.some((f) => item.fields.includes(f)) ||
        (item.resource === 'order-notes' && p.resource === 'order-notes'),
    );
    if (replanned.some((p) => p.action === 'retain' && p.hold === item.hold && p.until === item.until)) continue; // still held as before
    released.push(item.item);
    for (const p of replanned)
      next.push({
        ...p,
        item: `${p.item}@${pass}`,
        fields: p.resource === 'order-notes' ? p.fields : p.fields.filter((f) => item.fields.includes(f)),
      });
  }
  const accountHeld = retained.find((i) => i.resource === 'customer' && i.until === null);
  if (accountHeld && released.length === retained.length - 1) eraseWhole(accountHeld);
  return { next, released };
}
