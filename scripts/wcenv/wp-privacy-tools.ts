/**
 * WordPress's own personal-data export and erasure on the real store of ../shared/woocommerce-env, driven as
 * the admin's browser drives them (Tools → Export / Erase Personal Data: admin-ajax
 * `wp-privacy-export-personal-data` / `wp-privacy-erase-personal-data`, tool by tool, page by page; the last
 * export page makes the ZIP), and a customer with many orders seeded through WooCommerce's PHP CRUD. Shared by
 * test/wordpress/woocommerce-env/wp-exporter.wcenv.ts (completeness), `npm run bench -- wp-exporter` and the
 * real-store figures of `npm run bench -- dsr` (time).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export type Store = { url: string; wpDir: string; phpUser: string };

/** Runs PHP inside the store's WordPress (as its PHP user) and returns what it returns, JSON-decoded. */
export async function wpEval<T>(store: Store, php: string): Promise<T> {
  const code = `$_SERVER['HTTP_HOST'] = '${new URL(store.url).host}'; $_SERVER['REQUEST_URI'] = '/'; require 'wp-load.php'; echo "\\n@@RESULT@@", wp_json_encode((function () { ${php} })());`;
  const { stdout } = await run('runuser', ['-u', store.phpUser, '--', 'php', '-r', code], {
    cwd: store.wpDir,
    maxBuffer: 256 * 1024 * 1024,
  });
  return JSON.parse(stdout.slice(stdout.lastIndexOf('@@RESULT@@') + 10)) as T;
}

/**
 * A registered customer (Albanian account language; a surname and phone of their own when two are seeded) with `orders` completed booking orders through
 * WooCommerce's CRUD, each with booking line-item meta and two notes (one private, one to the customer).
 * One transaction, with webhooks, e-mails and the completed-status side effects off while seeding (~0.2 s an order).
 */
export async function seedCustomer(
  store: Store,
  email: string,
  orders: number,
  who: { last: string; phone: string } = { last: 'Dervishi', phone: '+355 69 555 0101' },
): Promise<{ userId: number; orderIds: number[] }> {
  return wpEval(
    store,
    `
    global $wpdb;
    add_filter('woocommerce_webhook_should_deliver', '__return_false');
    // E-mails, stock and sales counts, analytics: the status-change side effects are not what is measured (and cost 0.4 s an order).
    foreach (array('woocommerce_order_status_completed', 'woocommerce_order_status_changed', 'woocommerce_order_status_pending_to_completed', 'woocommerce_new_customer_note', 'woocommerce_order_note_added') as $hook) remove_all_actions($hook);
    $wpdb->query('START TRANSACTION');
    $person = array('first_name' => 'Lindita', 'last_name' => '${who.last}', 'email' => '${email}', 'phone' => '${who.phone}', 'address_1' => 'Rruga e Durrësit 7', 'city' => 'Tiranë', 'postcode' => '1001', 'country' => 'AL');
    $c = new WC_Customer();
    $c->set_email('${email}'); $c->set_username('${email.split('@')[0]!.replace(/[^a-z0-9.]/gi, '')}'); $c->set_password(wp_generate_password());
    $c->set_first_name('Lindita'); $c->set_last_name('${who.last}');
    foreach ($person as $k => $v) $c->{"set_billing_$k"}($v);
    $c->save();
    update_user_meta($c->get_id(), 'locale', 'sq');
    $product = wc_get_product(11);
    $ids = array();
    for ($i = 0; $i < ${orders}; $i++) {
      $o = wc_create_order(array('customer_id' => $c->get_id(), 'created_via' => 'checkout', 'status' => 'completed'));
      $o->set_date_created(gmdate('Y-m-d H:i:s', strtotime('2026-01-05 09:00:00') + $i * 3600 * 7));
      $o->set_address($person, 'billing');
      $o->set_payment_method($i % 2 ? 'bacs' : 'cod'); $o->set_payment_method_title($i % 2 ? 'Transfertë bankare' : 'Pagesë në zyrë');
      $o->set_customer_ip_address('203.0.113.' . (10 + $i % 200));
      $o->set_customer_user_agent('Mozilla/5.0 (Linux; Android 14; SM-A546B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Mobile Safari/537.36');
      $iid = $o->add_product($product, 1); $item = $o->get_item($iid);
      $item->add_meta_data('Data e seancës', gmdate('Y-m-d', strtotime('2026-01-12') + $i * 86400), true);
      $item->add_meta_data('Ora', '17:00', true); $item->add_meta_data('Psikologu', 'Dr. Elira Shehu', true); $item->add_meta_data('Preferenca', 'në zyrë', true);
      $item->add_meta_data('_booking_id', 700000 + $i, true); $item->add_meta_data('_booking_status', 'confirmed', true);
      $item->save();
      $o->add_meta_data('booking_reference', sprintf('MND-EXP-%05d', $i), true);
      $o->calculate_totals(false);
      $o->save();
      $o->add_order_note('Pagesa u konfirmua.', 0, false);
      $o->add_order_note(sprintf('Seanca juaj është konfirmuar (%d).', $i), 1, false);
      $ids[] = $o->get_id();
    }
    $wpdb->query('COMMIT');
    return array('userId' => $c->get_id(), 'orderIds' => $ids);`,
  );
}

