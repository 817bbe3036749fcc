import { createHmac } from 'node:crypto';
import { sensitive } from '../platform/sensitive.js';
import { syncHarness, WEBHOOK_SECRET } from '../testing/sync-harness.js';
import { reconcileJob } from './jobs/reconcile.job.js';

const CANARY_EMAIL = 'canary@example.invalid';
const CANARY_PHONE = '+355 69 987 6543';

const orderBody = (email: string, over: object = {}) => ({
  billing: {
    first_name: 'Arta',
    last_name: 'Hoxha',
    email,
    phone: CANARY_PHONE,
    address_1: 'Rruga Myslym Shyri 5',
    city: 'Tiranë',
    country: 'AL',
  },
  payment_method: 'test_card',
  payment_method_title: 'Kartë debiti/krediti',
  transaction_id: 'TX-1001',
  set_paid: true,
  customer_note: 'Preferoj seancë në mbrëmje',
  line_items: [
    {
      product_id: 13,
      quantity: 1,
      meta_data: [
        { key: 'Data e seancës', value: '2030-01-15' },
        { key: 'Ora', value: '18:00' },
        { key: 'Psikologu', value: 'Dr. Elira Shehu' },
        { key: 'Preferenca', value: 'online' },
      ],
    },
  ],
  ...over,
});

