import type { WooOrder } from '../woocommerce/index.js';
import {
  accountsOf,
  changedOrders,
  erasedAccounts,
  exportResidue,
  judgeItems,
  judgeProbe,
  keptForProbe,
  probeTermsOf,
  redisResidue,
  residueReport,
  searchJudge,
} from './residue-judge.js';
import { itemRow } from '../testing/item-row.js';

const terms = [
  { kind: 'email' as const, value: 'a@example.com' },
  { kind: 'phone' as const, value: '+355 69 123 4567' },
  { kind: 'name' as const, value: 'Hoxha' },
];
const hit = (
  h: Partial<{ table: string; column: string; orderId: number | null; userId: number | null; term: number }>,
) => ({ table: 'postmeta', column: 'meta_value', row: '1', orderId: null, userId: null, term: 0, ...h });
const items = [
  itemRow({
    item: 'order-10/anonymise',
    resource: 'order',
    resourceId: 10,
    action: 'anonymise',
    fields: ['billing.email', 'billing.phone'],
  }),
  itemRow({
    item: 'order-10/retain/accounting',
    resource: 'order',
    resourceId: 10,
    action: 'retain',
    fields: ['billing.last_name'],
    hold: 'accounting',
  }),
  itemRow({
    item: 'order-11/anonymise',
    resource: 'order',
    resourceId: 11,
    action: 'anonymise',
    fields: ['billing.email'],
  }),
];
const judge = (hits: ReturnType<typeof hit>[], truncated = false) =>
  judgeProbe({ hits, tables: [], truncated }, terms, items, new Set([7]));

describe("the plugin's SQL residue search, judged against the plan", () => {
  it("an e-mail left on an erased order (a placeholder post's meta) is residue; the surname a hold keeps is not", () => {
    expect(judge([hit({ orderId: 11, term: 0 })])).toEqual([
      { item: 'order-11', field: 'postmeta.meta_value', reason: 'sql:email' },
    ]);
    expect(judge([hit({ table: 'wc_order_addresses', column: 'last_name', orderId: 10, term: 2 })])).toEqual([]);
    expect(judge([hit({ table: 'wc_order_addresses', column: 'phone', orderId: 10, term: 1 })])).toHaveLength(1); // the hold keeps the name, not the phone
  });
  it("the e-mail anywhere is residue; a phone or surname on someone else's row is not theirs", () => {
    expect(judge([hit({ table: 'usermeta', userId: 99, term: 0 })])).toHaveLength(1);
    expect(judge([hit({ table: 'usermeta', userId: 99, term: 2 })])).toEqual([]);
    expect(judge([hit({ table: 'usermeta', userId: 7, term: 2 })])).toHaveLength(1); // their account, not kept
  });
  it("Analytics' customer row may mirror what a held order keeps, and a cut-off search is residue itself", () => {
    expect(judge([hit({ table: 'wc_customer_lookup', column: 'last_name', term: 2 })])).toEqual([]);
    expect(judge([hit({ table: 'wc_customer_lookup', column: 'email', term: 0 })])).toHaveLength(1);
    expect(judge([], true)).toEqual([{ item: 'db', reason: 'sql:truncated' }]);
  });
  it('tells the search what the holds keep, so a thousand kept invoices do not fill its answer: per held order, the kinds its kept fields match and whether its notes stay; a released hold keeps nothing', () => {
    const notesKept = itemRow({
      item: 'order-12/notes/retain',
      resource: 'order-notes',
      resourceId: 12,
      action: 'retain',
      fields: ['2 notes'],
      hold: 'upcoming-session',
    });
    const released = itemRow({
      item: 'order-13/retain/accounting',
      resource: 'order',
      resourceId: 13,
      action: 'retain',
      fields: ['billing.first_name', 'billing.phone'],
      hold: 'accounting',
      releasedPass: 2,
    });
    expect(keptForProbe([...items, notesKept, released])).toEqual([
      { orderId: 10, kinds: ['name'], notes: false },
      { orderId: 12, kinds: [], notes: true },
    ]);
  });
});

