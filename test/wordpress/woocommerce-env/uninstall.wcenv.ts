import { randomBytes, randomUUID } from 'node:crypto';
import { freePort } from '../../support/processes.js';
import { sendSigned, type Key } from '../support/signed.js';
import { holdWpCron, pluginInStore, snapshotDatabase, URL_, wpEval } from './store.js';

/**
 * Uninstalling removes everything the plugin created, checked by SQL on the real store (WordPress 6.8,
 * WooCommerce 9.9 with HPOS and Action Scheduler): the plugin makes its data through its own code, is
 * deactivated without its deactivation hook (so uninstall.php alone must clean up), and uninstalled as
 * WordPress's Plugins screen does. What WordPress and WooCommerce made (the user, the order, the privacy
 * request) stays. The store's database is put back afterwards as it was before the test.
 */
const KEY: Key = { id: 'wcenv-uninstall', secret: randomBytes(24).toString('hex') };
const REST = '/wp-json/privacy-bridge/v1';
const FILE = 'privacy-bridge/privacy-bridge.php';
const email = `uninstall-${randomBytes(4).toString('hex')}@example.com`;

type Made = { user: number; order: number; request: number };
let restore: () => Promise<void>;

/** Everything in the site's database that carries one of the plugin's names, by kind, as SQL finds it. */
const PLUGIN_ROWS = `global $wpdb; $p = $wpdb->prefix;
  $like = static fn (string ...$prefixes): string => implode(' OR ', array_map(static fn ($x) => $wpdb->prepare('%s', $wpdb->esc_like($x) . '%'), $prefixes));
  $meta = $like('privacy_bridge_', '_privacy_bridge_', '_wc_other/privacy-bridge/');
  $has = static fn (string $t): bool => $t === $wpdb->get_var($wpdb->prepare('SHOW TABLES LIKE %s', $t));
  return array(
    'tables' => $wpdb->get_col($wpdb->prepare('SHOW TABLES LIKE %s', $wpdb->esc_like($p . 'privacy_bridge') . '%')),
    'options' => $wpdb->get_col("SELECT option_name FROM {$wpdb->options} WHERE option_name LIKE " . str_replace(' OR ', ' OR option_name LIKE ', $like('privacy_bridge_', '_transient_privacy_bridge_', '_transient_timeout_privacy_bridge_', '_transient_pb_rl_', '_transient_timeout_pb_rl_', '_site_transient_privacy_bridge_', '_site_transient_pb_'))),
    'usermeta' => $wpdb->get_col("SELECT DISTINCT meta_key FROM {$wpdb->usermeta} WHERE meta_key LIKE " . str_replace(' OR ', ' OR meta_key LIKE ', $meta)),
    'postmeta' => $wpdb->get_col("SELECT DISTINCT meta_key FROM {$wpdb->postmeta} WHERE meta_key LIKE " . str_replace(' OR ', ' OR meta_key LIKE ', $meta)),
    'wc_orders_meta' => $has($p . 'wc_orders_meta') ? $wpdb->get_col("SELECT DISTINCT meta_key FROM {$p}wc_orders_meta WHERE meta_key LIKE " . str_replace(' OR ', ' OR meta_key LIKE ', $meta)) : array('no wc_orders_meta table'),
    'cron' => array_values(array_unique(array_filter(array_merge(...array_map('array_keys', array_values(array_filter((array) maybe_unserialize($wpdb->get_var("SELECT option_value FROM {$wpdb->options} WHERE option_name = 'cron'")), 'is_array')))), static fn ($hook) => str_starts_with($hook, 'privacy_bridge_')))),
    'actionscheduler_actions' => $has($p . 'actionscheduler_actions') ? $wpdb->get_col($wpdb->prepare("SELECT CONCAT(hook, ' ', status) FROM {$p}actionscheduler_actions WHERE hook LIKE %s", $wpdb->esc_like('privacy_bridge_') . '%')) : array('no actionscheduler_actions table'),
    'actionscheduler_groups' => $has($p . 'actionscheduler_groups') ? $wpdb->get_col("SELECT slug FROM {$p}actionscheduler_groups WHERE slug = 'privacy-bridge'") : array('no actionscheduler_groups table'),
  );`;
type Rows = {
  tables: string[];
  options: string[];
  usermeta: string[];
  postmeta: string[];
  wc_orders_meta: string[];
  cron: string[];
  actionscheduler_actions: string[];
  actionscheduler_groups: string[];
};

beforeAll(async () => {
  restore = await snapshotDatabase(); // uninstalling reaches every customer's meta: the other files find the store as it was
  await holdWpCron(); // the events the plugin schedules stay where it put them until uninstall.php clears them
  await pluginInStore(`http://127.0.0.1:${await freePort()}`, KEY); // nothing listens there: the outbox keeps what it queues
});

afterAll(async () => {
  await restore?.();
});

