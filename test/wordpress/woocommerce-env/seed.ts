import { randomBytes } from 'node:crypto';
import { wpEval } from './store.js';

/**
 * Synthetic customers made through WooCommerce's own PHP CRUD (wc_create_order, WC_Order, WC_Customer),
 * as the seed of ../shared/woocommerce-env makes its orders: each order books product 11 (the individual
 * 50-minute session) with the booking line-item meta the shop writes (`Data e seancës`, `Ora`,
 * `Psikologu`, hidden `_booking_id`, `_booking_status`), order meta `booking_reference` and
 * `_privacy_policy_accepted_at`, an IP and user agent, a customer note and two order notes (one private,
 * one to the customer). Every file makes its own people with unique e-mails: nothing depends on another file.
 */
export type Person = { email: string; first: string; last: string; phone: string; city: string };
export type SeedOrder = {
  status: 'completed' | 'cancelled' | 'processing' | 'pending' | 'on-hold';
  sessionDate?: string;
  sessionTime?: string;
};
export type Seeded = { person: Person; userId: number; orderIds: number[] };

const NAMES = [
  ['Arbëresha', 'Dervishi'],
  ['Blerim', 'Kastrati'],
  ['Drita', 'Mehmeti'],
  ['Fatjon', 'Zeneli'],
  ['Luljeta', 'Hasani'],
  ['Ilir', 'Cenaj'],
] as const;

/** A person no other test uses: unique e-mail on example.com, unique phone, an Albanian-looking name. */
export function person(tag: string): Person {
  const n = randomBytes(4).readUInt32BE(0);
  const [first, last] = NAMES[n % NAMES.length]!;
  const digits = String(n % 10_000_000).padStart(7, '0');
  return {
    email: `${tag}.${n.toString(36)}@example.com`,
    first,
    last: `${last}${String.fromCharCode(97 + (n % 26))}${String.fromCharCode(97 + ((n >> 5) % 26))}`,
    phone: `+355 69 ${digits.slice(0, 3)} ${digits.slice(3)}`,
    city: 'Durrës',
  };
}

const php = (v: unknown) => `json_decode(base64_decode('${Buffer.from(JSON.stringify(v)).toString('base64')}'), true)`;

/** Creates the person (with an account when `account`) and their orders, oldest first; returns the ids. */
export async function seed(
  p: Person,
  orders: readonly SeedOrder[],
  opts: { account?: boolean; review?: boolean } = {},
): Promise<Seeded> {
  return wpEval<Seeded>(`
    $p = ${php(p)}; $specs = ${php(orders)}; $user = 0;
    // The shop's e-mails are not what is tested here, and rendering one per status change is most of the time.
    foreach (WC()->mailer()->get_emails() as $mail) { $mail->enabled = 'no'; }
    $addr = array('first_name' => $p['first'], 'last_name' => $p['last'], 'email' => $p['email'], 'phone' => $p['phone'], 'address_1' => 'Rruga e Durrësit 12', 'city' => $p['city'], 'postcode' => '2001', 'country' => 'AL');
    if (${opts.account ? 'true' : 'false'}) {
      $c = new WC_Customer(); $c->set_email($p['email']); $c->set_username(sanitize_user(strstr($p['email'], '@', true))); $c->set_password(wp_generate_password());
      $c->set_first_name($p['first']); $c->set_last_name($p['last']); $c->set_billing_phone($p['phone']);
      foreach ($addr as $k => $v) $c->{"set_billing_$k"}($v);
      $c->add_meta_data('preferred_language', 'sq', true); $c->save(); $user = $c->get_id();
    }
    $ids = array(); $product = wc_get_product(11); $n = 0;
    foreach ($specs as $s) {
      $n++;
      $o = wc_create_order(array('customer_id' => $user, 'created_via' => 'checkout'));
      $o->set_address($addr, 'billing'); $o->set_currency('ALL'); $o->set_payment_method('bacs'); $o->set_payment_method_title('Transfertë bankare');
      $o->set_customer_ip_address('203.0.113.' . (1 + $n % 250)); $o->set_customer_user_agent('Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0 wcenv-' . $n);
      $o->set_customer_note('Ju lutem më telefononi në ' . $p['phone'] . ' para seancës.');
      $item = $o->get_item($o->add_product($product, 1));
      $item->add_meta_data('Data e seancës', $s['sessionDate'] ?? '2026-09-1' . ($n % 10), true);
      $item->add_meta_data('Ora', $s['sessionTime'] ?? '17:00', true);
      $item->add_meta_data('Psikologu', 'Dr. Elira Shehu', true);
      $item->add_meta_data('_booking_id', 900000 + $n, true);
      $item->add_meta_data('_booking_status', 'confirmed', true);
      $item->save();
      $o->add_meta_data('booking_reference', 'WCENV-' . $n, true);
      $o->add_meta_data('_privacy_policy_accepted_at', gmdate('c'), true);
      $o->calculate_totals(false); $o->save();
      $o->add_order_note('Pagesa u kontrollua nga ' . $p['first'] . ' ' . $p['last'] . '.', 0, false);
      $o->add_order_note('Seanca juaj me Dr. Elira Shehu është konfirmuar.', 1, false);
      if ('completed' === $s['status'] || 'processing' === $s['status']) { $o->payment_complete('BKT-WCENV-' . $n); }
      $o = wc_get_order($o->get_id());
      if ('processing' !== $s['status'] && 'pending' !== $s['status']) { $o->set_status($s['status']); $o->save(); }
      $ids[] = $o->get_id();
    }
    if (${opts.review ? 'true' : 'false'}) {
      wp_insert_comment(array('comment_post_ID' => 11, 'comment_author' => $p['first'] . ' ' . $p['last'], 'comment_author_email' => $p['email'], 'comment_content' => 'Seancë shumë e dobishme.', 'comment_type' => 'review', 'comment_approved' => 1, 'user_id' => $user));
    }
    return array('person' => $p, 'userId' => $user, 'orderIds' => $ids);`);
}

