/**
 * ONE list of contract scenarios for the plugin's DSR routes (dsr/erase, dsr/bulk-read, dsr/residue), run against the
 * TypeScript plugin double (test/contract/plugin-scenarios.test.ts, in `npm test`) and against the PHP
 * plugin inside the real WooCommerce (test/wordpress/woocommerce-env/plugin-scenarios.wcenv.ts): the same
 * inputs, the same expected results. Where they disagreed, the real plugin was right and the double changed.
 * Each scenario's orders are made like the shop's seed: one booking line item (`Data e seancës`, `Ora`,
 * `Psikologu`, `_booking_id`, `_booking_status`), order meta `booking_reference`, a customer note, an IP
 * and user agent, two order notes.
 */
export type Person = { email: string; first: string; last: string; phone: string };
/** An order as both sides report it after a scenario (order fields read back from the shop's own data). */
export type StoredOrder = {
  email: string;
  first: string;
  phone: string;
  ip: string;
  agent: string;
  note: string;
  /** WooCommerce's anonymiser ran on it (`_anonymized` = yes; left out of `meta`). */
  anonymized: boolean;
  meta: string[];
  itemMeta: string[];
  notes: string[];
};
export type PluginUnderTest = {
  /** Makes `statuses.length` guest orders of `p` in the shop; ids ascending. */
  seed(p: Person, statuses: readonly ('completed' | 'cancelled')[]): Promise<number[]>;
  call(route: 'dsr/erase' | 'dsr/bulk-read' | 'dsr/residue', body: unknown): Promise<{ status: number; body: any }>;
  order(id: number): Promise<StoredOrder>;
};

const ALL = [
  'billing.email',
  'billing.first_name',
  'billing.phone',
  'customer_ip_address',
  'customer_user_agent',
  'customer_note',
] as const;
const requestId = '6f1d3c2e-8b4a-4c7e-9a1b-2c3d4e5f6a7b';
const otherRequestId = '7a2e4d3f-9c5b-4d8f-8b2c-3d4e5f6a7b8c';
const eraseOne = (
  id: number,
  o: {
    anonymise?: readonly string[];
    meta?: string[];
    itemMeta?: string[];
    notes?: boolean;
    holds?: { id: string; until: string | null }[];
    requestId?: string;
  } = {},
) => ({
  requestId: o.requestId ?? requestId,
  pass: 1,
  deleteAccount: null,
  deleteBookings: [],
  reviewsByEmail: null,
  orders: [
    {
      id,
      anonymise: o.anonymise ?? ALL,
      deleteMetaKeys: o.meta ?? [],
      deleteItemMetaKeys: o.itemMeta ?? [],
      deleteNotes: o.notes ?? true,
      ...(o.holds ? { holds: o.holds } : {}),
    },
  ],
});

export type Scenario = {
  name: string;
  orders: readonly ('completed' | 'cancelled')[];
  run(t: PluginUnderTest, ids: number[], p: Person): Promise<void>;
};

