import type { LedgerEntry } from './chain.js';
import type { StoredDataKey } from './ledger-store.js';

/** Row shapes shared by both SQL stores (same column names in SQLite and PostgreSQL). */
export type EntryRow = {
  seq: number; key: string; kind: string; subject: string | null; purpose: string | null; legal_basis: string | null;
  categories: string; source: string | null; detail: string | null; at: string; ciphertext: Buffer | null; data_key_id: string | null;
  prev_hash: string; hash: string;
};
export type KeyRow = { id: string; subject: string; wrapped: Buffer | null; master_key_id: string | null; created_at: string };

export const COLUMNS = 'seq, key, kind, subject, purpose, legal_basis, categories, source, detail, at, ciphertext, data_key_id, prev_hash, hash';

export const toEntry = (r: EntryRow): LedgerEntry => ({
  seq: Number(r.seq), key: r.key, kind: r.kind, subject: r.subject, purpose: r.purpose, legalBasis: r.legal_basis,
  categories: JSON.parse(r.categories) as string[], source: r.source, detail: r.detail, at: r.at, ciphertext: r.ciphertext,
  dataKeyId: r.data_key_id, prevHash: r.prev_hash, hash: r.hash,
});
export const toKey = (r: KeyRow): StoredDataKey => ({
  id: r.id, subject: r.subject, wrapped: r.wrapped, masterKeyId: r.master_key_id, createdAt: r.created_at,
});

