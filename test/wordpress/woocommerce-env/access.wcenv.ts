import { ask, exported, stack, unlinked, type Stack, type Svc } from './services.js';
import { person, seed, type Seeded } from './seed.js';

/**
 * Access requests against the real WooCommerce: the plugin's bulk read and WooCommerce's REST API, two
 * services side by side on the same store, export the same orders, notes, refunds, booking items and
 * customer meta (links aside), and every order, note and booking item of the person. Changes nothing.
 */
let s: Stack;
let viaPlugin: Svc;
let viaRest: Svc;
let them: Seeded;

beforeAll(async () => {
  s = await stack('access');
  [viaPlugin, viaRest] = await Promise.all([s.start({ plugin: true }), s.start({ plugin: false })]);
  them = await seed(
    person('access'),
    Array.from({ length: 12 }, (_, i) => ({
      status: (['completed', 'cancelled', 'processing', 'on-hold'] as const)[i % 4]!,
    })),
    { account: true },
  );
}, 180_000);
afterAll(() => s?.close());

describe("access through the plugin's bulk read and through REST", () => {
  it("a customer made through WooCommerce's PHP CRUD: both exports are equal and hold every order, note and booking item", async () => {
    const [a, b] = await Promise.all([
      ask(viaPlugin, 'access', them.person.email),
      ask(viaRest, 'access', them.person.email),
    ]);
    expect([a.status, b.status]).toEqual(['completed', 'completed']);
    const [plugin, byRest] = await Promise.all([exported(viaPlugin, a.id), exported(viaRest, b.id)]);
    expect(plugin.orders.map((o) => o.id)).toEqual(them.orderIds);
    for (const o of plugin.orders) {
      expect(o.billing.email).toBe(them.person.email);
      expect(o.notes.map((n) => n.note)).toEqual(
        expect.arrayContaining([
          `Pagesa u kontrollua nga ${them.person.first} ${them.person.last}.`,
          'Seanca juaj me Dr. Elira Shehu është konfirmuar.',
        ]),
      );
      const booking = o.line_items.flatMap((i) => i.meta_data.map((m) => m.key));
      expect(booking).toEqual(
        expect.arrayContaining(['Data e seancës', 'Ora', 'Psikologu', '_booking_id', '_booking_status']),
      );
    }
    expect(plugin.customer?.email).toBe(them.person.email);
    expect((plugin.customer?.meta_data as { key: string }[]).map((m) => m.key)).toEqual(
      expect.arrayContaining(['preferred_language']),
    );
    expect(unlinked(plugin)).toEqual(unlinked(byRest));
  });

  it.each([
    ['arta.hoxha@example.com', [16, 18, 25], []],
    ['elona.gjoka@example.com', [19, 24, 27], [20]],
  ])(
    "the seeded shop's %s: the same orders, refunds and notes both ways, and nothing of anyone else",
    async (email, orderIds, refundIds) => {
      const [a, b] = await Promise.all([ask(viaPlugin, 'access', email), ask(viaRest, 'access', email)]);
      const [plugin, byRest] = await Promise.all([exported(viaPlugin, a.id), exported(viaRest, b.id)]);
      // Another file may have erased the seeded people already (all files share one store): then both say so alike.
      if (plugin.orders.length > 0 && plugin.orders[0]!.billing.email === email) {
        expect(plugin.orders.map((o) => o.id)).toEqual(orderIds);
        expect(plugin.orders.flatMap((o) => o.refunds.map((r) => r.id))).toEqual(refundIds);
      }
      expect(unlinked(plugin)).toEqual(unlinked(byRest));
    },
  );
});
