import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { loadPolicy } from '../../../shared/src/policy/index.js';
import { canonicalJson } from '../ledger/canonical-json.js';
import { keyedFingerprint, subjectRef, type JsonObject } from '../ledger/index.js';
import { createLogger } from '../platform/log/logger.js';
import { sensitive } from '../platform/sensitive.js';
import { DEFAULT_KEY, createWooDouble, seedDemoStore } from '../woocommerce/double/index.js';
import { assertFixturesPresent, WOO_DIR } from '../testing/fixture-world.js';
import { WooClient } from '../woocommerce/index.js';
import type { WooOrder } from '../woocommerce/index.js';
import { heldParts, type FactPart, type PlanContext } from './order-plan.js';

const pepper = randomBytes(32);
const ctx: PlanContext = {
  policy: loadPolicy(),
  timeZone: 'Europe/Tirane',
  sessionMinutes: 60,
  fingerprint: (v) => keyedFingerprint(v, pepper),
  subjectRef: (e) => subjectRef(e, pepper),
};
const fixture = (name: string) =>
  (JSON.parse(fs.readFileSync(path.join(WOO_DIR, name), 'utf8')) as { response: { body: WooOrder } }).response.body;
const byPurpose = (order: WooOrder) => new Map(heldParts(ctx, 'order', order.id, order).map((p) => [p.purpose, p]));
/** A part's detail and values, as the ledger will store and decrypt them. */
const read = (p: FactPart) => ({
  detail: JSON.parse(p.detail) as { fields: string[] } & Record<string, unknown>,
  values: JSON.parse(p.values!) as Record<string, unknown>,
});

