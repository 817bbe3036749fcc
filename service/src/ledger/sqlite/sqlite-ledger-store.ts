import type BetterSqlite3 from 'better-sqlite3';
import {
  ChainVerifier,
  feedStored,
  GENESIS,
  type ChainHead,
  type StoredEntry,
  type EntryDraft,
  type LedgerEntry,
  type VerifyResult,
} from '../chain.js';
import type { LedgerStore, StoredDataKey } from '../ledger-store.js';
import { appendRow, entriesOf, SqliteAppender } from './sqlite-append.js';
import { LedgerWriterThread } from './sqlite-ledger-writer.js';
import { verifyInParallel } from './sqlite-parallel-verify.js';
import {
  COLUMNS,
  STORED_COLUMNS,
  rawToEntry,
  storedRef,
  SUBJECT_INDEXED,
  subjectPrefix,
  toEntry,
  toKey,
  type EntryRow,
  type KeyRow,
} from '../ledger-rows.js';
import type { SubjectRef } from '../subject-ref.js';

/** Below this many entries, verify stays on one thread. */
export const PARALLEL_VERIFY_FROM = 50_000;
/** From this many drafts, an append runs on the writer thread (below it, the messages cost more than the overlap saves). */
export const WRITER_THREAD_FROM = 256;

export type SqliteLedgerOptions = {
  /** `from`: the entry count from which verify uses worker threads (Infinity: never); `threads`: how many (default: the cores, at least 2). */
  readonly parallelVerify?: { readonly from?: number; readonly threads?: number };
  /** The append size from which the writer thread writes (Infinity: never; an in-memory database never does). */
  readonly writerThreadFrom?: number;
};

/** The embedded ledger. better-sqlite3 is synchronous; each method is one short transaction. */
export class SqliteLedgerStore implements LedgerStore {
  readonly dialect = 'sqlite' as const;
  readonly #s;
  readonly #appendTx;
  readonly #ensureTx;
  #writer: LedgerWriterThread | null = null;

