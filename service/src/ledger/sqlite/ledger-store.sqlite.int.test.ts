import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fixedClock } from '../../platform/clock.js';
import { openDatabase } from '../../platform/db/database.js';
import { migrate } from '../../platform/db/migrate.js';
import { sensitive } from '../../platform/sensitive.js';
import { tempDir } from '../../testing/databases.js';
import { GENESIS, link, type ChainHead, type EntryDraft, type LedgerEntry } from '../chain.js';
import { Ledger, ledgerMigrations, MasterKeyring, type SubjectRef } from '../index.js';
import { createLedgerStore } from '../open-store.js';
import { WRITER_THREAD_FROM, type SqliteLedgerStore } from './sqlite-ledger-store.js';
import { COLUMNS, storedRef } from '../ledger-rows.js';
import {
  DISABLE_GUARD,
  SQLITE_TAMPER,
  sqliteHarness,
  sqliteWriterHarness,
  type LedgerHarness,
} from '../../testing/ledger-harness.js';
import { ledgerHoldsContract } from '../ledger-holds.contract.js';
import { ledgerStoreContract } from '../ledger-store.contract.js';

describe('LedgerStore contract: SQLite', () => ledgerStoreContract(sqliteHarness));
describe('LedgerStore contract: SQLite, appends on the writer thread', () => ledgerStoreContract(sqliteWriterHarness));
describe('Ledger holds contract: SQLite', () => ledgerHoldsContract(sqliteHarness));

// SQLite keeps each entry as the canonical text that was hashed, and derives its columns from it.
describe('SQLite entries as their canonical text', () => {
  let h: LedgerHarness;
  const awkward = 'a\u0001\u001f\n\t"\\é😀\u2028/';
  beforeEach(async () => {
    h = await sqliteHarness();
    const subject = h.ledger.subjectRef(sensitive('arta@example.com'));
    for (let i = 1; i <= 4; i++) {
      await h.ledger.record({
        key: `k-${i}-${awkward}`,
        kind: 'order.synced',
        subject,
        source: awkward,
        categories: ['contact', 'identity'],
        detail: { note: awkward },
        personal: i % 2 ? sensitive({ n: i, note: awkward }) : undefined,
      });
    }
  });
  afterEach(() => h.close());

  it('reads back every field as written (escapes, unicode, null ciphertexts) and verifies', async () => {
    await expect(h.ledger.verify()).resolves.toMatchObject({ ok: true, checked: 4 });
    const [first, second] = await h.ledger.read(0, 2);
    expect(first).toMatchObject({
      seq: 1,
      key: `k-1-${awkward}`,
      source: awkward,
      categories: ['contact', 'identity'],
      detail: JSON.stringify({ note: awkward }),
    });
    expect(first!.ciphertext).toBeInstanceOf(Buffer);
    expect(second!.ciphertext).toBeNull();
    expect(second!.prevHash).toBe(first!.hash);
    const timeline = await h.ledger.timeline(h.ledger.subjectRef(sensitive('arta@example.com')));
    expect(timeline.map((e) => e.personal)).toEqual([{ n: 1, note: awkward }, null, { n: 3, note: awkward }, null]);
  });

  it('has no column to edit apart from the text: derived columns refuse updates even without the guard', async () => {
    await expect(h.sql(`${DISABLE_GUARD.sqlite} UPDATE ledger_entries SET source = 'b' WHERE seq = 3`)).rejects.toThrow(
      /generated column/,
    );
  });

  it('names an entry whose text is no longer canonical as altered, and refuses text that is not JSON', async () => {
    await expect(
      h.sql(`${DISABLE_GUARD.sqlite} UPDATE ledger_entries SET canonical = 'x' WHERE seq = 3`),
    ).rejects.toThrow(/malformed JSON/);
    await h.sql(`${DISABLE_GUARD.sqlite} ${SQLITE_TAMPER.unreadable(3)}`);
    await expect(h.ledger.verify()).resolves.toMatchObject({
      ok: false,
      checked: 2,
      break: { seq: 3, reason: 'hash-mismatch' },
    });
  });

  it('names the gap an authentic text leaves when it is moved to another seq', async () => {
    await h.sql(
      `${DISABLE_GUARD.sqlite} DELETE FROM ledger_entries WHERE seq = 4; UPDATE ledger_entries SET seq = 4 WHERE seq = 3;`,
    );
    await expect(h.ledger.verify()).resolves.toMatchObject({ ok: false, break: { seq: 3, reason: 'missing-entry' } });
  });
});

