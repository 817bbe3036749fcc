import { execFile } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { cli } from '../../support/processes.js';
import { startServiceOn } from '../support/service.js';
import { pluginInStore, URL_, wpEval } from './store.js';

/**
 * Data-subject requests end to end against the real WooCommerce 9.9 of ../shared/woocommerce-env: two
 * services on the same store, one collecting and erasing through the plugin (DSR_VIA_PLUGIN=true), one
 * through WooCommerce's REST API only. **Changes the seeded data** (Elona Gjoka and Besnik Krasniqi are
 * erased, 200 orders are added and erased): run setup.sh before and after.
 */
const run = promisify(execFile);
const KEY = { id: 'wcenv-dsr', secret: randomBytes(24).toString('hex') };
const LINK_SECRET = randomBytes(32);
const FINISHED = new Set(['completed', 'partially_completed', 'needs_attention', 'refused']);
const ARTA = 'arta.hoxha@example.com';
const ELONA = 'elona.gjoka@example.com';
const BESNIK = 'besnik.krasniqi@example.al';
const MANY = `many.orders.${Date.now()}@example.com`;

type Svc = { url: string; stop(): Promise<void>; token: string; dataDir: string };
type Order = { id: number; status: string; billing: Record<string, string>; customer_note: string; customer_ip_address: string; meta_data: { key: string; value: unknown }[]; line_items: { meta_data: { key: string; value: unknown }[] }[]; notes: { note: string }[]; refunds: { id: number }[]; [k: string]: unknown };

let rest: { ck: string; cs: string; id: number };
let viaPlugin: Svc;
let viaRest: Svc;

async function service(port: number, plugin: boolean): Promise<Svc> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `pb-wcenv-${plugin ? 'plugin' : 'rest'}-`));
  const env = {
    DATA_DIR: dataDir, DEMO_STORE: 'off', QUEUE_PREFIX: `pbwcenv${port}${Date.now()}`, LOG_LEVEL: 'warn', LINK_SECRET: LINK_SECRET.toString('base64'),
    WOOCOMMERCE_URL: URL_, WOOCOMMERCE_CONSUMER_KEY: rest.ck, WOOCOMMERCE_CONSUMER_SECRET: rest.cs,
    WORDPRESS_URL: URL_, PLUGIN_SIGNING_KEYS: `${KEY.id}:${KEY.secret}`, PUBLIC_URL: `http://127.0.0.1:${port}`,
    DSR_VIA_PLUGIN: String(plugin), SYNC_RECONCILE_EVERY_S: '3600',
  };
  const svc = await startServiceOn(port, env);
  const made = await cli(['admin', 'token', 'create', '--operator', 'wcenv'], { ...process.env, ...env });
  const token = /pbat_[A-Za-z0-9_-]+/.exec(made.stdout + made.stderr)?.[0];
  if (!token) throw new Error(`no admin token: ${made.stderr}`);
  return { ...svc, token, dataDir };
}

