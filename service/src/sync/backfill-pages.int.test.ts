import { loadPolicy } from '../../../shared/src/policy/index.js';
import { sensitive } from '../platform/sensitive.js';
import { captureLogs } from '../testing/log-capture.js';
import { seedDemoStore } from '../woocommerce/double/woo-double-data.js';
import { createWooDouble, DEFAULT_KEY } from '../woocommerce/double/woo-double.js';
import { WooClient } from '../woocommerce/index.js';
import { keyedDigests, pagesFromWorker } from './backfill-pages.js';
import { fetchOrderPage, orderPages, startCheckpoint, type OrderPage } from './order-pages.js';
import { prepareListed } from './order-plan.js';

/** The backfill's page worker against the double over HTTP: the same pages, prepared the same, as this thread makes them. */
describe('backfill page worker', () => {
  const logs = captureLogs('warn');
  const pepper = Buffer.alloc(32, 7);
  const settings = { timeZone: 'Europe/Tirane', sessionMinutes: 60 };

  const collect = async (pages: AsyncIterable<OrderPage>) => {
    const out: OrderPage[] = [];
    for await (const p of pages) out.push(p);
    return out;
  };

  it.each([true, false])("yields the in-thread walk's pages (notes %s), then ends the worker", async (withNotes) => {
    const double = createWooDouble({ deliverWebhooks: false });
    seedDemoStore(double.store, { orders: 250, customers: 20 });
    const server = await double.listen(0);
    try {
      const woo = new WooClient(
        {
          url: server.url,
          consumerKey: sensitive(DEFAULT_KEY.consumerKey),
          consumerSecret: sensitive(DEFAULT_KEY.consumerSecret),
        },
        logs.log,
      );
      const notes = { fetch: withNotes, concurrency: 4 };
      const ctx = { policy: loadPolicy(), ...settings, ...keyedDigests(pepper) };
      const here = await collect(
        orderPages(
          (c) => fetchOrderPage(woo, c, notes),
          (o, n) => prepareListed(ctx, o, n),
          startCheckpoint(),
        ),
      );
      const source = pagesFromWorker({
        woo: { url: server.url, consumerKey: DEFAULT_KEY.consumerKey, consumerSecret: DEFAULT_KEY.consumerSecret },
        pepper,
        ...settings,
        notes,
        lookahead: 1,
      });
      const there = await collect(source!(startCheckpoint()));
      expect(there).toEqual(here);
      expect(there.reduce((n, p) => n + p.items.length, 0)).toBeGreaterThanOrEqual(250);
      expect(there.at(-1)?.last).toBe(true);
      expect(
        there
          .flatMap((p) => p.items)
          .some((o) =>
            o.held.some((h) =>
              (JSON.parse(h.detail) as { fields: string[] }).fields.some((f) => f.startsWith('notes')),
            ),
          ),
      ).toBe(withNotes);
    } finally {
      await server.close();
    }
  });

  it('stops the worker when the walk stops early, and surfaces its errors by code', async () => {
    const double = createWooDouble({ deliverWebhooks: false });
    seedDemoStore(double.store, { orders: 250, customers: 5 });
    const server = await double.listen(0);
    try {
      const task = { pepper, ...settings, notes: { fetch: false, concurrency: 1 }, lookahead: 1 };
      for await (const page of pagesFromWorker({
        ...task,
        woo: { url: server.url, consumerKey: DEFAULT_KEY.consumerKey, consumerSecret: DEFAULT_KEY.consumerSecret },
      })!(startCheckpoint())) {
        expect(page.items).toHaveLength(100);
        break;
      }
      const wrong = pagesFromWorker({
        ...task,
        woo: {
          url: server.url,
          consumerKey: DEFAULT_KEY.consumerKey,
          consumerSecret: 'cs_wrong000000000000000000000000000000000001',
        },
      })!;
      await expect(collect(wrong(startCheckpoint()))).rejects.toMatchObject({ code: 'WOO_AUTH_FAILED' });
    } finally {
      await server.close();
    }
  });
});
