/**
 * The real-store figures of `npm run bench -- dsr` (issue 12), measured on the WordPress + WooCommerce of
 * ../shared/woocommerce-env when WOOCOMMERCE_ENV_URL and WOOCOMMERCE_ENV_WP_DIR name it
 * (`eval "$(bash scripts/real-store.sh env)"`, as root). Two customers with 200 orders each, seeded alike
 * through WooCommerce's CRUD (two notes and booking item meta per order; each their own surname and phone), are backfilled into a service
 * whose data-subject work goes through the plugin (its default when WordPress is configured):
 * - `real_store_export_200_orders_s`: one access request to the service, to its export (the plugin's bulk
 *   read), beside WordPress's own exporter on the same customer (Tools → Export Personal Data, admin-ajax page
 *   by page, to the ZIP; the plugin deactivated, so it is WordPress and WooCommerce alone);
 * - `real_store_erasure_200_orders_s`: one erasure request, to its receipt, beside WordPress's own eraser on
 *   the twin customer (erasure can run only once per order), with WooCommerce's "remove order data" on so
 *   that its eraser erases the orders too.
 * Informational: no target. The customers are removed afterwards and the store's settings restored.
 */
import { connectBridge, runCli, startService, startupSyncDone, storeFromEnv, type Bridge } from '../wcenv/bridge.js';
import {
  eraseThroughWordPress,
  exportThroughWordPress,
  removeCustomer,
  seedCustomer,
  wpEval,
} from '../wcenv/wp-privacy-tools.js';
import { round, type Figure } from './bench-format.js';
import { scaled, timed, type BenchContext, type BenchResult } from './benchmark.js';

const FINISHED = new Set(['completed', 'partially_completed', 'needs_attention', 'refused']);
type View = { id: string; status: string; receipts?: { pass: number }[] };