describe('WooCommerce → ledger, through webhooks and reconciliation (double + real Redis + SQLite)', () => {
  let s: Awaited<ReturnType<typeof syncHarness>>;
  afterEach(() => s.close());

  const kinds = async () => (await s.entries()).map((e) => e.kind);

  it('records orders created, updated, refunded, trashed and restored, as they happen', async () => {
    s = await syncHarness();
    const order = await s.woo.post<{ id: number }>('orders', orderBody('arta.hoxha@example.com'));
    await s.drain();
    const arta = s.h.ledger.subjectRef(sensitive('arta.hoxha@example.com'));
    const held = (await s.h.ledger.timeline(arta)).filter((e) => e.kind === 'data.held');
    // One fact per purpose and basis (an order made through REST has no IP or user agent: no security fact).
    expect(held.map((e) => `${e.purpose}/${e.legalBasis}`).sort()).toEqual([
      'account/contract',
      'booking/contract',
      'payment/contract',
    ]);
    const booking = held.find((e) => e.purpose === 'booking')!;
    expect(booking.categories).toEqual(['appointment', 'contact', 'customer-note', 'identity']);
    expect(booking.detail).toMatchObject({
      resource: 'order',
      id: order.id,
      retention: {
        appointment: 'session',
        contact: 'order-record',
        'customer-note': 'session',
        identity: 'order-record',
      },
      special: ['appointment', 'customer-note'],
    });
    expect(booking.personal).toMatchObject({
      'billing.email': 'arta.hoxha@example.com',
      'billing.phone': CANARY_PHONE,
      customer_note: 'Preferoj seancë në mbrëmje',
      'line_items[0].meta_data[Ora]': '18:00',
    });
    expect(held.find((e) => e.purpose === 'payment')!.categories).toEqual([
      'billing-address',
      'payment',
      'service-purchased',
      'transaction',
    ]);
    expect(await kinds()).toEqual(expect.arrayContaining(['disclosure.recorded', 'appointment.held', 'order.status']));

    await s.woo.put(`orders/${order.id}`, { status: 'completed' });
    await s.woo.post(`orders/${order.id}/refunds`, { amount: '1000', reason: 'Seanca u shkurtua', api_refund: false });
    await s.drain();
    const afterRefund = await s.h.ledger.timeline(arta);
    expect(afterRefund.some((e) => e.detail?.status === 'completed')).toBe(true);
    expect(afterRefund.some((e) => JSON.stringify(e.personal).includes('Seanca u shkurtua'))).toBe(true);
    // Status, dates and refund changed the payment fact (and added support's, for the refund's reason); the booking details did not change.
    const heldFor = (purpose: string) => afterRefund.filter((e) => e.kind === 'data.held' && e.purpose === purpose);
    expect(heldFor('booking').map((e) => e.key)).toEqual([booking.key]);
    expect(heldFor('payment').length).toBeGreaterThan(1);
    expect(heldFor('support').map((e) => e.categories)).toEqual([['notes']]);

    await s.woo.delete(`orders/${order.id}`);
    await s.drain();
    expect(await kinds()).toContain('order.trashed');
    s.double.store.untrashOrder(order.id);
    await s.drain();
    expect(await kinds()).toContain('order.restored');
    await expect(s.h.ledger.verify()).resolves.toMatchObject({ ok: true });
    expect(await s.sync.sessions(arta, new Date('2026-11-24T00:00:00Z'))).toEqual({
      upcoming: true,
      lastEnd: '2030-01-15T17:30:00.000Z',
      erased: false,
    });
  });

  it('with webhooks off, reconciliation still brings every order, and a second pass writes nothing', async () => {
    s = await syncHarness({ deliver: false });
    for (let i = 0; i < 130; i++) await s.woo.post('orders', orderBody(`klient${i}@example.com`));
    await s.woo.post('orders', orderBody('draft@example.com', { status: 'checkout-draft', set_paid: false }));
    const deps = { woo: s.woo, sync: s.sync, state: s.state, overlapSeconds: 300, now: () => new Date() };
    const first = await reconcileJob.handle({ customers: true }, deps, { log: s.logs.log, attempt: 1 });
    expect(first).toMatchObject({ ordersRecorded: 130 });
    const subjects = new Set<string | null>();
    for await (const e of s.h.ledger.scan()) if (e.kind === 'data.held') subjects.add(e.subject);
    expect(subjects.size).toBe(130); // the checkout draft is ignored
    const head = await s.h.ledger.head();
    const second = await reconcileJob.handle({ customers: true }, deps, { log: s.logs.log, attempt: 1 });
    expect(second).toMatchObject({ ordersRecorded: 0 });
    expect((await s.h.ledger.head()).seq).toBe(head.seq);
  });

  it('records one set of entries for a delivery replayed 10 times, and none for forged ones', async () => {
    s = await syncHarness({ deliver: false });
    const order = await s.woo.post<{ id: number; date_modified_gmt: string }>('orders', orderBody('besa@example.com'));
    const body = JSON.stringify(await s.woo.get(`orders/${order.id}`));
    const sign = (b: string, secret = WEBHOOK_SECRET) => createHmac('sha256', secret).update(b).digest('base64');
    const deliver = (b: string, signature: string | null, topic = 'order.updated') =>
      fetch(s.receiverUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-wc-webhook-topic': topic,
          ...(signature ? { 'x-wc-webhook-signature': signature } : {}),
        },
        body: b,
      });

    expect((await deliver(body, sign(body, 'wrong-secret-000000000000'))).status).toBe(401);
    expect((await deliver(body.slice(0, -10), sign(body))).status).toBe(401);
    expect((await deliver(body.replace('besa@', 'mallory@'), sign(body))).status).toBe(401);
    expect((await deliver(body, null)).status).toBe(401);
    expect((await deliver('{not json', sign('{not json'))).status).toBe(400);
    await s.drain();
    expect((await s.h.ledger.head()).seq).toBe(0);

    const answers = await Promise.all(
      Array.from({ length: 10 }, () => deliver(body, sign(body)).then((r) => r.status)),
    );
    expect(answers).toEqual(Array(10).fill(200));
    await s.drain();
    const once = (await s.h.ledger.head()).seq;
    expect(once).toBeGreaterThan(0);
    for (let i = 0; i < 10; i++) await deliver(body, sign(body));
    await s.drain();
    expect((await s.h.ledger.head()).seq).toBe(once);
    expect((await deliver('{"id":1}', sign('{"id":1}'), 'product.updated')).status).toBe(200); // unknown topic: acknowledged, ignored
    const ping = await fetch(s.receiverUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'webhook_id=7',
    });
    expect(ping.status).toBe(200);
  });

  it("links the old and new address when an order's email changes", async () => {
    s = await syncHarness();
    const order = await s.woo.post<{ id: number }>('orders', orderBody('dritan.old@example.com'));
    await s.drain();
    await s.woo.put(`orders/${order.id}`, { billing: { email: 'dritan.new@example.al' } });
    await s.drain();
    const oldRef = s.h.ledger.subjectRef(sensitive('dritan.old@example.com'));
    const newRef = s.h.ledger.subjectRef(sensitive('dritan.new@example.al'));
    const viaOld = (await s.h.ledger.timeline(oldRef)).map((e) => e.seq);
    expect(viaOld).toEqual((await s.h.ledger.timeline(newRef)).map((e) => e.seq));
    expect((await s.h.ledger.timeline(oldRef)).map((e) => e.kind)).toContain('subject.linked');
  });

  // Seen on the real WooCommerce 9.9: its anonymiser writes billing.email = deleted@site.invalid on
  // every erased order. Taken as an address change, it linked each erased customer to that one
  // placeholder subject, and so to each other.
  it('keeps anonymised orders with their own subjects: the placeholder address links no one', async () => {
    s = await syncHarness();
    const a = await s.woo.post<{ id: number }>('orders', orderBody('arta.hoxha@example.com'));
    const b = await s.woo.post<{ id: number }>('orders', orderBody('besnik.krasniqi@example.al'));
    await s.drain();
    for (const id of [a.id, b.id]) {
      await s.woo.put(`orders/${id}`, {
        billing: {
          first_name: '[deleted]',
          last_name: '[deleted]',
          email: 'deleted@site.invalid',
          phone: '+000 00 000 0000',
        },
        meta_data: [{ key: '_anonymized', value: 'yes' }],
      });
    }
    await s.drain();
    expect(await kinds()).not.toContain('subject.linked');
    const arta = s.h.ledger.subjectRef(sensitive('arta.hoxha@example.com'));
    const sources = new Set((await s.h.ledger.timeline(arta)).map((e) => e.source));
    expect(sources).toContain(`order-${a.id}`);
    expect(sources).not.toContain(`order-${b.id}`);
    expect((await s.h.ledger.timeline(arta)).some((e) => JSON.stringify(e.personal).includes('+000 00 000 0000'))).toBe(
      true,
    ); // what is left stays hers
    expect(await s.h.ledger.timeline(s.h.ledger.subjectRef(sensitive('deleted@site.invalid')))).toEqual([]);
  });

  it('keeps a canary email and phone out of logs, job payloads and job ids', async () => {
    s = await syncHarness();
    await s.woo.post('orders', orderBody(CANARY_EMAIL));
    await s.drain();
    expect((await s.h.ledger.head()).seq).toBeGreaterThan(5);
    const redis = await s.redisDump();
    expect(redis).toContain('sync.resource'); // the dump does hold the jobs…
    for (const text of [s.logs.text(), redis]) {
      expect(text).not.toContain(CANARY_EMAIL);
      expect(text).not.toContain(CANARY_PHONE);
      expect(text).not.toContain('Hoxha');
    }
  });
});