/** Deletes what seedCustomer made (orders, the account) and any export request of the address. */
export async function removeCustomer(store: Store, email: string): Promise<void> {
  await wpEval(
    store,
    `
    foreach (wc_get_orders(array('billing_email' => '${email}', 'limit' => -1, 'return' => 'ids')) as $id) { $o = wc_get_order($id); if ($o) $o->delete(true); }
    require_once ABSPATH . 'wp-admin/includes/user.php';
    $u = get_user_by('email', '${email}'); if ($u) wp_delete_user($u->ID);
    foreach (get_posts(array('post_type' => 'user_request', 'title' => '${email}', 'post_status' => 'any', 'numberposts' => -1)) as $p) wp_delete_post($p->ID, true);
    return true;`,
  );
}

export type WpExport = {
  seconds: number;
  pages: number;
  exporters: string[];
  groups: Record<string, { group_label: string; items: Record<string, { name: string; value: string }[]> }>;
  zipBytes: number;
};

export type WpErasure = { seconds: number; pages: number; erasers: string[]; removed: number; retained: number };

type Tool = 'export' | 'erase';
type Page = { done?: boolean; url?: string; items_removed?: boolean; items_retained?: boolean };

/**
 * A confirmed request of `email` for the tool, the admin's logged-in cookies and the nonce the Tools page
 * prints for it, then one admin-ajax POST per page of each exporter or eraser until it says done (what the
 * page's JavaScript does). A page answering anything but success fails the run, as the browser shows an error.
 */
