import { ordersModifiedAfter } from './woo-order-pages.js';
import { prng, seedDemoStore } from './woo-double-data.js';
import { WooStore } from './woo-store.js';

describe('ordersModifiedAfter (the per-status index behind the sync walk)', () => {
  it('lists what filtering every order by status and modified_after lists, in the same order, with the same total', () => {
    const store = new WooStore(() => Date.parse('2026-06-01T00:00:00Z'));
    seedDemoStore(store, { customers: 20, orders: 400, spanDays: 3 });
    const r = prng(7);
    const ids = [...store.orders.keys()];
    // Ties on the modification second, status changes and trash: the merge must break ties by id.
    for (let i = 0; i < 120; i++) {
      const id = ids[Math.floor(r() * ids.length)]!;
      store.updateOrder(
        id,
        { status: ['completed', 'cancelled', 'on-hold'][i % 3]!, modified: '2026-05-30 12:00:00' },
        { silent: true },
      );
    }
    store.trashOrder(ids[3]!);
    const all = store.sortedOrders('modified', 'asc');
    const bounds = [undefined, all[0]!.modified, '2026-05-30 12:00:00', all[200]!.modified, all.at(-1)!.modified];
    for (const statuses of [['completed'], ['completed', 'cancelled', 'trash'], store.orderStatuses()]) {
      for (const after of bounds) {
        const expected = all.filter((o) => statuses.includes(o.status) && (after === undefined || o.modified > after));
        for (const [offset, limit] of [
          [0, 100],
          [100, 100],
          [37, 10],
          [expected.length, 100],
        ] as const) {
          const got = ordersModifiedAfter(store, statuses, after, offset, limit);
          expect(got.total).toBe(expected.length);
          expect(got.rows.map((o) => o.id)).toEqual(expected.slice(offset, offset + limit).map((o) => o.id));
        }
      }
    }
  });

  it('sees a mutation made after the index was built', () => {
    const store = new WooStore();
    seedDemoStore(store, { customers: 5, orders: 30 });
    const before = ordersModifiedAfter(store, ['refunded'], undefined, 0, 100).total;
    const id = store.sortedOrders('id', 'asc').find((o) => o.status !== 'refunded')!.id;
    store.updateOrder(id, { status: 'refunded' });
    expect(ordersModifiedAfter(store, ['refunded'], undefined, 0, 100).total).toBe(before + 1);
  });
});
