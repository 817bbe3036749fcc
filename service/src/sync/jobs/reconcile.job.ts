import { z } from 'zod';
import { defineJob } from '../../platform/queue/define-job.js';
import type { WooClient } from '../../woocommerce/index.js';
import type { SyncService } from '../sync.service.js';
import type { SyncState } from '../sync-state.js';
import { walkCustomers, walkOrders, type Checkpoint } from '../walker.js';

export const RECONCILE_CURSOR = 'reconcile:orders';

export type ReconcileDeps = {
  woo: WooClient;
  sync: SyncService;
  state: SyncState;
  overlapSeconds: number;
  now: () => Date;
};

/**
 * The truth behind the webhooks: walks every order changed since the stored watermark (minus an
 * overlap window), then every customer, then bookings when the store has WooCommerce Bookings.
 */
export const reconcileJob = defineJob({
  name: 'sync.reconcile',
  payload: z.object({ customers: z.boolean().default(true) }).strict(),
  options: { attempts: 3, backoff: { type: 'exponential', delay: 30_000 }, removeOnComplete: 50, removeOnFail: 50 },
  async handle({ customers }, deps: ReconcileDeps, { log }) {
    const saved = await deps.state.cursor(RECONCILE_CURSOR);
    if (saved) {
      const at = JSON.parse(saved) as Checkpoint;
      const back = new Date(Date.parse(`${at.cursor}Z`) - deps.overlapSeconds * 1000).toISOString().slice(0, 19);
      await deps.state.setCursor(RECONCILE_CURSOR, JSON.stringify({ cursor: back, page: 1 }), deps.now());
    }
    const orders = await walkOrders(deps, { checkpointName: RECONCILE_CURSOR });
    const customersRecorded = customers ? await walkCustomers(deps) : 0;
    const bookings = await walkBookings(deps);
    log.info({ ordersSeen: orders.seen, ordersRecorded: orders.recorded, customersRecorded, bookings }, 'reconciled');
    return { ordersSeen: orders.seen, ordersRecorded: orders.recorded, customersRecorded, bookings };
  },
});

/** WooCommerce Bookings, when installed (`wc-bookings/v1`); a store without it answers 404 rest_no_route. */
async function walkBookings(deps: ReconcileDeps): Promise<number | 'absent'> {
  let recorded = 0;
  try {
    for await (const items of deps.woo.pages<Parameters<SyncService['applyBooking']>[0]>(
      'bookings',
      {},
      'wc-bookings/v1',
    )) {
      for (const b of items) if ((await deps.sync.applyBooking(b)) === 'recorded') recorded++;
    }
  } catch (err) {
    if ((err as { code?: string }).code === 'WOO_NOT_FOUND') return 'absent';
    throw err;
  }
  return recorded;
}
