import { sensitive } from '../platform/sensitive.js';
import type { HarnessFactory, LedgerHarness } from '../testing/ledger-harness.js';
import { ERASED, RETAINED, type RetainCandidate, type Retention, type SubjectRef } from './index.js';

/**
 * Holds, run against every store (ledger-store.sqlite.int.test.ts, ledger-store.postgres.int.test.ts): what a
 * hold keeps of a shredded subject reads back until the hold is released, then reads erased too; the chain
 * verifies at every step.
 */
export function ledgerHoldsContract(open: HarnessFactory) {
  let h: LedgerHarness;
  beforeEach(async () => {
    h = await open();
  });
  afterEach(() => h.close());

  const ref = (email: string) => h.ledger.subjectRef(sensitive(email));
  const order = (id: number, subject: SubjectRef) => ({
    key: `order-${id}/booking/contract/v1`,
    kind: 'data.held',
    subject,
    purpose: 'booking',
    legalBasis: 'contract',
    categories: ['contact', 'identity'],
    source: `order-${id}`,
    detail: { resource: 'order', id, fields: ['billing.email', 'billing.first_name', 'billing.phone'] },
    personal: sensitive({
      'billing.email': 'arta@example.com',
      'billing.first_name': 'Arta',
      'billing.phone': `+355 69 000 ${id}`,
    }),
  });
  const session = (subject: SubjectRef) => ({
    key: 'booking-9/v1',
    kind: 'appointment.held',
    subject,
    purpose: 'booking',
    legalBasis: 'contract',
    categories: ['appointment'],
    source: 'booking-9',
    detail: { orderId: 1 },
    personal: sensitive({ start: '2026-11-03T09:00:00.000Z', psychologist: 'Dr. Elira Dervishi' }),
  });
  const ACCOUNTING = 'req-1/order-1/retain/accounting';
  const SESSION = 'req-1/order-1/retain/upcoming-session';
  // Order 1 is kept: its name for accounting, its contact and its session until the session is over; order 2 is not.
  const choose = (e: RetainCandidate): Retention[] =>
    e.source === 'order-1'
      ? [
          { hold: ACCOUNTING, keep: (f) => f === 'billing.first_name' },
          { hold: SESSION, keep: (f) => f === 'billing.email' || f === 'billing.phone' },
        ]
      : e.source === 'booking-9'
        ? [{ hold: SESSION, keep: 'all' }]
        : [];
  const values = async (subject: SubjectRef) =>
    Object.fromEntries((await h.ledger.timeline(subject)).filter((e) => e.personal).map((e) => [e.key, e.personal]));

  it('keeps what a hold keeps readable after the shred, and lets it go with the hold', async () => {
    const [arta, besa] = [ref('arta@example.com'), ref('besa@example.com')];
    await h.ledger.recordMany([order(1, arta), order(2, arta), session(arta), order(3, besa)]);
    const before = await values(arta);

    expect(await h.ledger.retain(arta, choose, { detail: { requestId: 'req-1' } })).toEqual({
      copies: 3,
      holds: [ACCOUNTING, SESSION],
    });
    expect(await h.ledger.retain(arta, choose)).toEqual({ copies: 0, holds: [] }); // a retry makes no second copy
    const later = await h.ledger.record({ ...order(4, arta), key: 'order-4/v1', source: 'order-4' });
    expect(later.dataKeyId).toBe((await h.ledger.byKey(order(1, arta).key))!.dataKeyId); // a hold key is not the subject's key
    const { destroyed } = await h.ledger.shred(arta, { source: 'request-req-1' });
    expect(destroyed).toHaveLength(1);
    expect(await h.ledger.isShredded(arta)).toBe(true);

    const shredded = await values(arta);
    expect(shredded[order(1, arta).key]).toEqual(before[order(1, arta).key]);
    expect(shredded['booking-9/v1']).toEqual(before['booking-9/v1']);
    expect(shredded[order(2, arta).key]).toEqual(ERASED);
    expect(shredded['order-4/v1']).toEqual(ERASED);
    const listed = await h.ledger.timeline(arta);
    expect(listed.some((e) => e.kind === RETAINED)).toBe(false); // the copies are read through, not listed
    expect(await h.ledger.timeline(arta, { kinds: ['appointment.held'] })).toMatchObject([
      { key: 'booking-9/v1', personal: before['booking-9/v1'] },
    ]);
    expect((await h.reopen(h.keys.masterKeys).timeline(arta)).map((e) => e.personal)).toEqual(
      listed.map((e) => e.personal),
    );
    expect((await values(besa))[order(3, besa).key]).toMatchObject({ 'billing.phone': '+355 69 000 3' });
    await expect(h.ledger.verify()).resolves.toMatchObject({ ok: true });

    const released = await h.ledger.releaseHold(SESSION, { source: 'request-req-1', detail: { pass: 2 } });
    expect(released.entry).toMatchObject({ kind: 'ledger.hold-released', subject: arta });
    expect(released.destroyed).toHaveLength(1);
    expect(await h.ledger.releaseHold(SESSION)).toEqual({ entry: null, destroyed: [] });
    const afterSession = await values(arta);
    expect(afterSession[order(1, arta).key]).toEqual({ 'billing.first_name': 'Arta' });
    expect(afterSession['booking-9/v1']).toEqual(ERASED);
    await expect(h.ledger.verify()).resolves.toMatchObject({ ok: true });

    await h.ledger.releaseHold(ACCOUNTING);
    expect(Object.values(await values(arta)).every((v) => v === ERASED)).toBe(true);
    await expect(h.ledger.verify()).resolves.toMatchObject({ ok: true });
  });

  it('hold keys move with a master key rotation', async () => {
    const arta = ref('arta@example.com');
    await h.ledger.recordMany([order(1, arta), order(2, arta)]);
    await h.ledger.retain(arta, choose);
    await h.ledger.shred(arta);
    const newKey = { id: 'm2', key: Buffer.alloc(32, 9) };
    expect((await h.reopen([newKey, ...h.keys.masterKeys]).rotateMasterKey()).rewrapped).toBe(2);
    const onlyNew = h.reopen([newKey]);
    expect((await onlyNew.timeline(arta)).flatMap((e) => (e.personal ? [e.personal] : []))).toEqual([
      { 'billing.email': 'arta@example.com', 'billing.first_name': 'Arta', 'billing.phone': '+355 69 000 1' },
      ERASED,
    ]);
  });

  it('refuses a hold label that is not an id', async () => {
    const arta = ref('arta@example.com');
    await h.ledger.record(order(1, arta));
    await expect(h.ledger.retain(arta, () => [{ hold: 'arta@example.com kept', keep: 'all' }])).rejects.toMatchObject({
      code: 'LEDGER_ENTRY_INVALID',
    });
  });
}
