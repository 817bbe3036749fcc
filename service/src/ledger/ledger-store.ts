import type { ChainHead, EntryDraft, LedgerEntry, StoredEntry, VerifyResult } from './chain.js';

/** A subject's data key as stored: wrapped by a master key, or null once shredded. */
export type StoredDataKey = {
  readonly id: string;
  readonly subject: string;
  readonly wrapped: Buffer | null;
  readonly masterKeyId: string | null;
  readonly createdAt: string;
};

/**
 * Where the ledger lives: sqlite-ledger-store.ts (default) and postgres-ledger-store.ts (production).
 * Both pass ledger-store.contract.ts. Every implementation guarantees:
 * - `append` reads the head and writes the next entries in one serialized transaction
 *   (SQLite: BEGIN IMMEDIATE; PostgreSQL: a row lock on the head), so the chain never forks,
 *   whatever the number of processes appending.
 * - A draft whose `key` is stored already is not written again; the stored entry is returned in its place.
 * - `append` refuses (LEDGER_KEY_UNAVAILABLE) a draft encrypted under a data key shredded meanwhile.
 * - Entries are never updated or deleted: there is deliberately no method for either.
 * - Data keys are mutable: shredding nulls the wrapped key; rotation re-wraps it.
 * - Subject refs map to one subject id; linking merges two subjects (their refs and their keys).
 * The store owns its connections and transactions; callers never pass one in.
 */
export interface LedgerStore {
  readonly dialect: 'sqlite' | 'postgres';

  /**
   * `newDataKeys` are inserted in the same transaction, before the drafts that use them: a subject's
   * first data key costs no transaction of its own, and a key exists only if its entries were written.
   */
  append(drafts: readonly EntryDraft[], newDataKeys?: readonly StoredDataKey[]): Promise<LedgerEntry[]>;
  /**
   * Optional: `append` of `total` drafts handed over chunk by chunk as the iterable drafts them, so a store
   * can write one chunk while the next is being sealed (SQLite: on its writer thread). One transaction still.
   */
  appendChunks?(chunks: Iterable<readonly EntryDraft[]>, total: number, newDataKeys?: readonly StoredDataKey[]): Promise<LedgerEntry[]>;
  head(): Promise<ChainHead & { at: string | null }>;
  /** Entries with seq > afterSeq, ascending, at most `limit`. */
  read(afterSeq: number, limit: number): Promise<LedgerEntry[]>;
  /** Every entry after `afterSeq` in order, streamed in bounded memory. */
  scan(afterSeq?: number): AsyncIterable<LedgerEntry>;
  /** The same stream as `scan`, in pages of at most `size` entries (verify: one await per page, not per entry). */
  scanPages(afterSeq?: number, size?: number): AsyncIterable<readonly LedgerEntry[]>;
  /** Optional, for verify: the same stream as the canonical texts the store keeps (StoredEntry). */
  scanStored?(afterSeq?: number, size?: number): AsyncIterable<readonly StoredEntry[]>;
  /**
   * Optional, for verify: the verdict `Ledger.verify` would reach on one thread (same first broken entry,
   * reason and count), reached on several; null when the store declines (a small ledger, no worker script).
   */
  verifyInParallel?(expected?: ChainHead): Promise<VerifyResult | null>;
  /** Entries whose subject is one of `refs`, ascending. */
  entriesOf(refs: readonly string[]): Promise<LedgerEntry[]>;
  /** The entry stored under a natural key, if any. */
  byKey(key: string): Promise<LedgerEntry | null>;

  /** The subject id a ref belongs to, creating a one-ref subject when the ref is new. */
  ensureSubject(ref: string): Promise<string>;
  /** `ensureSubject` for many refs at once (one round trip when all exist, one write for all new ones): ref → subject id. */
  ensureSubjects(refs: readonly string[]): Promise<Map<string, string>>;
  subjectOf(ref: string): Promise<string | null>;
  refsOf(subject: string): Promise<string[]>;
  /** Makes `b`'s subject part of `a`'s; returns the surviving subject id. */
  mergeSubjects(a: string, b: string): Promise<string>;

  /** The newest live data key of a subject, or null. */
  activeDataKey(subject: string): Promise<StoredDataKey | null>;
  insertDataKey(key: StoredDataKey): Promise<void>;
  dataKeys(ids: readonly string[]): Promise<StoredDataKey[]>;
  /** Every live key of a subject, to shred. */
  liveDataKeys(subject: string): Promise<StoredDataKey[]>;
  /** Destroys the wrapped keys; returns the ids that were live. */
  shredDataKeys(ids: readonly string[]): Promise<string[]>;
  /** Live keys in id order after `afterId`, for rotation. */
  liveDataKeysPage(afterId: string, limit: number): Promise<StoredDataKey[]>;
  rewrapDataKey(id: string, wrapped: Buffer, masterKeyId: string): Promise<void>;
  /** Optional: releases what the store started itself (threads); the database's close calls it. */
  close?(): Promise<void>;
}
