/**
 * `npm run bench -- checkout`: on the real WordPress 6.8 + WooCommerce 9.9 store named by
 * WOOCOMMERCE_ENV_URL / WOOCOMMERCE_ENV_WP_DIR (../shared/woocommerce-env; refuses to run without it).
 * - checkout_added_ms_p95: Store API checkouts (POST /wc/store/v1/checkout, guest, cash on delivery) with the
 *   plugin active (consent fields sent) and inactive (baseline), interleaved order by order; server time, as PHP
 *   reports it in Server-Timing (a bench-only must-use plugin, wp/mu-bench-checkout.php, which also runs a
 *   request without the plugin on `X-Bench-Plugin: off`); the figure is the difference of the two p95s.
 * - my_account_privacy_page_ms_p95: the privacy tab rendered in PHP for a customer with 100 orders and 20
 *   consent entries, with the service answering its signed reads; baseline: WooCommerce's own Orders tab for
 *   the same customer. Queries counted with SAVEQUERIES, for 100 orders and for 10 (no query per order).
 */
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { round, type Figure } from './bench-format.js';
import { scaled, type Benchmark } from './benchmark.js';

const run = promisify(execFile);
const BIN = path.resolve(__dirname, '../../../bin/privacy-bridge');
const PLUGIN = path.resolve(__dirname, '../../../wp-plugin');
const MU_PLUGIN = path.resolve(__dirname, '../../../scripts/bench/wp/mu-bench-checkout.php');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.max(0, Math.ceil(xs.length * 0.95) - 1)]!;

function store() {
  const url = process.env.WOOCOMMERCE_ENV_URL?.replace(/\/$/, '');
  const dir = process.env.WOOCOMMERCE_ENV_WP_DIR;
  if (!url || !dir || !fs.existsSync(path.join(dir, 'wp-load.php')))
    throw new Error(
      'bench checkout needs the real store: set WOOCOMMERCE_ENV_URL and WOOCOMMERCE_ENV_WP_DIR (see test/wordpress/woocommerce-env/README.md)',
    );
  const user = process.env.WOOCOMMERCE_ENV_PHP_USER ?? 'www-data';
  const php = async <T>(code: string, saveQueries = false): Promise<T> => {
    const full = `${saveQueries ? "define('SAVEQUERIES', true); " : ''}$_SERVER['HTTP_HOST'] = '${new URL(url).host}'; $_SERVER['REQUEST_URI'] = '/'; require 'wp-load.php'; echo "\\n@@RESULT@@", wp_json_encode((function () { ${code} })());`;
    const { stdout } = await run('runuser', ['-u', user, '--', 'php', '-r', full], {
      cwd: dir,
      maxBuffer: 64 * 1024 * 1024,
    });
    return JSON.parse(stdout.slice(stdout.lastIndexOf('@@RESULT@@') + 10)) as T;
  };
  return { url, dir, php };
}