async function requestAndSettle(bridge: Bridge, token: string, kind: 'access' | 'erasure', email: string) {
  const auth = { authorization: `Bearer ${token}` };
  const created = await fetch(`${bridge.serviceUrl}/v1/requests`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ kind, email, identity: { verified: true, method: 'document-checked' }, locale: 'sq' }),
  });
  if (created.status !== 202) throw new Error(`the ${kind} request was refused: ${created.status}`);
  const { id } = (await created.json()) as { id: string };
  for (const deadline = Date.now() + 15 * 60_000; Date.now() < deadline;) {
    const v = (await (await fetch(`${bridge.serviceUrl}/v1/requests/${id}`, { headers: auth })).json()) as View;
    const receipted = kind === 'access' || (v.receipts ?? []).some((r) => r.pass === 1);
    if (FINISHED.has(v.status) && (receipted || v.status === 'needs_attention' || v.status === 'refused')) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the ${kind} request did not finish in 15 minutes`);
}

/** The request's ledgered steps from `dsr show`, as "kind +seconds" from the first (where the time goes). */
async function stepsOf(bridge: Bridge, id: string): Promise<string> {
  const shown = await runCli(['dsr', 'show', id], bridge.env);
  const history = (JSON.parse(shown.stdout) as { history: { kind: string; at: string; residue?: number }[] }).history;
  const start = Date.parse(history[0]?.at ?? '');
  return history
    .map(
      (h) =>
        `${h.kind} +${round((Date.parse(h.at) - start) / 1000, 1)}${h.residue !== undefined ? ` (residue ${h.residue})` : ''}`,
    )
    .join(', ');
}

export async function realStoreFigures(ctx: BenchContext): Promise<BenchResult> {
  const store = storeFromEnv();
  if (!store)
    return {
      figures: [],
      notes: [
        'real_store_export_200_orders_s and real_store_erasure_200_orders_s: not measured (no real store named): run as root with eval "$(bash scripts/real-store.sh env)"',
      ],
    };
  const orders = scaled(ctx, 200, 10);
  const stamp = Date.now();
  const ours = `bench.dsr.${stamp}@example.com`;
  const twin = `bench.dsr.twin.${stamp}@example.com`;
  const bridge = await connectBridge(store, 'dsr');
  const eraseOrders = await wpEval<string>(
    store,
    `return get_option('woocommerce_erasure_request_removes_order_data', 'no');`,
  );
  let stop: (() => Promise<void>) | null = null;
  try {
    const since = new Date(Date.now() - 120_000).toISOString();
    ctx.log(`real store: seeding two customers with ${orders} orders each through WooCommerce's CRUD`);
    await seedCustomer(store, ours, orders);
    await seedCustomer(store, twin, orders, { last: 'Kelmendi', phone: '+355 68 555 0202' });
    const backfill = await runCli(['woo', 'backfill', '--since', since], bridge.env);
    if (backfill.code !== 0) throw new Error(`backfill failed: ${backfill.stderr.slice(-1000)}`);
    stop = await startService(bridge);
    await startupSyncDone(bridge); // its first reconcile walks the whole store: not what is measured
    const made = await runCli(['admin', 'token', 'create', '--operator', 'bench-dsr'], bridge.env);
    const token = /pbat_[A-Za-z0-9_-]+/.exec(made.stdout + made.stderr)?.[0];
    if (!token) throw new Error(`no admin token: ${made.stderr.slice(-500)}`);

    ctx.log('real store: export through the service (plugin bulk read), then WordPress exporter');
    const exported = await timed(() => requestAndSettle(bridge, token, 'access', ours));
    await bridge.plugin(false);
    const wpExport = await exportThroughWordPress(store, ours);

    ctx.log('real store: erasure through the service, then WordPress eraser on the twin');
    await bridge.plugin(true);
    const erased = await timed(() => requestAndSettle(bridge, token, 'erasure', ours));
    await bridge.plugin(false);
    await wpEval(store, `update_option('woocommerce_erasure_request_removes_order_data', 'yes'); return true;`);
    const wpErasure = await eraseThroughWordPress(store, twin);
    const left = await wpEval<number>(
      store,
      `global $wpdb; return (int) $wpdb->get_var($wpdb->prepare("SELECT COUNT(*) FROM {$wpdb->prefix}wc_orders WHERE billing_email = %s", '${twin}'));`,
    );
    const steps = await stepsOf(bridge, erased.result.id);
    const finished = erased.result.status !== 'needs_attention'; // else its time is no figure (the notes say why)

    const figures: Figure[] = [
      {
        key: 'real_store_export_200_orders_s',
        value: round(exported.seconds, 2),
        unit: 's',
        baseline: round(wpExport.seconds, 2),
      },
    ];
    if (finished)
      figures.push({
        key: 'real_store_erasure_200_orders_s',
        value: round(erased.seconds, 2),
        unit: 's',
        baseline: round(wpErasure.seconds, 2),
      });
    return {
      figures,
      notes: [
        `real_store_*: measured on the REAL store at ${store.url} (WordPress 6.8, WooCommerce 9.9, HPOS, MariaDB), ${orders} orders with 2 notes and booking item meta per customer`,
        `real_store_export_200_orders_s: access request → export ready (${exported.result.status}); baseline WordPress's exporter without the plugin, ${wpExport.pages} admin-ajax pages + the ZIP (${Math.round(wpExport.zipBytes / 1024)} KiB)`,
        `real_store_erasure_200_orders_s: erasure request → receipt (${erased.result.status}: plan, plugin erase, residue check, ledger shred); baseline WordPress's eraser without the plugin on the twin customer, ${wpErasure.pages} pages over ${wpErasure.erasers.length} erasers`,
        `WordPress's eraser is not the same work: afterwards ${left} of the twin's ${orders} orders still held the e-mail (WooCommerce's order eraser pages through the customer's orders while it empties them, so each page skips as many as it erased; it reported success), and even the erased ones keep booking item meta, custom meta and the HPOS placeholder rows (issue 20)`,
        `where the service's erasure spent its time (ledger steps, seconds after the request): ${steps}${finished ? '' : ' — it ended in needs_attention, so real_store_erasure_200_orders_s is not reported (dsr show names the residue)'}`,
      ],
    };
  } finally {
    await stop?.();
    await wpEval(
      store,
      `update_option('woocommerce_erasure_request_removes_order_data', '${eraseOrders}'); return true;`,
    );
    for (const email of [ours, twin]) await removeCustomer(store, email).catch(() => undefined);
    await bridge.restore();
  }
}