describe("the residue check's other rules", () => {
  const fp = (v: unknown) => JSON.stringify(v);
  const shop = (billing: Record<string, unknown>, notes: string[] = []) =>
    new Map<number, WooOrder>([
      [10, { id: 10, status: 'completed', billing, notes: notes.map((note, id) => ({ id, note })) }],
    ]);
  const plan = [
    itemRow({
      item: 'order-10/anonymise',
      resource: 'order',
      resourceId: 10,
      action: 'anonymise',
      fields: ['billing.last_name', 'billing.phone'],
      fingerprints: { 'billing.last_name': '"Hoxha"', 'billing.phone': '""' },
    }),
    itemRow({ item: 'order-10/notes', resource: 'order-notes', resourceId: 10, action: 'erase', fields: ['2 notes'] }),
    itemRow({ item: 'customer-7', resource: 'customer', resourceId: 7, action: 'erase', fields: ['account'] }),
  ];

  it('a field still holding its old value is residue, unless that value is already anonymous; notes left and a surviving account too', () => {
    expect(
      judgeItems(
        plan,
        shop({ last_name: 'Hoxha', phone: '' }, ['Personal data removed.', 'Thirr Dritën']),
        fp,
        new Set([7]),
      ),
    ).toEqual([
      { item: 'order-10/anonymise', field: 'billing.last_name', reason: 'unchanged' },
      { item: 'order-10/notes', reason: 'notes-left:1' },
      { item: 'customer-7', reason: 'account-exists' },
    ]);
    expect(
      judgeItems(plan, shop({ last_name: '[deleted]', phone: '' }, ['Personal data removed.']), fp, new Set()),
    ).toEqual([]);
    expect(changedOrders(plan)).toEqual([10]);
    expect(erasedAccounts(plan)).toEqual([7]);
  });

  it("the shop's search: an order or account of the subject's e-mail is residue unless a live hold keeps it", () => {
    const all = [
      ...items,
      itemRow({
        item: 'customer-8',
        resource: 'customer',
        resourceId: 8,
        action: 'retain',
        fields: ['account'],
        hold: 'open-order',
      }),
    ];
    const judge = searchJudge('drita.hoxha@example.com', all);
    const order = (id: number, email: string) => ({ id, status: 'completed', billing: { email } });
    const customer = (id: number, email: string) => ({ id, email });
    expect(
      judge({
        orders: [
          order(11, 'Drita.Hoxha@Example.com'),
          order(12, 'drita.hoxha@example.com'),
          order(13, 'arben.krasniqi@example.com'),
        ],
        customers: [customer(7, 'drita.hoxha@example.com'), customer(8, 'drita.hoxha@example.com')],
      }),
    ).toEqual([
      { item: 'order-11', reason: 'found-by-search' },
      { item: 'order-12', reason: 'unplanned-order' },
      { item: 'customer-7', reason: 'found-by-search' },
    ]);
    // The held order 10 keeps no e-mail: found by its e-mail, it is residue.
    expect(judge({ orders: [order(10, 'drita.hoxha@example.com')], customers: [] })).toEqual([
      { item: 'order-10', reason: 'found-by-search' },
    ]);
    const keepsEmail = searchJudge('drita.hoxha@example.com', [
      itemRow({
        item: 'order-10/retain/accounting',
        resource: 'order',
        resourceId: 10,
        action: 'retain',
        fields: ['billing.email'],
        hold: 'accounting',
      }),
    ]);
    expect(keepsEmail({ orders: [order(10, 'drita.hoxha@example.com')], customers: [] })).toEqual([]);
  });

  it('what the SQL search looks for, and what Redis and export files left are named as', () => {
    expect(
      probeTermsOf('drita.hoxha@example.com', { fullPhones: ['+355 69 123 4567'], names: ['Hoxha', 'Li'] }),
    ).toEqual([
      { kind: 'email', value: 'drita.hoxha@example.com' },
      { kind: 'phone', value: '+355 69 123 4567' },
      { kind: 'name', value: 'Hoxha' },
    ]);
    expect(
      accountsOf([...items, itemRow({ item: 'customer-7', resource: 'customer', resourceId: 7, action: 'erase' })]),
    ).toEqual(new Set([7]));
    expect(redisResidue(['pb:dsr:1 x'])).toEqual([{ item: 'redis', reason: 'key:pb:dsr:1?x' }]);
    expect(exportResidue([{ id: 'e1' }])).toEqual([{ item: 'export-file', reason: 'export:e1' }]);
  });

  it('the step records each finding once, lists at most 500, and counts them all', () => {
    const many = Array.from({ length: 600 }, (_, n) => ({ item: `order-${n}`, reason: 'found-by-search' }));
    const report = residueReport([{ item: 'redis', reason: 'key:a' }, { item: 'redis', reason: 'key:a' }, ...many]);
    expect(report.count).toBe(601);
    expect(report.residue).toHaveLength(500);
    expect(report.residue[0]).toEqual({ item: 'redis', field: null, reason: 'key:a' });
  });
});
