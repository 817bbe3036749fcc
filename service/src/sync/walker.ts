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

type Order = Parameters<SyncService['applyOrder']>[0];
type Fetched = { items: Order[]; total: number; notes: Map<number, unknown[]> };

/**
 * Walks orders by `modified_after` (GMT), oldest change first, with a keyset cursor instead of page
 * offsets: a page offset skips rows when the set shifts under it, a cursor on the modification time
 * cannot. The checkpoint is saved after every page, so a crash or Ctrl-C resumes where it stopped.
 * The next page (and its notes) is fetched while the current one is recorded: the store and the
 * ledger work at the same time, and the checkpoint still only moves past committed pages.
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
  const concurrency = options.concurrency ?? 8;
  const fetchPage = async (c: Checkpoint): Promise<Fetched> => {
    const page = await deps.woo.page<Order>('orders', {
      modified_after: c.cursor, dates_are_gmt: true, orderby: 'modified', order: 'asc', status: ORDER_STATUSES, page: c.page,
    });
    // The page already holds each order; only its notes need a request of their own.
    return { items: page.items, total: page.total, notes: await deps.sync.notesOf(page.items, concurrency) };
  };
  let pending: Promise<Fetched> | null = options.shouldStop?.() ? null : fetchPage(at);
  while (pending) {
    const page = await pending;
    pending = null;
    if (progress.total === 0) progress.total = page.total;
    const next = nextCheckpoint(at, page.items);
    if (next && !options.shouldStop?.()) {
      pending = fetchPage(next);
      pending.catch(() => undefined); // awaited on the next turn; a stop must not leave it unhandled
    }
    const outcomes = await deps.sync.applyPage(page.items, concurrency, page.notes);
    progress.seen += page.items.length;
    progress.recorded += outcomes.filter((o) => o === 'recorded' || o === 'deleted').length;
    at = next ?? finalCheckpoint(at, page.items);
    await deps.state.setCursor(options.checkpointName, JSON.stringify(at), deps.now());
    progress.cursor = at.cursor;
    options.onProgress?.(progress);
    if (!next) return { ...progress, finished: true };
    if (options.shouldStop?.()) break;
  }
  return { ...progress, finished: false };
}

/** Where the walk goes after a full page; null after the last (short) page. */
function nextCheckpoint(at: Checkpoint, items: readonly Order[]): Checkpoint | null {
  if (items.length < PER_PAGE) return null;
  // Just before the last change seen (changes in the same second are seen again, harmlessly).
  const next = minusSeconds(String(items.at(-1)!.date_modified_gmt), 1);
  return next > at.cursor ? { cursor: next, page: 1 } : { cursor: at.cursor, page: at.page + 1 };
}

/** The checkpoint saved after the last page: the next walk starts just before the newest change. */
function finalCheckpoint(at: Checkpoint, items: readonly Order[]): Checkpoint {
  const last = items.at(-1)?.date_modified_gmt;
  return last ? { cursor: minusSeconds(String(last), 1), page: 1 } : at;
}

/** Customers have no `modified_after` (WooCommerce ignores it): walk them all; unchanged ones cost a lookup. */
export async function walkCustomers(deps: { woo: WooClient; sync: SyncService }): Promise<number> {
  let recorded = 0;
  for await (const items of deps.woo.pages<Parameters<SyncService['applyCustomer']>[0]>('customers', { role: 'all', orderby: 'id', order: 'asc' })) {
    for (const c of items) if ((await deps.sync.applyCustomer(c)) === 'recorded') recorded++;
  }
  return recorded;
}
