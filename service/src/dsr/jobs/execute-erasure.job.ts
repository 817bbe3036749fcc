import type { EraseCommand } from '../../../../shared/src/contracts/dsr.js';
import { defineJob } from '../../platform/queue/define-job.js';
import type { ItemRow } from '../dsr-store.js';
import type { DsrService } from '../dsr.service.js';
import { StepPayload } from '../flows.js';
import { runStep, type StepDeps, type DsrJobDeps } from './step.js';

const CHUNK = 100;

/** What the erase command does to one order: its anonymise item's fields, split by kind, and its notes. */
function orderCommand(id: number, items: readonly ItemRow[], holds: Holds): EraseCommand['orders'][number] {
  const fields = items.filter((i) => i.action === 'anonymise').flatMap((i) => i.fields);
  const metaKey = (f: string, prefix: string) => (f.startsWith(prefix) ? f.slice(prefix.length, -1) : null);
  return {
    id,
    anonymise: fields.filter((f) => !f.includes('meta_data[')) as EraseCommand['orders'][number]['anonymise'],
    deleteMetaKeys: fields.map((f) => metaKey(f, 'meta_data[')).filter((k): k is string => k !== null),
    deleteItemMetaKeys: fields
      .map((f) => metaKey(f, 'line_items[*].meta_data['))
      .filter((k): k is string => k !== null),
    deleteNotes: items.some((i) => i.resource === 'order-notes' && i.action === 'erase'),
    ...(holds.get(id)?.length ? { holds: holds.get(id) } : {}),
  };
}

type Holds = Map<number, NonNullable<EraseCommand['orders'][number]['holds']>>;

/** Each order's holds still in force for the request (any pass, not released), one per hold id, the latest end. */
export function holdsByOrder(items: readonly ItemRow[]): Holds {
  const out: Holds = new Map();
  for (const i of items) {
    if (i.action !== 'retain' || i.releasedPass !== null || !i.hold || !i.resourceId) continue;
    if (i.resource !== 'order' && i.resource !== 'order-notes') continue;
    const list = out.get(i.resourceId) ?? [];
    const same = list.find((h) => h.id === i.hold);
    if (!same) list.push({ id: i.hold, until: i.until });
    else if (same.until !== null && (i.until === null || i.until > same.until)) same.until = i.until;
    out.set(i.resourceId, list);
  }
  for (const list of out.values()) list.sort((a, b) => a.id.localeCompare(b.id));
  return out;
}

type Needs = StepDeps & Pick<DsrJobDeps, 'connector' | 'clock'> & { dsr: Pick<DsrService, 'email'> };

/**
 * Erasure, step 2: carries the plan out in WooCommerce, a chunk of orders per command; each chunk's
 * items are marked done with the connector's answer, so a crash resumes at the first unfinished chunk.
 */
export const executeErasureJob = defineJob({
  name: 'dsr.execute-erasure',
  payload: StepPayload,
  handle: (payload, deps: Needs, ctx) =>
    runStep('execute-erasure', payload, deps, ctx, async (row) => {
      const connector = deps.connector();
      const items = await deps.store.items(row.id, payload.pass);
      const pending = items.filter((i) => i.action !== 'retain' && !i.doneAt);
      const byOrder = new Map<number, ItemRow[]>();
      for (const i of pending)
        if ((i.resource === 'order' || i.resource === 'order-notes') && i.resourceId)
          byOrder.set(i.resourceId, [...(byOrder.get(i.resourceId) ?? []), i]);
      const holds = holdsByOrder(await deps.store.items(row.id));
      // A held order with nothing left to change is still sent (first round only), so it says on itself why it is kept.
      if (payload.round === 0) for (const id of holds.keys()) if (!byOrder.has(id)) byOrder.set(id, []);
      const ids = [...byOrder.keys()];
      const totals = { orders: 0, notesDeleted: 0, unchangeable: 0, account: 'none', bookings: 0 };
      const emailForReviews = pending.some((i) => i.resource === 'reviews') ? deps.dsr.email(row).reveal() : null;
      const others = pending.filter(
        (i) => i.resource === 'customer' || i.resource === 'booking' || i.resource === 'reviews',
      );
      // A re-check round erases again only what the residue check flagged; with nothing flagged there is no command to send.
      if (payload.round > 0 && ids.length === 0 && others.length === 0)
        return { connector: connector.id, ...totals, round: payload.round };
      for (let n = 0; n === 0 || n < ids.length; n += CHUNK) {
        const chunk = ids.slice(n, n + CHUNK);
        const last = n + CHUNK >= ids.length;
        const account = last ? others.find((i) => i.resource === 'customer') : undefined;
        const command: EraseCommand = {
          requestId: row.id,
          pass: payload.pass,
          orders: chunk.map((id) => orderCommand(id, byOrder.get(id)!, holds)),
          deleteAccount: account?.resourceId ? { customerId: account.resourceId } : null,
          deleteBookings: last
            ? others.filter((i) => i.resource === 'booking' && i.resourceId).map((i) => i.resourceId!)
            : [],
          reviewsByEmail: last ? emailForReviews : null,
        };
        const result = await connector.erase(command, payload.round);
        const done: { item: string; result: Record<string, unknown> }[] = [];
        for (const o of result.orders) {
          totals.orders++;
          totals.notesDeleted += o.notesDeleted;
          totals.unchangeable += o.unchangeable.length;
          for (const i of byOrder.get(o.id) ?? [])
            done.push({
              item: i.item,
              result: { outcome: o.outcome, unchangeable: o.unchangeable, notesDeleted: o.notesDeleted },
            });
        }
        if (last) {
          totals.account = result.account?.outcome ?? 'none';
          totals.bookings = command.deleteBookings.length;
          for (const i of others)
            done.push({
              item: i.item,
              result: {
                outcome:
                  i.resource === 'reviews'
                    ? result.reviewsDeleted === null
                      ? 'not-supported'
                      : 'done'
                    : i.resource === 'customer'
                      ? (result.account?.outcome ?? 'done')
                      : 'done',
                ...(i.resource === 'reviews' ? { deleted: result.reviewsDeleted } : {}),
              },
            });
        }
        await deps.store.markItems(row.id, done, deps.clock.now().toISOString());
        if (last) break;
      }
      return { connector: connector.id, ...totals };
    }),
});
