import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Queue } from 'bullmq';
import { Ledger, MasterKeyring, type TimelineEntry } from '../../service/src/ledger/index.js';
import { createLedgerStore } from '../../service/src/ledger/open-store.js';
import { systemClock } from '../../service/src/platform/clock.js';
import { openDatabase } from '../../service/src/platform/db/database.js';
import { createLogger } from '../../service/src/platform/log/logger.js';
import { sensitive } from '../../service/src/platform/sensitive.js';
import { tempDir } from '../../service/src/testing/databases.js';
import { createWooDouble, DEFAULT_KEY, seedDemoStore } from '../../service/src/woocommerce/double/index.js';
import { WooClient } from '../../service/src/woocommerce/index.js';
import { cli, startService } from '../support/processes.js';

/**
 * Issue 20 (3), with real processes on the built-in demo store (through its plugin): after an erasure the ledger
 * reads what the receipt keeps — an unpaid open order, held until it is paid or closed — and nothing of an order
 * the shop erased; once the shop cancels the open order, the hourly release (run here once, as its scheduler
 * would) lets its values go in the ledger too; `ledger verify` passes throughout.
 */
const seeded = createWooDouble();
seedDemoStore(seeded.store, { customers: 20, orders: 60 });
const byEmail = new Map<string, { id: number; status: string; lastName: string }[]>();
for (const o of seeded.store.orders.values())
  byEmail.set(o.billing.email!, [
    ...(byEmail.get(o.billing.email!) ?? []),
    { id: o.id, status: o.status, lastName: o.billing.last_name! },
  ]);
// A customer of the seeded demo with an unpaid open order (held) and a failed one (nothing holds it).
const [email, orders] = [...byEmail].find(
  ([, list]) => list.some((o) => o.status === 'pending') && list.some((o) => o.status === 'failed'),
)!;
const open = orders.find((o) => o.status === 'pending')!;
const failed = orders.find((o) => o.status === 'failed')!;

const masterKey = randomBytes(32);
const pepper = randomBytes(32);
const terminal = new Set(['partially_completed', 'completed', 'needs_attention', 'refused']);

const ofOrder = (orderId: number) => (e: TimelineEntry) =>
  e.personal !== null && (e.source === `order-${orderId}` || e.detail?.orderId === orderId);
const isErased = (e: TimelineEntry) => typeof e.personal === 'object' && e.personal !== null && 'erased' in e.personal;
/** What the ledger reads of an order, as text: its entries' readable values and its appointments'. */
const readableOf = (timeline: readonly TimelineEntry[], orderId: number) =>
  JSON.stringify(timeline.filter((e) => ofOrder(orderId)(e) && !isErased(e)).map((e) => e.personal));
/**
 * The entries (by key) recorded before the erasure, as they read now: the shop's own changes during the erasure
 * are synced again as new entries, so only these say whether the shred kept or erased what was recorded.
 */
const asRecorded = (timeline: readonly TimelineEntry[], keys: readonly string[]) =>
  keys.map((k) => timeline.find((e) => e.key === k)!);