  constructor(
    private readonly db: BetterSqlite3.Database,
    private readonly options: SqliteLedgerOptions = {},
  ) {
    const p = (sql: string) => db.prepare(sql);
    this.#s = {
      head: p('SELECT seq, hash, at FROM ledger_entries ORDER BY seq DESC LIMIT 1'),
      byKey: p(`SELECT ${COLUMNS} FROM ledger_entries WHERE key = ?`),
      read: p(`SELECT ${COLUMNS} FROM ledger_entries WHERE seq > ? ORDER BY seq LIMIT ?`),
      scan: p(`SELECT ${COLUMNS} FROM ledger_entries WHERE seq > ? ORDER BY seq`),
      page: p(`SELECT ${COLUMNS} FROM ledger_entries WHERE seq > ? ORDER BY seq LIMIT ?`).raw(),
      storedPage: p(`SELECT ${STORED_COLUMNS} FROM ledger_entries WHERE seq > ? ORDER BY seq LIMIT ?`).raw(),
      subjectsOf: p('SELECT ref, subject FROM ledger_subject_refs WHERE ref IN (SELECT value FROM json_each(?))'),
      refInsert: p('INSERT INTO ledger_subject_refs (ref, subject) VALUES (?, ?) ON CONFLICT (ref) DO NOTHING'),
      subjectOf: p('SELECT subject FROM ledger_subject_refs WHERE ref = ?'),
      refsOf: p('SELECT ref FROM ledger_subject_refs WHERE subject = ? ORDER BY ref'),
      moveRefs: p('UPDATE ledger_subject_refs SET subject = ? WHERE subject = ?'),
      moveKeys: p('UPDATE ledger_data_keys SET subject = ? WHERE subject = ?'),
      activeKey: p(
        'SELECT * FROM ledger_data_keys WHERE subject = ? AND hold IS NULL AND wrapped IS NOT NULL ORDER BY created_at DESC, id DESC LIMIT 1',
      ),
      liveKeys: p(
        'SELECT * FROM ledger_data_keys WHERE subject = ? AND hold IS NULL AND wrapped IS NOT NULL ORDER BY id',
      ),
      holdKeys: p('SELECT * FROM ledger_data_keys WHERE hold = ? AND wrapped IS NOT NULL ORDER BY id'),
      insertKey: p(
        'INSERT INTO ledger_data_keys (id, subject, wrapped, master_key_id, created_at, hold) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      key: p('SELECT * FROM ledger_data_keys WHERE id = ?'),
      shred: p(
        "UPDATE ledger_data_keys SET wrapped = NULL, master_key_id = NULL, shredded_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ? AND wrapped IS NOT NULL",
      ),
      keysPage: p('SELECT * FROM ledger_data_keys WHERE id > ? AND wrapped IS NOT NULL ORDER BY id LIMIT ?'),
      rewrap: p('UPDATE ledger_data_keys SET wrapped = ?, master_key_id = ? WHERE id = ? AND wrapped IS NOT NULL'),
    };
    const appender = new SqliteAppender(db);
    this.#appendTx = db.transaction((drafts: readonly EntryDraft[], newDataKeys: readonly StoredDataKey[]) => {
      appender.begin(newDataKeys);
      appender.push(drafts.map(appendRow));
      return appender.outcome();
    });
    this.#ensureTx = db.transaction((refs: readonly SubjectRef[]) =>
      refs.map((ref) => [ref, this.#ensure(ref)] as const),
    );
  }

  /** Large appends go to the writer thread, chunk by chunk as they are sealed; the others are written here. */
  async append(
    chunks: Iterable<readonly EntryDraft[]>,
    total: number,
    newDataKeys: readonly StoredDataKey[] = [],
  ): Promise<LedgerEntry[]> {
    const writer = total >= (this.options.writerThreadFrom ?? WRITER_THREAD_FROM) ? this.#writerThread() : null;
    if (writer) return writer.append(chunks, newDataKeys);
    const drafts = [...chunks].flat();
    return entriesOf(drafts, this.#appendTx.immediate(drafts, newDataKeys));
  }

  #writerThread(): LedgerWriterThread | null {
    if (this.db.memory || !this.db.open) return null;
    if (!this.#writer?.alive) {
      const sync = this.db.pragma('synchronous', { simple: true }) === 2 ? 'full' : 'normal';
      this.#writer = LedgerWriterThread.start({ file: this.db.name, sync });
    }
    return this.#writer;
  }

  /** Whether a writer thread is running (it starts with the first append of WRITER_THREAD_FROM drafts). */
  get writerThreadRunning(): boolean {
    return this.#writer?.alive ?? false;
  }

  /** Stops the writer thread (the database's own close calls this). */
  async close(): Promise<void> {
    await this.#writer?.close();
    this.#writer = null;
  }

  async head() {
    const top = this.#s.head.get() as { seq: number; hash: string; at: string } | undefined;
    return top ? { seq: Number(top.seq), hash: top.hash, at: top.at } : { ...GENESIS, at: null };
  }

  async read(afterSeq: number, limit: number) {
    return (this.#s.read.all(afterSeq, limit) as EntryRow[]).map(toEntry);
  }

  async *scan(afterSeq = 0): AsyncIterable<LedgerEntry> {
    for (const row of this.#s.scan.iterate(afterSeq) as IterableIterator<EntryRow>) yield toEntry(row);
  }

  /** Keyset pages of raw rows: one native call per page and no intermediate row objects. */
  async *scanPages(afterSeq = 0, size = 2_000): AsyncIterable<readonly LedgerEntry[]> {
    let after = afterSeq;
    for (;;) {
      const page = (this.#s.page.all(after, size) as unknown[][]).map(rawToEntry);
      if (page.length > 0) yield page;
      if (page.length < size) return;
      after = page[page.length - 1]!.seq;
    }
  }

  /** On several threads from PARALLEL_VERIFY_FROM entries; below it, the stored texts on this thread. */
  async verify(expected?: ChainHead): Promise<VerifyResult> {
    const parallel = await this.verifyInParallel(expected);
    if (parallel) return parallel;
    const verifier = new ChainVerifier(undefined, expected);
    await feedStored(verifier, this.#scanStored(0));
    return verifier.finish();
  }

  /** The stored canonical texts, as hashed: three values a row, nothing rendered or derived. */
  async *#scanStored(afterSeq = 0, size = 500): AsyncIterable<readonly StoredEntry[]> {
    let after = afterSeq;
    for (;;) {
      const page = this.#s.storedPage.all(after, size) as unknown as StoredEntry[];
      if (page.length > 0) yield page;
      if (page.length < size) return;
      after = page[page.length - 1]![0];
    }
  }

  /**
   * Several threads, one read-only connection each, from PARALLEL_VERIFY_FROM entries on (below it,
   * starting threads costs more): `verify`'s verdict, or null when this store declines (a small or
   * in-memory ledger, no worker script).
   */
  async verifyInParallel(expected?: ChainHead): Promise<VerifyResult | null> {
    const { from = PARALLEL_VERIFY_FROM, threads } = this.options.parallelVerify ?? {};
    if (this.db.memory || from === Infinity) return null;
    const { seq } = await this.head();
    if (seq < from) return null;
    return verifyInParallel({ file: this.db.name, lastSeq: seq, expected, threads });
  }

  async entriesOf(refs: readonly string[]) {
    if (refs.length === 0) return [];
    const marks = refs.map(() => '?').join(', ');
    const sql = `SELECT ${COLUMNS} FROM ledger_entries WHERE ${SUBJECT_INDEXED} IN (${marks}) AND subject IN (${marks}) ORDER BY seq`;
    const rows = this.db.prepare(sql).all(...refs.map(subjectPrefix), ...refs);
    return (rows as EntryRow[]).map(toEntry);
  }

  async byKey(key: string) {
    const row = this.#s.byKey.get(key) as EntryRow | undefined;
    return row ? toEntry(row) : null;
  }

  async ensureSubject(ref: SubjectRef) {
    return this.#ensure(ref);
  }

  async ensureSubjects(refs: readonly SubjectRef[]) {
    const rows = this.#s.subjectsOf.all(JSON.stringify(refs)) as { ref: string; subject: string }[];
    const subjects = new Map(rows.map((r) => [storedRef(r.ref), storedRef(r.subject)]));
    // New refs are written in one transaction, not one each.
    const missing = [...new Set(refs.filter((ref) => !subjects.has(ref)))];
    if (missing.length > 0) for (const [ref, subject] of this.#ensureTx.immediate(missing)) subjects.set(ref, subject);
    return subjects;
  }

  /** Read first: a known ref (the usual case) costs no write transaction. */
  #ensure(ref: SubjectRef): SubjectRef {
    const known = this.#subjectOf(ref);
    if (known) return known;
    this.#s.refInsert.run(ref, ref);
    return this.#subjectOf(ref)!;
  }

  #subjectOf(ref: string): SubjectRef | null {
    const row = this.#s.subjectOf.get(ref) as { subject: string } | undefined;
    return row ? storedRef(row.subject) : null;
  }

  async subjectOf(ref: string) {
    return this.#subjectOf(ref);
  }

  async refsOf(subject: string) {
    return (this.#s.refsOf.all(subject) as { ref: string }[]).map((r) => storedRef(r.ref));
  }

  async mergeSubjects(a: SubjectRef, b: SubjectRef) {
    return this.db
      .transaction(() => {
        this.#s.refInsert.run(a, a);
        this.#s.refInsert.run(b, b);
        const sa = this.#subjectOf(a)!;
        const sb = this.#subjectOf(b)!;
        if (sa !== sb) {
          this.#s.moveRefs.run(sa, sb);
          this.#s.moveKeys.run(sa, sb);
        }
        return sa;
      })
      .immediate();
  }

  async activeDataKey(subject: string) {
    const row = this.#s.activeKey.get(subject) as KeyRow | undefined;
    return row ? toKey(row) : null;
  }

  async insertDataKey(k: StoredDataKey) {
    this.#s.insertKey.run(k.id, k.subject, k.wrapped, k.masterKeyId, k.createdAt, k.hold ?? null);
  }

  async dataKeys(ids: readonly string[]) {
    return ids
      .map((id) => this.#s.key.get(id) as KeyRow | undefined)
      .filter((r) => r !== undefined)
      .map(toKey);
  }

  async liveDataKeys(subject: string) {
    return (this.#s.liveKeys.all(subject) as KeyRow[]).map(toKey);
  }

  async liveHoldKeys(hold: string) {
    return (this.#s.holdKeys.all(hold) as KeyRow[]).map(toKey);
  }

  async shredDataKeys(ids: readonly string[]) {
    return this.db.transaction(() => ids.filter((id) => this.#s.shred.run(id).changes > 0)).immediate();
  }

  async liveDataKeysPage(afterId: string, limit: number) {
    return (this.#s.keysPage.all(afterId, limit) as KeyRow[]).map(toKey);
  }

  async rewrapDataKey(id: string, wrapped: Buffer, masterKeyId: string) {
    this.#s.rewrap.run(wrapped, masterKeyId, id);
  }
}
