import { syncHarness } from '../testing/sync-harness.js';
import { seedDemoStore } from '../woocommerce/double/woo-double-data.js';
import { walkOrders, type WalkProgress } from './walker.js';

/** Issue 20 item 14: the backfill's progress never shows more seen than its total (`1000/998`). */
describe('walk progress', () => {
  let s: Awaited<ReturnType<typeof syncHarness>>;
  afterEach(() => s.close());

  it('counts orders changed during the walk, which are listed again, into the total', async () => {
    s = await syncHarness({ deliver: false });
    seedDemoStore(s.double.store, { customers: 5, orders: 250 });
    const first = [...s.double.store.orders.values()].slice(0, 30).map((o) => o.id);
    const seen: WalkProgress[] = [];
    const result = await walkOrders(
      { woo: s.woo, sync: s.sync, state: s.state, now: () => new Date() },
      {
        checkpointName: 'test:progress',
        onProgress: (p) => {
          seen.push({ ...p });
          // Orders already walked change meanwhile: the walk meets them again at its end.
          if (seen.length === 1)
            for (const id of first) s.double.store.updateOrder(id, { customer_note: 'Ndryshuar gjatë kalimit' });
        },
      },
    );
    expect(result.finished).toBe(true);
    expect(result.seen).toBeGreaterThan(250);
    expect(seen.every((p) => p.seen <= p.total)).toBe(true);
    expect(seen.at(-1)).toMatchObject({ seen: result.seen, total: result.seen });
  });
});
