/**
 * `npm run bench -- dsr`: the access export of a customer with 1,000 orders and 2,000 notes, in its
 * own process (dsr-export-worker.ts) against the WooCommerce double served by this one, next to the
 * bare REST walk of the same orders and notes through the same WooClient (the store's ceiling for
 * this read: what any export must fetch, thrown away). Also prints how long the same export would
 * take on a real store (200–350 orders/s listed, one notes request per order). Then the request
 * figures (dsr-requests.ts): one erasure of a 100-order customer end to end through the composed
 * service, and 100 requests submitted at once through POST /v1/requests. Last, when a real store is named,
 * a 200-order export and erasure through the plugin beside WordPress's own tools (dsr-real-store.ts).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { WooRestConnector } from '../../service/src/dsr/connectors/woocommerce-rest.js';
import { createWooDouble, seedHeavyCustomer } from '../../service/src/woocommerce/double/index.js';
import { round, type Figure } from './bench-format.js';
import { scaled, type Benchmark } from './benchmark.js';
import { realStoreFigures } from './dsr-real-store.js';
import { requestFigures } from './dsr-requests.js';
import { scratchDir } from './scratch.js';

function runWorker(env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--require', path.join(__dirname, 'bench-rss-on-exit.js'), path.join(__dirname, 'dsr-export-worker.js')],
      { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
    });
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`dsr export worker exited ${code}`))));
  });
}

export const dsrBench: Benchmark = {
  name: 'dsr',
  summary:
    'dsr: export of a 1,000-order, 2,000-note customer in its own process vs the bare REST walk of the same orders and notes; erasure of a 100-order customer end to end; 100 requests at once',
  async run(ctx) {
    const dir = scratchDir();
    const orders = scaled(ctx, 1000, 10);
    const double = createWooDouble();
    const customer = seedHeavyCustomer(double.store, { orders, notes: orders * 2 });
    const server = await double.listen(0);
    const figures: Figure[] = [];
    const notes: string[] = [];
    try {
      const concurrency = 4; // WOOCOMMERCE_CONCURRENCY's default
      ctx.log(`exporting ${orders} orders with ${orders * 2} notes (concurrency ${concurrency})`);
      const rssFile = path.join(dir.dir, 'rss.json');
      const line = await runWorker({
        PB_WOO_URL: server.url,
        PB_EMAIL: customer.email,
        PB_DATA: dir.dir,
        PB_CONCURRENCY: String(concurrency),
        PB_BENCH_RSS_FILE: rssFile,
      });
      const r = JSON.parse(line) as {
        bareSeconds: number;
        exportSeconds: number;
        orders: number;
        notes: number;
        bytes: number;
      };
      const rssMb = (JSON.parse(fs.readFileSync(rssFile, 'utf8')) as { maxRssKb: number }).maxRssKb / 1024;
      figures.push({
        key: 'export_1000_orders_s',
        value: round(r.exportSeconds, 2),
        unit: 's',
        baseline: round(r.bareSeconds, 2),
        target: { max: 5 },
      });
      figures.push({
        key: 'export_max_rss_mb',
        value: round(rssMb, 1),
        unit: 'MB',
        baseline: null,
        target: { max: 300 },
      });
      const real = new WooRestConnector(null as never, concurrency).estimateSeconds(orders);
      figures.push({ key: 'export_real_store_estimate_s', value: real, unit: 's', baseline: null });
      notes.push(
        'export runs after the baseline in the same process, so it starts with a warm JIT and keep-alive connections; a ratio near 1 means the export costs little beyond the reads it must make',
      );
      notes.push(
        `export: ${r.orders} orders, ${r.notes} notes, ZIP ${Math.round(r.bytes / 1024)} KiB; collect + render + zip + encrypt, without the BullMQ hops between steps`,
      );
      notes.push(
        'export baseline: the bare REST walk (customer lookup, order pages by customer, one notes request per order) through the same WooClient, nothing kept',
      );
      notes.push(
        "export_max_rss_mb: the exporting process's process.resourceUsage().maxRSS at exit (baseline walk included); the double runs in the bench process and is not counted",
      );
      notes.push(
        `export_real_store_estimate_s: WooRestConnector.estimateSeconds — ${orders} orders at ~250 orders/s listed plus one notes request (~0.15 s) per order, ${concurrency} at a time`,
      );
    } finally {
      await server.close();
      dir.remove();
    }
    for (const part of [await requestFigures(ctx), await realStoreFigures(ctx)]) {
      figures.push(...part.figures);
      notes.push(...part.notes);
    }
    return { figures, notes };
  },
};