/** One guest checkout; its server time (Server-Timing) and the time at the client. */
async function storeCheckout(url: string, consent: boolean, n: number): Promise<{ server: number; client: number }> {
  const cookies = new Map<string, string>();
  let nonce = '';
  let server = NaN;
  const call = async (method: string, route: string, body?: unknown) => {
    const res = await fetch(`${url}/wp-json/wc/store/v1${route}`, {
      method,
      headers: {
        'content-type': 'application/json',
        'x-bench-plugin': consent ? 'on' : 'off',
        cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(nonce ? { nonce } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    for (const c of res.headers.getSetCookie()) {
      const pair = c.split(';')[0]!;
      cookies.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1));
    }
    nonce = res.headers.get('nonce') ?? nonce;
    server = Number(/app;dur=([\d.]+)/.exec(res.headers.get('server-timing') ?? '')?.[1] ?? NaN);
    await res.arrayBuffer();
    return res.status;
  };
  await call('GET', '/cart');
  await call('POST', '/cart/add-item', { id: 11, quantity: 1 });
  const body = {
    billing_address: {
      first_name: 'Provë',
      last_name: 'Shpejtësie',
      address_1: 'Rruga e Elbasanit 3',
      city: 'Tiranë',
      postcode: '1001',
      country: 'AL',
      state: 'AL-11',
      email: `bench.checkout.${n}@example.invalid`,
      phone: '+355 69 000 0000',
    },
    payment_method: 'cod',
    ...(consent
      ? { additional_fields: { 'privacy-bridge/accept-policy': true, 'privacy-bridge/marketing': n % 2 === 0 } }
      : {}),
  };
  const start = process.hrtime.bigint();
  const status = await call('POST', '/checkout', body);
  const client = Number(process.hrtime.bigint() - start) / 1e6;
  if (status !== 200) throw new Error(`checkout answered ${status} (plugin ${consent ? 'active' : 'inactive'})`);
  if (!Number.isFinite(server))
    throw new Error('the checkout carried no Server-Timing: the bench must-use plugin is not loaded');
  return { server, client };
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

export const checkoutBench: Benchmark = {
  name: 'checkout',
  summary: 'real store: time the plugin adds to a Store API checkout; the My Account privacy tab with 100 orders',
  async run(ctx) {
    const { url, dir, php } = store();
    const link = path.join(dir, 'wp-content/plugins/privacy-bridge');
    if (!fs.existsSync(link)) fs.symlinkSync(PLUGIN, link);
    const mu = path.join(dir, 'wp-content/mu-plugins/privacy-bridge-bench-checkout.php');
    fs.mkdirSync(path.dirname(mu), { recursive: true });
    if (!fs.existsSync(mu)) fs.symlinkSync(MU_PLUGIN, mu);
    await php(
      `require_once ABSPATH . 'wp-admin/includes/plugin.php'; activate_plugin('privacy-bridge/privacy-bridge.php'); return true;`,
    );
    const settings = await php<unknown>(`return get_option('privacy_bridge_settings', null);`);
    const figures: Figure[] = [];
    const notes: string[] = [
      'Measured on the real store (WordPress 6.8.8, WooCommerce 9.9.5, nginx + php-fpm 8.2, MariaDB) on a shared 2-core machine while other agents work: noisy.',
    ];
    const orderIds: number[] = [];
    let service: ReturnType<typeof spawn> | null = null;
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pb-bench-checkout-'));
    try {
      // 1. Checkout, interleaved: the plugin on, then off (or the other way round), order by order.
      const count = scaled(ctx, 50, 5);
      const on: number[] = [];
      const off: number[] = [];
      const clientOn: number[] = [];
      const clientOff: number[] = [];
      await storeCheckout(url, true, 9000); // warm: opcache and the plugin's first run
      await storeCheckout(url, false, 9001);
      for (let i = 0; i < count; i++) {
        for (const active of i % 2 ? [true, false] : [false, true]) {
          const t = await storeCheckout(url, active, i);
          (active ? on : off).push(t.server);
          (active ? clientOn : clientOff).push(t.client);
        }
      }
      orderIds.push(
        ...(await php<number[]>(
          `return wc_get_orders(array('limit' => -1, 'return' => 'ids', 'status' => array_keys(wc_get_order_statuses()), 's' => 'bench.checkout.'));`,
        ).catch(() => [])),
      );
      figures.push({
        key: 'checkout_added_ms_p95',
        value: round(p95(on) - p95(off), 2),
        unit: 'ms',
        baseline: round(p95(off), 2),
        target: { max: 15 },
      });
      notes.push(
        `checkout server time p95: ${round(p95(on), 1)} ms with the plugin, ${round(p95(off), 1)} ms without (${count} orders each, interleaved); median ${round(median(on), 1)} vs ${round(median(off), 1)} ms; at the client p95 ${round(p95(clientOn), 1)} vs ${round(p95(clientOff), 1)} ms.`,
      );
      ctx.log(`checkout: ${round(p95(on), 1)} vs ${round(p95(off), 1)} ms`);

      // 2. The privacy tab, with the service answering its signed reads.
      const port = await freePort();
      const key = { id: 'bench-checkout', secret: randomBytes(24).toString('hex') };
      const env = {
        ...process.env,
        DATA_DIR: dataDir,
        DEMO_STORE: 'off',
        QUEUE_PREFIX: `pbbc${port}`,
        LOG_LEVEL: 'warn',
        LINK_SECRET: randomBytes(32).toString('base64'),
        WORDPRESS_URL: url,
        PLUGIN_SIGNING_KEYS: `${key.id}:${key.secret}`,
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        PORT: String(port),
      };
      fs.writeFileSync(path.join(dataDir, 'policy.txt'), 'Politika (bench).\n');
      await run(
        process.execPath,
        [
          BIN,
          'policy',
          'publish',
          '--file',
          path.join(dataDir, 'policy.txt'),
          '--version',
          'bench-1',
          '--effective',
          '2026-01-01',
        ],
        { env },
      );
      service = spawn(process.execPath, [BIN, 'start'], { env, stdio: 'ignore' });
      for (
        let i = 0;
        i < 300 &&
        !(await fetch(`http://127.0.0.1:${port}/readyz`).then(
          (r) => r.ok,
          () => false,
        ));
        i++
      )
        await new Promise((r) => setTimeout(r, 100));
      await php(
        `update_option('privacy_bridge_settings', array('service_url' => 'http://127.0.0.1:${port}', 'key_id' => '${key.id}', 'secret' => '${key.secret}'), false); do_action('privacy_bridge_refresh_policy'); return true;`,
      );
      const made = async (orders: number, consents: number) =>
        php<{ user: number; orders: number[] }>(`
        $email = 'bench.account.${Date.now()}.' . ${orders} . '@example.invalid';
        $user = wc_create_new_customer($email, '', 'Bench-Password-1', array('first_name' => 'Provë', 'last_name' => 'Llogarie'));
        $ids = array();
        for ($i = 0; $i < ${orders}; $i++) { $o = wc_create_order(array('customer_id' => $user)); $o->set_billing_email($email); $o->add_product(wc_get_product(11), 1); $o->calculate_totals(); $o->set_status('completed'); $o->save(); $ids[] = $o->get_id(); }
        for ($i = 0; $i < ${consents}; $i++) { PrivacyBridge\\Plugin::instance()->consents()->record(array('subject' => array('email' => $email, 'wpUserId' => $user), 'source' => 'account-page', 'decisions' => array(array('purpose' => 'marketing', 'decision' => $i % 2 ? 'granted' : 'denied')), 'policyVersion' => 'bench-1', 'gpc' => false, 'locale' => 'sq', 'at' => gmdate('Y-m-d\\TH:i:s\\Z', time() - 100 + $i))); }
        PrivacyBridge\\Plugin::instance()->outbox()->drain();
        return array('user' => $user, 'orders' => $ids);`);
      const measure = (user: number, runs: number) =>
        php<{ tab: number[]; orders: number[]; tabQueries: number; ordersQueries: number }>(
          `
        global $wpdb; wp_set_current_user(${user});
        $page = new PrivacyBridge\\Account\\PrivacyPage(new PrivacyBridge\\Account\\AccountReader(new PrivacyBridge\\Service\\ServiceClient()));
        $tab = array(); $orders = array(); $tq = 0; $oq = 0;
        for ($i = 0; $i < ${runs}; $i++) {
          wp_cache_flush();
          $q = count($wpdb->queries); $t = hrtime(true); ob_start(); $page->render(); ob_end_clean(); $tab[] = (hrtime(true) - $t) / 1e6; $tq = count($wpdb->queries) - $q;
          wp_cache_flush();
          $q = count($wpdb->queries); $t = hrtime(true); ob_start(); woocommerce_account_orders(1); ob_end_clean(); $orders[] = (hrtime(true) - $t) / 1e6; $oq = count($wpdb->queries) - $q;
        }
        return array('tab' => $tab, 'orders' => $orders, 'tabQueries' => $tq, 'ordersQueries' => $oq);`,
          true,
        );
      const big = await made(100, 20);
      const small = await made(10, 20);
      orderIds.push(...big.orders, ...small.orders);
      const runs = scaled(ctx, 20, 5);
      const m = await measure(big.user, runs);
      const m10 = await measure(small.user, 3);
      figures.push({
        key: 'my_account_privacy_page_ms_p95',
        value: round(p95(m.tab), 1),
        unit: 'ms',
        baseline: round(p95(m.orders), 1),
        target: { max: 300 },
      });
      figures.push({
        key: 'my_account_privacy_page_queries',
        value: m.tabQueries,
        unit: 'queries',
        baseline: m10.tabQueries,
      });
      notes.push(
        `privacy tab: ${m.tabQueries} queries with 100 orders, ${m10.tabQueries} with 10 (baseline column); WooCommerce's Orders tab: ${m.ordersQueries}. Server time in PHP, object cache flushed before each render, ${runs} renders.`,
      );
      await php(
        `foreach (array(${big.user}, ${small.user}) as $u) { require_once ABSPATH . 'wp-admin/includes/user.php'; wp_delete_user($u); } return true;`,
      );
      return { figures, notes };
    } finally {
      if (orderIds.length)
        await php(
          `foreach (json_decode('${JSON.stringify(orderIds)}') as $id) { $o = wc_get_order($id); if ($o) $o->delete(true); } return true;`,
        ).catch(() => undefined);
      await php(
        `update_option('privacy_bridge_settings', json_decode('${JSON.stringify(settings ?? {})}', true), false); return true;`,
      ).catch(() => undefined);
      fs.rmSync(path.join(dir, 'wp-content/mu-plugins/privacy-bridge-bench-checkout.php'), { force: true });
      service?.kill('SIGTERM');
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  },
};