async function ask(svc: Svc, kind: 'access' | 'erasure', email: string): Promise<{ id: string; status: string; reason: string | null; receipts: { pass: number }[] }> {
  const created = await fetch(`${svc.url}/v1/requests`, {
    method: 'POST', headers: { authorization: `Bearer ${svc.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ kind, email, identity: { verified: true, method: 'document-checked' }, locale: 'en' }),
  });
  expect(created.status).toBe(202);
  const { id } = (await created.json()) as { id: string };
  for (let i = 0; i < 600; i++) {
    const view = (await (await fetch(`${svc.url}/v1/requests/${id}`, { headers: { authorization: `Bearer ${svc.token}` } })).json()) as { id: string; status: string; reason: string | null; receipts: { pass: number }[] };
    if (FINISHED.has(view.status) && (kind === 'access' || view.receipts.length > 0 || view.status === 'needs_attention')) return view;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`request ${id} did not finish`);
}

/** The export as the person downloads it (the link the service mails through the plugin). */
async function exported(svc: Svc, requestId: string): Promise<{ customer: Record<string, unknown> | null; orders: Order[]; bookings: unknown[] }> {
  const db = new Database(path.join(svc.dataDir, 'ledger.sqlite'), { readonly: true });
  const { expires_at: expiresAt } = db.prepare('SELECT expires_at FROM dsr_exports WHERE request_id = ? AND deleted_at IS NULL').get(requestId) as { expires_at: string };
  db.close();
  const sig = createHmac('sha256', LINK_SECRET).update(`dsr-export\n${requestId}\n${expiresAt}`).digest('base64url');
  const res = await fetch(`${svc.url}/v1/exports/${requestId}?expires=${encodeURIComponent(expiresAt)}&sig=${sig}`);
  expect(res.status).toBe(200);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pb-wcenv-export-'));
  fs.writeFileSync(path.join(dir, 'x.zip'), Buffer.from(await res.arrayBuffer()));
  await run('unzip', ['-q', 'x.zip'], { cwd: dir });
  const x = JSON.parse(fs.readFileSync(path.join(dir, 'export.json'), 'utf8')) as { woocommerce: { customer: Record<string, unknown> | null; orders: Order[]; bookings: unknown[] } };
  fs.rmSync(dir, { recursive: true, force: true });
  return x.woocommerce;
}

async function receipt(svc: Svc, requestId: string, pass = 1): Promise<{ items: { item: string; action: string; fields: string[]; hold: string | null; until: string | null }[] }> {
  const sig = createHmac('sha256', LINK_SECRET).update(`dsr-receipt\n${requestId}\n${pass}`).digest('base64url');
  const res = await fetch(`${svc.url}/v1/requests/${requestId}/receipts/${pass}?sig=${sig}&format=json`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { receipt: never }).receipt;
}

/** Without links (they name the API they came from), which is the only allowed difference. */
const unlinked = (v: unknown): unknown => (Array.isArray(v) ? v.map(unlinked) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).filter(([k]) => k !== '_links').map(([k, x]) => [k, unlinked(x)])) : v);

/** An order as it is in the database, not through any API. */
const stored = (id: number) => wpEval<{ email: string; first: string; phone: string; ip: string; agent: string; note: string; meta: string[]; itemMeta: string[]; notes: string[]; anonymized: string }>(`
  $o = wc_get_order(${id});
  $items = array(); foreach ($o->get_items() as $i) foreach ($i->get_meta_data() as $m) $items[] = $m->key;
  return array('email' => $o->get_billing_email('edit'), 'first' => $o->get_billing_first_name('edit'), 'phone' => $o->get_billing_phone('edit'),
    'ip' => $o->get_customer_ip_address('edit'), 'agent' => $o->get_customer_user_agent('edit'), 'note' => $o->get_customer_note('edit'),
    'meta' => array_map(function ($m) { return $m->key; }, $o->get_meta_data()), 'itemMeta' => $items, 'anonymized' => (string) $o->get_meta('_anonymized'),
    'notes' => array_map(function ($n) { return $n->content; }, wc_get_order_notes(array('order_id' => ${id}))));`);

beforeAll(async () => {
  await pluginInStore('http://127.0.0.1:3999', KEY);
  // A throwaway read/write REST key, stored the way WooCommerce stores keys (hashed key, clear secret); deleted in afterAll.
  rest = await wpEval(`global $wpdb; $ck = 'ck_' . wc_rand_hash(); $cs = 'cs_' . wc_rand_hash();
    $wpdb->insert($wpdb->prefix . 'woocommerce_api_keys', array('user_id' => 1, 'description' => 'privacy-bridge wcenv dsr test', 'permissions' => 'read_write', 'consumer_key' => wc_api_hash($ck), 'consumer_secret' => $cs, 'truncated_key' => substr($ck, -7)));
    return array('ck' => $ck, 'cs' => $cs, 'id' => (int) $wpdb->insert_id);`);
  viaPlugin = await service(3999, true);
  viaRest = await service(3998, false);
}, 180_000);

afterAll(async () => {
  await viaPlugin?.stop();
  await viaRest?.stop();
  if (rest) await wpEval(`global $wpdb; $wpdb->delete($wpdb->prefix . 'woocommerce_api_keys', array('key_id' => ${rest.id})); return true;`);
  for (const s of [viaPlugin, viaRest]) if (s) fs.rmSync(s.dataDir, { recursive: true, force: true });
});

describe('data-subject requests against WooCommerce 9.9, through the plugin and through REST', () => {
  it.each([
    [ARTA, [16, 18, 25], []],
    [ELONA, [19, 24, 27], [20]],
  ])('access for %s: the plugin\'s bulk read and REST export the same orders, notes, refunds and booking meta, and nothing of anyone else', async (email, orderIds, refundIds) => {
    const [a, b] = await Promise.all([ask(viaPlugin, 'access', email), ask(viaRest, 'access', email)]);
    expect([a.status, b.status]).toEqual(['completed', 'completed']);
    const [plugin, byRest] = await Promise.all([exported(viaPlugin, a.id), exported(viaRest, b.id)]);
    expect(plugin.orders.map((o) => o.id)).toEqual(orderIds);
    expect(plugin.orders.every((o) => o.billing.email === email)).toBe(true);
    expect(plugin.orders.flatMap((o) => o.refunds.map((r) => r.id))).toEqual(refundIds);
    expect(plugin.orders.every((o) => o.notes.length > 0 && o.line_items.some((i) => i.meta_data.some((m) => m.key === 'Data e seancës')))).toBe(true);
    expect(plugin.customer?.email).toBe(email);
    expect((plugin.customer?.meta_data as { key: string }[]).map((m) => m.key)).toEqual(expect.arrayContaining(['preferred_language', 'marketing_consent']));
    expect(unlinked(plugin)).toEqual(unlinked(byRest));
  });

  it('erasure through the plugin: a paid order keeps its invoice fields, the upcoming session its order, the account stays; the rest is gone', async () => {
    // The seeded session of order 27 is on a fixed date; two weeks from today keeps it upcoming whenever this runs.
    const upcomingDay = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10);
    expect(await wpEval(`$n = 0; foreach (wc_get_order(27)->get_items() as $item) { if ($item->get_meta('Data e seancës')) { $item->update_meta_data('Data e seancës', '${upcomingDay}'); $item->save(); $n++; } } return $n;`)).toBeGreaterThan(0);
    const view = await ask(viaPlugin, 'erasure', ELONA);
    expect(view.status).toBe('partially_completed'); // retained items, and the residue check found nothing
    const r = await receipt(viaPlugin, view.id);
    const item = (name: string) => r.items.find((i) => i.item === name);
    expect(item('order-19/retain/accounting')).toMatchObject({ action: 'retained', hold: 'accounting', fields: expect.arrayContaining(['billing.first_name', 'billing.last_name']) });
    expect(item('order-19/anonymise')?.fields).toEqual(expect.arrayContaining(['billing.email', 'customer_ip_address', 'meta_data[booking_reference]', 'line_items[*].meta_data[Psikologu]']));
    expect(item('order-27/retain/upcoming-session')).toMatchObject({ action: 'retained', hold: 'upcoming-session', fields: expect.arrayContaining(['customer_note', 'line_items[*].meta_data[Data e seancës]']) });
    expect(item('order-27/retain/open-order')?.fields).toEqual(expect.arrayContaining(['billing.email']));
    expect(item('customer-4')).toMatchObject({ action: 'retained', hold: 'open-order' });
    expect(item('reviews')).toMatchObject({ action: 'erased' });

    const [paid, cancelled, upcoming] = await Promise.all([stored(19), stored(24), stored(27)]);
    expect(paid).toMatchObject({ email: 'deleted@site.invalid', first: 'Elona', ip: '203.0.113.0', agent: '[deleted]', note: '', notes: ['Personal data removed.'] });
    expect(paid.meta).not.toEqual(expect.arrayContaining(['booking_reference']));
    expect(paid.itemMeta).not.toEqual(expect.arrayContaining(['Data e seancës']));
    expect(cancelled).toMatchObject({ email: 'deleted@site.invalid', first: '[deleted]', phone: '+000 00 000 0000', notes: ['Personal data removed.'] });
    expect(upcoming).toMatchObject({ email: ELONA, first: 'Elona', agent: '[deleted]' });
    expect(upcoming.note).not.toBe('');
    expect(upcoming.meta).toEqual(expect.arrayContaining(['booking_reference']));
    expect(upcoming.meta).not.toEqual(expect.arrayContaining(['_privacy_policy_accepted_at']));
    expect(upcoming.itemMeta).toEqual(expect.arrayContaining(['Data e seancës', 'Psikologu']));
    expect(await wpEval(`return array((bool) get_user_by('email', '${ELONA}'), count(get_comments(array('author_email' => '${ELONA}', 'post_type' => 'product', 'type' => 'review', 'status' => 'all'))));`)).toEqual([true, 0]);
  });

  it('erasure through REST only: what REST cannot change (IP, user agent, line-item meta, reviews) is found by the residue check', async () => {
    const view = await ask(viaRest, 'erasure', BESNIK);
    expect(view.status).toBe('needs_attention');
    expect(view.reason).toMatch(/^residue found: \d+ item\(s\)$/);
    const paid = await stored(17);
    expect(paid.email).toBe('deleted@site.invalid');
    expect(paid.ip).toMatch(/^203\.0\.113\.[1-9]/); // read-only through REST
    expect(paid.itemMeta).toEqual(expect.arrayContaining(['Data e seancës']));
    expect(await wpEval(`return count(get_comments(array('author_email' => '${BESNIK}', 'post_type' => 'product', 'type' => 'review', 'status' => 'all')));`)).toBe(1);
  });

  it('200 orders of one e-mail are all erased by one request through the plugin (sent in chunks)', async () => {
    const created = await wpEval<number[]>(`$ids = array(); for ($i = 0; $i < 200; $i++) {
      $r = new WP_REST_Request('POST', '/wc/v3/orders'); wp_set_current_user(1);
      $r->set_body_params(array('status' => $i % 2 ? 'cancelled' : 'completed', 'set_paid' => 0 === $i % 2, 'customer_note' => "Shënim testi $i",
        'billing' => array('first_name' => 'Shumë', 'last_name' => 'Porosi', 'email' => '${MANY}', 'phone' => '+355 69 000 1234', 'city' => 'Tiranë', 'country' => 'AL'),
        'meta_data' => array(array('key' => 'booking_reference', 'value' => "MANY-$i")),
        'line_items' => array(array('product_id' => 11, 'quantity' => 1, 'meta_data' => array(array('key' => 'Psikologu', 'value' => 'Dr. Test'))))));
      $res = rest_do_request($r); $ids[] = (int) $res->get_data()['id']; } return $ids;`);
    expect(created.filter((id) => id > 0)).toHaveLength(200);
    const view = await ask(viaPlugin, 'erasure', MANY);
    expect(view.status).toBe('partially_completed'); // paid orders keep their names for accounting; no residue
    const left = await wpEval<{ byEmail: number; notes: number; meta: number; anonymized: number }>(`global $wpdb; $ids = implode(',', array_map('intval', json_decode('${JSON.stringify(created)}')));
      return array('byEmail' => count(wc_get_orders(array('billing_email' => '${MANY}', 'limit' => -1, 'return' => 'ids', 'status' => array_keys(wc_get_order_statuses())))),
        'notes' => (int) $wpdb->get_var("SELECT COUNT(*) FROM {$wpdb->prefix}wc_orders WHERE id IN ($ids) AND customer_note <> ''"),
        'meta' => (int) $wpdb->get_var("SELECT COUNT(*) FROM {$wpdb->prefix}wc_orders_meta WHERE order_id IN ($ids) AND meta_key = 'booking_reference'"),
        'anonymized' => (int) $wpdb->get_var("SELECT COUNT(*) FROM {$wpdb->prefix}wc_orders_meta WHERE order_id IN ($ids) AND meta_key = '_anonymized'"));`);
    expect(left).toEqual({ byEmail: 0, notes: 0, meta: 0, anonymized: 200 });
  }, 300_000);
});
