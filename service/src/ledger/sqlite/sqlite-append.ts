import type BetterSqlite3 from 'better-sqlite3';
import { AppError } from '../../platform/errors.js';
import {
  canonicalOf,
  canonicalTail,
  GENESIS,
  linked,
  sha256,
  type ChainHead,
  type EntryDraft,
  type LedgerEntry,
} from '../chain.js';
import type { StoredDataKey } from '../ledger-store.js';
import { COLUMNS, rawToEntry } from '../ledger-rows.js';

/** What an append needs of a draft once its canonical tail is written: plain strings, so it can cross to the writer thread. */
export type AppendRow = readonly [key: string, dataKeyId: string | null, tail: string];
export const appendRow = (d: EntryDraft): AppendRow => [d.key, d.dataKeyId, canonicalTail(d)];

/**
 * What became of each row: the hash of the new entry it was written as (its seq follows the previous
 * new entry's), the index of an earlier row of the same append with the same key, or the row stored
 * under its key before (COLUMNS order), when nothing was written.
 */
export type AppendResult = string | number | unknown[];
export type AppendOutcome = { readonly head: ChainHead; readonly results: readonly AppendResult[] };

/**
 * The body of one append transaction, for whichever thread owns the connection (sqlite-ledger-store.ts on
 * its own thread, sqlite-ledger-writer.worker.ts on the writer thread). Call `begin` inside the
 * transaction, then `push` the rows — all at once or in chunks — before it commits.
 */
export class SqliteAppender {
  readonly #s;
  #start: ChainHead = GENESIS;
  #head: ChainHead = GENESIS;
  #written = new Map<string, number>(); // key → index of the row written under it by this append
  #results: AppendResult[] = [];
  #live = new Set<string>(); // data key ids found live by this append

  constructor(db: BetterSqlite3.Database) {
    const p = (sql: string) => db.prepare(sql);
    this.#s = {
      head: p('SELECT seq, hash FROM ledger_entries ORDER BY seq DESC LIMIT 1'),
      // The entry is its canonical text (the other columns are derived from it, see ledger.migrations.ts).
      // The UNIQUE key check doubles as the idempotency check: no row written means the key is stored already.
      insert: p('INSERT INTO ledger_entries (seq, canonical, hash) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING'),
      byKey: p(`SELECT ${COLUMNS} FROM ledger_entries WHERE key = ?`).raw(),
      liveIn: p(
        'SELECT id FROM ledger_data_keys WHERE wrapped IS NOT NULL AND id IN (SELECT value FROM json_each(?))',
      ).pluck(),
      insertKey: p(
        'INSERT INTO ledger_data_keys (id, subject, wrapped, master_key_id, created_at, hold) VALUES (?, ?, ?, ?, ?, ?)',
      ),
    };
  }

  /** Inserts the append's new data keys (before the rows that use them) and reads the head. */
  begin(newDataKeys: readonly StoredDataKey[]): void {
    for (const k of newDataKeys)
      this.#s.insertKey.run(k.id, k.subject, k.wrapped, k.masterKeyId, k.createdAt, k.hold ?? null);
    const top = this.#s.head.get() as ChainHead | undefined;
    this.#start = this.#head = top ? { seq: Number(top.seq), hash: top.hash } : GENESIS;
    this.#written = new Map();
    this.#live = new Set();
    this.#results = [];
  }

  /** Links and writes the rows after the head; throws LEDGER_KEY_UNAVAILABLE for a row sealed under a shredded key. */
  push(rows: readonly AppendRow[]): void {
    // One query for the chunk's data keys not yet seen live, instead of one per key.
    const unseen = [...new Set(rows.map((r) => r[1]).filter((id): id is string => id !== null && !this.#live.has(id)))];
    if (unseen.length > 0) for (const id of this.#s.liveIn.all(JSON.stringify(unseen)) as string[]) this.#live.add(id);
    for (const [key, dataKeyId, tail] of rows) this.#results.push(this.#write(key, dataKeyId, tail));
  }

  /** One row: the hash it was written with, the index of the same key written earlier, or the row stored before. */
  #write(key: string, dataKeyId: string | null, tail: string): AppendResult {
    const earlier = this.#written.get(key);
    if (earlier !== undefined) return earlier;
    const seq = this.#head.seq + 1;
    const text = canonicalOf(seq, this.#head.hash, tail);
    const hash = sha256(text);
    if (this.#s.insert.run(seq, text, hash).changes === 0) return this.#s.byKey.get(key) as unknown[]; // stored before: head unchanged
    // Checked after the insert so a stored key still returns its entry; a throw rolls the insert back.
    if (dataKeyId !== null && !this.#live.has(dataKeyId)) throw new AppError('LEDGER_KEY_UNAVAILABLE', { dataKeyId });
    this.#written.set(key, this.#results.length);
    this.#head = { seq, hash };
    return hash;
  }

  /** What the rows pushed since `begin` became. */
  outcome(): AppendOutcome {
    return { head: this.#start, results: this.#results };
  }
}

/** The entries an append's drafts became, from its outcome (on the thread that holds the drafts). */
export function entriesOf(drafts: readonly EntryDraft[], { head, results }: AppendOutcome): LedgerEntry[] {
  const entries: LedgerEntry[] = [];
  let at = head;
  results.forEach((r, i) => {
    if (typeof r === 'string') {
      const entry = linked(drafts[i]!, at.seq + 1, at.hash, r);
      at = entry;
      entries.push(entry);
    } else if (typeof r === 'number') entries.push(entries[r]!);
    else entries.push(storedEntry(r));
  });
  return entries;
}

/** A stored row as an entry; its ciphertext may arrive from the writer thread as a plain Uint8Array. */
function storedEntry(row: unknown[]): LedgerEntry {
  const entry = rawToEntry(row);
  const c = entry.ciphertext as Uint8Array | null;
  return c === null || Buffer.isBuffer(c)
    ? entry
    : { ...entry, ciphertext: Buffer.from(c.buffer, c.byteOffset, c.byteLength) };
}
