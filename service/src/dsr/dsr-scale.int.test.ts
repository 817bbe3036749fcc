import net from 'node:net';
import { sensitive } from '../platform/sensitive.js';
import { TEST_REDIS_URL } from '../testing/databases.js';
import { dsrHarness, type DsrHarness } from '../testing/dsr-harness.js';
import { NOW, seedSubject } from '../testing/dsr-seed.js';
import { addBookingOrder, addCustomer, prng, seedHeavyCustomer, syntheticPerson } from '../woocommerce/double/index.js';
import { ERASURE_NOTE } from './erasure-plan.js';

const verified = { verified: true, method: 'wordpress-email-confirmation' } as const;

describe('DSR at scale and under watch: 1,000 orders in one request, 100 at once, a canary', () => {
  let t: DsrHarness;
  afterEach(async () => t?.close());

  it("erases a customer with 1,000 orders and 2,000 notes completely with ONE request (WooCommerce's own eraser needs 8 runs)", async () => {
    t = await dsrHarness({ concurrency: 8 });
    t.h.clock.set(new Date(NOW));
    const s = t.double.store;
    const c = seedHeavyCustomer(s);
    const email = c.email;
    const mine = [...s.orders.values()].filter((o) => o.customer_id === c.id).map((o) => o.id);
    expect(mine).toHaveLength(1000);
    const row = await t.dsr.open({ kind: 'erasure', email, identity: verified }, 'plugin/test');
    await t.drain(120_000);
    const done = (await t.store.get(row.id))!;
    if (done.status === 'needs_attention')
      console.log((await t.h.ledger.byKey(`dsr.check-residue/${row.id}`))?.detail?.slice(0, 1500));
    expect(['completed', 'partially_completed']).toContain(done.status);
    expect(done.pass).toBe(1);
    const items = await t.store.items(row.id);
    // Every order was planned, and every planned change was carried out: nothing left for a second run.
    expect(new Set(items.filter((i) => i.resource === 'order').map((i) => i.resourceId))).toEqual(new Set(mine));
    expect(items.filter((i) => i.action !== 'retain' && i.resource !== 'ledger' && i.doneAt === null)).toEqual([]); // the ledger item is the shred step
    const keptEmail = new Set(
      items.filter((i) => i.action === 'retain' && i.fields.includes('billing.email')).map((i) => i.resourceId),
    );
    for (const id of mine) {
      const o = s.orders.get(id)!;
      if (!keptEmail.has(id)) expect(o.billing.email).toBe('deleted@site.invalid');
      const notes = s.notesOf(id).map((n) => n.note);
      const notesErased = items.some(
        (i) => i.resource === 'order-notes' && i.resourceId === id && i.action === 'erase',
      );
      if (notesErased) expect(notes.filter((n) => !ERASURE_NOTE.test(n))).toEqual([]); // WooCommerce's, or the plugin's on a held order
    }
    expect(items.filter((i) => i.resource === 'order-notes' && i.action === 'erase').length).toBeGreaterThan(900);
    const check = JSON.parse((await t.h.ledger.byKey(`dsr.check-residue/${row.id}`))!.detail!);
    expect(check.count).toBe(0);
    expect(await t.store.receipts(row.id)).toHaveLength(1);
  }, 180_000);

  it('carries 100 requests opened at once (50 exports, 50 erasures of different customers) to the end with 0 errors', async () => {
    t = await dsrHarness({ concurrency: 8 });
    t.h.clock.set(new Date(NOW));
    const r = prng(5);
    const people = Array.from({ length: 100 }, (_, i) => {
      const c = addCustomer(t.double.store, syntheticPerson(r, 5000 + i), '2026-01-01T09:00:00');
      for (let k = 0; k < 3; k++)
        addBookingOrder(t.double.store, r, {
          customerId: c.id,
          billing: c.billing,
          created: Date.parse('2026-02-01T09:00:00Z') + k * 86_400_000,
          status: 'completed',
        });
      return c;
    });
    const results = await Promise.allSettled(
      people.map((c, i) =>
        t.dsr.open({ kind: i % 2 ? 'erasure' : 'access', email: c.email, identity: verified }, 'plugin/test'),
      ),
    );
    expect(results.filter((x) => x.status === 'rejected')).toEqual([]);
    await t.drain(120_000);
    const rows = await t.store.list();
    expect(rows).toHaveLength(100);
    expect(
      rows
        .filter((x) => !['completed', 'partially_completed'].includes(x.status))
        .map((x) => `${x.kind}:${x.status}:${x.stuckReason}`),
    ).toEqual([]);
    expect(await t.queue.queue('dsr').getFailedCount()).toBe(0);
    expect(await t.queue.queue('delivery').getFailedCount()).toBe(0);
    expect(t.plugin.pushes.filter((p) => p.route === 'dsr/export-ready')).toHaveLength(50);
    expect(t.plugin.pushes.filter((p) => p.route === 'dsr/erasure-receipt')).toHaveLength(50);
  }, 180_000);

  it("never lets the subject's e-mail or phone reach the logs (trace level) or any Redis command during export and erasure", async () => {
    t = await dsrHarness({ logLevel: 'trace', viaPlugin: false });
    t.h.clock.set(new Date(NOW));
    const seeded = seedSubject(t.double.store);
    const canary = 'canary.dsr@example.invalid';
    const phone = '+355 69 765 4321';
    for (const o of [seeded.paid, seeded.upcoming, seeded.guest])
      t.double.store.updateOrder(o.id, { billing: { ...o.billing, email: canary, phone } }, { silent: true });
    t.double.store.customers.get(seeded.customer.id)!.email = canary;
    // Redis's MONITOR on a raw socket: every command any client sends, as Redis received it.
    const url = new URL(TEST_REDIS_URL);
    const monitor = net.connect(Number(url.port || 6379), url.hostname);
    let commands = '';
    monitor.on('data', (b) => {
      commands += b.toString('utf8');
    });
    monitor.write('MONITOR\r\n');
    await new Promise((r) => setTimeout(r, 100));
    try {
      for (const kind of ['access', 'erasure'] as const) {
        await t.dsr.open({ kind, email: canary, identity: verified }, 'plugin/test');
        await t.drain();
      }
      const rows = Object.fromEntries((await t.store.list()).map((x) => [x.kind, x]));
      expect(rows.access!.status).toBe('completed');
      // Through REST alone the IP and user agent stay (residue, not success); the point here is where the values went.
      expect(rows.erasure!.status).toBe('needs_attention');
      expect(rows.erasure!.stuckStep).toBeNull();
      expect(t.logs.text().length).toBeGreaterThan(1000); // trace-level logs were written …
      expect(t.logs.text()).not.toMatch(/canary\.dsr|765 ?4321/i); // … without the subject's values
      expect(commands.length).toBeGreaterThan(10_000);
      expect(commands).not.toMatch(/canary\.dsr|765 ?4321/i);
      expect(await t.redisText()).not.toContain(canary);
      expect(t.h.ledger.subjectRef(sensitive(canary))).toMatch(/^[0-9a-f]{64}$/);
    } finally {
      monitor.destroy();
    }
  }, 60_000);
});
