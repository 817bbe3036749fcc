import type { ChainHead, EntryDraft, LedgerEntry, VerifyResult } from './chain.js';
import type { SubjectRef } from './subject-ref.js';

/**
 * A data key as stored: wrapped by a master key, or null once shredded. A subject's own keys have no
 * `hold`; a hold key (a subject's values kept by one hold, re-sealed before the subject's keys were
 * shredded) names its hold, and is neither the subject's active key nor one of the keys its shred destroys.
 */
export type StoredDataKey = {
  readonly id: string;
  readonly subject: string;
  readonly wrapped: Buffer | null;
  readonly masterKeyId: string | null;
  readonly createdAt: string;
  readonly hold: string | null;
};

/**
 * Where the ledger lives: sqlite/sqlite-ledger-store.ts (default) and postgres/postgres-ledger-store.ts
 * (production), made by open-store.ts. Both pass ledger-store.contract.ts. Every implementation guarantees:
 * - `append` reads the head and writes the next entries in one serialized transaction
 *   (SQLite: BEGIN IMMEDIATE; PostgreSQL: a row lock on the head), so the chain never forks,
 *   whatever the number of processes appending.
 * - A draft whose `key` is stored already is not written again; the stored entry is returned in its place.
 * - `append` refuses (LEDGER_KEY_UNAVAILABLE) a draft encrypted under a data key shredded meanwhile.
 * - Entries are never updated or deleted: there is deliberately no method for either.
 * - Data keys are mutable: shredding nulls the wrapped key; rotation re-wraps it.
 * - Subject refs map to one subject id; linking merges two subjects (their refs and their keys).
 *   A subject id is the ref it was first seen as, so it is a SubjectRef too.
 * - Subjects and refs are returned typed SubjectRef, checked where the row is read (a stored value that is
 *   not one throws LEDGER_CHAIN_BROKEN); callers never cast. `verify` reads rows as stored, unchecked.
 * - Each store's fast paths (SQLite: the writer thread, verify on several threads) stay behind these
 *   methods: a caller cannot tell them from the plain path but by the time taken.
 * The store owns its connections and transactions; callers never pass one in.
 */
export interface LedgerStore {
  readonly dialect: 'sqlite' | 'postgres';

  /**
   * Appends `total` drafts in one transaction, handed over chunk by chunk as the iterable seals them: a
   * store may write one chunk while the next is being sealed (SQLite does, on its writer thread, for large
   * appends). Returns one entry per draft, in order. `newDataKeys` are inserted in the same transaction,
   * before the drafts that use them: a subject's first data key costs no transaction of its own, and a
   * key exists only if its entries were written.
   */
  append(
    chunks: Iterable<readonly EntryDraft[]>,
    total: number,
    newDataKeys?: readonly StoredDataKey[],
  ): Promise<LedgerEntry[]>;
  head(): Promise<ChainHead & { at: string | null }>;
  /** Entries with seq > afterSeq, ascending, at most `limit`. */
  read(afterSeq: number, limit: number): Promise<LedgerEntry[]>;
  /** Every entry after `afterSeq` in order, streamed in bounded memory. */
  scan(afterSeq?: number): AsyncIterable<LedgerEntry>;
  /** The same stream as `scan`, in pages of at most `size` entries (verify: one await per page, not per entry). */
  scanPages(afterSeq?: number, size?: number): AsyncIterable<readonly LedgerEntry[]>;
  /**
   * The verdict of a ChainVerifier fed every stored entry from GENESIS (against `expected`, a head recorded
   * earlier): the same first broken entry, reason and count however the store reads them.
   */
  verify(expected?: ChainHead): Promise<VerifyResult>;
  /** Entries whose subject is one of `refs`, ascending. */
  entriesOf(refs: readonly string[]): Promise<LedgerEntry[]>;
  /** The entry stored under a natural key, if any. */
  byKey(key: string): Promise<LedgerEntry | null>;

  /** The subject id a ref belongs to, creating a one-ref subject when the ref is new. */
  ensureSubject(ref: SubjectRef): Promise<SubjectRef>;
  /** `ensureSubject` for many refs at once (one round trip when all exist, one write for all new ones): ref → subject id. */
  ensureSubjects(refs: readonly SubjectRef[]): Promise<Map<SubjectRef, SubjectRef>>;
  subjectOf(ref: string): Promise<SubjectRef | null>;
  refsOf(subject: string): Promise<SubjectRef[]>;
  /** Makes `b`'s subject part of `a`'s; returns the surviving subject id. */
  mergeSubjects(a: SubjectRef, b: SubjectRef): Promise<SubjectRef>;

  /** The newest live data key of a subject (not a hold key), or null. */
  activeDataKey(subject: string): Promise<StoredDataKey | null>;
  insertDataKey(key: StoredDataKey): Promise<void>;
  dataKeys(ids: readonly string[]): Promise<StoredDataKey[]>;
  /** Every live key of a subject (not its hold keys), to shred. */
  liveDataKeys(subject: string): Promise<StoredDataKey[]>;
  /** The live keys of a hold, in id order: the one to seal under, or to shred when the hold ends. */
  liveHoldKeys(hold: string): Promise<StoredDataKey[]>;
  /** Destroys the wrapped keys; returns the ids that were live. */
  shredDataKeys(ids: readonly string[]): Promise<string[]>;
  /** Live keys in id order after `afterId`, hold keys too, for rotation. */
  liveDataKeysPage(afterId: string, limit: number): Promise<StoredDataKey[]>;
  rewrapDataKey(id: string, wrapped: Buffer, masterKeyId: string): Promise<void>;
  /** Releases what the store started itself (SQLite: its writer thread); the database's close calls it. */
  close(): Promise<void>;
}
