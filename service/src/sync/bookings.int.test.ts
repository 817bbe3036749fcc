import { sensitive } from '../platform/sensitive.js';
import { syncHarness } from '../testing/sync-harness.js';
import { reconcileJob } from './jobs/reconcile.job.js';

describe('WooCommerce Bookings (wc-bookings/v1/bookings) → ledger → sessions()', () => {
  let s: Awaited<ReturnType<typeof syncHarness>>;
  afterEach(() => s.close());

  it('records a booking from the Bookings API through reconcile, and sessions() answers from it', async () => {
    s = await syncHarness({ deliver: false });
    // An order without booking line-item meta: the appointment can only come from the Bookings API.
    const order = await s.woo.post<{ id: number; line_items: { id: number }[] }>('orders', {
      billing: { first_name: 'Drita', last_name: 'Leka', email: 'drita.leka@example.com' },
      set_paid: true,
      line_items: [{ product_id: 11, quantity: 1 }],
    });
    const at = (iso: string) => Math.floor(Date.parse(iso) / 1000);
    const booking = (id: number, start: string, status: string) =>
      s.double.store.putBooking({
        id,
        all_day: false,
        cost: '4000',
        customer_id: 0,
        date_created: at('2026-11-20T09:00:00Z'),
        date_modified: at('2026-11-20T09:00:00Z'),
        start: at(start),
        end: at(start) + 50 * 60,
        google_calendar_event_id: '0',
        order_id: order.id,
        order_item_id: order.line_items[0]!.id,
        parent_id: 0,
        person_counts: [],
        product_id: 11,
        resource_id: 3,
        status,
        local_timezone: 'Europe/Tirane',
      });
    booking(7001, '2026-10-05T08:00:00Z', 'complete');
    booking(7002, '2030-03-10T16:00:00Z', 'confirmed');
    const deps = { woo: s.woo, sync: s.sync, state: s.state, overlapSeconds: 300, now: () => new Date() };

    const first = await reconcileJob.handle({ customers: false }, deps, { log: s.logs.log, attempt: 1 });
    expect(first).toMatchObject({ ordersRecorded: 1, bookings: 2 });
    const ref = s.h.ledger.subjectRef(sensitive('drita.leka@example.com'));
    const appointments = (await s.h.ledger.timeline(ref, { kinds: ['appointment.held'] })).map((e) => e.personal);
    expect(appointments).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          key: 'booking-7002',
          start: '2030-03-10T16:00:00.000Z',
          end: '2030-03-10T16:50:00.000Z',
          source: 'bookings-api',
          psychologist: 'resource-3',
        }),
      ]),
    );
    expect(await s.sync.sessions(ref, new Date('2026-11-24T00:00:00Z'))).toEqual({
      upcoming: true,
      lastEnd: '2030-03-10T16:50:00.000Z',
      erased: false,
    });

    // Unchanged bookings write nothing; a cancelled one no longer counts as upcoming.
    expect(await reconcileJob.handle({ customers: false }, deps, { log: s.logs.log, attempt: 1 })).toMatchObject({
      bookings: 0,
    });
    booking(7002, '2030-03-10T16:00:00Z', 'cancelled');
    expect(await reconcileJob.handle({ customers: false }, deps, { log: s.logs.log, attempt: 1 })).toMatchObject({
      bookings: 1,
    });
    expect(await s.sync.sessions(ref, new Date('2026-11-24T00:00:00Z'))).toEqual({
      upcoming: false,
      lastEnd: '2026-10-05T08:50:00.000Z',
      erased: false,
    });
  });
});
