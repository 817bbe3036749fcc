import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { sendSigned, type Key } from '../support/signed.js';

const run = promisify(execFile);
const URL_ = process.env.WOOCOMMERCE_ENV_URL!.replace(/\/$/, '');
const WP_DIR = process.env.WOOCOMMERCE_ENV_WP_DIR!;
const PHP_USER = process.env.WOOCOMMERCE_ENV_PHP_USER ?? 'www-data';
const ORDER = Number(process.env.WOOCOMMERCE_ENV_ORDER_ID ?? 15);
const KEY: Key = { id: 'wcenv', secret: randomBytes(24).toString('hex') };
const REST = '/wp-json/privacy-bridge/v1';
const SERVICE_URL = 'http://127.0.0.1:3999';

const wpEval = async <T>(php: string): Promise<T> => {
  const code = `$_SERVER['HTTP_HOST'] = '${new URL(URL_).host}'; $_SERVER['REQUEST_URI'] = '/'; require 'wp-load.php'; echo "\\n@@RESULT@@", wp_json_encode((function () { ${php} })());`;
  const { stdout } = await run('runuser', ['-u', PHP_USER, '--', 'php', '-r', code], { cwd: WP_DIR, maxBuffer: 10 * 1024 * 1024 });
  return JSON.parse(stdout.slice(stdout.lastIndexOf('@@RESULT@@') + 10)) as T;
};

beforeAll(async () => {
  // Configured but not there is a failure, never a pass: say which part is missing.
  if (!fs.existsSync(path.join(WP_DIR, 'wp-load.php'))) throw new Error(`no WordPress in WOOCOMMERCE_ENV_WP_DIR=${WP_DIR}: run ../shared/woocommerce-env/setup.sh (as root)`);
  const answer = await fetch(`${URL_}/wp-json/`).then((r) => r.status, (err: Error) => err.message);
  if (answer !== 200) throw new Error(`the store at WOOCOMMERCE_ENV_URL=${URL_} does not answer (${answer}): run ../shared/woocommerce-env/start.sh (as root)`);
  const link = path.join(WP_DIR, 'wp-content/plugins/privacy-bridge');
  if (!fs.existsSync(link)) fs.symlinkSync(path.resolve(__dirname, '../../../wp-plugin'), link);
  const activated = await wpEval<string | true>(`require_once ABSPATH . 'wp-admin/includes/plugin.php'; $r = activate_plugin('privacy-bridge/privacy-bridge.php'); return is_wp_error($r) ? $r->get_error_message() : true;`);
  expect(activated).toBe(true);
  await wpEval(`update_option('privacy_bridge_settings', array('service_url' => '${SERVICE_URL}', 'key_id' => '${KEY.id}', 'secret' => '${KEY.secret}'), false); return true;`);
});

describe('the plugin next to WooCommerce 9.9 on WordPress 6.8', () => {
  it('activates cleanly, and the signed ping reports both versions', async () => {
    const ping = await sendSigned(URL_, `${REST}/ping`, undefined, KEY);
    expect(ping.status).toBe(200);
    expect(ping.body.wordpress).toMatch(/^6\.8/);
    expect(ping.body.woocommerce).toMatch(/^9\.9/);
    expect(await wpEval(`return function_exists('as_schedule_single_action');`)).toBe(true); // the outbox uses Action Scheduler here
  });

  it('webhook deliveries may go to exactly the configured service URL', async () => {
    expect(await wpEval(`return array(false !== wp_http_validate_url('${SERVICE_URL}/webhooks/woocommerce'), false !== wp_http_validate_url('http://127.0.0.1:3998/x'));`)).toEqual([true, false]);
  });

  it('the erase command anonymises an order with WooCommerce\'s anonymiser and removes what it leaves', async () => {
    const command = {
      requestId: randomUUID(), pass: 1,
      orders: [{ id: ORDER, anonymise: ['billing.email', 'billing.first_name', 'customer_ip_address', 'customer_user_agent', 'customer_note'], deleteMetaKeys: ['booking_reference'], deleteItemMetaKeys: ['Psikologu', 'Data e seancës'], deleteNotes: true }],
      deleteAccount: null, deleteBookings: [], reviewsByEmail: null,
    };
    const r = await sendSigned(URL_, `${REST}/dsr/erase`, command, KEY);
    expect(r.status).toBe(200);
    expect(r.body.orders[0]).toMatchObject({ id: ORDER, outcome: 'done', unchangeable: [], deletedMetaKeys: expect.arrayContaining(['booking_reference', 'Psikologu', 'Data e seancës']) });
    const order = await wpEval<{ email: string; note: string; anonymized: string; notes: string[] }>(`$o = wc_get_order(${ORDER}); return array('email' => $o->get_billing_email(), 'note' => $o->get_customer_note(), 'anonymized' => $o->get_meta('_anonymized'), 'notes' => array_map(function ($n) { return $n->content; }, wc_get_order_notes(array('order_id' => ${ORDER}))));`);
    expect(order).toEqual({ email: 'deleted@site.invalid', note: '', anonymized: 'yes', notes: ['Personal data removed.'] });
  });
});