/**
 * Every place in the store's database that holds one of `values` (case-insensitive substring of any text
 * column of any table of this site): what an SQL search for the person finds, table by table. Rows are
 * named by table and their primary key, and, where there is one, the order they belong to; `term` is the
 * index of the value found.
 */
export type Hit = { table: string; column: string; row: string; order: number | null; term: number };
export async function findEverywhere(values: readonly string[]): Promise<Hit[]> {
  return wpEval<Hit[]>(`global $wpdb; $values = ${php(values.map((v) => v.toLowerCase()))}; $hits = array();
    $cols = $wpdb->get_results($wpdb->prepare("SELECT TABLE_NAME t, COLUMN_NAME c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE %s AND DATA_TYPE IN ('char','varchar','text','tinytext','mediumtext','longtext')", $wpdb->esc_like($wpdb->prefix) . '%'));
    $byTable = array(); foreach ($cols as $c) $byTable[$c->t][] = $c->c;
    foreach ($byTable as $t => $cs) {
      $pk = $wpdb->get_col("SHOW KEYS FROM \`$t\` WHERE Key_name = 'PRIMARY'", 4);
      $pkExpr = $pk ? 'CONCAT_WS(",", ' . implode(',', array_map(function ($k) { return "\`$k\`"; }, $pk)) . ')' : "''";
      $orderCol = null; foreach (array('order_id', 'post_id', 'comment_post_ID') as $oc) { $has = $wpdb->get_var("SHOW COLUMNS FROM \`$t\` LIKE '$oc'"); if ($has) { $orderCol = $oc; break; } }
      if ($t === $wpdb->prefix . 'wc_orders' || $t === $wpdb->prefix . 'posts') $orderCol = 'id';
      if ($t === $wpdb->prefix . 'woocommerce_order_itemmeta') { $orderCol = null; }
      foreach ($cs as $c) foreach ($values as $ti => $v) {
        $sel = $t === $wpdb->prefix . 'woocommerce_order_itemmeta' ? "SELECT meta_id r, (SELECT order_id FROM {$wpdb->prefix}woocommerce_order_items i WHERE i.order_item_id = m.order_item_id) o FROM \`$t\` m" : "SELECT $pkExpr r, " . ($orderCol ? "\`$orderCol\`" : 'NULL') . " o FROM \`$t\`";
        foreach ($wpdb->get_results($wpdb->prepare("$sel WHERE LOWER(\`$c\`) LIKE %s", '%' . $wpdb->esc_like($v) . '%')) as $row) {
          $hits[] = array('table' => substr($t, strlen($wpdb->prefix)), 'column' => $c, 'row' => (string) $row->r, 'order' => null === $row->o ? null : (int) $row->o, 'term' => $ti);
        }
      }
    }
    return $hits;`);
}
