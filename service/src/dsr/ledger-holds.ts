import type { RetainCandidate, Retention } from '../ledger/index.js';
import { APPOINTMENT } from '../sync/index.js';
import type { ItemRow } from './dsr-store.js';

/**
 * What the erasure plan keeps, as the ledger keeps it (pure): each retained item is a hold of the ledger,
 * labelled by the request and the item (ids only), and keeps of the subject's ledger entries what it keeps
 * in the shop: an account's or a booking's entries whole; an order's entries, the fields it holds (a
 * notes item, the notes); an order's appointments, when it holds its booking meta. The shred re-seals
 * those under the holds' keys before it destroys the subject's, and destroys a hold's key when it is released.
 */
export const holdLabel = (item: Pick<ItemRow, 'requestId' | 'item'>) => `${item.requestId}/${item.item}`;

/** The items still kept (retained, not released by any pass). */
export const stillHeld = (items: readonly ItemRow[]) =>
  items.filter((i) => i.action === 'retain' && i.releasedPass === null);

/** The items the hold release handed to this pass: their holds end with it. */
export const releasedIn = (items: readonly ItemRow[], pass: number) =>
  items.filter((i) => i.action === 'retain' && i.releasedPass === pass);

/** `line_items[0].meta_data[Ora]` as the plan names it: `line_items[*].meta_data[Ora]`. */
const generic = (field: string) => field.replace(/\[\d+\]/g, '[*]');

function keeps(item: ItemRow, e: RetainCandidate): Retention['keep'] | null {
  const id = item.resourceId;
  if (item.resource === 'customer') return e.source === `customer-${id}` ? 'all' : null;
  if (item.resource === 'booking') return e.source === `booking-${id}` ? 'all' : null;
  if (item.resource === 'order-notes') return e.source === `order-${id}` ? (f) => f.startsWith('notes[') : null;
  if (item.resource !== 'order') return null;
  if (e.kind === APPOINTMENT)
    return e.detail?.orderId === id && item.fields.some((f) => f.startsWith('line_items[*].meta_data[')) ? 'all' : null;
  if (e.source !== `order-${id}`) return null;
  const held = new Set(item.fields);
  return (f) => held.has(generic(f));
}

/** For Ledger.retain: the holds (of `retained`) that keep an entry, and what of it. */
export function retentionsOf(retained: readonly ItemRow[]): (e: RetainCandidate) => Retention[] {
  return (e) =>
    retained.flatMap((item) => {
      const keep = keeps(item, e);
      return keep === null ? [] : [{ hold: holdLabel(item), keep }];
    });
}
