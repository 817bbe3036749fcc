import { releaseHoldsJob } from './jobs/release-holds.job.js';
import { exportKey, exportFiles } from './jobs/export-files.js';
import { readSealed } from './sealed-file.js';
import { addBookingOrder, addCustomer, prng, setOrderStatus, type OrderRecord } from '../woocommerce/double/index.js';
import { toGmtString } from '../woocommerce/double/woo-format.js';
import { dsrHarness, type DsrHarness } from '../testing/dsr-harness.js';
import type { WooStore } from '../woocommerce/double/index.js';

const EMAIL = 'arta.hoxha@example.al';
const NOW = Date.parse('2026-11-01T10:00:00Z');

/** Reads a store-only ZIP (ours) back into files. */
export function unzip(zip: Buffer): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  let at = 0;
  while (zip.readUInt32LE(at) === 0x04034b50) {
    const size = zip.readUInt32LE(at + 18);
    const nameLen = zip.readUInt16LE(at + 26);
    const name = zip.subarray(at + 30, at + 30 + nameLen).toString('utf8');
    files.set(name, zip.subarray(at + 30 + nameLen, at + 30 + nameLen + size));
    at += 30 + nameLen + size;
  }
  return files;
}

/** The subject: a paid past order, a processing order with a session in two days, a guest order; and a look-alike. */
export function seedSubject(store: WooStore) {
  const r = prng(11);
  const person = { first_name: 'Arta', last_name: 'Hoxha', company: '', address_1: 'Rruga Myslym Shyri 12', address_2: '', city: 'Tiranë', state: 'AL-11', postcode: '1001', country: 'AL', email: EMAIL, phone: '+355 69 123 4567' };
  const c = addCustomer(store, person, '2026-01-05T09:00:00');
  const paid = addBookingOrder(store, r, { customerId: c.id, billing: person, created: Date.parse('2026-03-01T09:00:00Z'), status: 'completed' });
  const upcoming = addBookingOrder(store, r, { customerId: c.id, billing: person, created: NOW - 86_400_000, status: 'processing' });
  const guest = addBookingOrder(store, r, { customerId: 0, billing: person, created: Date.parse('2025-12-01T09:00:00Z'), status: 'cancelled' });
  store.updateOrder(guest.id, { customer_note: 'Ju lutem, seancë në mëngjes.' }, { silent: true });
  for (const o of [paid, upcoming, guest]) store.addNote(o.id, { author: 'WooCommerce', customer_note: false, note: `Shënim për porosinë ${o.id}.`, created: toGmtString(NOW - 86_400_000) });
  const other = { ...person, first_name: 'Arta', last_name: 'Hoxhaj', email: 'arta.hoxhaj@example.com' };
  const oc = addCustomer(store, other, '2026-02-01T09:00:00');
  const others = [addBookingOrder(store, r, { customerId: oc.id, billing: other, created: Date.parse('2026-04-01T09:00:00Z'), status: 'completed' })];
  return { customer: c, paid, upcoming, guest, other: oc, others };
}

const open = (t: DsrHarness, kind: 'access' | 'erasure') => t.dsr.open({ kind, email: EMAIL, identity: { verified: true, method: 'wordpress-email-confirmation' }, wpRequestId: 42 }, 'plugin/test');

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
    const row = await open(t, 'access');
    await t.drain();
    expect((await t.store.get(row.id))!.status).toBe('completed');
    const key = await exportKey(t.parts.deps, row);
    const zip = unzip(await readSealed(exportFiles(t.data.dir, row.id).zip, key, `export:${row.id}`));
    const json = JSON.parse(zip.get('export.json')!.toString('utf8'));
    expect(json.woocommerce.orders.map((o: OrderRecord) => o.id).sort()).toEqual([seeded.paid.id, seeded.upcoming.id, seeded.guest.id].sort());
    expect(json.woocommerce.orders.every((o: { notes: unknown[] }) => o.notes.length >= 1)).toBe(true);
    const text = [...zip.values()].map((b) => b.toString('utf8')).join('\n');
    expect(text).not.toContain('arta.hoxhaj@example.com');
    expect(text).not.toContain(`#${seeded.others[0]!.id}<`);
    expect(zip.get('index.html')!.toString()).toContain('lang="sq"');
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
    expect(s.notesOf(paid.id).map((n) => n.note)).toEqual(['Personal data removed.']);
    const upcoming = s.orders.get(seeded.upcoming.id)!;
    expect(upcoming.billing.email).toBe(EMAIL); // the session in two days holds it
    expect(s.customers.has(seeded.customer.id)).toBe(true);
    expect(s.orders.get(seeded.others[0]!.id)!.billing.email).toBe('arta.hoxhaj@example.com');
    const [receipt] = await t.store.receipts(row.id);
    const body = JSON.parse(receipt!.body);
    expect(body.items.filter((i: { action: string }) => i.action === 'retained').map((i: { hold: string }) => i.hold).sort()).toEqual(expect.arrayContaining(['accounting', 'upcoming-session']));
    expect(t.plugin.pushes.some((p) => p.route === 'dsr/erasure-receipt')).toBe(true);
    const cert = (await t.h.ledger.store.byKey(`dsr.erasure-certificate/${row.id}/1`))!;
    expect(JSON.parse(cert.detail!).sha256).toBe(receipt!.hash);

    t.h.clock.set(new Date(NOW + 10 * 86_400_000)); // the session is over, and its margin
    setOrderStatus(s, seeded.upcoming.id, 'completed'); // the shop closes the order after the session
    await t.queue.add(releaseHoldsJob, {}, { jobId: 'release-test' });
    await t.drain();
    expect(s.orders.get(seeded.upcoming.id)!.billing.email).toBe('deleted@site.invalid');
    expect(s.customers.has(seeded.customer.id)).toBe(false);
    expect(s.orders.get(seeded.upcoming.id)!.billing.first_name).toBe('Arta'); // still an invoice
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
    const check = JSON.parse((await t.h.ledger.store.byKey(`dsr.check-residue/${row.id}`))!.detail!);
    expect(check.residue.some((r: { item: string }) => r.item === `order-${seeded.guest.id}/anonymise`)).toBe(true);
  });

  it('through REST alone, what REST cannot change (IP, user agent, item meta) is residue, not success', async () => {
    await setup({ viaPlugin: false });
    const row = await open(t, 'erasure');
    await t.drain();
    expect((await t.store.get(row.id))!.status).toBe('needs_attention');
    const check = JSON.parse((await t.h.ledger.store.byKey(`dsr.check-residue/${row.id}`))!.detail!);
    expect(check.residue.map((r: { field: string }) => r.field)).toEqual(expect.arrayContaining(['customer_ip_address', 'customer_user_agent']));
    expect(t.double.store.orders.get(seeded.guest.id)!.billing.email).toBe('deleted@site.invalid');
  });
});
