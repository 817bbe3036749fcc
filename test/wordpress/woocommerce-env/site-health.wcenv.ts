import { randomBytes } from 'node:crypto';
import type { Key } from '../support/signed.js';
import { pluginInStore, wpEval } from './store.js';

/**
 * Site Health's webhook test inside the real WooCommerce 9.9: it reads WooCommerce's own webhooks (no
 * service needed) and fails, with what to do, when WooCommerce disabled one that delivers to the service.
 */
const KEY: Key = { id: 'wcenv-health', secret: randomBytes(24).toString('hex') };
// Nothing listens here: the webhook test is local, and the deliveries are never triggered.
const SERVICE_URL = `http://127.0.0.1:${20_000 + (process.pid % 10_000)}`;

const webhookTest = () =>
  wpEval<{ status: string; label: string; actions: string }>(
    '$h = new PrivacyBridge\\Admin\\SiteHealth(new PrivacyBridge\\Service\\ServiceClient(), new PrivacyBridge\\Outbox\\OutboxTable()); return $h->webhooks();',
  );
const offered = () =>
  wpEval<string[]>(
    "require_once ABSPATH . 'wp-admin/includes/class-wp-site-health.php'; $t = WP_Site_Health::get_tests(); return array_keys(array_merge($t['direct'], $t['async']));",
  );

const ids: number[] = [];
beforeAll(() => pluginInStore(SERVICE_URL, KEY));
afterAll(async () => {
  await wpEval(
    `foreach (json_decode('${JSON.stringify(ids)}') as $id) { $w = wc_get_webhook($id); if ($w) { $w->delete(true); } } return true;`,
  );
});

describe("Site Health: WooCommerce's webhooks to the service (real WooCommerce 9.9)", () => {
  it('is offered next to the other Privacy Bridge tests when WooCommerce is active', async () => {
    expect(await offered()).toEqual(
      expect.arrayContaining([
        'privacy_bridge_webhooks',
        'privacy_bridge_outbox',
        'privacy_bridge_encrypted',
        'privacy_bridge_service',
        'privacy_bridge_sync',
        'privacy_bridge_ledger',
      ]),
    );
  });

  it('recommends woo connect when no webhook delivers to the service, fails when WooCommerce disabled one, passes when all are active', async () => {
    expect(await webhookTest()).toMatchObject({
      status: 'recommended',
      actions: expect.stringContaining('privacy-bridge woo connect'),
    });
    for (const topic of ['order.updated', 'customer.updated']) {
      ids.push(
        await wpEval<number>(
          `$w = new WC_Webhook(); $w->set_name('pb site health ${topic}'); $w->set_topic('${topic}'); $w->set_delivery_url('${SERVICE_URL}/webhooks/woocommerce'); $w->set_secret('s'); $w->set_status('active'); $w->set_user_id(1); return $w->save();`,
        ),
      );
    }
    expect(await webhookTest()).toMatchObject({ status: 'good' });
    // What WooCommerce does itself after repeated failed deliveries.
    await wpEval(`$w = wc_get_webhook(${ids[0]}); $w->set_status('disabled'); $w->save(); return true;`);
    expect(await webhookTest()).toMatchObject({
      status: 'critical',
      label: "WooCommerce's webhooks to Privacy Bridge need attention",
      actions: expect.stringContaining('it re-activates them'),
    });
  });
});