export const SCENARIOS: readonly Scenario[] = [
  {
    name: "erase: WooCommerce's placeholders on the named fields, the notes replaced by its one note, only keys that were there reported deleted",
    orders: ['cancelled'],
    async run(t, [id], p) {
      const r = await t.call(
        'dsr/erase',
        eraseOne(id!, {
          meta: ['booking_reference', 'no_such_key'],
          itemMeta: ['Psikologu', 'Data e seancës', 'Ora', 'no_such_item_key'],
        }),
      );
      expect(r.status).toBe(200);
      expect(r.body).toEqual({
        requestId,
        account: null,
        reviewsDeleted: null,
        orders: [
          {
            id,
            outcome: 'done',
            anonymised: [...ALL],
            unchangeable: [],
            deletedMetaKeys: ['booking_reference', 'Psikologu', 'Data e seancës', 'Ora'],
            notesDeleted: 2 + 1,
          },
        ],
      });
      const o = await t.order(id!);
      expect(o).toMatchObject({
        email: 'deleted@site.invalid',
        first: '[deleted]',
        phone: p.phone.replace(/\d/g, '0'),
        agent: '[deleted]',
        note: '',
        notes: ['Personal data removed.'],
      });
      expect(o.ip).toMatch(/^203\.0\.113\.0$/);
      expect(o.meta).not.toContain('booking_reference');
      expect(o.itemMeta.filter((k) => !k.startsWith('_'))).toEqual([]);
      expect(o.itemMeta).toEqual(expect.arrayContaining(['_booking_id', '_booking_status']));
    },
  },
  {
    name: 'erase keeping the notes: only the named fields change, every note stays',
    orders: ['completed'],
    async run(t, [id], p) {
      const before = await t.order(id!);
      const r = await t.call(
        'dsr/erase',
        eraseOne(id!, { anonymise: ['billing.email', 'customer_user_agent'], notes: false }),
      );
      expect(r.body.orders).toEqual([
        {
          id,
          outcome: 'done',
          anonymised: ['billing.email', 'customer_user_agent'],
          unchangeable: [],
          deletedMetaKeys: [],
          notesDeleted: 0,
        },
      ]);
      const o = await t.order(id!);
      expect(o).toEqual({ ...before, email: 'deleted@site.invalid', agent: '[deleted]' });
      expect(o.first).toBe(p.first);
      expect(o.notes.length).toBeGreaterThanOrEqual(2);
    },
  },
  {
    name: 'erase a held order: only the named fields change, no anonymiser mark or note, every note stays, and one note names each hold and its end (not twice)',
    orders: ['completed'],
    async run(t, [id]) {
      const before = await t.order(id!);
      const holds = [
        { id: 'accounting', until: '2037-06-30T12:00:00.000Z' },
        { id: 'upcoming-session', until: '2027-03-14T12:00:00.000Z' },
      ];
      const r = await t.call(
        'dsr/erase',
        eraseOne(id!, { anonymise: ['customer_ip_address', 'customer_user_agent'], notes: false, holds }),
      );
      expect(r.body.orders).toEqual([
        {
          id,
          outcome: 'done',
          anonymised: ['customer_ip_address', 'customer_user_agent'],
          unchangeable: [],
          deletedMetaKeys: [],
          notesDeleted: 0,
        },
      ]);
      const o = await t.order(id!);
      expect(o).toMatchObject({ email: before.email, first: before.first, note: before.note, anonymized: false });
      expect(o.agent).toBe('[deleted]');
      expect(o.notes).toEqual(expect.arrayContaining(before.notes));
      const added = o.notes.filter((n) => !before.notes.includes(n));
      expect(added).toHaveLength(1);
      expect(added[0]).not.toMatch(/Personal data removed/);
      expect(added[0]).toMatch(/\b14\b.*\b2027\b/);
      expect(added[0]).toMatch(/\b30\b.*\b2037\b/);
      // Another request keeping the order for the same holds writes no second note.
      await t.call('dsr/erase', eraseOne(id!, { anonymise: [], notes: false, holds, requestId: otherRequestId }));
      expect((await t.order(id!)).notes.sort()).toEqual([...o.notes].sort());
    },
  },
  {
    name: "erase a held order whose notes the command deletes: they go, without WooCommerce's note or mark, and the hold note stays alone",
    orders: ['completed'],
    async run(t, [id]) {
      const r = await t.call(
        'dsr/erase',
        eraseOne(id!, { anonymise: [], notes: true, holds: [{ id: 'open-order', until: null }] }),
      );
      expect(r.body.orders[0]).toMatchObject({ id, outcome: 'done', notesDeleted: expect.any(Number) });
      expect(r.body.orders[0].notesDeleted).toBeGreaterThanOrEqual(2);
      const o = await t.order(id!);
      expect(o.anonymized).toBe(false);
      expect(o.notes).toHaveLength(1);
      expect(o.notes[0]).not.toMatch(/Personal data removed/);
    },
  },
  {
    name: 'erase twice: the repeat changes nothing more and answers done',
    orders: ['cancelled'],
    async run(t, [id]) {
      await t.call('dsr/erase', eraseOne(id!, { meta: ['booking_reference'] }));
      const once = await t.order(id!);
      const r = await t.call('dsr/erase', eraseOne(id!, { meta: ['booking_reference'] }));
      expect(r.body.orders[0]).toMatchObject({ id, outcome: 'done', deletedMetaKeys: [], unchangeable: [] });
      expect(await t.order(id!)).toEqual(once);
    },
  },
  {
    name: 'erase an order that is not there: not-found, nothing else',
    orders: [],
    async run(t) {
      const r = await t.call('dsr/erase', eraseOne(2_147_000_001));
      expect(r.body.orders).toEqual([
        {
          id: 2_147_000_001,
          outcome: 'not-found',
          anonymised: [],
          unchangeable: [],
          deletedMetaKeys: [],
          notesDeleted: 0,
        },
      ]);
    },
  },
  {
    name: "bulk read: a guest's orders by e-mail, oldest first, in pages, each with its notes and booking item meta",
    orders: ['completed', 'cancelled', 'completed'],
    async run(t, ids, p) {
      const page = (n: number) => t.call('dsr/bulk-read', { requestId, email: p.email, page: n, perPage: 2 });
      const [one, two] = [await page(1), await page(2)];
      expect([one.status, two.status]).toEqual([200, 200]);
      expect(one.body).toMatchObject({ customer: null, bookings: [], page: 1, totalPages: 2 });
      expect(two.body).toMatchObject({ customer: null, page: 2, totalPages: 2 });
      const orders = [...one.body.orders, ...two.body.orders] as {
        id: number;
        billing: { email: string };
        notes: { note: string }[];
        line_items: { meta_data: { key: string }[] }[];
      }[];
      expect(orders.map((o) => o.id)).toEqual(ids);
      for (const o of orders) {
        expect(o.billing.email).toBe(p.email);
        expect(o.notes.map((n) => n.note)).toEqual(
          expect.arrayContaining([
            `Pagesa u kontrollua nga ${p.first} ${p.last}.`,
            'Seanca juaj me Dr. Elira Shehu është konfirmuar.',
          ]),
        );
        expect(o.line_items[0]!.meta_data.map((m) => m.key)).toEqual([
          'Data e seancës',
          'Ora',
          'Psikologu',
          '_booking_id',
          '_booking_status',
        ]);
      }
    },
  },
  {
    name: "residue search: a held order's kept kind of term and its kept notes are not named; the other order is named for both terms, notes included",
    orders: ['completed', 'cancelled'],
    async run(t, ids, p) {
      const [held, other] = ids as [number, number];
      const probe = await t.call('dsr/residue', {
        requestId,
        terms: [
          { kind: 'email', value: p.email },
          { kind: 'name', value: p.last },
        ],
        keep: [{ orderId: held, kinds: ['name'], notes: true }],
      });
      expect(probe.status).toBe(200);
      const hits = (probe.body.hits as { table: string; orderId: number | null; term: number }[]).filter(
        (h) => h.orderId !== null && ids.includes(h.orderId),
      );
      const pairs = (id: number) => [...new Set(hits.filter((h) => h.orderId === id).map((h) => h.term))].sort();
      expect(pairs(held)).toEqual([0]); // its e-mail is not kept: still named
      expect(pairs(other)).toEqual([0, 1]);
      expect(new Set(hits.filter((h) => h.table === 'comments').map((h) => h.orderId))).toEqual(new Set([other]));
      expect(probe.body.truncated).toBe(false);
    },
  },
];