describe('uninstalling the plugin', () => {
  it('leaves nothing with its names in the database: options, transients, tables, user, post and order meta, cron events, Action Scheduler actions', async () => {
    // Data the plugin makes as it works, each through its own code path.
    expect((await sendSigned(URL_, `${REST}/ping`, undefined, KEY)).status).toBe(200); // a seen message id
    const made = await wpEval<Made>(`
      $user = wp_create_user('uninstall-' . wp_generate_password(6, false), wp_generate_password(), '${email}');
      $order = wc_create_order(array('customer_id' => $user));
      $order->set_billing_email('${email}');
      $order->save();
      $consent = new PrivacyBridge\\Checkout\\OrderConsent(PrivacyBridge\\Plugin::instance()->consents());
      $consent->stamp($order, PrivacyBridge\\Checkout\\ConsentChoice::from_additional_fields(array('privacy-bridge/accept-policy' => '1', 'privacy-bridge/marketing' => '1')), 'block');
      $order->save();
      $consent->send($order); // the outbox row, its Action Scheduler drain, the consent id on the order, the customer's accepted version
      $request = wp_create_user_request('${email}', 'remove_personal_data');
      PrivacyBridge\\Privacy\\UserRequests::set_state($request, 'received', gmdate('c', time() + 30 * DAY_IN_SECONDS));
      PrivacyBridge\\Banner\\BannerSettings::get();
      PrivacyBridge\\Banner\\RateLimit::allow('uninstall-test', 20, 600);
      update_option(PrivacyBridge\\Checkout\\PolicyCache::OPTION, array('version' => 'uninstall-test', 'fetched_at' => 0));
      (new PrivacyBridge\\Checkout\\PolicyCache(new PrivacyBridge\\Service\\ServiceClient()))->refresh_later_if_stale();
      return array('user' => $user, 'order' => $order->get_id(), 'request' => $request);`);
    const consentState = {
      eventId: randomBytes(16).toString('hex'),
      wpUserId: made.user,
      source: 'unsubscribe-link',
      purposes: [{ purpose: 'marketing', decision: 'denied', rule: 'explicit' }],
      at: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    };
    expect((await sendSigned(URL_, `${REST}/consent-state`, consentState, KEY)).body).toMatchObject({ applied: true });
    const erase = {
      requestId: randomUUID(),
      pass: 1,
      orders: [],
      deleteAccount: null,
      deleteBookings: [],
      reviewsByEmail: null,
    };
    expect((await sendSigned(URL_, `${REST}/dsr/erase`, erase, KEY)).status).toBe(200); // its answer kept in a transient

    const before = await wpEval<Rows>(PLUGIN_ROWS);
    expect(before.tables.length).toBe(2);
    expect(before.options).toEqual(
      expect.arrayContaining([
        'privacy_bridge_settings',
        'privacy_bridge_db_version',
        'privacy_bridge_banner',
        'privacy_bridge_policy',
      ]),
    );
    expect(before.options.some((o) => o.startsWith('_transient_pb_rl_'))).toBe(true);
    expect(before.options.some((o) => o.startsWith('_transient_privacy_bridge_erase_'))).toBe(true);
    expect(before.usermeta).toEqual(
      expect.arrayContaining(['privacy_bridge_consent', '_privacy_bridge_policy_version']),
    );
    expect(before.postmeta).toEqual(expect.arrayContaining(['_privacy_bridge_state', '_privacy_bridge_deadline']));
    expect(before.wc_orders_meta).toEqual(
      expect.arrayContaining([
        '_privacy_bridge_policy_version',
        '_privacy_bridge_consent_ids',
        '_wc_other/privacy-bridge/accept-policy',
      ]),
    );
    expect(before.cron.sort()).toEqual(['privacy_bridge_outbox_drain_recurring', 'privacy_bridge_refresh_policy']);
    expect(before.actionscheduler_actions).toContain('privacy_bridge_outbox_drain pending');
    expect(before.actionscheduler_groups).toEqual(['privacy-bridge']);

    // As the Plugins screen does, except that deactivation skips the plugin's own hook: uninstall.php must clean up alone.
    await wpEval(
      `require_once ABSPATH . 'wp-admin/includes/plugin.php'; deactivate_plugins('${FILE}', true); return true;`,
    );
    expect(
      await wpEval(
        `require_once ABSPATH . 'wp-admin/includes/plugin.php'; return array(is_plugin_active('${FILE}'), is_uninstallable_plugin('${FILE}'), uninstall_plugin('${FILE}'));`,
      ),
    ).toEqual([false, true, true]);

    expect(await wpEval<Rows>(PLUGIN_ROWS)).toEqual({
      tables: [],
      options: [],
      usermeta: [],
      postmeta: [],
      wc_orders_meta: [],
      cron: [],
      actionscheduler_actions: [],
      actionscheduler_groups: [],
    });
    const kept = await wpEval(
      `$o = wc_get_order(${made.order}); return array(false !== get_userdata(${made.user}), $o ? $o->get_billing_email() : null, get_post_type(${made.request}));`,
    );
    expect(kept).toEqual([true, email, 'user_request']);
  });
});
