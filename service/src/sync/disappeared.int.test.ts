import { syncHarness } from '../testing/sync-harness.js';
import { seedDemoStore } from '../woocommerce/double/woo-double-data.js';
import { disappearedJob } from './jobs/disappeared.job.js';
import { reconcileJob } from './jobs/reconcile.job.js';

/** Issue 20 item 10 and 14 (deleted customer's orders): what was deleted while no webhook said so. */
describe('resources deleted outright', () => {
  let s: Awaited<ReturnType<typeof syncHarness>>;
  afterEach(() => s.close());

  it("records orders and a customer deleted with webhooks down, re-syncs the customer's orders as guest orders, and finds nothing the second time", async () => {
    s = await syncHarness({ deliver: false });
    seedDemoStore(s.double.store, { customers: 5, orders: 40, guestShare: 0 });
    const deps = { woo: s.woo, sync: s.sync, state: s.state };
    await reconcileJob.handle(
      { customers: true },
      { ...deps, overlapSeconds: 300, now: () => new Date() },
      { log: s.logs.log, attempt: 1 },
    );
    const orders = [...s.double.store.orders.values()];
    const customerId = orders[0]!.customer_id;
    const theirs = orders.filter((o) => o.customer_id === customerId).map((o) => o.id);
    const gone = orders
      .filter((o) => o.customer_id !== customerId)
      .slice(0, 2)
      .map((o) => o.id);
    const accountKeys = async (id: number) =>
      (await s.entries()).filter((e) => e.source === `order-${id}` && e.key.includes('/account/')).map((e) => e.key);
    const before = await accountKeys(theirs[0]!);

    for (const id of gone) s.double.store.deleteOrder(id); // force=true: WooCommerce sends no webhook
    s.double.store.deleteCustomer(customerId);
    const found = await disappearedJob.handle({}, deps, { log: s.logs.log, attempt: 1 });
    expect(found).toEqual({ order: 2, customer: 1 });
    const entries = await s.entries();
    expect(
      entries
        .filter((e) => e.kind === 'order.deleted')
        .map((e) => JSON.parse(e.detail!).id)
        .sort(),
    ).toEqual([...gone].sort());
    expect(entries.filter((e) => e.kind === 'customer.deleted').map((e) => JSON.parse(e.detail!).id)).toEqual([
      customerId,
    ]);
    // Their orders are guest orders now (customer_id 0): recorded again, without waiting for a webhook or a reconcile.
    expect((await accountKeys(theirs[0]!)).length).toBe(before.length + 1);
    expect(await disappearedJob.handle({}, deps, { log: s.logs.log, attempt: 1 })).toEqual({ order: 0, customer: 0 });
  });
});
