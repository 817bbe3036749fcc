import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { cli } from '../../support/processes.js';
import { stack, type Stack, type Svc } from './services.js';
import { person, seed } from './seed.js';
import { WP_DIR, wpEval } from './store.js';

/**
 * Issue 12 (3): the store's own webhooks reach the service on its free loopback port through the plugin's
 * allowance (WordPress refuses loopback and ports other than 80/443/8080 otherwise), registered by
 * `privacy-bridge woo connect`, and the ledger shows each change of an order once although WooCommerce
 * delivers more than once per change (order.created and order.updated). Action Scheduler's queue is run
 * the way WP-Cron runs it (php/run-queue.php of WOOCOMMERCE_ENV_HOME). The webhooks are deleted after.
 */
const run = promisify(execFile);
const HOME = process.env.WOOCOMMERCE_ENV_HOME;
let s: Stack;
let svc: Svc;

const runQueue = async () => {
  if (!HOME) throw new Error('WOOCOMMERCE_ENV_HOME (the folder holding env.sh and php/run-queue.php) is not set');
  await run(
    'runuser',
    [
      '-u',
      process.env.WOOCOMMERCE_ENV_PHP_USER ?? 'www-data',
      '--',
      'php',
      path.join(HOME, 'php/run-queue.php'),
      WP_DIR,
    ],
    { maxBuffer: 16 * 1024 * 1024 },
  );
};
const ledgerKeys = (like: string) => {
  const db = new Database(path.join(svc.dataDir, 'ledger.sqlite'), { readonly: true });
  try {
    return db.prepare('SELECT key, kind FROM ledger_entries WHERE key LIKE ? ORDER BY seq').all(like) as {
      key: string;
      kind: string;
    }[];
  } finally {
    db.close();
  }
};
const waitFor = async (ok: () => boolean, what: string) => {
  for (let i = 0; i < 240; i++) {
    if (ok()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
};

beforeAll(async () => {
  s = await stack('hooks');
  svc = await s.start({ plugin: true });
  const connected = await cli(['woo', 'connect'], { ...process.env, ...svc.env });
  if (connected.code !== 0) throw new Error(`woo connect failed: ${connected.stderr}`);
}, 180_000);
afterAll(async () => {
  if (svc)
    await wpEval(
      `$ids = (new WC_Webhook_Data_Store())->search_webhooks(array('limit' => -1)); foreach ($ids as $id) { $w = wc_get_webhook($id); if ($w && 0 === strpos($w->get_delivery_url(), '${svc.url}/')) $w->delete(true); } return true;`,
    );
  await s?.close();
});

it("reach the service on its loopback port through the plugin's allowance, and each change of an order is in the ledger once", async () => {
  expect(
    await wpEval(
      `return array(false !== wp_http_validate_url('${svc.url}/webhooks/woocommerce'), false !== wp_http_validate_url('http://127.0.0.1:${svc.port + 1}/webhooks/woocommerce'));`,
    ),
  ).toEqual([true, false]);
  const hooks = await wpEval<{ topic: string; status: string }[]>(
    `$out = array(); foreach ((new WC_Webhook_Data_Store())->search_webhooks(array('limit' => -1)) as $id) { $w = wc_get_webhook($id); if (0 === strpos($w->get_delivery_url(), '${svc.url}/')) $out[] = array('topic' => $w->get_topic(), 'status' => $w->get_status()); } return $out;`,
  );
  expect(hooks.map((h) => h.topic).sort()).toEqual([
    'customer.created',
    'customer.deleted',
    'customer.updated',
    'order.created',
    'order.deleted',
    'order.restored',
    'order.updated',
  ]);
  expect(hooks.every((h) => h.status === 'active')).toBe(true);

  const {
    orderIds: [id],
  } = await seed(person('hooks'), [{ status: 'pending' }]);
  await runQueue();
  await waitFor(() => ledgerKeys(`order-${id}/status/%`).length >= 1, 'the new order in the ledger');
  for (const status of ['on-hold', 'cancelled']) {
    await wpEval(`$o = wc_get_order(${id}); $o->update_status('${status}'); return true;`);
    await runQueue();
    await waitFor(
      () => ledgerKeys(`order-${id}/status/%`).some((e) => e.key.includes(`-${status}@`)),
      `the change to ${status}`,
    );
  }
  await runQueue(); // anything WooCommerce still had queued for these orders
  await new Promise((r) => setTimeout(r, 2_000));
  const statuses = ledgerKeys(`order-${id}/status/%`).map((e) =>
    e.key.replace(/@.*$/, '').replace(`order-${id}/status/`, ''),
  );
  expect(statuses).toEqual(['new-pending', 'pending-on-hold', 'on-hold-cancelled']);
  const held = ledgerKeys(`order-${id}/%`)
    .filter((e) => e.kind === 'data.held')
    .map((e) => e.key);
  expect(new Set(held).size).toBe(held.length);
  const failures = await wpEval<number[]>(
    `$out = array(); foreach ((new WC_Webhook_Data_Store())->search_webhooks(array('limit' => -1)) as $wid) { $w = wc_get_webhook($wid); if (0 === strpos($w->get_delivery_url(), '${svc.url}/')) $out[] = $w->get_failure_count(); } return $out;`,
  );
  expect(failures.every((n) => n === 0)).toBe(true);
}, 240_000);