describe('data.held: one fact per purpose and legal basis of a resource', () => {
  let guest: WooOrder;
  beforeAll(() => {
    assertFixturesPresent();
    guest = fixture('order-single-guest.json'); // recorded from WooCommerce 9.9: a guest's booking, paid by card
  });

  it("lists a purpose's categories, fields, each category's retention and the special ones", () => {
    const parts = heldParts(ctx, 'order', guest.id, guest);
    expect(parts.map((p) => [p.purpose, p.legalBasis, p.categories])).toEqual([
      ['account', 'contract', ['account']],
      ['booking', 'contract', ['appointment', 'contact', 'identity']],
      ['payment', 'contract', ['billing-address', 'payment', 'service-purchased', 'transaction']],
      ['privacy-compliance', 'legal-obligation', ['consent-records']],
      ['security', 'legitimate-interests', ['usage']],
    ]);
    const booking = parts[1]!;
    expect(booking).toMatchObject({
      kind: 'data.held',
      source: 'order-28',
      key: `order-28/booking/contract/${ctx.fingerprint(read(booking).values as JsonObject)}`,
    });
    expect(read(booking).detail).toEqual({
      resource: 'order',
      id: 28,
      fields: [
        'billing.email',
        'billing.first_name',
        'billing.last_name',
        'billing.phone',
        'line_items[0].meta_data[Data e seancës]',
        'line_items[0].meta_data[Ora]',
        'line_items[0].meta_data[Preferenca]',
        'line_items[0].meta_data[Psikologu]',
        'line_items[0].meta_data[_booking_id]',
        'line_items[0].meta_data[_booking_status]',
        'meta_data[booking_reference]',
      ],
      retention: { appointment: 'session', contact: 'order-record', identity: 'order-record' },
      special: ['appointment'],
    });
    expect(read(booking).values).toMatchObject({
      'billing.email': 'klodiana.meta@example.com',
      'line_items[0].meta_data[Psikologu]': 'MSc. Jonida Kola',
    });
    expect(Object.keys(read(booking).values).sort()).toEqual(read(booking).detail.fields);
    expect(read(parts[2]!).detail).toMatchObject({
      retention: {
        'billing-address': 'order-record',
        payment: 'order-record',
        'service-purchased': 'order-record',
        transaction: 'order-record',
      },
      special: ['service-purchased'],
    });
    expect(read(parts[4]!).detail).toMatchObject({
      fields: ['customer_ip_address', 'customer_user_agent'],
      retention: { usage: 'usage' },
      special: [],
    });
  });

  it("writes a group's values as canonical JSON keyed by path, a repeated meta key keeping its last value", () => {
    const order: WooOrder = {
      ...guest,
      meta_data: [
        { key: 'booking_reference', value: 'BR-1' },
        { key: '_privacy_policy_accepted_at', value: '2026-11-01' },
        { key: 'booking_reference', value: 'BR-2' },
      ],
    };
    const parts = heldParts(ctx, 'order', order.id, order);
    for (const p of parts) expect(p.values).toBe(canonicalJson(JSON.parse(p.values!) as JsonObject));
    expect(read(byPurpose(order).get('booking')!).values['meta_data[booking_reference]']).toBe('BR-2');
  });

  it('puts every classified field in exactly one fact, and no personal value in the clear detail', () => {
    const parts = heldParts(ctx, 'order', guest.id, guest);
    const fields = parts.flatMap((p) => read(p).detail.fields);
    expect(new Set(fields).size).toBe(fields.length);
    expect(fields).toEqual(
      expect.arrayContaining([
        'billing.email',
        'customer_ip_address',
        'transaction_id',
        'meta_data[_privacy_policy_accepted_at]',
      ]),
    );
    expect(fields.some((f) => f.startsWith('date_modified'))).toBe(false);
    const clear = JSON.stringify(parts.map(({ values: _values, ...rest }) => rest));
    for (const secret of ['klodiana.meta@example.com', '+355 69 555 0142', '203.0.113.21', 'MSc. Jonida Kola'])
      expect(clear).not.toContain(secret);
  });

  it("keeps keys stable for an unchanged order; a changed field re-keys only its purpose's fact", () => {
    const before = byPurpose(guest);
    const resaved = { ...guest, date_modified: '2026-11-13T08:00:00', date_modified_gmt: '2026-11-13T07:00:00' };
    expect([...byPurpose(resaved).values()].map((p) => p.key)).toEqual([...before.values()].map((p) => p.key));

    const billing = { ...guest.billing, phone: '+355 68 000 0000' };
    const newPhone = byPurpose({ ...guest, billing });
    const newIp = byPurpose({ ...guest, customer_ip_address: '198.51.100.7' });
    for (const [purpose, part] of before) {
      expect(newPhone.get(purpose)!.key === part.key).toBe(purpose !== 'booking');
      expect(newIp.get(purpose)!.key === part.key).toBe(purpose !== 'security');
    }
  });

  it('keys the same values under another purpose or basis apart', () => {
    const keys = heldParts(ctx, 'customer', 7, {
      id: 7,
      email: 'a@example.invalid',
      meta_data: [
        { key: 'wc_last_active', value: '1' },
        { key: 'marketing_consent', value: '1' },
      ],
    }).map((p) => p.key);
    expect(keys.map((k) => k.split('/').slice(1, 3).join('/'))).toEqual([
      'account/contract',
      'marketing/consent',
      'security/legitimate-interests',
    ]);
    expect(keys.every((k) => k.startsWith('customer-7/'))).toBe(true);
  });

  it('records four facts for a booking order of the demo store (was nine, one per category)', async () => {
    const double = createWooDouble();
    seedDemoStore(double.store, { orders: 40 });
    const server = await double.listen(0);
    try {
      const woo = new WooClient(
        {
          url: server.url,
          consumerKey: sensitive(DEFAULT_KEY.consumerKey),
          consumerSecret: sensitive(DEFAULT_KEY.consumerSecret),
        },
        createLogger({ level: 'silent' }),
      );
      const orders = await woo.get<WooOrder[]>('orders', { per_page: 40 });
      const plain = orders.filter((o) => (o.refunds as unknown[]).length === 0);
      expect(plain.length).toBeGreaterThan(20);
      for (const o of plain) expect([...byPurpose(o).keys()]).toEqual(['account', 'booking', 'payment', 'security']);
      // A refund's reason is a support note: one fact more.
      expect(orders.length - plain.length).toBeGreaterThan(0);
      for (const o of orders.filter((x) => (x.refunds as unknown[]).length > 0))
        expect([...byPurpose(o).keys()]).toEqual(['account', 'booking', 'payment', 'security', 'support']);
    } finally {
      await server.close();
    }
  });
});