async function runThroughAdminAjax(
  store: Store,
  email: string,
  tool: Tool,
  onPage: (data: Page) => void,
): Promise<{ seconds: number; pages: number; tools: string[] }> {
  const requestType = tool === 'export' ? 'export_personal_data' : 'remove_personal_data';
  const action = `wp-privacy-${tool}-personal-data`;
  const param = tool === 'export' ? 'exporter' : 'eraser';
  const s = await wpEval<{ requestId: number; cookies: string; nonce: string; tools: string[] }>(
    store,
    `
    foreach (get_posts(array('post_type' => 'user_request', 'title' => '${email}', 'post_status' => 'any', 'numberposts' => -1)) as $p) wp_delete_post($p->ID, true);
    $rid = wp_create_user_request('${email}', '${requestType}', array(), 'confirmed');
    if (is_wp_error($rid)) return array('requestId' => 0, 'cookies' => $rid->get_error_message(), 'nonce' => '', 'tools' => array());
    $expiration = time() + 3600;
    $token = WP_Session_Tokens::get_instance(1)->create($expiration);
    $auth = wp_generate_auth_cookie(1, $expiration, 'auth', $token);
    $logged = wp_generate_auth_cookie(1, $expiration, 'logged_in', $token);
    $_COOKIE[LOGGED_IN_COOKIE] = $logged;
    wp_set_current_user(1);
    return array('requestId' => $rid, 'cookies' => AUTH_COOKIE . '=' . rawurlencode($auth) . '; ' . LOGGED_IN_COOKIE . '=' . rawurlencode($logged),
      'nonce' => wp_create_nonce('${action}-' . $rid),
      'tools' => array_keys(apply_filters('wp_privacy_personal_data_${param}s', array())));`,
  );
  if (!s.requestId) throw new Error(`no ${requestType} request: ${s.cookies}`);
  const started = performance.now();
  let pages = 0;
  for (let index = 1; index <= s.tools.length; index++) {
    const name = s.tools[index - 1];
    for (let page = 1; ; page++) {
      const form = new URLSearchParams({
        action,
        id: String(s.requestId),
        [param]: String(index),
        page: String(page),
        security: s.nonce,
        ...(tool === 'export' ? { sendAsEmail: 'false' } : {}),
      });
      const res = await fetch(`${store.url}/wp-admin/admin-ajax.php`, {
        method: 'POST',
        headers: { cookie: s.cookies, 'content-type': 'application/x-www-form-urlencoded' },
        body: form,
      });
      const text = await res.text();
      let answer: { success?: boolean; data?: Page | string };
      try {
        answer = JSON.parse(text) as typeof answer;
      } catch {
        throw new Error(`${param} ${name} page ${page}: HTTP ${res.status}, not JSON: ${text.slice(0, 300)}`);
      }
      pages++;
      if (!answer.success || typeof answer.data !== 'object')
        throw new Error(`${param} ${name} page ${page} failed: ${JSON.stringify(answer.data).slice(0, 300)}`);
      onPage(answer.data);
      if (answer.data.done) break;
      if (page > 5000) throw new Error(`${param} ${name} never said done`);
    }
  }
  return { seconds: (performance.now() - started) / 1000, pages, tools: s.tools };
}

/** WordPress's export of `email` as Tools → Export Personal Data → "Download personal data" runs it, to the downloaded ZIP. */
export async function exportThroughWordPress(store: Store, email: string): Promise<WpExport> {
  let zipUrl: string | null = null;
  const pages = await runThroughAdminAjax(store, email, 'export', (data) => {
    if (data.url) zipUrl = data.url;
  });
  if (!zipUrl) throw new Error('the last exporter page named no ZIP');
  const downloading = performance.now();
  const zip = await fetch(zipUrl);
  if (zip.status !== 200) throw new Error(`the ZIP answered ${zip.status}`);
  const body = Buffer.from(await zip.arrayBuffer());
  const seconds = pages.seconds + (performance.now() - downloading) / 1000;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pb-wp-export-'));
  try {
    fs.writeFileSync(path.join(dir, 'export.zip'), body);
    const { stdout } = await run('unzip', ['-p', 'export.zip', 'export.json'], {
      cwd: dir,
      maxBuffer: 512 * 1024 * 1024,
    });
    const parsed = JSON.parse(stdout) as Record<string, WpExport['groups']>;
    // WordPress's export.json: { "Personal Data Export for <email>": { group_id: { group_label, items: { item_id: [ {name, value} ] } } } }
    const groups = Object.values(parsed)[0] ?? {};
    return { seconds, pages: pages.pages, exporters: pages.tools, groups, zipBytes: body.length };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * WordPress's erasure of `email` as Tools → Erase Personal Data → "Force erase personal data" runs it: every
 * eraser, page by page. `removed`/`retained` count the pages that said they removed or kept something.
 */
export async function eraseThroughWordPress(store: Store, email: string): Promise<WpErasure> {
  let removed = 0;
  let retained = 0;
  const r = await runThroughAdminAjax(store, email, 'erase', (data) => {
    if (data.items_removed) removed++;
    if (data.items_retained) retained++;
  });
  return { seconds: r.seconds, pages: r.pages, erasers: r.tools, removed, retained };
}
