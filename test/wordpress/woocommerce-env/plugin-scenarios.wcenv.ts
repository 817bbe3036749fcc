import { randomBytes } from 'node:crypto';
import { SCENARIOS, type Person, type PluginUnderTest, type StoredOrder } from '../../contract/plugin-scenarios.js';
import { freePort } from '../../support/processes.js';
import { sendSigned, type Key } from '../support/signed.js';
import { seed } from './seed.js';
import { pluginInStore, URL_, wpEval } from './store.js';

/** The contract scenarios (test/contract/plugin-scenarios.ts) against the PHP plugin in the real WooCommerce; the double answers the same list in `npm test`. */
const KEY: Key = { id: 'wcenv-scenarios', secret: randomBytes(24).toString('hex') };
let before: unknown;

beforeAll(async () => {
  before = await wpEval<unknown>(`return get_option('privacy_bridge_settings', null);`);
  await pluginInStore(`http://127.0.0.1:${await freePort()}`, KEY);
}, 120_000);
afterAll(() =>
  wpEval(
    `$b = json_decode(base64_decode('${Buffer.from(JSON.stringify(before ?? null)).toString('base64')}'), true); if (null === $b) delete_option('privacy_bridge_settings'); else update_option('privacy_bridge_settings', $b, false); return true;`,
  ),
);

const real: PluginUnderTest = {
  seed: async (p, statuses) =>
    (
      await seed(
        { ...p, city: 'Durrës' },
        statuses.map((status) => ({ status })),
      )
    ).orderIds,
  call: (route, body) => sendSigned(URL_, `/wp-json/privacy-bridge/v1/${route}`, body, KEY),
  order: (id) =>
    wpEval<StoredOrder>(`
    $o = wc_get_order(${id}); $items = array(); foreach ($o->get_items() as $i) foreach ($i->get_meta_data() as $m) $items[] = $m->key;
    return array('email' => $o->get_billing_email('edit'), 'first' => $o->get_billing_first_name('edit'), 'phone' => $o->get_billing_phone('edit'),
      'ip' => $o->get_customer_ip_address('edit'), 'agent' => $o->get_customer_user_agent('edit'), 'note' => $o->get_customer_note('edit'), 'anonymized' => 'yes' === $o->get_meta('_anonymized'),
      'meta' => array_values(array_filter(array_map(function ($m) { return $m->key; }, $o->get_meta_data()), function ($k) { return '_anonymized' !== $k; })), 'itemMeta' => $items,
      'notes' => array_map(function ($n) { return $n->content; }, wc_get_order_notes(array('order_id' => ${id}))));`),
};

describe("the PHP plugin in WooCommerce 9.9 answers the plugin's contract scenarios", () => {
  it.each(SCENARIOS.map((s) => [s.name, s] as const))('%s', async (_name, scenario) => {
    const n = randomBytes(3).toString('hex');
    const p: Person = {
      email: `scenario.${n}@example.com`,
      first: 'Drita',
      last: `Mehmeti${n}`,
      phone: '+355 69 123 4567',
    };
    await scenario.run(real, await real.seed(p, scenario.orders), p);
  });
});
