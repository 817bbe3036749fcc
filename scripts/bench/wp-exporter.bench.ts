/**
 * `npm run bench -- wp-exporter` — measured on the REAL store of ../shared/woocommerce-env (set
 * WOOCOMMERCE_ENV_URL, WOOCOMMERCE_ENV_WP_DIR, WOOCOMMERCE_ENV_PHP_USER as for the real-store suite; run as
 * root). A customer with 1,000 orders (2 notes each, booking item meta) is seeded through WooCommerce's
 * CRUD, the service backfills it from the store, then WordPress's own export (admin-ajax page by page,
 * then the ZIP, as the admin's browser drives it) runs without the plugin (the baseline: plugin
 * deactivated) and with it. Target: with ≤ 2 × without, and every ledger item present. Removes the
 * customer afterwards and restores the plugin's settings.
 */
import Database from 'better-sqlite3';
import path from 'node:path';
import { connectBridge, runCli, startService, startupSyncDone, storeFromEnv } from '../wcenv/bridge.js';
import { exportThroughWordPress, removeCustomer, seedCustomer } from '../wcenv/wp-privacy-tools.js';
import { round, type Figure } from './bench-format.js';
import { scaled, type Benchmark } from './benchmark.js';

export const wpExporterBench: Benchmark = {
  name: 'wp-exporter',
  summary: "wp-exporter (real store): WordPress's own export of a 1,000-order customer with the plugin vs without it",
  async run(ctx) {
    const store = storeFromEnv();
    if (!store)
      throw new Error(
        'wp-exporter measures on the real store: set WOOCOMMERCE_ENV_URL and WOOCOMMERCE_ENV_WP_DIR (eval "$(bash scripts/real-store.sh env)")',
      );
    const orders = scaled(ctx, 1000, 20);
    const email = `bench.exporter.${Date.now()}@example.com`;
    const bridge = await connectBridge(store, 'exporter');
    let stop: (() => Promise<void>) | null = null;
    const figures: Figure[] = [];
    const notes: string[] = [];
    try {
      const since = new Date(Date.now() - 120_000).toISOString();
      ctx.log(`seeding ${orders} orders (2 notes each) through WooCommerce's CRUD`);
      await seedCustomer(store, email, orders);
      ctx.log('backfilling the service from the store');
      const backfill = await runCli(['woo', 'backfill', '--since', since], bridge.env);
      if (backfill.code !== 0) throw new Error(`backfill failed: ${backfill.stderr.slice(-1000)}`);
      stop = await startService(bridge);
      await startupSyncDone(bridge);
      const db = new Database(path.join(bridge.dataDir, 'ledger.sqlite'), { readonly: true });
      const ledgerItems = (
        db.prepare('SELECT COUNT(*) AS n FROM ledger_entries WHERE subject = ?').get(bridge.subjectRef(email)) as {
          n: number;
        }
      ).n;
      db.close();
      ctx.log('WordPress export without the plugin');
      await bridge.plugin(false);
      const without = await exportThroughWordPress(store, email);
      await bridge.plugin(true);
      ctx.log('WordPress export with the plugin');
      const withPlugin = await exportThroughWordPress(store, email);
      const ours = Object.entries(withPlugin.groups)
        .filter(([id]) => id.startsWith('privacy-bridge-'))
        .reduce((n, [, g]) => n + Object.keys(g.items).length, 0);
      figures.push({
        key: 'wp_export_with_plugin_s',
        value: round(withPlugin.seconds, 2),
        unit: 's',
        baseline: round(without.seconds, 2),
        target: { max: round(2 * without.seconds, 2) },
      });
      figures.push({
        key: 'wp_export_ledger_items_missing',
        value: ledgerItems - ours,
        unit: 'items',
        baseline: null,
        target: { max: 1 },
      });
      notes.push(
        `measured on the real store at ${store.url} (WordPress 6.8, WooCommerce 9.9, MariaDB), ${orders} orders with 2 notes each; other agents share the machine, so times are noisy`,
      );
      notes.push(
        `without the plugin: ${without.pages} admin-ajax pages, ZIP ${Math.round(without.zipBytes / 1024)} KiB; with it: ${withPlugin.pages} pages, ZIP ${Math.round(withPlugin.zipBytes / 1024)} KiB, ${ours} of ${ledgerItems} ledger items`,
      );
      notes.push(
        'target max is 2 × the baseline measured in this run (issue 20.6: no slower than twice WordPress without the plugin)',
      );
    } finally {
      await stop?.();
      await removeCustomer(store, email).catch(() => undefined);
      await bridge.restore();
    }
    return { figures, notes };
  },
};
