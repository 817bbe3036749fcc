import { sensitive } from '../../service/src/platform/sensitive.js';
import { WooRestConnector } from '../../service/src/dsr/connectors/woocommerce-rest.js';
import { WooClient } from '../../service/src/woocommerce/client/woo-client.js';
import { createWooDouble, DEFAULT_KEY, type WooDouble } from '../../service/src/woocommerce/double/index.js';
import { pluginDouble } from '../../service/src/woocommerce/double/plugin-double.js';
import { captureLogs } from '../../service/src/testing/log-capture.js';
import { sendSigned } from '../wordpress/support/signed.js';
import { SCENARIOS, type Person, type PluginUnderTest } from './plugin-scenarios.js';

/** The contract scenarios (plugin-scenarios.ts) against the TypeScript plugin double; the real plugin answers the same list in the real-store suite. */
const KEY = { id: 'scenarios', secret: 'k'.repeat(40) };
let double: WooDouble;
let woo: { url: string; close(): Promise<void> };
let plugin: Awaited<ReturnType<typeof pluginDouble>>;
let n = 0;

beforeAll(async () => {
  double = createWooDouble();
  woo = await double.listen(0);
  const client = new WooClient(
    {
      url: woo.url,
      consumerKey: sensitive(DEFAULT_KEY.consumerKey),
      consumerSecret: sensitive(DEFAULT_KEY.consumerSecret),
      maxAttempts: 1,
      concurrency: 4,
    },
    captureLogs('warn').log,
  );
  const rest = new WooRestConnector(client, 4);
  plugin = await pluginDouble(double.store, KEY, { read: (email) => rest.collect(sensitive(email), 'scenario') });
});
afterAll(async () => {
  await plugin?.close();
  await woo?.close();
});

/** Orders as the real store's seed makes them (seed.ts of the real-store suite), WooCommerce's status notes included. */
const underTest = (): PluginUnderTest => ({
  async seed(p, statuses) {
    const s = double.store;
    return statuses.map((status) => {
      const id = s.next('post');
      n++;
      const billing = {
        first_name: p.first,
        last_name: p.last,
        company: '',
        address_1: 'Rruga e Durrësit 12',
        address_2: '',
        city: 'Durrës',
        state: '',
        postcode: '2001',
        country: 'AL',
        email: p.email,
        phone: p.phone,
      };
      const at = '2026-11-20T10:00:00';
      s.putOrder({
        id,
        parent_id: 0,
        status,
        currency: 'ALL',
        version: '9.9.5',
        prices_include_tax: false,
        discount_total: '0',
        discount_tax: '0',
        shipping_total: '0',
        shipping_tax: '0',
        cart_tax: '0',
        total: '4000',
        total_tax: '0',
        customer_id: 0,
        order_key: `wc_order_${id}`,
        billing: billing as never,
        shipping: {
          first_name: '',
          last_name: '',
          company: '',
          address_1: '',
          address_2: '',
          city: '',
          state: '',
          postcode: '',
          country: '',
          phone: '',
        } as never,
        payment_method: 'bacs',
        payment_method_title: 'Transfertë bankare',
        transaction_id: status === 'completed' ? `BKT-WCENV-${n}` : '',
        customer_ip_address: `203.0.113.${1 + (n % 250)}`,
        customer_user_agent: `Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0 wcenv-${n}`,
        created_via: 'checkout',
        customer_note: `Ju lutem më telefononi në ${p.phone} para seancës.`,
        cart_hash: '',
        meta_data: s.meta('orderMeta', [
          { key: 'booking_reference', value: `WCENV-${n}` },
          { key: '_privacy_policy_accepted_at', value: '2026-11-20T09:59:00+00:00' },
        ]),
        line_items: [
          s.lineItem({
            name: 'Seancë individuale me psikolog (50 min)',
            product_id: 11,
            variation_id: 0,
            quantity: 1,
            tax_class: '',
            subtotal: '4000',
            subtotal_tax: '0',
            total: '4000',
            total_tax: '0',
            taxes: [],
            sku: 'PSI-IND-50',
            price: 4000,
            image: { id: '', src: '' },
            parent_name: null,
            meta_data: s.itemMeta([
              { key: 'Data e seancës', value: '2026-09-11' },
              { key: 'Ora', value: '17:00' },
              { key: 'Psikologu', value: 'Dr. Elira Shehu' },
              { key: '_booking_id', value: String(900000 + n) },
              { key: '_booking_status', value: 'confirmed' },
            ]),
          }),
        ],
        tax_lines: [],
        shipping_lines: [],
        fee_lines: [],
        coupon_lines: [],
        created: at,
        modified: at,
        completed: status === 'completed' ? at : null,
        paid: status === 'completed' ? at : null,
      } as never);
      s.addNote(id, {
        author: 'WooCommerce',
        customer_note: false,
        note: `Pagesa u kontrollua nga ${p.first} ${p.last}.`,
      });
      s.addNote(id, {
        author: 'WooCommerce',
        customer_note: true,
        note: 'Seanca juaj me Dr. Elira Shehu është konfirmuar.',
      });
      for (const note of status === 'completed'
        ? [
            'Order status changed from Pending payment to Processing.',
            'Order status changed from Processing to Completed.',
          ]
        : ['Order status changed from Pending payment to Cancelled.'])
        s.addNote(id, { author: 'WooCommerce', customer_note: false, note });
      return id;
    });
  },
  call: (route, body) => sendSigned(plugin.url, `/wp-json/privacy-bridge/v1/${route}`, body, KEY),
  async order(id) {
    const o = double.store.orders.get(id)!;
    return {
      email: String(o.billing.email),
      first: String(o.billing.first_name),
      phone: String(o.billing.phone),
      ip: o.customer_ip_address,
      agent: o.customer_user_agent,
      note: o.customer_note,
      anonymized: o.meta_data.some((m) => m.key === '_anonymized' && m.value === 'yes'),
      meta: o.meta_data.map((m) => m.key).filter((k) => k !== '_anonymized'),
      itemMeta: o.line_items.flatMap((i) => i.meta_data.map((m) => m.key)),
      notes: double.store.notesOf(id).map((x) => x.note),
    };
  },
});

describe("the plugin double answers the plugin's contract scenarios", () => {
  it.each(SCENARIOS.map((s) => [s.name, s] as const))('%s', async (_name, scenario) => {
    const t = underTest();
    const p: Person = {
      email: `scenario.${Date.now()}.${n}@example.com`,
      first: 'Drita',
      last: `Mehmeti${n}x`,
      phone: '+355 69 123 4567',
    };
    const ids = await t.seed(p, scenario.orders);
    await scenario.run(t, ids, p);
  });
});