it('the ledger reads the held order after the erasure and not after its hold is released; the chain verifies', async () => {
  const tmp = tempDir();
  const prefix = `pbt${randomBytes(3).toString('hex')}`;
  const env = {
    DATA_DIR: tmp.dir,
    QUEUE_PREFIX: prefix,
    LEDGER_MASTER_KEYS: `e2e-1:${masterKey.toString('base64')}`,
    SUBJECT_PEPPER: pepper.toString('base64'),
    LINK_SECRET: randomBytes(32).toString('base64'),
  };
  const service = await startService(env);
  const db = openDatabase(`sqlite:${path.join(tmp.dir, 'ledger.sqlite')}`);
  const ledger = new Ledger({
    store: createLedgerStore(db),
    keyring: new MasterKeyring([{ id: 'e2e-1', key: masterKey }]),
    pepper,
    clock: systemClock,
  });
  const subject = ledger.subjectRef(sensitive(email));
  const queue = (name: string) => new Queue(name, { connection: { host: '127.0.0.1', port: 6379 }, prefix });
  const poll = async (done: () => Promise<boolean>, what: string) => {
    for (let i = 0; i < 300; i++) {
      if (await done()) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`timed out waiting for ${what}:\n${service.output().slice(-2000)}`);
  };
  try {
    const sync = queue('sync');
    await sync.add('sync.reconcile', { customers: true });
    await sync.close();
    await poll(async () => readableOf(await ledger.timeline(subject), failed.id).includes(email), 'the sync');
    await poll(async () => readableOf(await ledger.timeline(subject), open.id).includes(email), 'the sync');

    const recorded = await ledger.timeline(subject);
    // The open order's entries that hold what the open-order hold keeps (its contact); its IP and user agent,
    // and its booking meta (kept by no hold once the session is past), are erased in the shop and so here.
    const openKeys = recorded
      .filter((e) => ofOrder(open.id)(e) && JSON.stringify(e.personal).includes(email))
      .map((e) => e.key);
    const failedKeys = recorded.filter(ofOrder(failed.id)).map((e) => e.key);
    expect(openKeys.length).toBeGreaterThan(0);

    const created = await cli(['admin', 'token', 'create', '--operator', 'ops-arben'], env);
    const token = /pbat_[A-Za-z0-9_-]{43}/.exec(created.stdout)?.[0] ?? '';
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const made = await fetch(`${service.url}/v1/requests`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ kind: 'erasure', email, identity: { verified: true, method: 'document-checked' } }),
    });
    expect(made.status).toBe(202);
    const { id } = (await made.json()) as { id: string };
    type Shown = { status: string; receipts: { pass: number }[] };
    const shown = async () =>
      (await (await fetch(`${service.url}/v1/requests/${id}`, { headers: auth })).json()) as Shown;
    await poll(async () => terminal.has((await shown()).status), 'the erasure');
    expect((await shown()).status).toBe('partially_completed');

    const erased = await ledger.timeline(subject);
    // Kept: the order is open and unpaid, as the receipt says; as recorded, its values read back.
    expect(asRecorded(erased, openKeys).filter(isErased)).toEqual([]);
    expect(JSON.stringify(asRecorded(erased, openKeys).map((e) => e.personal))).toContain(email);
    expect(asRecorded(erased, failedKeys).every(isErased)).toBe(true);
    expect(readableOf(erased, open.id)).toContain(email);
    expect(readableOf(erased, open.id)).toContain(open.lastName);
    expect(readableOf(erased, failed.id)).not.toContain(email); // erased in the shop, erased in the ledger
    expect(readableOf(erased, failed.id)).not.toContain(failed.lastName);
    expect(await cli(['ledger', 'verify'], env)).toMatchObject({ code: 0 });

    // The shop cancels the open order; the release job (hourly) runs once and erases what only that hold kept.
    const demoUrl = /"url":"(http:\/\/127\.0\.0\.1:\d+)"[^\n]*built-in demo store/.exec(service.output())?.[1];
    expect(demoUrl).toBeDefined();
    const woo = new WooClient(
      {
        url: demoUrl!,
        consumerKey: sensitive(DEFAULT_KEY.consumerKey),
        consumerSecret: sensitive(DEFAULT_KEY.consumerSecret),
      },
      createLogger({ level: 'silent', pretty: false }),
    );
    await woo.put(`orders/${open.id}`, { status: 'cancelled' });
    // Its webhook synced first, so what it records is erased by the release's shred, not recorded after it.
    const cancelled = (e: TimelineEntry) =>
      e.kind === 'order.status' && e.source === `order-${open.id}` && e.detail?.status === 'cancelled';
    await poll(async () => (await ledger.timeline(subject)).some(cancelled), 'the cancellation to sync');
    const dsr = queue('dsr');
    await dsr.add('dsr.release-holds', {});
    await dsr.close();
    await poll(async () => (await shown()).receipts.some((r) => r.pass === 2), 'the release pass');
    await poll(async () => terminal.has((await shown()).status), 'the release pass to settle');

    const released = await ledger.timeline(subject);
    expect(asRecorded(released, openKeys).every(isErased)).toBe(true);
    expect(readableOf(released, open.id)).not.toContain(email);
    expect(readableOf(released, open.id)).not.toContain(open.lastName);
    expect(await cli(['ledger', 'verify'], env)).toMatchObject({ code: 0 });
  } finally {
    await db.close();
    await service.stop();
    tmp.remove();
  }
}, 180_000);
