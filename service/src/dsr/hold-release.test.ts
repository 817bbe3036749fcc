import { loadPolicy } from '../../../shared/src/policy/index.js';
import type { WooOrder } from '../woocommerce/index.js';
import { planOrder } from './erasure-plan.js';
import { heldOrders, releaseHolds } from './hold-release.js';
import { itemRow } from '../testing/item-row.js';

const opts = {
  policy: loadPolicy(),
  now: new Date('2026-11-01T10:00:00Z'),
  sessionMargin: 'P1D',
  timeZone: 'Europe/Tirane',
  sessionMinutes: 50,
  fingerprint: (v: unknown) => JSON.stringify(v),
};
const order = (status: string, paid: string | null = null): WooOrder => ({
  id: 12,
  status,
  date_paid_gmt: paid,
  date_created_gmt: '2026-10-01T10:00:00',
  billing: {
    first_name: 'Drita',
    last_name: 'Hoxha',
    email: 'drita.hoxha@example.com',
    phone: '+355 69 123 4567',
    address_1: 'Rruga e Kavajës 10',
  },
});
/** What the first pass kept of an order still open: its billing fields, under `open-order`, with no known end. */
const held = planOrder(order('pending'), [], opts).find((i) => i.action === 'retain')!;
const heldOpen = itemRow({ ...held, fields: [...held.fields] });
const account = (until: string | null) =>
  itemRow({
    item: 'customer-7',
    resource: 'customer',
    resourceId: 7,
    action: 'retain',
    fields: ['account'],
    hold: 'open-order',
    until,
  });
const fresh = (...orders: WooOrder[]) => new Map(orders.map((o) => [o.id, o]));

describe("releasing held items into a new erasure pass, decided on the shop's current data", () => {
  it('an open order since paid: its e-mail and phone go now, its invoice fields move to the accounting hold', () => {
    const { next, released } = releaseHolds([heldOpen], fresh(order('completed', '2026-10-01T10:00:00')), 2, opts);
    expect(released).toEqual(['order-12/retain/open-order']);
    expect(next.map((i) => [i.item, i.action, i.fields])).toEqual([
      ['order-12/anonymise@2', 'anonymise', ['billing.email', 'billing.phone']],
      ['order-12/retain/accounting@2', 'retain', ['billing.address_1', 'billing.first_name', 'billing.last_name']],
    ]);
  });

  it('an order still held as before stays; one deleted in the shop meanwhile is released with nothing to do', () => {
    expect(releaseHolds([heldOpen], fresh(order('pending')), 2, opts)).toEqual({ next: [], released: [] });
    expect(releaseHolds([heldOpen], fresh(), 2, opts)).toEqual({ next: [], released: ['order-12/retain/open-order'] });
  });

  it('an account kept for an open order goes with the order, and not before it', () => {
    const gone = releaseHolds([heldOpen, account(null)], fresh(), 2, opts);
    expect(gone.released).toEqual(['order-12/retain/open-order', 'customer-7']);
    expect(gone.next).toEqual([
      expect.objectContaining({ item: 'customer-7@2', action: 'erase', hold: null, until: null }),
    ]);
    expect(releaseHolds([heldOpen, account(null)], fresh(order('pending')), 2, opts)).toEqual({
      next: [],
      released: [],
    });
  });

  it('an account or booking whose hold had an end is erased whole, without asking the shop', () => {
    const booking = itemRow({
      item: 'booking-5',
      resource: 'booking',
      resourceId: 5,
      action: 'retain',
      fields: ['booking'],
      hold: 'upcoming-session',
      until: '2026-10-30T10:00:00.000Z',
    });
    const { next, released } = releaseHolds([account('2026-10-30T10:00:00.000Z'), booking], fresh(), 3, opts);
    expect(released).toEqual(['customer-7', 'booking-5']);
    expect(next.map((i) => [i.item, i.action, i.fields])).toEqual([
      ['customer-7@3', 'erase', ['account']],
      ['booking-5@3', 'erase', ['booking']],
    ]);
    expect(heldOrders([heldOpen, account(null), booking])).toEqual([12]);
  });
});
