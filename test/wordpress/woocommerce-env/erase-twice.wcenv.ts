import { sendSigned } from '../support/signed.js';
import { URL_ } from './store.js';
import { ask, receipt, receiptPage, stack, type Stack, type Svc } from './services.js';
import { findEverywhere, person, seed, type Seeded } from './seed.js';

/**
 * Issue 20 (1, 2): a customer with five cancelled orders (nothing may hold them) erased through the plugin
 * leaves nothing of theirs anywhere in the store's database — HPOS tables, the orders' placeholder posts
 * and their meta, item meta, notes, reviews, the account and its meta, WooCommerce's customer lookup —
 * and a second erasure of the same person completes too, with a receipt saying nothing was left.
 */
let s: Stack;
let svc: Svc;
let them: Seeded;

beforeAll(async () => {
  s = await stack('twice');
  svc = await s.start({ plugin: true });
  them = await seed(
    person('five.cancelled'),
    Array.from({ length: 5 }, () => ({ status: 'cancelled' as const })),
    { account: true, review: true },
  );
}, 180_000);
afterAll(() => s?.close());

describe('a customer with five cancelled orders, erased through the plugin', () => {
  it('is erased completely: an SQL search of every table finds nothing of theirs, and the residue check searched them too', async () => {
    const before = await findEverywhere([them.person.email, them.person.phone, them.person.last]);
    expect(new Set(before.map((h) => h.table))).toEqual(
      new Set([
        'wc_orders',
        'wc_order_addresses',
        'wc_orders_meta',
        'postmeta',
        'comments',
        'users',
        'usermeta',
        'wc_customer_lookup',
      ]),
    );
    // The plugin's own SQL search (what the residue check calls) sees every one of those tables.
    const probe = async () =>
      (
        await sendSigned(
          URL_,
          '/wp-json/privacy-bridge/v1/dsr/residue',
          {
            requestId: '00000000-0000-4000-8000-000000000001',
            terms: [
              { kind: 'email', value: them.person.email },
              { kind: 'phone', value: them.person.phone },
              { kind: 'name', value: them.person.last },
            ],
          },
          s.key,
        )
      ).body as { hits: { table: string; orderId: number | null; userId: number | null }[]; tables: string[] };
    const seen = await probe();
    expect(new Set(seen.hits.map((h) => h.table))).toEqual(new Set(before.map((h) => h.table)));
    expect(seen.tables).toEqual(
      expect.arrayContaining([
        'wc_orders',
        'wc_order_addresses',
        'wc_orders_meta',
        'wc_order_operational_data',
        'posts',
        'postmeta',
        'wc_customer_lookup',
        'woocommerce_order_itemmeta',
        'comments',
        'users',
        'usermeta',
        'woocommerce_sessions',
      ]),
    );
    expect(
      seen.hits
        .filter((h) => h.table === 'postmeta')
        .map((h) => h.orderId)
        .sort(),
    ).toEqual(them.orderIds.flatMap((id) => [id, id, id]).sort());
    const v = await ask(svc, 'erasure', them.person.email);
    expect(v.status).toBe('completed');
    expect((await probe()).hits).toEqual([]);
    expect(await findEverywhere([them.person.email, them.person.phone, them.person.last])).toEqual([]);
  });

  it('a second erasure of the same person completes too, and its receipt says nothing was left', async () => {
    const v = await ask(svc, 'erasure', them.person.email, 'sq');
    expect(v.status).toBe('completed');
    const r = await receipt(svc, v.id);
    expect(r).toMatchObject({ nothingLeft: true });
    expect(r.items.filter((i) => i.item.startsWith('order-') || i.item.startsWith('customer-'))).toEqual([]);
    const page = await receiptPage(svc, v.id);
    expect(page).toContain('Nuk kishte mbetur asgjë për t’u fshirë');
    expect(page).toContain('Nothing of yours was left to erase');
  });
});
