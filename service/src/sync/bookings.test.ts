import { loadPolicy } from '../../../shared/src/policy/index.js';
import { createLogger } from '../platform/log/logger.js';
import { sensitive } from '../platform/sensitive.js';
import { WooClient } from '../woocommerce/index.js';
import { assertFixturesPresent, fixtureKeys, seedFixtureWorld } from '../testing/fixture-world.js';
import { createWooDouble } from '../woocommerce/double/woo-double.js';
import { appointmentsFromOrder, zonedToUtc } from './bookings.js';

const policy = loadPolicy();
const options = { timeZone: 'Europe/Tirane', defaultMinutes: 60 };
type Order = Parameters<typeof appointmentsFromOrder>[1];

describe('appointments from booking line-item meta, as the recorded shop writes it', () => {
  let orders: Map<number, Order>;
  let close: () => Promise<void>;

  beforeAll(async () => {
    assertFixturesPresent();
    const double = createWooDouble({ keys: fixtureKeys() });
    seedFixtureWorld(double.store);
    const server = await double.listen(0);
    close = server.close;
    const [key] = fixtureKeys();
    const woo = new WooClient(
      { url: server.url, consumerKey: sensitive(key!.consumerKey), consumerSecret: sensitive(key!.consumerSecret) },
      createLogger({ level: 'silent' }),
    );
    orders = new Map((await woo.get<Order[]>('orders', { per_page: 100 })).map((o) => [o.id, o]));
  });
  afterAll(() => close());

  it("reads a single session in the shop's zone (UTC+2 before 25 October 2026, UTC+1 after)", () => {
    expect(appointmentsFromOrder(policy, orders.get(15)!, options)).toEqual([
      expect.objectContaining({
        key: 'booking-5001',
        start: '2026-09-01T16:00:00.000Z',
        end: '2026-09-01T16:30:00.000Z',
        status: 'confirmed',
      }),
    ]);
    expect(appointmentsFromOrder(policy, orders.get(26)!, options)[0]).toMatchObject({
      start: '2026-11-03T07:30:00.000Z',
      end: '2026-11-03T08:00:00.000Z',
    });
    expect(appointmentsFromOrder(policy, orders.get(15)!, options)[0]).not.toHaveProperty('sessions');
  });

  // The real store's package order 25 holds "2026-11-04, 2026-11-11, 2026-11-18, 2026-11-25" in one
  // `Data e seancës` value (order 19: two dates). Read as one date, the appointment had no start and no
  // end, so an upcoming session could not hold back an erasure.
  it('reads every session of a line item that books several dates', () => {
    const [pkg] = appointmentsFromOrder(policy, orders.get(25)!, options);
    expect(pkg).toMatchObject({
      key: 'booking-5009',
      start: '2026-11-04T16:00:00.000Z',
      end: '2026-11-25T17:00:00.000Z',
    });
    expect(pkg!.sessions).toEqual(
      ['2026-11-04', '2026-11-11', '2026-11-18', '2026-11-25'].map((d) => ({
        start: `${d}T16:00:00.000Z`,
        end: `${d}T17:00:00.000Z`,
      })),
    );
    const [two] = appointmentsFromOrder(policy, orders.get(19)!, options);
    expect(two).toMatchObject({ start: '2026-10-01T08:00:00.000Z', end: '2026-10-08T08:50:00.000Z' });
    expect(two!.sessions).toHaveLength(2);
  });

  it('gives every recorded booking a start and an end', () => {
    for (const order of orders.values()) {
      for (const a of appointmentsFromOrder(policy, order, options)) {
        expect({ order: order.id, start: a.start !== null, end: a.end !== null }).toEqual({
          order: order.id,
          start: true,
          end: true,
        });
      }
    }
  });

  it('pairs a list of times with the dates, and skips a date it cannot read', () => {
    const order = {
      id: 1,
      line_items: [
        {
          id: 2,
          name: 'Seancë (50 min)',
          meta_data: [
            { key: 'Data e seancës', value: '2026-12-10; tomorrow; 2026-12-03' },
            { key: 'Ora', value: '09:30, 10:00' },
          ],
        },
      ],
    };
    expect(appointmentsFromOrder(policy, order, options)[0]).toMatchObject({
      start: '2026-12-03T08:30:00.000Z',
      end: '2026-12-10T09:20:00.000Z',
    });
    expect(zonedToUtc('2026-03-29', '02:30', 'Europe/Tirane')).toBe('2026-03-29T01:30:00.000Z'); // a wall time DST skips
  });
});
