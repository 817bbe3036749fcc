import { randomBytes, randomUUID } from 'node:crypto';
import { freePort } from '../../support/processes.js';
import { sendSigned, type Key } from '../support/signed.js';
import { pluginInStore, URL_, wpEval } from './store.js';

const ORDER = Number(process.env.WOOCOMMERCE_ENV_ORDER_ID ?? 15);
const KEY: Key = { id: 'wcenv', secret: randomBytes(24).toString('hex') };
const REST = '/wp-json/privacy-bridge/v1';
// The service URL the plugin is pointed at (nothing needs to listen there), and another loopback port it must refuse.
let SERVICE_URL = '';
let OTHER_URL = '';

beforeAll(async () => {
  const [port, other] = [await freePort(), await freePort()];
  SERVICE_URL = `http://127.0.0.1:${port}`;
  OTHER_URL = `http://127.0.0.1:${other === port ? port + 1 : other}`;
  await pluginInStore(SERVICE_URL, KEY);
});

describe('the plugin next to WooCommerce 9.9 on WordPress 6.8', () => {
  it('activates cleanly, and the signed ping reports both versions', async () => {
    const ping = await sendSigned(URL_, `${REST}/ping`, undefined, KEY);
    expect(ping.status).toBe(200);
    expect(ping.body.wordpress).toMatch(/^6\.8/);
    expect(ping.body.woocommerce).toMatch(/^9\.9/);
    expect(await wpEval(`return function_exists('as_schedule_single_action');`)).toBe(true); // the outbox uses Action Scheduler here
  });

  it("the outbox's five-minute safety net comes back whenever something is queued, if WP-Cron lost it", async () => {
    const hook = 'privacy_bridge_outbox_drain_recurring';
    const [lost, schedule, inSeconds] = await wpEval<[boolean, string, number]>(`
      wp_clear_scheduled_hook('${hook}');
      $lost = false === wp_next_scheduled('${hook}');
      (new PrivacyBridge\\Outbox\\Scheduler())->schedule(time() + 60);
      $event = wp_get_scheduled_event('${hook}');
      return array($lost, $event ? $event->schedule : null, $event ? $event->timestamp - time() : null);`);
    expect([lost, schedule]).toEqual([true, 'privacy_bridge_five_minutes']);
    expect(inSeconds).toBeGreaterThan(240);
    expect(inSeconds).toBeLessThanOrEqual(300);
  });

  it('webhook deliveries may go to exactly the configured service URL', async () => {
    expect(
      await wpEval(
        `return array(false !== wp_http_validate_url('${SERVICE_URL}/webhooks/woocommerce'), false !== wp_http_validate_url('${OTHER_URL}/x'));`,
      ),
    ).toEqual([true, false]);
  });

  it("the erase command anonymises an order with WooCommerce's anonymiser and removes what it leaves", async () => {
    const command = {
      requestId: randomUUID(),
      pass: 1,
      orders: [
        {
          id: ORDER,
          anonymise: [
            'billing.email',
            'billing.first_name',
            'customer_ip_address',
            'customer_user_agent',
            'customer_note',
          ],
          deleteMetaKeys: ['booking_reference'],
          deleteItemMetaKeys: ['Psikologu', 'Data e seancës'],
          deleteNotes: true,
        },
      ],
      deleteAccount: null,
      deleteBookings: [],
      reviewsByEmail: null,
    };
    const r = await sendSigned(URL_, `${REST}/dsr/erase`, command, KEY);
    expect(r.status).toBe(200);
    expect(r.body.orders[0]).toMatchObject({
      id: ORDER,
      outcome: 'done',
      unchangeable: [],
      deletedMetaKeys: expect.arrayContaining(['booking_reference', 'Psikologu', 'Data e seancës']),
    });
    const order = await wpEval<{ email: string; note: string; anonymized: string; notes: string[] }>(
      `$o = wc_get_order(${ORDER}); return array('email' => $o->get_billing_email(), 'note' => $o->get_customer_note(), 'anonymized' => $o->get_meta('_anonymized'), 'notes' => array_map(function ($n) { return $n->content; }, wc_get_order_notes(array('order_id' => ${ORDER}))));`,
    );
    expect(order).toEqual({
      email: 'deleted@site.invalid',
      note: '',
      anonymized: 'yes',
      notes: ['Personal data removed.'],
    });
  });
});
