import { loadPolicy } from '../../../shared/src/policy/index.js';
import {
  processingMarkdown,
  recordsOfProcessing,
  tallyEntries,
  transitText,
  type LedgerTally,
} from './processing-records.js';

const policy = loadPolicy();
const TLS = { wordpress: 'https', public: 'https', woocommerce: 'https' } as const;
const held = (purpose: string, categories: string[]) => ({ kind: 'data.held', purpose, categories });

describe('report processing: the records of processing (Art. 30)', () => {
  it('counts one record per held entry of a purpose, however many categories it lists', () => {
    const tally: LedgerTally = { held: new Map(), disclosures: 0 };
    tallyEntries(tally, [
      held('booking', ['appointment', 'contact', 'identity']),
      held('payment', ['billing-address', 'payment', 'service-purchased', 'transaction']),
    ]);
    const page = [
      held('booking', ['contact']),
      { kind: 'appointment.held', purpose: 'booking', categories: ['appointment'] },
      { kind: 'disclosure.recorded', purpose: 'payment', categories: ['payment'] },
      { kind: 'order.status', purpose: null, categories: [] },
    ];
    tallyEntries(tally, page);
    const doc = recordsOfProcessing(policy, tally, '2026-11-25T00:00:00.000Z', TLS);
    const of = (purpose: string) => doc.activities.find((a) => a.purpose === purpose)!;
    expect([of('booking').ledgerRecords, of('payment').ledgerRecords, of('security').ledgerRecords]).toEqual([3, 1, 0]);
    expect(doc.disclosuresRecorded).toBe(1);
  });

  it("lists each purpose's categories with how long each is kept", () => {
    const doc = recordsOfProcessing(policy, { held: new Map(), disclosures: 0 }, '2026-11-25T00:00:00.000Z', TLS);
    const booking = doc.activities.find((a) => a.purpose === 'booking')!;
    expect(booking.categories).toEqual(expect.arrayContaining(['identity', 'contact', 'appointment', 'customer-note']));
    expect(booking.retention).toMatchObject({
      appointment: ['Kept until one month after the session ends.'],
      identity: [expect.stringMatching(/^Kept one year after the order is closed/)],
    });
    // Account data is kept by a different rule on a customer (the account), an order (the order) and a booking (the session): all are listed.
    const account = doc.activities.find((a) => a.purpose === 'account')!.retention.account!;
    expect([...account].sort()).toEqual([
      'Kept one year after the order is closed (completed, cancelled or refunded), for support and complaints.',
      'Kept until one month after the session ends.',
      'Kept until you close your account.',
    ]);
    const text = processingMarkdown(doc);
    expect(text).toContain(
      '## Booking processing (`booking`)\n- Legal bases: contract, health-care, explicit-consent\n- Categories and retention:\n',
    );
    expect(text).toContain('  - appointment: Kept until one month after the session ends.\n');
  });

  it('derives its in-transit line from how each configured link travels', () => {
    expect(
      recordsOfProcessing(policy, { held: new Map(), disclosures: 0 }, '2026-11-25T00:00:00.000Z', TLS).security,
    ).toMatch(
      /^In transit: WooCommerce REST: TLS; WordPress plugin: TLS; webhooks and links to this service: TLS; personal values/,
    );
    expect(transitText({ wordpress: null, public: 'http-allowed', woocommerce: 'http-loopback' })).toBe(
      'In transit: WooCommerce REST: plain http on this machine only (loopback); webhooks and links to this service: PLAIN HTTP over the network (allowed by configuration)',
    );
  });

  it('counts paid orders as accounting records: their invoice fields are held for accounting (issue 20 item 14)', () => {
    const status = (orderId: number, st: string, kind = 'order.status') => ({
      kind,
      purpose: null,
      categories: [],
      detail: JSON.stringify({ orderId, status: st, previous: null }),
    });
    const tally: LedgerTally = { held: new Map(), disclosures: 0 };
    tallyEntries(tally, [
      status(1, 'pending'),
      status(1, 'processing'),
      status(2, 'completed'),
      status(3, 'refunded'),
      status(4, 'cancelled'),
      status(5, 'completed'),
    ]);
    tallyEntries(tally, [
      status(2, 'trash', 'order.trashed'),
      { kind: 'order.deleted', purpose: null, categories: [], detail: JSON.stringify({ resource: 'order', id: 5 }) },
    ]);
    const doc = recordsOfProcessing(policy, tally, '2026-11-25T00:00:00.000Z', TLS);
    expect(doc.activities.find((a) => a.purpose === 'accounting')!.ledgerRecords).toBe(2); // 1 and 3; 2 trashed, 4 unpaid, 5 deleted
  });
});
