import { loadPolicy } from '../../../shared/src/policy/index.js';
import { ERASED, RETAINED, type JsonValue, type TimelineEntry } from '../ledger/index.js';
import { sensitive, type Sensitive } from '../platform/sensitive.js';
import { prepareOrder, withSubject, heldParts } from '../sync/order-plan.js';
import { setOrderStatus } from '../woocommerce/double/index.js';
import type { WooCustomer, WooOrder } from '../woocommerce/index.js';
import { dsrHarness, type DsrHarness } from '../testing/dsr-harness.js';
import { EMAIL, NOW, seedSubject } from '../testing/dsr-seed.js';
import { postgresHarness, sqliteHarness } from '../testing/ledger-harness.js';
import { releaseHoldsJob } from './jobs/release-holds.job.js';

/**
 * Issue 20 (3): the ledger agrees with the receipt. After the erasure, what the shop keeps by right (the order
 * with a session to come, the account it runs on, the paid order's invoice name) reads back from the ledger,
 * and everything else reads erased; when the hold ends, what only it kept reads erased too. On both stores.
 */
describe.each([
  ['SQLite', sqliteHarness],
  ['PostgreSQL', postgresHarness],
])('the ledger keeps what the erasure keeps, until its hold ends (%s)', (_name, factory) => {
  let t: DsrHarness;
  afterEach(async () => t?.close());

  /** What the sync records of the subject: every order (with its notes and appointments) and the account. */
  async function synced(seeded: ReturnType<typeof seedSubject>) {
    const plan = {
      policy: loadPolicy(),
      timeZone: 'Europe/Tirane',
      sessionMinutes: 60,
      fingerprint: (v: JsonValue) => t.h.ledger.fingerprint(v),
      subjectRef: (e: Sensitive<string>) => t.h.ledger.subjectRef(e),
    };
    const subject = t.h.ledger.subjectRef(sensitive(EMAIL));
    for (const { id } of [seeded.paid, seeded.upcoming, seeded.guest]) {
      const order = await t.woo.get<WooOrder>(`orders/${id}`);
      const notes = await t.woo.get<unknown[]>(`orders/${id}/notes`);
      const p = prepareOrder(plan, order, notes, 'digest');
      await t.h.ledger.recordMany([...p.held, ...p.appointments].map((part) => withSubject(part, subject)));
    }
    const customer = await t.woo.get<WooCustomer>(`customers/${seeded.customer.id}`);
    await t.h.ledger.recordMany(
      heldParts(plan, 'customer', customer.id, customer).map((part) => withSubject(part, subject)),
    );
    return subject;
  }

  /** The values the ledger reads of one source, merged over its entries (ERASED when it reads nothing). */
  const read = (timeline: readonly TimelineEntry[], source: string) => {
    const values = timeline.filter((e) => e.source === source && e.personal !== null).map((e) => e.personal);
    if (values.length > 0 && values.every((v) => v === ERASED)) return ERASED;
    return Object.assign({}, ...values.filter((v) => v !== ERASED));
  };
  const appointmentsOf = (timeline: readonly TimelineEntry[], orderId: number) =>
    timeline.filter((e) => e.kind === 'appointment.held' && e.detail?.orderId === orderId).map((e) => e.personal);

  it('reads the held order, account and invoice name after the erasure, and not once the hold is released', async () => {
    t = await dsrHarness({ factory });
    t.h.clock.set(new Date(NOW));
    const seeded = seedSubject(t.double.store);
    const subject = await synced(seeded);
    const before = await t.h.ledger.timeline(subject);
    expect(read(before, `order-${seeded.guest.id}`)).toMatchObject({ 'billing.email': EMAIL });

    const row = await t.dsr.open(
      { kind: 'erasure', email: EMAIL, identity: { verified: true, method: 'wordpress-email-confirmation' } },
      'plugin/test',
    );
    await t.drain();
    expect((await t.store.get(row.id))!.status).toBe('partially_completed');
    expect(await t.h.ledger.isShredded(subject)).toBe(true);
    const erased = await t.h.ledger.timeline(subject);
    expect(erased.some((e) => e.kind === RETAINED)).toBe(false);
    // The order with a session in two days is kept whole, as the shop keeps it: contact, names, booking meta, notes.
    const upcoming = read(erased, `order-${seeded.upcoming.id}`);
    expect(upcoming).toMatchObject({
      'billing.email': EMAIL,
      'billing.phone': '+355 69 123 4567',
      'billing.first_name': 'Arta',
      'billing.last_name': 'Hoxha',
    });
    expect(Object.keys(upcoming).some((f) => f.startsWith('line_items[0].meta_data['))).toBe(true);
    expect(appointmentsOf(erased, seeded.upcoming.id)).not.toContainEqual(ERASED);
    expect(appointmentsOf(erased, seeded.upcoming.id).length).toBeGreaterThan(0);
    // The paid order: its invoice name (accounting), not its e-mail or phone, which the shop anonymised.
    const paid = read(erased, `order-${seeded.paid.id}`);
    expect(paid).toMatchObject({ 'billing.first_name': 'Arta', 'billing.last_name': 'Hoxha' });
    expect(paid['billing.email']).toBeUndefined();
    expect(paid['billing.phone']).toBeUndefined();
    expect(appointmentsOf(erased, seeded.paid.id).every((v) => v === ERASED)).toBe(true);
    // The cancelled guest order: nothing kept.
    expect(read(erased, `order-${seeded.guest.id}`)).toBe(ERASED);
    expect(read(erased, `customer-${seeded.customer.id}`)).toMatchObject({ email: EMAIL });
    await expect(t.h.ledger.verify()).resolves.toMatchObject({ ok: true });

    t.h.clock.set(new Date(NOW + 10 * 86_400_000)); // the session is over, and its margin
    setOrderStatus(t.double.store, seeded.upcoming.id, 'completed');
    await t.queue.add(releaseHoldsJob, {}, { jobId: 'release-test' });
    await t.drain();
    expect((await t.store.receipts(row.id)).map((r) => r.pass)).toEqual([1, 2]);
    const released = await t.h.ledger.timeline(subject);
    const invoice = read(released, `order-${seeded.upcoming.id}`);
    expect(invoice).toMatchObject({ 'billing.first_name': 'Arta', 'billing.last_name': 'Hoxha' }); // accounting, still
    expect(invoice['billing.email']).toBeUndefined();
    expect(invoice['billing.phone']).toBeUndefined();
    expect(Object.keys(invoice).some((f) => f.includes('meta_data['))).toBe(false);
    expect(appointmentsOf(released, seeded.upcoming.id).every((v) => v === ERASED)).toBe(true);
    expect(read(released, `customer-${seeded.customer.id}`)).toBe(ERASED);
    expect(read(released, `order-${seeded.paid.id}`)).toEqual(paid);
    await expect(t.h.ledger.verify()).resolves.toMatchObject({ ok: true });
  });
});