describe('SQLite appends on the writer thread', () => {
  let h: LedgerHarness;
  beforeEach(async () => {
    h = await sqliteHarness();
  });
  afterEach(() => h.close());

  const store = () => h.store as SqliteLedgerStore;
  const facts = (from: number, count: number, subject: SubjectRef) =>
    Array.from({ length: count }, (_, i) => ({
      key: `order-${from + i}`,
      kind: 'order.synced',
      subject,
      categories: ['contact'],
      personal: sensitive({ n: from + i }),
    }));

  it('writes a large append there: the entries returned are the entries stored, repeated keys included', async () => {
    const arta = h.ledger.subjectRef(sensitive('arta@example.com'));
    await h.ledger.recordMany(facts(0, 10, arta)); // small: written on this thread
    expect(store().writerThreadRunning).toBe(false);
    const batch = [...facts(5, WRITER_THREAD_FROM + 200, arta), ...facts(300, 2, arta)]; // keys 5–9 stored before, 300 and 301 twice
    const entries = await h.ledger.recordMany(batch);
    expect(store().writerThreadRunning).toBe(true);
    expect(entries.map((e) => e.key)).toEqual(batch.map((f) => f.key));
    expect(await h.ledger.read(0, 1_000)).toEqual([...(await h.ledger.read(0, 10)), ...entries.slice(5, -2)]);
    expect(entries.slice(-2)).toEqual(entries.slice(300 - 5, 302 - 5));
    expect(entries.at(-3)!.seq).toBe(10 + WRITER_THREAD_FROM + 195);
    await expect(h.ledger.verify()).resolves.toMatchObject({ ok: true, checked: 10 + WRITER_THREAD_FROM + 195 });
    const timeline = await h.ledger.timeline(arta);
    expect(timeline.map((e) => e.personal)).toEqual(
      Array.from({ length: 10 + WRITER_THREAD_FROM + 195 }, (_, n) => ({ n })),
    );
  });

  it("keeps one chain while appends on this thread wait for the writer's transaction", async () => {
    const subjects = ['arta', 'besa', 'drita'].map((n) => h.ledger.subjectRef(sensitive(`${n}@example.com`)));
    await Promise.all([
      ...subjects.map((s, k) => h.ledger.recordMany(facts(k * 10_000, 600, s))),
      ...Array.from({ length: 20 }, (_, i) =>
        h.ledger.record({ key: `small-${i}`, kind: 'order.synced', subject: subjects[i % 3]! }),
      ),
    ]);
    await expect(h.ledger.verify()).resolves.toMatchObject({ ok: true, checked: 1_820 });
  });

  it('gives a new subject one data key when the next append about them starts before the first committed', async () => {
    const arta = h.ledger.subjectRef(sensitive('arta@example.com'));
    const first = h.ledger.recordMany(facts(0, 2_000, arta));
    await new Promise((resolve) => setImmediate(resolve)); // the first is sealed and on the writer, not committed
    await Promise.all([first, h.ledger.recordMany(facts(5_000, 300, arta))]);
    const subject = (await h.store.subjectOf(arta))!;
    expect(await h.store.liveDataKeys(subject)).toHaveLength(1);
    expect((await h.ledger.timeline(arta)).filter((e) => e.personal !== null)).toHaveLength(2_300);
  });

  it('rolls a failed append back whole, stays usable, and stops with the database', async () => {
    const draft = (i: number, dataKeyId: string | null): EntryDraft => ({
      key: `d-${i}`,
      kind: 'order.synced',
      subject: null,
      purpose: null,
      legalBasis: null,
      categories: [],
      source: null,
      detail: null,
      at: '2026-11-01T10:00:00.000Z',
      ciphertext: dataKeyId ? Buffer.from([i % 256]) : null,
      dataKeyId,
    });
    const chunk = (from: number, dataKeyId: string | null) =>
      Array.from({ length: 100 }, (_, i) => draft(from + i, dataKeyId));
    // A draft sealed under a key that is not live, in the third chunk: the first two were written on the writer by then.
    await h.sql(
      "INSERT INTO ledger_data_keys (id, subject, wrapped, master_key_id, created_at) VALUES ('gone', 's', NULL, NULL, '2026-11-01')",
    );
    await expect(store().append([chunk(0, null), chunk(100, null), chunk(200, 'gone')], 300)).rejects.toMatchObject({
      code: 'LEDGER_KEY_UNAVAILABLE',
      details: { dataKeyId: 'gone' },
    });
    await expect(h.ledger.head()).resolves.toMatchObject({ seq: 0 });
    const entries = await store().append([chunk(0, null), chunk(100, null), chunk(200, null)], 300);
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    await expect(h.ledger.verify()).resolves.toMatchObject({ ok: true, checked: 300 });
    expect(store().writerThreadRunning).toBe(true);
    await h.db.close();
    expect(store().writerThreadRunning).toBe(false);
  });
});

