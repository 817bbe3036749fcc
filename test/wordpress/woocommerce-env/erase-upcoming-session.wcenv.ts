import { Queue } from 'bullmq';
import { cli } from '../../support/processes.js';
import { setSiteLanguage } from './customer.js';
import { isErased, ofOrder, timelineOf } from './ledger.js';
import { ask, receipt, receiptPage, settle, stack, view, type Stack, type Svc } from './services.js';
import { findEverywhere, person, seed, type Seeded } from './seed.js';
import { wpEval } from './store.js';

/**
 * Issue 12 (3): a customer with a session still to come keeps exactly that order until the hold ends, and
 * the receipt says so in Albanian and English; when the session is over, the service's hold release erases
 * what only that hold kept, in a new pass with its own receipt. The clock is moved by the data, not by the
 * store: the session is seeded to end two minutes after the test starts (shop time, Europe/Tirane), the
 * service keeps a session's order until its end (DSR_SESSION_MARGIN=P0D), and the test runs the service's
 * hourly release job (dsr.release-holds) once the end has passed, as its scheduler would.
 * Issue 20 (4): the held order is not marked erased (no `_anonymized`, no "Personal data removed.", its notes
 * kept) and says why in one order note in the shop's language (Albanian here), which a second erasure does not repeat.
 * Issue 20 (3): the ledger agrees with the receipt. The entries recorded of the held order that hold its e-mail
 * and phone read them back after the erasures (read as recorded, by key, as the service reads its ledger), the
 * cancelled order's read erased; once both requests' holds are released, the e-mail and phone read erased too.
 */
let s: Stack;
let svc: Svc;
let them: Seeded;
let endsAt: number;
let language = '';
let notesBefore: string[];

/** By SQL: the order's `_anonymized` rows (HPOS meta and its placeholder post's meta) and its notes, oldest first. */
const stored = (id: number) =>
  wpEval<{ anonymized: number; notes: string[] }>(`global $wpdb;
    $flag = (int) $wpdb->get_var($wpdb->prepare("SELECT COUNT(*) FROM {$wpdb->prefix}wc_orders_meta WHERE order_id = %d AND meta_key = '_anonymized'", ${id}))
      + (int) $wpdb->get_var($wpdb->prepare("SELECT COUNT(*) FROM {$wpdb->postmeta} WHERE post_id = %d AND meta_key = '_anonymized'", ${id}));
    $notes = $wpdb->get_col($wpdb->prepare("SELECT comment_content FROM {$wpdb->comments} WHERE comment_post_ID = %d AND comment_type = 'order_note' ORDER BY comment_ID", ${id}));
    return array('anonymized' => $flag, 'notes' => $notes);`);

const MUAJT = [
  'janar',
  'shkurt',
  'mars',
  'prill',
  'maj',
  'qershor',
  'korrik',
  'gusht',
  'shtator',
  'tetor',
  'nëntor',
  'dhjetor',
];
/** The day a hold ends as the receipt dates it (UTC), written in Albanian: "31 dhjetor 2036". */
const dita = (iso: string) => {
  const d = new Date(iso);
  return `${d.getUTCDate()} ${MUAJT[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
};
const whyKept = (holds: string) =>
  `Privacy Bridge: të dhënat personale të kësaj porosie ruhen pas një kërkese për fshirje, për shkak të: ${holds}.`;

/** Wall date and time in the shop's zone. */
const tirane = (at: number) => {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Tirane',
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    })
      .formatToParts(new Date(at))
      .map((x) => [x.type, x.value]),
  );
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}` };
};

beforeAll(async () => {
  s = await stack('upcoming');
  svc = await s.start({ plugin: true, extraEnv: { DSR_SESSION_MARGIN: 'P0D' } });
  language = await setSiteLanguage('sq');
  // A 50-minute session ending in ~4 minutes: two erasures run before it ends.
  const start = Math.floor((Date.now() + 240_000 - 50 * 60_000) / 60_000) * 60_000;
  endsAt = start + 50 * 60_000;
  const at = tirane(start);
  const since = new Date(Date.now() - 120_000).toISOString();
  them = await seed(
    person('upcoming'),
    [{ status: 'cancelled' }, { status: 'completed', sessionDate: at.date, sessionTime: at.time }],
    { account: false },
  );
  notesBefore = (await stored(them.orderIds[1]!)).notes;
  // The ledger as the connected service holds it: what changed in the store since just before seeding.
  const backfill = await cli(['woo', 'backfill', '--since', since], { ...process.env, ...svc.env });
  if (backfill.code !== 0) throw new Error(`backfill failed (${backfill.code}): ${backfill.stderr.slice(-2000)}`);
}, 240_000);
afterAll(async () => {
  await setSiteLanguage(language);
  await s?.close();
});

