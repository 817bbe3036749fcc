import { createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import {
  exportThroughWordPress,
  removeCustomer,
  seedCustomer,
  type Store,
} from '../../../scripts/wcenv/wp-privacy-tools.js';
import { cli, freePort } from '../../support/processes.js';
import { startServiceOn } from '../support/service.js';
import { pluginInStore, URL_, WP_DIR, wpEval } from './store.js';

/**
 * WordPress's own export (Tools → Export Personal Data, driven through admin-ajax page by page as the
 * admin's browser does, then the ZIP) of a customer with many orders, with the plugin installed and the
 * service backfilled from the store: every ledger entry of the person is in the ZIP, in their language,
 * and WordPress reports no error. ORDERS orders here (60, to stay within ~3 minutes: seeding costs
 * ~0.2 s an order and the backfill one notes request per order); `npm run bench -- wp-exporter` runs 1,000 and measures the time against WordPress
 * without the plugin. Removes the customer and their orders afterwards.
 */
const ORDERS = 60;
const KEY = { id: 'wcenv-exporter', secret: randomBytes(24).toString('hex') };
const PEPPER = randomBytes(32);
const EMAIL = `lindita.dervishi.${Date.now()}@example.com`;
const store: Store = { url: URL_, wpDir: WP_DIR, phpUser: process.env.WOOCOMMERCE_ENV_PHP_USER ?? 'www-data' };

let svc: { url: string; stop(): Promise<void> } | undefined;
let rest: { ck: string; cs: string; id: number } | undefined;
let dataDir: string;
let previousSettings: unknown;

beforeAll(async () => {
  const port = await freePort();
  previousSettings = await wpEval(`return get_option('privacy_bridge_settings', null);`);
  await pluginInStore(`http://127.0.0.1:${port}`, KEY);
  const made = await wpEval<{
    ck: string;
    cs: string;
    id: number;
  }>(`global $wpdb; $ck = 'ck_' . wc_rand_hash(); $cs = 'cs_' . wc_rand_hash();
    $wpdb->insert($wpdb->prefix . 'woocommerce_api_keys', array('user_id' => 1, 'description' => 'privacy-bridge wcenv exporter test', 'permissions' => 'read_write', 'consumer_key' => wc_api_hash($ck), 'consumer_secret' => $cs, 'truncated_key' => substr($ck, -7)));
    return array('ck' => $ck, 'cs' => $cs, 'id' => (int) $wpdb->insert_id);`);
  rest = made;
  const since = new Date(Date.now() - 120_000).toISOString();
  let t = Date.now();
  await seedCustomer(store, EMAIL, ORDERS);
  const seeded = (Date.now() - t) / 1000;
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pb-wcenv-exporter-'));
  const env = {
    DATA_DIR: dataDir,
    DEMO_STORE: 'off',
    QUEUE_PREFIX: `pbwcexp${randomBytes(4).toString('hex')}`,
    LOG_LEVEL: 'warn',
    SUBJECT_PEPPER: PEPPER.toString('base64'),
    WOOCOMMERCE_URL: URL_,
    WOOCOMMERCE_CONSUMER_KEY: made.ck,
    WOOCOMMERCE_CONSUMER_SECRET: made.cs,
    WORDPRESS_URL: URL_,
    PLUGIN_SIGNING_KEYS: `${KEY.id}:${KEY.secret}`,
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    SYNC_RECONCILE_EVERY_S: '3600',
  };
  t = Date.now();
  // Only what changed since just before seeding: this customer and their orders (plus whatever else changed meanwhile).
  const backfill = await cli(['woo', 'backfill', '--since', since], { ...process.env, ...env });
  if (backfill.code !== 0) throw new Error(`backfill failed (${backfill.code}): ${backfill.stderr.slice(-2000)}`);
  process.stderr.write(
    `wp-exporter: seeded ${ORDERS} orders in ${seeded.toFixed(1)} s, backfilled in ${((Date.now() - t) / 1000).toFixed(1)} s\n`,
  );
  svc = await startServiceOn(port, env);
}, 200_000);

afterAll(async () => {
  await svc?.stop();
  await removeCustomer(store, EMAIL).catch(() => undefined);
  if (rest)
    await wpEval(
      `global $wpdb; $wpdb->delete($wpdb->prefix . 'woocommerce_api_keys', array('key_id' => ${rest.id})); return true;`,
    );
  await wpEval(
    `${previousSettings === null ? `delete_option('privacy_bridge_settings');` : `update_option('privacy_bridge_settings', json_decode(${JSON.stringify(JSON.stringify(previousSettings))}, true), false);`} return true;`,
  );
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
}, 120_000);

describe("WordPress's own personal-data export with the plugin, of a customer with many orders", () => {
  it("holds every ledger entry of the person, in Albanian, next to WooCommerce's orders, and WordPress reports no error", async () => {
    // The person's entries, read from the service's ledger by their subject reference (not through the exporter).
    const ref = createHmac('sha256', PEPPER).update(EMAIL.toLowerCase()).digest('hex');
    const db = new Database(path.join(dataDir, 'ledger.sqlite'), { readonly: true });
    const seqs = (
      db
        .prepare(
          `SELECT seq FROM ledger_entries WHERE subject IN (SELECT ref FROM ledger_subject_refs WHERE subject = (SELECT subject FROM ledger_subject_refs WHERE ref = ?)) OR subject = ? ORDER BY seq`,
        )
        .all(ref, ref) as { seq: number }[]
    ).map((r) => r.seq);
    db.close();
    expect(seqs.length).toBeGreaterThan(ORDERS * 4); // a booking order is 4+ data.held entries

    const x = await exportThroughWordPress(store, EMAIL);
    expect(x.exporters).toContain('privacy-bridge');
    const ours = Object.entries(x.groups).filter(([id]) => id.startsWith('privacy-bridge-'));
    const items = Object.assign({}, ...ours.map(([, g]) => g.items)) as Record<
      string,
      { name: string; value: string }[]
    >;
    expect(Object.keys(items).sort()).toEqual(seqs.map((s) => `ledger-${s}`).sort());
    expect(Object.keys(x.groups.woocommerce_orders?.items ?? {})).toHaveLength(ORDERS);
    // In the person's language (their account's is Albanian): labels and dates, not ledger ids and ISO times.
    expect(ours.map(([, g]) => g.group_label)).toContain('Regjistrat e përpunimit (Privacy Bridge)');
    const booking = Object.values(items).find(
      (data) =>
        data.some((d) => d.name === 'Qëllimi' && d.value === 'Përpunimi i rezervimeve') &&
        data.some((d) => d.name.endsWith('· Psikologu')),
    )!;
    expect(booking).toBeDefined();
    expect(booking).toEqual(
      expect.arrayContaining([
        { name: 'Burimi', value: expect.stringMatching(/^Porosia #\d+$/) },
        { name: 'Adresa e faturimit · Emri', value: 'Lindita' },
      ]),
    );
    expect(booking.find((d) => d.name === 'Regjistruar më')!.value).toMatch(
      /^\d{1,2} (janar|shkurt|mars|prill|maj|qershor|korrik|gusht|shtator|tetor|nëntor|dhjetor) \d{4}, \d\d:\d\d$/,
    );
    expect(JSON.stringify(items)).not.toMatch(/"billing\.first_name"|"name":"Purpose"/);
    // The request is left with no gathered data in post meta (WordPress deletes it once the ZIP is made).
    expect(
      await wpEval(
        `global $wpdb; return (int) $wpdb->get_var("SELECT COUNT(*) FROM {$wpdb->postmeta} WHERE meta_key IN ('_export_data_raw', '_export_data_grouped')");`,
      ),
    ).toBe(0);
  }, 150_000);
});
