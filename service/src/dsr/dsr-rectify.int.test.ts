import { createHash } from 'node:crypto';
import { loadPolicy } from '../../../shared/src/policy/index.js';
import { EMAIL, NOW, seedSubject } from '../testing/dsr-seed.js';
import { dsrHarness, type DsrHarness } from '../testing/dsr-harness.js';

describe('rectification end to end on the WooCommerce double', () => {
  let t: DsrHarness;
  afterEach(async () => t?.close());

  it("corrects the customer and open orders, keeps the paid order's invoice fields and says so, ledgered; the look-alike is untouched", async () => {
    t = await dsrHarness({ viaPlugin: false });
    t.h.clock.set(new Date(NOW));
    const s = seedSubject(t.double.store);
    const corrections = { last_name: 'Hoxha-Krasniqi', address_1: 'Rruga e Kavajës 5', phone: '+355 69 765 4321' };
    const row = await t.dsr.open(
      {
        kind: 'rectification',
        email: EMAIL,
        corrections,
        identity: { verified: true, method: 'wordpress-email-confirmation' },
        wpRequestId: 7,
      },
      'plugin/test',
    );
    await t.drain();

    const done = (await t.store.get(row.id))!;
    expect(done).toMatchObject({ status: 'completed', stuckStep: null });
    const customer = t.double.store.customers.get(s.customer.id)!;
    expect(customer).toMatchObject({
      last_name: 'Hoxha-Krasniqi',
      billing: expect.objectContaining({
        last_name: 'Hoxha-Krasniqi',
        address_1: 'Rruga e Kavajës 5',
        phone: '+355 69 765 4321',
      }),
    });
    expect(t.double.store.orders.get(s.upcoming.id)!.billing).toMatchObject(corrections);
    // The paid order keeps its invoice fields (the accounting hold).
    expect(t.double.store.orders.get(s.paid.id)!.billing).toMatchObject({
      last_name: 'Hoxha',
      address_1: 'Rruga Myslym Shyri 12',
      phone: '+355 69 123 4567',
    });
    expect(t.double.store.orders.get(s.others[0]!.id)!.billing).toMatchObject({
      last_name: 'Hoxhaj',
      phone: '+355 69 123 4567',
    });
    expect(t.double.store.customers.get(s.other.id)!.last_name).toBe('Hoxhaj');

    const receipts = await t.store.receipts(row.id);
    expect(receipts).toHaveLength(1);
    const receipt = JSON.parse(receipts[0]!.body);
    expect(receipt.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          item: `customer-${s.customer.id}`,
          action: 'rectified',
          fields: ['address_1', 'last_name', 'phone'],
        }),
        expect.objectContaining({ item: `order-${s.upcoming.id}`, action: 'rectified' }),
        expect.objectContaining({
          item: `order-${s.paid.id}`,
          action: 'retained',
          hold: 'accounting',
          note: 'invoice-fields-kept',
        }),
      ]),
    );

    const entries = (await t.h.ledger.timeline(done.subject as never)).filter((e) => e.detail?.requestId === row.id);
    expect(entries.find((e) => e.kind === 'dsr.received')!.detail).toMatchObject({
      kind: 'rectification',
      fields: ['address_1', 'last_name', 'phone'],
    });
    expect(entries.filter((e) => e.kind === 'dsr.rectify').map((e) => e.detail)).toEqual([
      expect.objectContaining({
        fields: ['address_1', 'last_name', 'phone'],
        customer: true,
        ordersUpdated: [s.upcoming.id],
        invoiceFieldsKept: expect.arrayContaining([s.paid.id]),
      }),
    ]);
    expect(entries.filter((e) => e.kind === 'dsr.status').map((e) => e.detail!.to)).toEqual([
      'verified',
      'in_progress',
      'completed',
    ]);
    // The receipt's hash is ledgered as the rectification certificate, as an erasure receipt's is.
    const sha256 = createHash('sha256').update(receipts[0]!.body).digest('hex');
    expect(receipts[0]!.hash).toBe(sha256);
    expect(entries.filter((e) => e.kind === 'dsr.rectification-certificate').map((e) => [e.key, e.detail])).toEqual([
      [`dsr.rectification-certificate/${row.id}/1`, { requestId: row.id, pass: 1, sha256 }],
    ]);
    // Ids and field names only: the corrected values are in no ledger entry's clear detail, nor in Redis.
    expect(JSON.stringify(entries.map((e) => e.detail))).not.toContain('Kavajës');
    expect(await t.redisText()).not.toContain('Kavajës');
  }, 30_000);

  it('without an accounting retention rule in the policy, paid orders are corrected too', async () => {
    const base = loadPolicy();
    t = await dsrHarness({
      viaPlugin: false,
      policy: { ...base, retention: base.retention.filter((r) => r.id !== 'accounting') },
    });
    t.h.clock.set(new Date(NOW));
    const s = seedSubject(t.double.store);
    const row = await t.dsr.open(
      {
        kind: 'rectification',
        email: EMAIL,
        corrections: { last_name: 'Hoxha-Krasniqi' },
        identity: { verified: true, method: 'wordpress-email-confirmation' },
      },
      'plugin/test',
    );
    await t.drain();
    expect((await t.store.get(row.id))!.status).toBe('completed');
    expect(t.double.store.orders.get(s.paid.id)!.billing.last_name).toBe('Hoxha-Krasniqi');
    const receipt = JSON.parse((await t.store.receipts(row.id))[0]!.body);
    expect(receipt.items.filter((i: { action: string }) => i.action === 'retained')).toEqual([]);
  }, 30_000);

  it('a worker that dies after the receipt is stored, before the step is recorded, leaves one receipt and one certificate', async () => {
    let crashes = 0;
    t = await dsrHarness({
      viaPlugin: false,
      afterSideEffects: (step) => {
        if (step === 'rectify' && crashes++ === 0) throw new Error('worker died');
      },
    });
    t.h.clock.set(new Date(NOW));
    seedSubject(t.double.store);
    const row = await t.dsr.open(
      {
        kind: 'rectification',
        email: EMAIL,
        corrections: { last_name: 'Hoxha-Krasniqi' },
        identity: { verified: true, method: 'wordpress-email-confirmation' },
      },
      'plugin/test',
    );
    await t.drain();
    expect(crashes).toBe(2);
    const done = (await t.store.get(row.id))!;
    expect(done.status).toBe('completed');
    const receipts = await t.store.receipts(row.id);
    expect(receipts).toHaveLength(1);
    const kinds = (await t.h.ledger.timeline(done.subject as never))
      .filter((e) => e.detail?.requestId === row.id)
      .map((e) => e.kind);
    expect([
      kinds.filter((k) => k === 'dsr.rectify').length,
      kinds.filter((k) => k === 'dsr.rectification-certificate').length,
    ]).toEqual([1, 1]);
    expect(JSON.parse((await t.h.ledger.byKey(`dsr.rectification-certificate/${row.id}/1`))!.detail!).sha256).toBe(
      receipts[0]!.hash,
    );
  }, 30_000);
});
