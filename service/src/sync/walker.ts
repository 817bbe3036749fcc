import type { WooClient } from '../woocommerce/index.js';
import { fetchOrderPage, orderPages, startCheckpoint, type Checkpoint, type OrderPage } from './order-pages.js';
import type { SyncService } from './sync.service.js';
import type { SyncState } from './sync-state.js';

export { ORDER_STATUSES, type Checkpoint, type OrderPage } from './order-pages.js';

export type WalkProgress = { seen: number; total: number; recorded: number; cursor: string };

/** Where the prepared pages of a walk come from: by default this thread fetches and prepares them itself. */
export type PageSource = (start: Checkpoint) => AsyncIterable<OrderPage>;

/**
 * Walks orders by `modified_after` (GMT), oldest change first, with a keyset cursor instead of page
 * offsets: a page offset skips rows when the set shifts under it, a cursor on the modification time
 * cannot. The checkpoint is saved after every committed page, so a crash or Ctrl-C resumes where it
 * stopped. Pages are fetched ahead (order-pages.ts), by `pages` when given (the backfill's worker thread).
 */
export async function walkOrders(
  deps: { woo: WooClient; sync: SyncService; state: SyncState; now: () => Date },
  options: {
    checkpointName: string;
    since?: string;
    concurrency?: number;
    pages?: PageSource;
    onProgress?(p: WalkProgress): void;
    shouldStop?(): boolean;
  },
): Promise<WalkProgress & { finished: boolean }> {
  const saved = await deps.state.cursor(options.checkpointName);
  const start: Checkpoint = saved ? (JSON.parse(saved) as Checkpoint) : startCheckpoint(options.since);
  const progress: WalkProgress = { seen: 0, total: 0, recorded: 0, cursor: start.cursor };
  if (options.shouldStop?.()) return { ...progress, finished: false };
  const notes = { fetch: deps.sync.fetchesNotes, concurrency: options.concurrency ?? 8 };
  const pages =
    options.pages ??
    ((at: Checkpoint) =>
      orderPages(
        (c) => fetchOrderPage(deps.woo, c, notes),
        (o, n) => deps.sync.prepare(o, n),
        at,
      ));
  // Two pages in flight at most: a page is planned and sealed while the ledger still writes the one
  // before (on its writer thread); pages finish — checkpoint, progress — strictly in order.
  let previous: Promise<void> = Promise.resolve();
  let previousIds: ReadonlySet<number> = new Set();
  let finished = false;
  for await (const page of pages(start)) {
    if (progress.total === 0) progress.total = page.total;
    // An order listed again (changes in the same second are) is planned from the state its last page wrote.
    if (page.items.some((o) => previousIds.has(o.id))) await previous;
    const applied = deps.sync.applyPage(page.items);
    const after = previous;
    const done = (async () => {
      const outcomes = await applied;
      await after;
      progress.seen += page.items.length;
      // The first page's total counts what was there then; orders changed during the walk are listed again.
      progress.total = Math.max(progress.total, progress.seen);
      progress.recorded += outcomes.filter((o) => o === 'recorded' || o === 'deleted').length;
      await deps.state.setCursor(options.checkpointName, JSON.stringify(page.after), deps.now());
      progress.cursor = page.after.cursor;
      options.onProgress?.(progress);
    })();
    done.catch(() => undefined); // awaited on the next page or below; a failure must not go unhandled meanwhile
    await after; // the page before this one has finished before the next is taken
    [previous, previousIds] = [done, new Set(page.items.map((o) => o.id))];
    if (page.last) finished = true;
    if (page.last || options.shouldStop?.()) break;
  }
  await previous;
  return { ...progress, finished };
}

/** Customers have no `modified_after` (WooCommerce ignores it): walk them all; unchanged ones cost a lookup. */
export async function walkCustomers(deps: { woo: WooClient; sync: SyncService }): Promise<number> {
  let recorded = 0;
  for await (const items of deps.woo.pages<Parameters<SyncService['applyCustomer']>[0]>('customers', {
    role: 'all',
    orderby: 'id',
    order: 'asc',
  })) {
    for (const c of items) if ((await deps.sync.applyCustomer(c)) === 'recorded') recorded++;
  }
  return recorded;
}
