import { ask, receipt, stack, type Stack, type Svc } from './services.js';
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
  them = await seed(person('five.cancelled'), Array.from({ length: 5 }, () => ({ status: 'cancelled' as const })), { account: true, review: true });
}, 180_000);
afterAll(() => s?.close());

describe('a customer with five cancelled orders, erased through the plugin', () => {
  it('is erased completely: an SQL search of every table finds nothing of theirs', async () => {
    const before = await findEverywhere([them.person.email, them.person.phone, them.person.last]);
    expect(new Set(before.map((h) => h.table))).toEqual(new Set(['wc_orders', 'wc_order_addresses', 'wc_orders_meta', 'postmeta', 'comments', 'users', 'usermeta', 'wc_customer_lookup']));
    const v = await ask(svc, 'erasure', them.person.email);
    expect(v.status).toBe('completed');
    expect(await findEverywhere([them.person.email, them.person.phone, them.person.last])).toEqual([]);
  });
});
