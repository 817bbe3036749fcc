import { loadPolicy } from '../../../shared/src/policy/index.js';
import { canTransition, deadlineFlag, dueDate, extendedDue, median, unchangeableOf } from './dsr-rules.js';
import type { WooOrder } from '../woocommerce/index.js';
import { planErasure } from './erasure-plan.js';

describe('DSR rules', () => {
  it('is due one calendar month after receipt: 31 January → last day of February', () => {
    expect(dueDate(new Date('2027-01-31T09:00:00Z'), 'P1M').toISOString()).toBe('2027-02-28T09:00:00.000Z');
    expect(dueDate(new Date('2028-01-31T09:00:00Z'), 'P1M').toISOString()).toBe('2028-02-29T09:00:00.000Z');
  });

  it('extends once, by at most the configured maximum', () => {
    const due = new Date('2027-02-28T09:00:00Z');
    expect(extendedDue({ dueAt: due, extendedAt: null }, 2, 'P2M')).toEqual(new Date('2027-04-28T09:00:00Z'));
    expect(extendedDue({ dueAt: due, extendedAt: null }, 3, 'P2M')).toBe('too-long');
    expect(extendedDue({ dueAt: due, extendedAt: '2027-02-01T00:00:00Z' }, 1, 'P2M')).toBe('already-extended');
  });

  it('moves only along the state machine', () => {
    expect(canTransition('received', 'verified')).toBe(true);
    expect(canTransition('received', 'completed')).toBe(false);
    expect(canTransition('in_progress', 'needs_attention')).toBe(true);
    expect(canTransition('completed', 'in_progress')).toBe(false);
    expect(canTransition('completed', 'needs_attention')).toBe(true); // a re-check (dsr retry) found residue after the fact
    expect(canTransition('completed', 'refused')).toBe(false);
    expect(canTransition('refused', 'verified')).toBe(false);
  });

  it('flags due within 7 days and overdue', () => {
    const due = new Date('2027-02-28T09:00:00Z');
    expect(deadlineFlag(due, new Date('2027-02-10T00:00:00Z'))).toBeNull();
    expect(deadlineFlag(due, new Date('2027-02-23T00:00:00Z'))).toBe('due-soon');
    expect(deadlineFlag(due, new Date('2027-03-01T00:00:00Z'))).toBe('overdue');
    expect(median([3, 1, 2, 10])).toBe(2.5);
  });

  it('plans a paid past order: invoice fields kept for accounting; contact, usage, booking meta and the notes (they name the session) erased', () => {
    const order: WooOrder = {
      id: 7,
      status: 'completed',
      customer_id: 3,
      date_paid_gmt: '2026-03-01T09:00:00',
      customer_ip_address: '203.0.113.7',
      customer_user_agent: 'UA',
      customer_note: 'shënim',
      billing: { first_name: 'Arta', last_name: 'Hoxha', email: 'a@example.al', phone: '+355 69 1', city: 'Tiranë' },
      meta_data: [{ key: 'booking_reference', value: 'MND-7' }],
      line_items: [
        {
          id: 1,
          name: 'Seancë',
          meta_data: [
            { key: 'Data e seancës', value: '2026-03-04' },
            { key: 'Ora', value: '10:00' },
          ],
        },
      ],
      notes: [{ id: 1 }, { id: 2 }],
    };
    const items = planErasure(
      { customer: null, orders: [order], bookings: [] },
      {
        policy: loadPolicy(),
        now: new Date('2026-11-01T10:00:00Z'),
        sessionMargin: 'P1D',
        timeZone: 'Europe/Tirane',
        sessionMinutes: 50,
        fingerprint: (v) => JSON.stringify(v),
      },
    );
    const anonymise = items.find((i) => i.action === 'anonymise')!;
    expect(anonymise.fields).toEqual(
      expect.arrayContaining([
        'billing.email',
        'billing.phone',
        'customer_ip_address',
        'customer_user_agent',
        'customer_note',
        'meta_data[booking_reference]',
        'line_items[*].meta_data[Ora]',
      ]),
    );
    const kept = items.find((i) => i.action === 'retain' && i.resource === 'order')!;
    expect(kept).toMatchObject({ hold: 'accounting', until: '2036-12-31T23:59:59.000Z' });
    expect(kept.fields).toEqual(expect.arrayContaining(['billing.first_name', 'billing.last_name', 'billing.city']));
    expect(items.find((i) => i.resource === 'order-notes')).toMatchObject({ action: 'erase', hold: null });
  });
  it("erases the notes of an order nothing holds (a cancelled, unpaid one), as WooCommerce's anonymiser does", () => {
    const items = planErasure(
      {
        customer: null,
        orders: [{ id: 8, status: 'cancelled', billing: { email: 'a@example.al' }, notes: [{ id: 1 }] } as WooOrder],
        bookings: [],
      },
      {
        policy: loadPolicy(),
        now: new Date('2026-11-01T10:00:00Z'),
        sessionMargin: 'P1D',
        timeZone: 'Europe/Tirane',
        sessionMinutes: 50,
        fingerprint: (v) => JSON.stringify(v),
      },
    );
    expect(items.find((i) => i.resource === 'order-notes')).toMatchObject({ action: 'erase', hold: null });
    expect(items.some((i) => i.action === 'retain')).toBe(false);
  });
});

describe('unchangeableOf', () => {
  const done = (unchangeable: string[]) => ({ outcome: 'done', unchangeable });
  it('counts, per field, the orders that still hold it, and says what to do', () => {
    const found = unchangeableOf('req-1', [
      { resourceId: 11, result: done(['customer_ip_address', 'line_items[*].meta_data[Psikologu]']) },
      { resourceId: 11, result: done(['customer_ip_address']) }, // the same order's second item
      { resourceId: 12, result: done(['customer_ip_address']) },
      { resourceId: 13, result: null },
    ]);
    expect(found?.fields).toEqual({ customer_ip_address: 2, 'line_items[*].meta_data[Psikologu]': 1 });
    expect(found?.todo).toContain('privacy-bridge dsr retry req-1');
  });
  it('is null when the connector changed everything', () => {
    expect(
      unchangeableOf('req-1', [
        { resourceId: 11, result: done([]) },
        { resourceId: 12, result: null },
      ]),
    ).toBeNull();
  });
});