it('keeps exactly the order of the session to come until it ends, says so in both languages, then lets it go', async () => {
  const [cancelled, upcoming] = them.orderIds as [number, number];
  const { email, phone } = them.person;
  const recorded = await timelineOf(svc, email);
  const contact = recorded.filter((e) => ofOrder(upcoming)(e) && JSON.stringify(e.personal).includes(email));
  const gone = recorded.filter(ofOrder(cancelled));
  expect(contact.length).toBeGreaterThan(0);
  expect(gone.length).toBeGreaterThan(0);
  const asRecorded = async (entries: readonly { key: string }[]) => {
    const now = await timelineOf(svc, email);
    return entries.map((r) => now.find((e) => e.key === r.key)!);
  };
  const ledgerVerifies = async () =>
    expect(await cli(['ledger', 'verify'], { ...process.env, ...svc.env })).toMatchObject({ code: 0 });
  const v = await ask(svc, 'erasure', them.person.email);
  expect(v.status).toBe('partially_completed');
  const r = await receipt(svc, v.id);
  const held = r.items.filter((i) => i.action === 'retained');
  expect(held.map((i) => i.item)).toEqual(expect.arrayContaining([`order-${upcoming}/retain/upcoming-session`]));
  expect(held.every((i) => i.item.startsWith(`order-${upcoming}/`))).toBe(true);
  const session = held.find((i) => i.item === `order-${upcoming}/retain/upcoming-session`)!;
  expect(Date.parse(session.until!)).toBe(endsAt);
  expect(session.fields).toEqual(
    expect.arrayContaining([
      'billing.email',
      'billing.phone',
      'line_items[*].meta_data[Data e seancës]',
      'line_items[*].meta_data[Psikologu]',
    ]),
  );
  const page = await receiptPage(svc, v.id);
  expect(page).toContain('Ruajtur');
  expect(page).toContain('Kept');
  expect(page).toContain(session.until!.slice(0, 10));

  // In the store: the upcoming order as it was (e-mail, phone, booking meta); the cancelled one erased.
  const hits = await findEverywhere([them.person.email, them.person.phone]);
  expect(new Set(hits.map((h) => h.order))).toEqual(new Set([upcoming]));
  const left = await wpEval<{ email: string; meta: string[] }>(
    `$o = wc_get_order(${upcoming}); $m = array(); foreach ($o->get_items() as $i) foreach ($i->get_meta_data() as $x) $m[] = $x->key; return array('email' => $o->get_billing_email('edit'), 'meta' => $m);`,
  );
  expect(left).toEqual({
    email: them.person.email,
    meta: expect.arrayContaining(['Data e seancës', 'Ora', 'Psikologu']),
  });
  expect(await wpEval<string>(`return wc_get_order(${cancelled})->get_billing_email('edit');`)).toBe(
    'deleted@site.invalid',
  );

  // The held order is left as it is and says why; the one nothing holds went through WooCommerce's anonymiser.
  const accounting = r.items.find((i) => i.item === `order-${upcoming}/retain/accounting`)!.until!;
  const kept = await stored(upcoming);
  expect(notesBefore.length).toBeGreaterThanOrEqual(2);
  expect(kept).toEqual({
    anonymized: 0,
    notes: [
      ...notesBefore,
      whyKept(
        `dokumentacionit kontabël deri më ${dita(accounting)}; një seance të ardhshme deri më ${dita(session.until!)}`,
      ),
    ],
  });
  expect(await stored(cancelled)).toEqual({ anonymized: 1, notes: ['Personal data removed.'] });
  const keptInLedger = async () => {
    const read = await asRecorded(contact);
    expect(read.filter(isErased)).toEqual([]);
    expect(JSON.stringify(read.map((e) => e.personal))).toContain(email);
    expect(JSON.stringify(read.map((e) => e.personal))).toContain(phone);
    expect((await asRecorded(gone)).every(isErased)).toBe(true);
  };
  await keptInLedger();
  await ledgerVerifies();

  // A second erasure while the session is still to come keeps the same order for the same holds: no second note.
  const again = await ask(svc, 'erasure', them.person.email, 'sq');
  expect(again.status).toBe('partially_completed');
  expect(Date.now()).toBeLessThan(endsAt); // else the second request saw other holds and this proves nothing
  expect(await stored(upcoming)).toEqual(kept);
  await keptInLedger();

  // The session ends; the hourly release job runs (here once, by hand, as its scheduler would).
  await new Promise((done) => setTimeout(done, Math.max(0, endsAt - Date.now() + 2_000)));
  const q = new Queue('dsr', { connection: { host: '127.0.0.1', port: 6379 }, prefix: svc.env.QUEUE_PREFIX });
  await q.add('dsr.release-holds', {});
  await q.close();
  for (let i = 0; i < 240 && (await view(svc, v.id)).receipts.length < 2; i++)
    await new Promise((done) => setTimeout(done, 500));
  const after = await settle(svc, v.id, 'erasure', 2);
  await settle(svc, again.id, 'erasure', 2); // its copies of the held values go with its own release
  expect(after.status).toBe('partially_completed'); // the paid order still keeps its names for accounting
  const r2 = await receipt(svc, v.id, 2);
  const r2Held = r2.items.filter((i) => i.action === 'retained');
  expect(new Set(r2Held.map((i) => i.hold))).toEqual(new Set(['accounting'])); // the invoice fields
  expect(await findEverywhere([them.person.email, them.person.phone])).toEqual([]);
  // Still not marked erased. The notes the session kept go with it (accounting keeps the invoice fields, not the
  // notes); the one left says what keeps the order now.
  expect(await stored(upcoming)).toEqual({
    anonymized: 0,
    notes: [whyKept(`dokumentacionit kontabël deri më ${dita(accounting)}`)],
  });
  const released = JSON.stringify((await asRecorded(contact)).map((e) => e.personal));
  expect(released).not.toContain(email);
  expect(released).not.toContain(phone);
  await ledgerVerifies();
}, 540_000);
