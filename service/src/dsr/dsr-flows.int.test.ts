import { loadPolicy } from '../../../shared/src/policy/index.js';
import type { JsonValue } from '../ledger/index.js';
import { sensitive, type Sensitive } from '../platform/sensitive.js';
import { heldParts, withSubject } from '../sync/order-plan.js';
import type { WooOrder } from '../woocommerce/index.js';
import { releaseHoldsJob } from './jobs/release-holds.job.js';
import { exportKey, exportFiles } from './jobs/export-files.js';
import { readSealed } from './sealed-file.js';
import { setOrderStatus, type OrderRecord } from '../woocommerce/double/index.js';
import { EMAIL, NOW, seedSubject, unzip } from '../testing/dsr-seed.js';
import { dsrHarness, type DsrHarness } from '../testing/dsr-harness.js';

const open = (t: DsrHarness, kind: 'access' | 'erasure') =>
  t.dsr.open(
    { kind, email: EMAIL, identity: { verified: true, method: 'wordpress-email-confirmation' }, wpRequestId: 42 },
    'plugin/test',
  );

describe('DSR flows on the WooCommerce double, the plugin double and real Redis', () => {
  let t: DsrHarness;
  let seeded: ReturnType<typeof seedSubject>;
  afterEach(async () => t?.close());

  const setup = async (o: Parameters<typeof dsrHarness>[0] = {}) => {
    t = await dsrHarness(o);
    t.h.clock.set(new Date(NOW));
    seeded = seedSubject(t.double.store);
  };

  it('exports every order, note and booking of the subject and nothing of the look-alike sharing a phone', async () => {
    await setup();
    // What the sync would have recorded of the paid order: one data.held entry per purpose and basis.
    const plan = {
      policy: loadPolicy(),
      timeZone: 'Europe/Tirane',
      sessionMinutes: 60,
      fingerprint: (v: JsonValue) => t.h.ledger.fingerprint(v),
      subjectRef: (e: Sensitive<string>) => t.h.ledger.subjectRef(e),
    };
    const paidOrder = await t.woo.get<WooOrder>(`orders/${seeded.paid.id}`);
    await t.h.ledger.recordMany(
      heldParts(plan, 'order', paidOrder.id, paidOrder).map((p) =>
        withSubject(p, t.h.ledger.subjectRef(sensitive(EMAIL))),
      ),
    );
    const row = await open(t, 'access');
    await t.drain();
    expect((await t.store.get(row.id))!.status).toBe('completed');
    const key = await exportKey(t.parts.deps, row);
    const zip = unzip(await readSealed(exportFiles(t.data.dir, row.id).zip, key, `export:${row.id}`));
    const json = JSON.parse(zip.get('export.json')!.toString('utf8'));
    expect([...zip.methods.values()]).toEqual([8, 8]); // both files deflated
    expect(json.woocommerce.orders.map((o: OrderRecord) => o.id).sort()).toEqual(
      [seeded.paid.id, seeded.upcoming.id, seeded.guest.id].sort(),
    );
    expect(json.woocommerce.orders.every((o: { notes: unknown[] }) => o.notes.length >= 1)).toBe(true);
    const text = [...zip.values()].map((b) => b.toString('utf8')).join('\n');
    expect(text).not.toContain('arta.hoxhaj@example.com');
    expect(text).not.toContain(`#${seeded.others[0]!.id}<`);
    expect(zip.get('index.html')!.toString()).toContain('lang="sq"');
    const held = json.ledger.collected.filter((e: { kind: string }) => e.kind === 'data.held');
    expect(held.map((e: { purpose: string }) => e.purpose)).toEqual(['account', 'booking', 'payment', 'security']);
    expect(held[1]).toMatchObject({
      source: `order-${seeded.paid.id}`,
      categories: expect.arrayContaining(['appointment', 'contact', 'identity']),
      detail: { retention: { appointment: 'session', contact: 'order-record' } },
      values: { 'billing.email': EMAIL },
    });
    const html = zip.get('index.html')!.toString();
    for (const kept of [
      'Seanca: Ruhen deri një muaj pas përfundimit të seancës.',
      'Session: Kept until one month after the session ends.',
      'Usage data: Kept six months from collection.',
    ])
      expect(html).toContain(kept);
    const push = t.plugin.pushes.find((p) => p.route === 'dsr/export-ready')!;
    expect(push.body).toMatchObject({ requestId: row.id, email: EMAIL, wpRequestId: 42 });
    expect(await t.redisText()).not.toContain(EMAIL);
  });

  it('erases through the plugin: keeps exactly the held items, anonymises the rest, says so, and erases the rest when the hold passes', async () => {
    await setup();
    const row = await open(t, 'erasure');
    await t.drain();
    const after = (await t.store.get(row.id))!;
    expect(after.status).toBe('partially_completed');
    const s = t.double.store;
    const guest = s.orders.get(seeded.guest.id)!;
    expect(guest.billing.email).toBe('deleted@site.invalid');
    expect(guest.customer_note).toBe('');
    expect(guest.line_items[0]!.meta_data).toHaveLength(0);
    const paid = s.orders.get(seeded.paid.id)!;
    expect(paid.billing.first_name).toBe('Arta'); // accounting keeps the invoice name
    expect(paid.billing.email).toBe('deleted@site.invalid');
    // A held order is not marked erased: no anonymiser note, but one saying why it is kept and until when.
    // Accounting keeps the invoice fields, not the notes (they name the session): those go.
    const why = (id: number) =>
      s
        .notesOf(id)
        .filter((n) => n.note.startsWith('Privacy Bridge:'))
        .map((n) => n.note);
    expect(why(paid.id)).toEqual([expect.stringMatching(/because of: accounting records until 31 December 2036\.$/)]);
    expect(s.notesOf(paid.id)).toHaveLength(1);
    const upcoming = s.orders.get(seeded.upcoming.id)!;
    expect(upcoming.billing.email).toBe(EMAIL); // the session in two days holds it
    expect(why(upcoming.id)).toEqual([
      expect.stringMatching(
        /because of: an open order, with no end date yet; an upcoming session until \d+ \w+ 2026\.$/,
      ),
    ]);
    expect(s.notesOf(upcoming.id).length).toBeGreaterThan(1); // left as it is: its own notes stay until the session
    expect(why(seeded.guest.id)).toEqual([]);
    expect(s.customers.has(seeded.customer.id)).toBe(true);
    expect(s.orders.get(seeded.others[0]!.id)!.billing.email).toBe('arta.hoxhaj@example.com');
    const [receipt] = await t.store.receipts(row.id);
    const body = JSON.parse(receipt!.body);
    expect(
      body.items
        .filter((i: { action: string }) => i.action === 'retained')
        .map((i: { hold: string }) => i.hold)
        .sort(),
    ).toEqual(expect.arrayContaining(['accounting', 'upcoming-session']));
    expect(t.plugin.pushes.some((p) => p.route === 'dsr/erasure-receipt')).toBe(true);
    const cert = (await t.h.ledger.byKey(`dsr.erasure-certificate/${row.id}/1`))!;
    expect(JSON.parse(cert.detail!).sha256).toBe(receipt!.hash);

    t.h.clock.set(new Date(NOW + 10 * 86_400_000)); // the session is over, and its margin
    setOrderStatus(s, seeded.upcoming.id, 'completed'); // the shop closes the order after the session
    await t.queue.add(releaseHoldsJob, {}, { jobId: 'release-test' });
    await t.drain();
    expect(s.orders.get(seeded.upcoming.id)!.billing.email).toBe('deleted@site.invalid');
    expect(s.customers.has(seeded.customer.id)).toBe(false);
    expect(s.orders.get(seeded.upcoming.id)!.billing.first_name).toBe('Arta'); // still an invoice
    // The release pass erases the notes the session kept, and says what keeps the order now (accounting alone).
    expect(s.notesOf(seeded.upcoming.id).map((n) => n.note)).toEqual([
      expect.stringMatching(/^Privacy Bridge: .*because of: accounting records until \d+ \w+ \d{4}\.$/),
    ]);
    expect(why(seeded.paid.id)).toHaveLength(1);
    const receipts = await t.store.receipts(row.id);
    expect(receipts.map((r) => r.pass)).toEqual([1, 2]);
    expect((await t.store.get(row.id))!.status).toBe('partially_completed'); // the accounting hold runs for years
  });

  it('catches an update that silently did nothing: the request needs attention and gets no receipt', async () => {
    const lie = new Set<number>();
    t = await dsrHarness({ lie });
    t.h.clock.set(new Date(NOW));
    seeded = seedSubject(t.double.store);
    lie.add(seeded.guest.id);
    const row = await open(t, 'erasure');
    await t.drain();
    const after = (await t.store.get(row.id))!;
    expect(after.status).toBe('needs_attention');
    expect(await t.store.receipts(row.id)).toHaveLength(0);
    const check = JSON.parse((await t.h.ledger.byKey(`dsr.check-residue/${row.id}`))!.detail!);
    expect(check.residue.some((r: { item: string }) => r.item === `order-${seeded.guest.id}/anonymise`)).toBe(true);
  });

  it('through REST alone, what REST cannot change (IP, user agent, item meta) is residue, not success', async () => {
    await setup({ viaPlugin: false });
    const row = await open(t, 'erasure');
    await t.drain();
    expect((await t.store.get(row.id))!.status).toBe('needs_attention');
    const check = JSON.parse((await t.h.ledger.byKey(`dsr.check-residue/${row.id}`))!.detail!);
    expect(check.residue.map((r: { field: string }) => r.field)).toEqual(
      expect.arrayContaining(['customer_ip_address', 'customer_user_agent']),
    );
    expect(t.double.store.orders.get(seeded.guest.id)!.billing.email).toBe('deleted@site.invalid');
  });
});
