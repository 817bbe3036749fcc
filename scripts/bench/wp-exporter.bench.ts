/**
 * `npm run bench -- wp-exporter` — measured on the REAL store of ../shared/woocommerce-env (set
 * WOOCOMMERCE_ENV_URL, WOOCOMMERCE_ENV_WP_DIR, WOOCOMMERCE_ENV_PHP_USER as for the real-store suite; run as
 * root). A customer with 1,000 orders (2 notes each, booking item meta) is seeded through WooCommerce's
 * CRUD, the service backfills it from the store, then WordPress's own export (admin-ajax page by page,
 * then the ZIP, as the admin's browser drives it) runs without the plugin (the baseline: plugin
 * deactivated) and with it. Target: with ≤ 2 × without, and every ledger item present. Removes the
 * customer afterwards and restores the plugin's settings.
 */
import { spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import {
  exportThroughWordPress,
  removeCustomer,
  seedCustomer,
  wpEval,
  type Store,
} from '../wcenv/wp-privacy-export.js';
import { round, type Figure } from './bench-format.js';
import { scaled, type Benchmark } from './benchmark.js';

const CLI = path.resolve(__dirname, '../../service/src/cli.js');
const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.once('exit', (code) => resolve({ code, stderr }));
  });
}

async function startService(port: number, env: NodeJS.ProcessEnv): Promise<() => Promise<void>> {
  const child = spawn(process.execPath, [CLI, 'start'], {
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: 'ignore',
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  for (let i = 0; i < 300; i++) {
    if (
      await fetch(`http://127.0.0.1:${port}/readyz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return async () => {
        child.kill('SIGTERM');
        await exited;
      };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error('the service did not become ready');
}

export const wpExporterBench: Benchmark = {
  name: 'wp-exporter',
  summary: "wp-exporter (real store): WordPress's own export of a 1,000-order customer with the plugin vs without it",
  async run(ctx) {
    const url = process.env.WOOCOMMERCE_ENV_URL?.replace(/\/$/, '');
    const wpDir = process.env.WOOCOMMERCE_ENV_WP_DIR;
    if (!url || !wpDir)
      throw new Error(
        'wp-exporter measures on the real store: set WOOCOMMERCE_ENV_URL and WOOCOMMERCE_ENV_WP_DIR (see test/wordpress/woocommerce-env/README.md)',
      );
    const store: Store = { url, wpDir, phpUser: process.env.WOOCOMMERCE_ENV_PHP_USER ?? 'www-data' };
    const orders = scaled(ctx, 1000, 20);
    const email = `bench.exporter.${Date.now()}@example.com`;
    const key = { id: 'bench-exporter', secret: randomBytes(24).toString('hex') };
    const pepper = randomBytes(32);
    const port = await freePort();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pb-bench-wp-exporter-'));
    const previous = await wpEval<unknown>(store, `return get_option('privacy_bridge_settings', null);`);
    const link = path.join(wpDir, 'wp-content/plugins/privacy-bridge');
    if (!fs.existsSync(link)) fs.symlinkSync(path.resolve(__dirname, '../../../wp-plugin'), link);
    const plugin = (on: boolean) =>
      wpEval(
        store,
        `require_once ABSPATH . 'wp-admin/includes/plugin.php'; ${on ? `activate_plugin('privacy-bridge/privacy-bridge.php');` : `deactivate_plugins('privacy-bridge/privacy-bridge.php');`} return true;`,
      );
    await plugin(true);
    await wpEval(
      store,
      `update_option('privacy_bridge_settings', array('service_url' => 'http://127.0.0.1:${port}', 'key_id' => '${key.id}', 'secret' => '${key.secret}'), false); return true;`,
    );
    const rest = await wpEval<{ ck: string; cs: string; id: number }>(
      store,
      `global $wpdb; $ck = 'ck_' . wc_rand_hash(); $cs = 'cs_' . wc_rand_hash();
      $wpdb->insert($wpdb->prefix . 'woocommerce_api_keys', array('user_id' => 1, 'description' => 'privacy-bridge bench', 'permissions' => 'read_write', 'consumer_key' => wc_api_hash($ck), 'consumer_secret' => $cs, 'truncated_key' => substr($ck, -7)));
      return array('ck' => $ck, 'cs' => $cs, 'id' => (int) $wpdb->insert_id);`,
    );
    let stop: (() => Promise<void>) | null = null;
    const figures: Figure[] = [];
    const notes: string[] = [];
    try {
      const since = new Date(Date.now() - 120_000).toISOString();
      ctx.log(`seeding ${orders} orders (2 notes each) through WooCommerce's CRUD`);
      await seedCustomer(store, email, orders);
      const env = {
        DATA_DIR: dataDir,
        DEMO_STORE: 'off',
        QUEUE_PREFIX: `pbbenchexp${randomBytes(4).toString('hex')}`,
        LOG_LEVEL: 'warn',
        SUBJECT_PEPPER: pepper.toString('base64'),
        WOOCOMMERCE_URL: url,
        WOOCOMMERCE_CONSUMER_KEY: rest.ck,
        WOOCOMMERCE_CONSUMER_SECRET: rest.cs,
        WORDPRESS_URL: url,
        PLUGIN_SIGNING_KEYS: `${key.id}:${key.secret}`,
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        SYNC_RECONCILE_EVERY_S: '3600',
        NODE_ENV: 'development',
      };
      ctx.log('backfilling the service from the store');
      const backfill = await runCli(['woo', 'backfill', '--since', since], env);
      if (backfill.code !== 0) throw new Error(`backfill failed: ${backfill.stderr.slice(-1000)}`);
      stop = await startService(port, env);
      const ref = createHmac('sha256', pepper).update(email).digest('hex');
      const db = new Database(path.join(dataDir, 'ledger.sqlite'), { readonly: true });
      const ledgerItems = (
        db.prepare('SELECT COUNT(*) AS n FROM ledger_entries WHERE subject = ?').get(ref) as { n: number }
      ).n;
      db.close();
      ctx.log('WordPress export without the plugin');
      await plugin(false);
      const without = await exportThroughWordPress(store, email);
      await plugin(true);
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
        `measured on the real store at ${url} (WordPress 6.8, WooCommerce 9.9, MariaDB), ${orders} orders with 2 notes each; other agents share the machine, so times are noisy`,
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
      await wpEval(
        store,
        `global $wpdb; $wpdb->delete($wpdb->prefix . 'woocommerce_api_keys', array('key_id' => ${rest.id})); ${previous === null ? `delete_option('privacy_bridge_settings');` : `update_option('privacy_bridge_settings', json_decode(${JSON.stringify(JSON.stringify(previous))}, true), false);`} return true;`,
      );
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
    return { figures, notes };
  },
};
