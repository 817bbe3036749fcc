// The request figures of `npm run bench -- dsr`: one erasure of a customer with 100 orders, end to end
// through the composed service, next to a bare REST walk and update of the same orders on an identical
// store; then 100 requests submitted at once through POST /v1/requests and driven to the end.
import type { DsrRow } from '../../service/src/dsr/dsr-store.js';
import { createLogger } from '../../service/src/platform/log/logger.js';
import { sensitive } from '../../service/src/platform/sensitive.js';
import {
  addBookingOrder,
  addCustomer,
  createWooDouble,
  DEFAULT_KEY,
  prng,
  seedHeavyCustomer,
  syntheticPerson,
  type WooStore,
} from '../../service/src/woocommerce/double/index.js';
import { WooClient } from '../../service/src/woocommerce/index.js';
import { round, type Figure } from './bench-format.js';
import { scaled, timed, type BenchContext } from './benchmark.js';
import { dsrService, verified } from './dsr-service.js';

const CONCURRENCY = 4; // WOOCOMMERCE_CONCURRENCY's default
const DONE = ['completed', 'partially_completed'];

/** The bare way: find the customer, page their orders, read each order's notes, overwrite each order's billing with placeholders. */
async function bareWalkAndUpdate(url: string, email: string): Promise<number> {
  const woo = new WooClient(
    {
      url,
      consumerKey: sensitive(DEFAULT_KEY.consumerKey),
      consumerSecret: sensitive(DEFAULT_KEY.consumerSecret),
      concurrency: CONCURRENCY,
    },
    createLogger({ level: 'silent' }),
  );
  const [customer] = await woo.get<{ id: number }[]>('customers', { email, role: 'all' });
  const ids: number[] = [];
  for await (const page of woo.pages<{ id: number }>('orders', { customer: customer!.id, status: 'any' }))
    ids.push(...page.map((o) => o.id));
  await Promise.all(
    ids.map(async (id) => {
      await woo.get(`orders/${id}/notes`);
      await woo.put(`orders/${id}`, {
        billing: {
          first_name: '[deleted]',
          last_name: '[deleted]',
          email: 'deleted@site.invalid',
          phone: '+000 00 000 0000',
        },
      });
    }),
  );
  return ids.length;
}

/** `count` customers with three past, paid session orders each (the concurrency test's shop). */
function seedPeople(store: WooStore, count: number) {
  const r = prng(5);
  return Array.from({ length: count }, (_, i) => {
    const c = addCustomer(store, syntheticPerson(r, 5000 + i), '2026-01-01T09:00:00');
    for (let k = 0; k < 3; k++)
      addBookingOrder(store, r, {
        customerId: c.id,
        billing: c.billing,
        created: Date.parse('2026-02-01T09:00:00Z') + k * 86_400_000,
        status: 'completed',
      });
    return c;
  });
}

const describe = (rows: readonly DsrRow[]) => {
  const by = new Map<string, number>();
  for (const r of rows) {
    const key = r.stuckStep ? `${r.status} stuck at ${r.stuckStep} (${r.stuckReason})` : r.status;
    by.set(key, (by.get(key) ?? 0) + 1);
  }
  return [...by].map(([k, n]) => `${n} ${k}`).join(', ');
};

export async function requestFigures(ctx: BenchContext): Promise<{ figures: Figure[]; notes: string[] }> {
  const orders = scaled(ctx, 100, 10);
  const people = scaled(ctx, 100, 10);
  const figures: Figure[] = [];
  const notes: string[] = [];

  // Baseline first, on its own identical store, so the erasure below runs on a warm JIT as the export does.
  const bare = createWooDouble();
  const bareCustomer = seedHeavyCustomer(bare.store, { orders, notes: orders * 2 });
  const bareServer = await bare.listen(0);
  const baseline = await timed(() => bareWalkAndUpdate(bareServer.url, bareCustomer.email)).finally(() =>
    bareServer.close(),
  );

  const double = createWooDouble();
  const heavy = seedHeavyCustomer(double.store, { orders, notes: orders * 2 });
  const crowd = seedPeople(double.store, people);
  const wooServer = await double.listen(0);
  const service = await dsrService(double, wooServer.url, CONCURRENCY);
  try {
    await service.syncIdle(120_000); // the first reconciliation puts the shop into the ledger, as in production
    ctx.log(`erasing a customer with ${orders} orders and ${orders * 2} notes through POST /v1/requests`);
    const erasure = await timed(async () => {
      const { id } = await service.submit({ kind: 'erasure', email: heavy.email, identity: verified });
      if (!id) throw new Error('the erasure request was not accepted');
      return (await service.settle([id], 120_000))[0]!;
    });
    if (!DONE.includes(erasure.result.status))
      notes.push(`erasure_100_orders_s: the request ended ${describe([erasure.result])}, not completed`);
    figures.push({
      key: 'erasure_100_orders_s',
      value: round(erasure.seconds, 2),
      unit: 's',
      baseline: round(baseline.seconds, 2),
      target: { max: 10 },
    });
    notes.push(
      `erasure_100_orders_s: wall time from the signed POST /v1/requests until the request reached ${erasure.result.status} — plan → execute (the plugin connector: DSR_VIA_PLUGIN=true, one signed erase command per 100 orders to a plugin stand-in that changes the double's store as WooCommerce's anonymiser would) → shred → residue check (REST reads of every order, searches by e-mail, phone and name) → receipt stored, its hash ledgered as the certificate and its push to WordPress queued; ${orders} orders, ${orders * 2} notes`,
    );
    notes.push(
      `erasure baseline: a bare REST walk and update of the same ${baseline.result} orders on an identical double (customer lookup, order pages, one notes read and one billing PUT per order, ${CONCURRENCY} in flight), through the same WooClient`,
    );

    ctx.log(`submitting ${people} requests at once (half access, half erasure)`);
    const concurrent = await timed(async () => {
      const answers = await Promise.all(
        crowd.map((c, i) => service.submit({ kind: i % 2 ? 'erasure' : 'access', email: c.email, identity: verified })),
      );
      const ids = answers.flatMap((a) => (a.id ? [a.id] : []));
      return { rejected: answers.length - ids.length, rows: await service.settle(ids, 240_000) };
    });
    const { rejected, rows } = concurrent.result;
    const unfinished = rows.filter((r) => !DONE.includes(r.status) || r.stuckStep).length;
    const failedJobs = await service.failedJobs();
    figures.push({
      key: 'concurrent_100_requests_errors',
      value: rejected + unfinished,
      unit: 'requests',
      baseline: null,
      target: { max: 1 },
    });
    notes.push(
      `concurrent_100_requests_errors: ${people} signed POST /v1/requests sent at once (${people / 2} access, ${people / 2} erasure, different customers with 3 orders each); target 0 (printed as < 1); counts requests not accepted (${rejected}) plus requests not completed or partially completed within 240 s (${unfinished}); they ended ${describe(rows)} after ${round(concurrent.seconds, 1)} s; failed BullMQ jobs in dsr and delivery: ${failedJobs}; pushes to the plugin: ${service.pushes()}`,
    );
  } finally {
    await service.close();
    await wooServer.close();
  }
  return { figures, notes };
}
