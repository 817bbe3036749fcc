import type { WooClient } from '../woocommerce/index.js';
import { PER_PAGE } from '../woocommerce/index.js';
import type { SyncService } from './sync.service.js';
import type { SyncState } from './sync-state.js';

/** Every order status but checkout drafts; `any` would leave out `trash`. */
export const ORDER_STATUSES = 'pending,processing,on-hold,completed,cancelled,refunded,failed,trash';

export type WalkProgress = { seen: number; total: number; recorded: number; cursor: string };
export type Checkpoint = { cursor: string; page: number };

const EPOCH = '1970-01-01T00:00:00';
const toWoo = (iso: string) => iso.replace(/\.\d+Z?$|Z$/, '').slice(0, 19);
const minusSeconds = (wooDate: string, s: number) => toWoo(new Date(Date.parse(`${wooDate}Z`) - s * 1000).toISOString());

/**
 * Walks orders by `modified_after` (GMT), oldest change first, with a keyset cursor instead of page
 * offsets: a page offset skips rows when the set shifts under it, a cursor on the modification time
 * cannot. The checkpoint is saved after every page, so a crash or Ctrl-C resumes where it stopped.
 */
export async function walkOrders(deps: { woo: WooClient; sync: SyncService; state: SyncState; now: () => Date }, options: {
  checkpointName: string;
  since?: string;
  concurrency?: number;
  onProgress?(p: WalkProgress): void;
  shouldStop?(): boolean;
}): Promise<WalkProgress & { finished: boolean }> {
  const saved = await deps.state.cursor(options.checkpointName);
  let at: Checkpoint = saved ? (JSON.parse(saved) as Checkpoint) : { cursor: toWoo(options.since ?? EPOCH), page: 1 };
  const progress: WalkProgress = { seen: 0, total: 0, recorded: 0, cursor: at.cursor };
  for (;;) {
    if (options.shouldStop?.()) return { ...progress, finished: false };
    const page = await deps.woo.page<Parameters<SyncService['applyOrder']>[0]>('orders', {
      modified_after: at.cursor, dates_are_gmt: true, orderby: 'modified', order: 'asc', status: ORDER_STATUSES, page: at.page,
    });
    if (progress.total === 0) progress.total = page.total;
    // The page already holds each order; only its notes need a request of their own.
    const outcomes = await deps.sync.applyPage(page.items, options.concurrency ?? 8);
    progress.seen += page.items.length;
    progress.recorded += outcomes.filter((o) => o === 'recorded' || o === 'deleted').length;
    if (page.items.length < PER_PAGE) {
      const last = page.items.at(-1)?.date_modified_gmt;
      if (last) at = { cursor: minusSeconds(String(last), 1), page: 1 };
      await deps.state.setCursor(options.checkpointName, JSON.stringify(at), deps.now());
      progress.cursor = at.cursor;
      options.onProgress?.(progress);
      return { ...progress, finished: true };
    }
    // Next cursor: just before the last change seen (changes in the same second are seen again, harmlessly).
    const next = minusSeconds(String(page.items.at(-1)!.date_modified_gmt), 1);
    at = next > at.cursor ? { cursor: next, page: 1 } : { cursor: at.cursor, page: at.page + 1 };
    await deps.state.setCursor(options.checkpointName, JSON.stringify(at), deps.now());
    progress.cursor = at.cursor;
    options.onProgress?.(progress);
  }
}

/** Customers have no `modified_after` (WooCommerce ignores it): walk them all; unchanged ones cost a lookup. */
export async function walkCustomers(deps: { woo: WooClient; sync: SyncService }): Promise<number> {
  let recorded = 0;
  for await (const items of deps.woo.pages<Parameters<SyncService['applyCustomer']>[0]>('customers', { role: 'all', orderby: 'id', order: 'asc' })) {
    for (const c of items) if ((await deps.sync.applyCustomer(c)) === 'recorded') recorded++;
  }
  return recorded;
}
