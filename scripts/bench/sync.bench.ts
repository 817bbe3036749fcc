/**
 * `npm run bench -- sync`: WooCommerce → ledger. Webhook ingest through the real receiver against a
 * bare express route doing the same HMAC check and BullMQ add (then drained by the real sync worker
 * and checked in the ledger), and `privacy-bridge woo backfill` of 100,000 orders from the double —
 * the double and the backfill each in their own process — against the same pages fetched bare.
 */
import { loadConfig } from '../../service/src/config.js';
import { createLogger } from '../../service/src/platform/log/logger.js';
import { sensitive } from '../../service/src/platform/sensitive.js';
import { ORDER_STATUSES } from '../../service/src/sync/walker.js';
import { WooClient } from '../../service/src/woocommerce/index.js';
import { round, type Figure } from './bench-format.js';
import { scaled, timed, type Benchmark } from './benchmark.js';
import { scratchDir } from './scratch.js';
import { runBackfill, startDouble, type DoubleProcess } from './sync-processes.js';
import { FIRE_CONCURRENCY, webhookIngest } from './sync-webhooks.js';

const CUSTOMERS = 2_000;

/** The store's ceiling: every page the backfill walks, fetched by the same client and thrown away. */
async function barePages(double: DoubleProcess): Promise<number> {
  const woo = new WooClient(
    {
      url: double.url,
      consumerKey: sensitive(double.env.WOOCOMMERCE_CONSUMER_KEY!),
      consumerSecret: sensitive(double.env.WOOCOMMERCE_CONSUMER_SECRET!),
    },
    createLogger({ level: 'silent' }),
  );
  let cursor = '1970-01-01T00:00:00';
  let seen = 0;
  for (let page = 1; ;) {
    const { items } = await woo.page<{ date_modified_gmt: string }>('orders', {
      modified_after: cursor,
      dates_are_gmt: true,
      orderby: 'modified',
      order: 'asc',
      status: ORDER_STATUSES,
      page,
    });
    seen += items.length;
    if (items.length < 100) return seen;
    const next = new Date(Date.parse(`${items.at(-1)!.date_modified_gmt}Z`) - 1000).toISOString().slice(0, 19);
    [cursor, page] = next > cursor ? [next, 1] : [cursor, page + 1];
  }
}

export const syncBench: Benchmark = {
  name: 'sync',
  summary:
    'sync: signed webhook ingest vs a bare HMAC+BullMQ route (drained, none lost); woo backfill of 100,000 orders into SQLite',
  async run(ctx) {
    const dir = scratchDir();
    const figures: Figure[] = [];
    const notes: string[] = [];
    const orders = scaled(ctx, 100_000, 1_000);
    const notesOrders = scaled(ctx, 10_000, 500);
    const deliveries = scaled(ctx, 15_000, 500);
    ctx.log(`starting the double (${orders} orders, ${CUSTOMERS} customers) in its own process`);
    const big = await startDouble(orders, CUSTOMERS);
    let small: DoubleProcess | undefined;
    try {
      const ingest = await webhookIngest(big, deliveries, dir.file('webhooks'), ctx.log);
      figures.push({
        key: 'webhook_ingest_per_s',
        value: round(ingest.perSecond),
        unit: 'deliveries/s',
        baseline: round(ingest.baselinePerSecond),
        target: { min: 1_500, minRatio: 0.7 },
      });
      figures.push({
        key: 'webhook_ack_p99_ms',
        value: round(ingest.ackP99Ms, 2),
        unit: 'ms',
        baseline: round(ingest.baselineAckP99Ms, 2),
        target: { max: 100 },
      });
      figures.push({ key: 'webhook_lost', value: ingest.lost, unit: 'deliveries', baseline: null, target: { max: 1 } });
      notes.push(
        `webhooks: ${ingest.count} signed order.updated deliveries (wp_json_encode bodies of the double's orders, +500 untimed warm-up), ${FIRE_CONCURRENCY} keep-alive connections from a worker-thread load generator; value = deliveries ÷ wall time until the last 200`,
      );
      notes.push(
        'webhooks baseline: express.raw + verifyWooSignature + one BullMQ Queue.add per delivery, same deliveries, same process and load generator, measured first',
      );
      notes.push(
        `webhook_lost: after ingest the real sync worker (sync.resource, 4 concurrent, notes on) drained the queue in ${round(ingest.drainSeconds, 1)} s fetching each order from the double; lost = acknowledged deliveries with no order.status entry in the ledger (target: 0)`,
      );

      const bare = await timed(() => barePages(big));
      ctx.log(`bare page walk: ${bare.result} orders in ${bare.seconds.toFixed(1)} s`);
      const off = await runBackfill(big.env, dir.file('backfill-off'), { SYNC_ORDER_NOTES: 'false' });
      if (!new RegExp(`${orders} recorded`).test(off.output))
        throw new Error(`backfill did not record every order: ${off.output.slice(-300)}`);
      ctx.log(
        `backfill (notes off): ${orders} orders in ${off.seconds.toFixed(1)} s, peak RSS ${off.maxRssMb.toFixed(0)} MB`,
      );
      figures.push({
        key: 'backfill_orders_per_s',
        value: round(orders / off.seconds),
        unit: 'orders/s',
        baseline: round(bare.result / bare.seconds),
        target: { min: 3_000 },
      });
      figures.push({
        key: 'backfill_max_rss_mb',
        value: round(off.maxRssMb, 1),
        unit: 'MB',
        baseline: null,
        target: { max: 250 },
      });
      notes.push(
        `backfill_orders_per_s: SYNC_ORDER_NOTES=false; \`privacy-bridge woo backfill\` in a fresh process against the double in another process, ${orders} orders + ${CUSTOMERS} customers into a new SQLite ledger; value = orders ÷ the process's whole wall time (start-up, migrations and the customer walk included)`,
      );
      notes.push(
        "backfill baseline: the same keyset walk of order pages fetched by WooClient from the same double and discarded (the store's own ceiling)",
      );
      notes.push(
        "backfill_max_rss_mb: the backfill process's process.resourceUsage().maxRSS at exit; the double's memory is not counted",
      );

      ctx.log(`starting a second double (${notesOrders} orders) for the notes-on backfill`);
      small = await startDouble(notesOrders, Math.min(CUSTOMERS, notesOrders / 5));
      const on = await runBackfill(small.env, dir.file('backfill-on'), { SYNC_ORDER_NOTES: 'true' });
      ctx.log(`backfill (notes on): ${notesOrders} orders in ${on.seconds.toFixed(1)} s`);
      const config = loadConfig({ NODE_ENV: 'test' });
      // Informational: the figure is the notes-off backfill; this one shows what one notes request per order costs.
      figures.push({
        key: 'backfill_notes_orders_per_s',
        value: round(notesOrders / on.seconds),
        unit: 'orders/s',
        baseline: round(orders / off.seconds),
      });
      notes.push(
        `backfill_notes_orders_per_s: SYNC_ORDER_NOTES=true (the default), ${notesOrders} orders; WooCommerce has no bulk read for order notes, so this is one extra HTTP request per order (at most WOOCOMMERCE_CONCURRENCY=${config.woo.concurrency} in flight, prefetched with the next page); baseline = the notes-off rate above`,
      );
      return { figures, notes };
    } finally {
      big.stop();
      small?.stop();
      dir.remove();
    }
  },
};
