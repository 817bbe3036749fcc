import type { RetainCandidate } from '../ledger/index.js';
import { itemRow } from '../testing/item-row.js';
import { holdLabel, releasedIn, retentionsOf, stillHeld } from './ledger-holds.js';

const entry = (p: Partial<RetainCandidate>): RetainCandidate =>
  ({ key: 'k', kind: 'data.held', source: null, detail: null, ...p }) as RetainCandidate;

describe('what the erasure keeps, as the ledger keeps it', () => {
  const session = itemRow({
    item: 'order-7/retain/upcoming-session',
    resource: 'order',
    resourceId: 7,
    action: 'retain',
    hold: 'upcoming-session',
    fields: ['billing.email', 'line_items[*].meta_data[Ora]'],
  });
  const notes = itemRow({ item: 'order-7/notes/retain', resource: 'order-notes', resourceId: 7, action: 'retain' });
  const account = itemRow({ item: 'customer-3', resource: 'customer', resourceId: 3, action: 'retain' });
  const choose = retentionsOf([session, notes, account]);

  it("keeps an order's held fields (any line item), its notes and its appointments; nothing of another order", () => {
    const kept = choose(entry({ source: 'order-7' }));
    expect(kept.map((k) => k.hold)).toEqual(['r/order-7/retain/upcoming-session', 'r/order-7/notes/retain']);
    const [fields, noteFields] = kept.map((k) => k.keep as (f: string) => boolean);
    expect(['billing.email', 'line_items[2].meta_data[Ora]', 'billing.phone'].map(fields!)).toEqual([
      true,
      true,
      false,
    ]);
    expect(['notes[0].note', 'billing.email'].map(noteFields!)).toEqual([true, false]);
    expect(choose(entry({ kind: 'appointment.held', source: 'booking-5', detail: { orderId: 7 } }))).toEqual([
      { hold: 'r/order-7/retain/upcoming-session', keep: 'all' },
    ]);
    expect(choose(entry({ source: 'order-70' }))).toEqual([]);
    expect(choose(entry({ source: 'customer-3' }))).toEqual([{ hold: 'r/customer-3', keep: 'all' }]);
  });

  it('an accounting hold without booking meta keeps no appointment', () => {
    const invoice = { ...session, item: 'order-7/retain/accounting', fields: ['billing.first_name'] };
    expect(retentionsOf([invoice])(entry({ kind: 'appointment.held', detail: { orderId: 7 } }))).toEqual([]);
  });

  it('tells held items from the ones a pass releases', () => {
    const released = { ...account, releasedPass: 2 };
    expect(stillHeld([session, released, itemRow({ item: 'x', resource: 'order', action: 'erase' })])).toEqual([
      session,
    ]);
    expect(releasedIn([session, released], 2)).toEqual([released]);
    expect(holdLabel(session)).toBe('r/order-7/retain/upcoming-session');
  });
});
