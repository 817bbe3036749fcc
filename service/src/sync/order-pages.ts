import type { WooClient } from '../woocommerce/index.js';
import { PER_PAGE } from '../woocommerce/index.js';
import type { WooOrder } from '../woocommerce/index.js';
import type { PreparedOrder } from './order-plan.js';

/** Every order status but checkout drafts; `any` would leave out `trash`. */
export const ORDER_STATUSES = 'pending,processing,on-hold,completed,cancelled,refunded,failed,trash';

export type Checkpoint = { cursor: string; page: number };

/** A page of the walk, prepared; `after` is the checkpoint to save once it is committed. */
export type OrderPage = {
  readonly items: readonly PreparedOrder[];
  readonly total: number;
  readonly after: Checkpoint;
  readonly last: boolean;
};

export type FetchedPage = { items: WooOrder[]; total: number; notes: ReadonlyMap<number, unknown[]> };

const toWoo = (iso: string) => iso.replace(/\.\d+Z?$|Z$/, '').slice(0, 19);
const minusSeconds = (wooDate: string, s: number) =>
  toWoo(new Date(Date.parse(`${wooDate}Z`) - s * 1000).toISOString());
export const EPOCH = '1970-01-01T00:00:00';
export const startCheckpoint = (since?: string): Checkpoint => ({ cursor: toWoo(since ?? EPOCH), page: 1 });

/**
 * Each order's notes (personal data: WooCommerce has no bulk read for them, so one request per
 * order), `concurrency` requests at a time at most. Checkout drafts are not synced, so not read.
 */
export async function notesOf(
  woo: WooClient,
  orders: readonly WooOrder[],
  concurrency: number,
): Promise<Map<number, unknown[]>> {
  const out = new Map<number, unknown[]>();
  const todo = orders.filter((o) => o.status !== 'checkout-draft');
  let next = 0;
  const worker = async () => {
    while (next < todo.length) {
      const o = todo[next++]!;
      out.set(o.id, await woo.get<unknown[]>(`orders/${o.id}/notes`));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, todo.length) }, worker));
  return out;
}

/** One page of the keyset walk, oldest change first, with its orders' notes when they are synced. */
export async function fetchOrderPage(
  woo: WooClient,
  c: Checkpoint,
  notes: { fetch: boolean; concurrency: number },
): Promise<FetchedPage> {
  const page = await woo.page<WooOrder>('orders', {
    modified_after: c.cursor,
    dates_are_gmt: true,
    orderby: 'modified',
    order: 'asc',
    status: ORDER_STATUSES,
    page: c.page,
  });
  // The page already holds each order; only its notes need a request of their own.
  return {
    items: page.items,
    total: page.total,
    notes: notes.fetch ? await notesOf(woo, page.items, notes.concurrency) : new Map(),
  };
}

/**
 * The walk from `start`, page by page, each page prepared. The next page (and its notes) is fetched
 * while the consumer records the current one, so the store and the ledger work at the same time;
 * checkpoints only ever describe where to resume once a page is committed.
 */
export async function* orderPages(
  fetchPage: (c: Checkpoint) => Promise<FetchedPage>,
  prepare: (order: WooOrder, notes: unknown[] | undefined) => PreparedOrder,
  start: Checkpoint,
): AsyncGenerator<OrderPage> {
  let at = start;
  let pending: Promise<FetchedPage> | null = fetchPage(at);
  while (pending) {
    const page: FetchedPage = await pending;
    const next = nextCheckpoint(at, page.items);
    pending = next ? fetchPage(next) : null;
    pending?.catch(() => undefined); // awaited on the next turn; a consumer that stops must not leave it unhandled
    const items = page.items.map((o) => prepare(o, page.notes.get(o.id)));
    yield { items, total: page.total, after: next ?? finalCheckpoint(at, page.items), last: next === null };
    if (next) at = next;
  }
}

/** Where the walk goes after a full page; null after the last (short) page. */
function nextCheckpoint(at: Checkpoint, items: readonly WooOrder[]): Checkpoint | null {
  if (items.length < PER_PAGE) return null;
  // Just before the last change seen (changes in the same second are seen again, harmlessly).
  const next = minusSeconds(String(items.at(-1)!.date_modified_gmt), 1);
  return next > at.cursor ? { cursor: next, page: 1 } : { cursor: at.cursor, page: at.page + 1 };
}

/** The checkpoint saved after the last page: the next walk starts just before the newest change. */
function finalCheckpoint(at: Checkpoint, items: readonly WooOrder[]): Checkpoint {
  const last = items.at(-1)?.date_modified_gmt;
  return last ? { cursor: minusSeconds(String(last), 1), page: 1 } : at;
}
