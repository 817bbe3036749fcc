import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { sensitive } from '../platform/sensitive.js';
import { DISABLE_GUARD, SQLITE_TAMPER, type HarnessFactory, type LedgerHarness } from '../testing/ledger-harness.js';
import { canonicalJson } from './canonical-json.js';
import { ERASED, JsonText, MasterKeyring, type SubjectRef } from './index.js';

const run = promisify(execFile);

/** One contract, run against every store: ledger-store.sqlite.int.test.ts and ledger-store.postgres.int.test.ts. */
export function ledgerStoreContract(open: HarnessFactory) {
  let h: LedgerHarness;
  beforeEach(async () => {
    h = await open();
  });
  afterEach(() => h.close());

  const ref = (email: string) => h.ledger.subjectRef(sensitive(email));
  const fact = (i: number, subject?: SubjectRef) => ({
    key: `order-${i}@2026-11-01T10:00:00Z`,
    kind: 'order.synced',
    subject: subject ?? null,
    purpose: 'service-delivery',
    legalBasis: 'contract',
    categories: ['contact', 'identity'],
    source: `order-${i}`,
    personal: subject ? sensitive({ name: `Arta Hoxha ${i}`, phone: `+355 69 000 ${i}` }) : undefined,
  });
  const tamper = async (sql: string) => h.sql(DISABLE_GUARD[h.name] + sql);

  it('keeps one unbroken chain under concurrent appends', async () => {
    const arta = ref('arta@example.com');
    await Promise.all(Array.from({ length: 40 }, (_, i) => h.ledger.record(fact(i, i % 2 ? arta : undefined))));
    const entries = await h.ledger.read(0, 100);
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    await expect(h.ledger.verify()).resolves.toMatchObject({ ok: true, checked: 40 });
  });

  it('stores a repeated natural key once and returns the stored entry', async () => {
    const first = await h.ledger.record(fact(1, ref('arta@example.com')));
    const again = await h.ledger.record(fact(1, ref('arta@example.com')));
    const batch = await h.ledger.recordMany([fact(1), fact(2), fact(2)]);
    expect(again).toEqual(first);
    expect(batch[0]).toEqual(first);
    expect(batch[2]).toEqual(batch[1]);
    expect((await h.ledger.head()).seq).toBe(2);
  });

  it('takes a detail and personal values already written as JSON text as it takes the values', async () => {
    const arta = ref('arta@example.com');
    const detail = { resource: 'order', id: 7, fields: ['billing.email', 'billing.phone'] };
    const values = { 'billing.email': 'arta@example.com', 'billing.phone': '+355 69 000 7' };
    const [asValues, asText] = await h.ledger.recordMany([
      { ...fact(7, arta), detail, personal: sensitive(values) },
      {
        ...fact(8, arta),
        detail: new JsonText(canonicalJson(detail)),
        personal: sensitive(new JsonText(canonicalJson(values))),
      },
    ]);
    expect(asText!.detail).toBe(asValues!.detail);
    const timeline = await h.ledger.timeline(arta);
    expect(timeline.map((e) => [e.detail, e.personal])).toEqual([
      [detail, values],
      [detail, values],
    ]);
    await expect(h.ledger.verify()).resolves.toMatchObject({ ok: true, checked: 2 });
  });

  it('refuses to update or delete entries at the database level', async () => {
    await h.ledger.record(fact(1));
    expect((await h.ledger.head()).seq).toBe(1);
    await expect(h.sql("UPDATE ledger_entries SET hash = 'x'")).rejects.toThrow(/append-only/);
    await expect(h.sql('DELETE FROM ledger_entries')).rejects.toThrow(/append-only/);
  });

  describe('verify names the first broken entry', () => {
    beforeEach(async () => {
      const arta = ref('arta@example.com');
      for (let i = 1; i <= 6; i++) await h.ledger.record(fact(i, arta));
    });

    it('passes an intact chain', async () => {
      await expect(h.ledger.verify()).resolves.toMatchObject({ ok: true, checked: 6 });
    });
    it('an edited ciphertext', async () => {
      await tamper(
        h.name === 'sqlite'
          ? SQLITE_TAMPER.ciphertext(3)
          : "UPDATE ledger_entries SET ciphertext = decode(md5('x'), 'hex') WHERE seq = 3",
      );
      await expect(h.ledger.verify()).resolves.toMatchObject({
        ok: false,
        checked: 2,
        break: { seq: 3, reason: 'hash-mismatch' },
      });
    });
    it('an edited metadata field', async () => {
      await tamper(
        h.name === 'sqlite'
          ? SQLITE_TAMPER.replace(4, '"contract"', '"consent"')
          : "UPDATE ledger_entries SET legal_basis = 'consent' WHERE seq = 4",
      );
      await expect(h.ledger.verify()).resolves.toMatchObject({ ok: false, break: { seq: 4, reason: 'hash-mismatch' } });
    });
    it('a deleted row', async () => {
      await tamper('DELETE FROM ledger_entries WHERE seq = 2');
      await expect(h.ledger.verify()).resolves.toMatchObject({ ok: false, break: { seq: 2, reason: 'missing-entry' } });
    });
    it('two swapped rows', async () => {
      // SQLite keeps the canonical text and derives the rest; PostgreSQL keeps columns. Unique keys go first.
      const cols =
        h.name === 'sqlite'
          ? ['canonical', 'hash']
          : [
              'key',
              'kind',
              'subject',
              'purpose',
              'legal_basis',
              'categories',
              'source',
              'detail',
              'at',
              'ciphertext',
              'data_key_id',
              'prev_hash',
              'hash',
            ];
      await tamper(`CREATE TABLE swap AS SELECT seq, ${cols.join(', ')} FROM ledger_entries WHERE seq IN (2, 5);
        ${h.name === 'sqlite' ? 'DROP INDEX ledger_entries_key;' : "UPDATE ledger_entries SET key = key || '-old' WHERE seq IN (2, 5);"}
        ${cols.map((c) => `UPDATE ledger_entries SET ${c} = (SELECT ${c} FROM swap WHERE swap.seq = 7 - ledger_entries.seq) WHERE seq IN (2, 5);`).join('\n')}`);
      await expect(h.ledger.verify()).resolves.toMatchObject({
        ok: false,
        checked: 1,
        break: { seq: 2, reason: 'prev-hash-mismatch' },
      });
    });
    it('a truncated tail, against a recorded head', async () => {
      const recorded = await h.ledger.head();
      await tamper('DELETE FROM ledger_entries WHERE seq >= 5');
      await expect(h.ledger.verify()).resolves.toMatchObject({ ok: true });
      await expect(h.ledger.verify(recorded)).resolves.toMatchObject({
        ok: false,
        break: { seq: 5, reason: 'truncated' },
      });
    });
  });

  it('reads a subject across linked refs, and erased markers after a shred, while others stay readable', async () => {
    const [arta, artaNew, besa] = [ref('Arta@Example.com '), ref('arta.hoxha@example.al'), ref('besa@example.com')];
    expect(ref('  ARTA@example.COM')).toBe(arta);
    await h.ledger.record(fact(1, arta));
    await h.ledger.link(arta, artaNew);
    await h.ledger.record(fact(2, artaNew));
    await h.ledger.record(fact(3, besa));
    const before = await h.ledger.timeline(arta);
    expect(before.filter((e) => e.kind === 'order.synced').map((e) => e.personal)).toEqual([
      { name: 'Arta Hoxha 1', phone: '+355 69 000 1' },
      { name: 'Arta Hoxha 2', phone: '+355 69 000 2' },
    ]);
    expect((await h.ledger.timeline(artaNew)).map((e) => e.seq)).toEqual(before.map((e) => e.seq));

    const { entry, destroyed } = await h.ledger.shred(artaNew, { source: 'dsr-1' });
    expect(entry?.kind).toBe('subject.shredded');
    expect(destroyed.length).toBeGreaterThan(0);
    const after = await h.ledger.timeline(arta);
    expect(after.filter((e) => e.kind === 'order.synced').map((e) => e.personal)).toEqual([ERASED, ERASED]);
    expect((await h.ledger.timeline(besa))[0]?.personal).toEqual({ name: 'Arta Hoxha 3', phone: '+355 69 000 3' });
    await expect(h.ledger.verify()).resolves.toMatchObject({ ok: true });
    expect(await h.ledger.shred(arta)).toEqual({ entry: null, destroyed: [] });
  });

  it("a ledger that cached a subject key honours another process's link and shred", async () => {
    const [arta, artaNew] = [ref('arta@example.com'), ref('arta.hoxha@example.al')];
    const other = h.reopen(h.keys.masterKeys); // another process: its own caches, the same store
    await h.ledger.recordMany([fact(1, arta), fact(2, artaNew)]); // both refs' keys cached here
    await other.link(arta, artaNew);
    await h.ledger.record(fact(3, arta)); // sealed under a key this ledger cached before the merge
    await other.shred(artaNew, { source: 'dsr-1' });
    expect((await other.timeline(arta)).filter((e) => e.kind === 'order.synced').map((e) => e.personal)).toEqual([
      ERASED,
      ERASED,
      ERASED,
    ]);

    await h.ledger.record(fact(4, arta)); // the cached key is gone: a fresh one, readable
    const latest = (await other.timeline(arta)).at(-1);
    expect(latest?.personal).toEqual({ name: 'Arta Hoxha 4', phone: '+355 69 000 4' });
    await expect(h.ledger.verify()).resolves.toMatchObject({ ok: true });
  });

  it('keeps everything readable after a master key rotation, and refuses the old key alone', async () => {
    const arta = ref('arta@example.com');
    for (let i = 1; i <= 3; i++) await h.ledger.record(fact(i, i === 3 ? ref('besa@example.com') : arta));
    const newKey = { id: 'm2', key: Buffer.alloc(32, 7) };
    const rotating = h.reopen([newKey, ...h.keys.masterKeys]);
    const headBefore = await h.ledger.head();
    const { rewrapped } = await rotating.rotateMasterKey();
    expect(rewrapped).toBe(2);
    const onlyNew = h.reopen([newKey]);
    expect((await onlyNew.timeline(arta)).map((e) => e.personal)).toEqual([
      { name: 'Arta Hoxha 1', phone: '+355 69 000 1' },
      { name: 'Arta Hoxha 2', phone: '+355 69 000 2' },
    ]);
    await expect(h.reopen(h.keys.masterKeys).timeline(arta)).rejects.toMatchObject({ code: 'LEDGER_KEY_UNAVAILABLE' });
    const entries = await onlyNew.read(0, 10);
    expect(entries.slice(0, headBefore.seq)).toEqual(await h.ledger.read(0, headBefore.seq));
    await expect(onlyNew.verify()).resolves.toMatchObject({ ok: true });
    expect(new MasterKeyring([newKey]).current.id).toBe('m2');
  });

  it('4 separate processes × 1,000 appends make 4,000 entries in one unbroken chain', async () => {
    const script = path.join(__dirname, '../testing/append-worker.ts');
    const env = {
      ...process.env,
      PB_URL: h.url,
      PB_PEPPER: h.keys.pepper.toString('base64'),
      PB_MASTER: h.keys.masterKeys[0]!.key.toString('base64'),
    };
    await Promise.all(
      [0, 1, 2, 3].map((w) => run(process.execPath, ['--import', 'tsx', script, String(w), '1000'], { env })),
    );
    expect((await h.ledger.head()).seq).toBe(4000);
    await expect(h.ledger.verify()).resolves.toMatchObject({ ok: true, checked: 4000 });
  }, 180_000);
}
