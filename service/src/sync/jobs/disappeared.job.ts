import { z } from 'zod';
import { defineJob } from '../../platform/queue/define-job.js';
import type { WooClient } from '../../woocommerce/index.js';
import { ORDER_STATUSES } from '../order-pages.js';
import type { SyncService } from '../sync.service.js';
import type { SyncState } from '../sync-state.js';

export type DisappearedDeps = { woo: WooClient; sync: SyncService; state: SyncState };

/**
 * Orders and customers deleted outright while webhooks were down (a permanent delete sends no
 * webhook, and a deleted row is in no `modified_after` walk): lists the store's ids only (`_fields=id`,
 * 100 a page), compares them with the ids the ledger knows, page by page, and asks WooCommerce about
 * each one missing — a 404 is recorded as deleted, anything else is synced (it moved while we listed).
 */
export const disappearedJob = defineJob({
  name: 'sync.disappeared',
  payload: z.object({}).strict(),
  options: { attempts: 3, backoff: { type: 'exponential', delay: 60_000 }, removeOnComplete: 20, removeOnFail: 50 },
  async handle(_payload, deps: DisappearedDeps, { log }) {
    const deleted = { order: await disappeared(deps, 'order'), customer: await disappeared(deps, 'customer') };
    if (deleted.order + deleted.customer > 0)
      log.info({ deleted }, 'recorded resources deleted while no webhook said so');
    return deleted;
  },
});

export async function disappeared(deps: DisappearedDeps, resource: 'order' | 'customer'): Promise<number> {
  const params: Record<string, string> =
    resource === 'order'
      ? { status: ORDER_STATUSES, orderby: 'id', order: 'asc', _fields: 'id' }
      : { role: 'all', orderby: 'id', order: 'asc', _fields: 'id' };
  const inStore = new Set<number>(); // ids only: 100,000 orders are ~4 MB here
  for await (const items of deps.woo.pages<{ id: number }>(`${resource}s`, params))
    for (const i of items) inStore.add(i.id);
  let recorded = 0;
  for (let after = 0; ;) {
    const known = await deps.state.liveIds(resource, after, 1_000);
    if (known.length === 0) return recorded;
    for (const id of known) if (!inStore.has(id) && (await deps.sync.sync(resource, id)) === 'deleted') recorded++;
    after = known.at(-1)!;
  }
}
