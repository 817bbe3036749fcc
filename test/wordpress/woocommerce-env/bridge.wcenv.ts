import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { cli, freePort } from '../../support/processes.js';
import { startServiceOn } from '../support/service.js';
import { pluginInStore, URL_, wpEval } from './store.js';

/**
 * Issue 20 items 7 and 11 on the real store: `woo connect` asks the plugin's signed ping whether
 * WordPress will deliver to the service before registering anything, and a webhook WooCommerce
 * disabled after failed deliveries is re-activated by the running service (and ledgered).
 */
const KEY = { id: 'wcenvbridge', secret: randomBytes(24).toString('hex') };
let rest: { ck: string; cs: string; id: number };
let port: number;
let settingsBefore: unknown;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pb-wcenv-bridge-'));
const env = (publicUrl: string) => ({
  ...process.env,
  DATA_DIR: dataDir,
  DEMO_STORE: 'off',
  QUEUE_PREFIX: `pbwcb${randomBytes(4).toString('hex')}`,
  LOG_LEVEL: 'warn',
  WOOCOMMERCE_URL: URL_,
  WOOCOMMERCE_CONSUMER_KEY: rest.ck,
  WOOCOMMERCE_CONSUMER_SECRET: rest.cs,
  WORDPRESS_URL: URL_,
  PLUGIN_SIGNING_KEYS: `${KEY.id}:${KEY.secret}`,
  PUBLIC_URL: publicUrl,
  SYNC_RECONCILE_EVERY_S: '3600',
  SYNC_WEBHOOK_CHECK_EVERY_S: '5',
});
type Hook = { id: number; status: string; topic: string };
const hooksTo = (url: string) =>
  wpEval<Hook[]>(`$ids = (new WC_Webhook_Data_Store())->search_webhooks(array('limit' => -1, 'status' => ''));
  $out = array(); foreach ($ids as $id) { $w = wc_get_webhook($id); if ($w && $w->get_delivery_url() === '${url}') $out[] = array('id' => $w->get_id(), 'status' => $w->get_status(), 'topic' => $w->get_topic()); } return $out;`);

beforeAll(async () => {
  settingsBefore = await wpEval(`return get_option('privacy_bridge_settings', null);`);
  port = await freePort();
  await pluginInStore(`http://127.0.0.1:${port}`, KEY);
  rest = await wpEval(`global $wpdb; $ck = 'ck_' . wc_rand_hash(); $cs = 'cs_' . wc_rand_hash();
    $wpdb->insert($wpdb->prefix . 'woocommerce_api_keys', array('user_id' => 1, 'description' => 'privacy-bridge wcenv bridge test', 'permissions' => 'read_write', 'consumer_key' => wc_api_hash($ck), 'consumer_secret' => $cs, 'truncated_key' => substr($ck, -7)));
    return array('ck' => $ck, 'cs' => $cs, 'id' => (int) $wpdb->insert_id);`);
}, 60_000);

afterAll(async () => {
  const url = `http://127.0.0.1:${port}/webhooks/woocommerce`;
  await wpEval(
    `foreach ((new WC_Webhook_Data_Store())->search_webhooks(array('limit' => -1, 'status' => '')) as $id) { $w = wc_get_webhook($id); if ($w && $w->get_delivery_url() === '${url}') $w->delete(true); } return true;`,
  );
  if (rest)
    await wpEval(
      `global $wpdb; $wpdb->delete($wpdb->prefix . 'woocommerce_api_keys', array('key_id' => ${rest.id})); return true;`,
    );
  await wpEval(
    settingsBefore === null
      ? `delete_option('privacy_bridge_settings'); return true;`
      : `update_option('privacy_bridge_settings', json_decode('${JSON.stringify(settingsBefore).replace(/'/g, "\\'")}', true), false); return true;`,
  );
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('the bridge to the real store', () => {
  it('woo connect refuses, saying what to do, when the plugin allows another service URL, and registers nothing', async () => {
    const other = await freePort();
    const r = await cli(['woo', 'connect'], env(`http://127.0.0.1:${other}`));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`set its service URL (Settings → Privacy Bridge) to http://127.0.0.1:${other}`);
    expect(await hooksTo(`http://127.0.0.1:${other}/webhooks/woocommerce`)).toEqual([]);
  });

  it('woo connect registers the webhooks the plugin allows, and the running service re-activates one WooCommerce disabled', async () => {
    const url = `http://127.0.0.1:${port}`;
    const connected = await cli(['woo', 'connect'], env(url));
    expect(connected.stderr).not.toContain('warning');
    expect(connected.code).toBe(0);
    const hooks = await hooksTo(`${url}/webhooks/woocommerce`);
    expect(hooks.length).toBe(7);
    // What WooCommerce does after repeated failed deliveries (WC_Webhook::failed_delivery()).
    const victim = hooks.find((h) => h.topic === 'order.updated')!;
    await wpEval(
      `$w = wc_get_webhook(${victim.id}); $w->set_failure_count(6); $w->set_status('disabled'); $w->save(); return true;`,
    );
    expect((await hooksTo(`${url}/webhooks/woocommerce`)).find((h) => h.id === victim.id)?.status).toBe('disabled');

    const service = await startServiceOn(port, env(url));
    try {
      let status = 'disabled';
      for (let i = 0; i < 120 && status !== 'active'; i++) {
        await new Promise((r) => setTimeout(r, 500));
        status = (await hooksTo(`${url}/webhooks/woocommerce`)).find((h) => h.id === victim.id)?.status ?? 'gone';
      }
      expect(status).toBe('active');
    } finally {
      await service.stop();
    }
    const db = new Database(path.join(dataDir, 'ledger.sqlite'), { readonly: true });
    const entries = db.prepare(`SELECT detail FROM ledger_entries WHERE kind = 'woo.webhook.reactivated'`).all() as {
      detail: string;
    }[];
    db.close();
    expect(entries.map((e) => JSON.parse(e.detail))).toEqual([{ webhookId: victim.id, topic: 'order.updated' }]);
  });

  it("reports the plugin's outbox on the status page from the heartbeat its five-minute WP-Cron event sends", async () => {
    const url = `http://127.0.0.1:${port}`;
    const service = await startServiceOn(port, env(url));
    try {
      const made = await cli(['admin', 'token', 'create', '--operator', 'wcenv-heartbeat'], env(url));
      const token = /pbat_[A-Za-z0-9_-]{43}/.exec(made.stdout)![0];
      const signIn = await fetch(`${url}/admin/login?lang=en`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `token=${token}`,
      });
      const cookie = /pb_admin=[A-Za-z0-9_-]{43}/.exec(signIn.headers.get('set-cookie') ?? '')![0];
      const page = async () =>
        (await (await fetch(`${url}/admin?lang=en`, { headers: { cookie } })).text()).replace(/<[^>]+>/g, ' ');
      expect(await page()).toContain('No heartbeat from the plugin yet');
      // What WP-Cron runs every five minutes: the drain, then the heartbeat with what is left.
      const stats = await wpEval<{ count: number; refused: number }>(
        `do_action('privacy_bridge_outbox_drain_recurring'); return (new PrivacyBridge\\Outbox\\OutboxTable())->stats();`,
      );
      const shown = await page();
      expect(shown).toContain(`${stats.count} messages waiting`);
      expect(shown).toContain(`${stats.refused} refused by the service`);
      expect(shown).toMatch(/Reported by the plugin at [^—]+\./);
    } finally {
      await service.stop();
    }
  });
});