describe('SQLite migration 0030: entries kept as columns become their canonical text', () => {
  it('carries every entry over unchanged: same fields, same hashes, the chain verifies and appends continue it', async () => {
    const tmp = tempDir('pb-ledger-0030-');
    const db = openDatabase(`sqlite:${path.join(tmp.dir, 'ledger.sqlite')}`);
    try {
      if (db.dialect !== 'sqlite') throw new Error('expected SQLite');
      await migrate(db, ledgerMigrations.slice(0, 1)); // the 0001 layout: one column per field
      const insert = db.sqlite.prepare(
        `INSERT INTO ledger_entries (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      let head: ChainHead = GENESIS;
      const written: LedgerEntry[] = [];
      for (let i = 1; i <= 3; i++) {
        const e = link(head, {
          key: `k-${i}-é"\\`,
          kind: 'order.synced',
          subject: storedRef('ab'.repeat(32)),
          purpose: 'service-delivery',
          legalBasis: 'contract',
          categories: ['contact', 'identity'],
          source: `order-${i}`,
          detail: JSON.stringify({ i }),
          at: '2026-11-01T10:00:00.000Z',
          ciphertext: i === 2 ? null : Buffer.from([i, 0, 255]),
          dataKeyId: i === 2 ? null : 'key-1',
        });
        insert.run(
          e.seq,
          e.key,
          e.kind,
          e.subject,
          e.purpose,
          e.legalBasis,
          JSON.stringify(e.categories),
          e.source,
          e.detail,
          e.at,
          e.ciphertext,
          e.dataKeyId,
          e.prevHash,
          e.hash,
        );
        written.push(e);
        head = e;
      }
      expect(await migrate(db, ledgerMigrations)).toEqual(['0030-ledger-canonical-rows', '0070-ledger-hold-keys']);
      const ledger = new Ledger({
        store: createLedgerStore(db),
        keyring: new MasterKeyring([{ id: 'm1', key: randomBytes(32) }]),
        pepper: randomBytes(32),
        clock: fixedClock('2026-11-02T10:00:00Z'),
      });
      expect(await ledger.read(0, 10)).toEqual(written);
      await ledger.record({ key: 'after-0030', kind: 'order.synced' });
      await expect(ledger.verify()).resolves.toMatchObject({ ok: true, checked: 4 });
      expect(() => db.sqlite.exec("UPDATE ledger_entries SET hash = 'x'")).toThrow(/append-only/); // the guard is back
    } finally {
      await db.close();
      tmp.remove();
    }
  });
});
