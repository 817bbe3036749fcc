import type { EncodedEntry, LedgerEntry } from './chain.js';
import type { StoredDataKey } from './ledger-store.js';

/** Row shapes shared by both SQL stores (same column names in SQLite and PostgreSQL). */
export type EntryRow = {
  seq: number; key: string; kind: string; subject: string | null; purpose: string | null; legal_basis: string | null;
  categories: string; source: string | null; detail: string | null; at: string; ciphertext: Buffer | null; data_key_id: string | null;
  prev_hash: string; hash: string;
};
export type KeyRow = { id: string; subject: string; wrapped: Buffer | null; master_key_id: string | null; created_at: string };

/**
 * The subject index covers the first SUBJECT_PREFIX characters of the ref only (ledger.migrations.ts).
 * A lookup must name the same expression to use it, and filter on the full ref too, since refs may
 * share a prefix. The stored subject, and so the hash, stays the whole ref.
 */
export const SUBJECT_PREFIX = 12;
export const SUBJECT_INDEXED = `substr(subject, 1, ${SUBJECT_PREFIX})`;
export const subjectPrefix = (ref: string) => ref.slice(0, SUBJECT_PREFIX);

export const COLUMNS = 'seq, key, kind, subject, purpose, legal_basis, categories, source, detail, at, ciphertext, data_key_id, prev_hash, hash';

export const toEntry = (r: EntryRow): LedgerEntry => ({
  seq: Number(r.seq), key: r.key, kind: r.kind, subject: r.subject, purpose: r.purpose, legalBasis: r.legal_basis,
  categories: JSON.parse(r.categories) as string[], source: r.source, detail: r.detail, at: r.at, ciphertext: r.ciphertext,
  dataKeyId: r.data_key_id, prevHash: r.prev_hash, hash: r.hash,
});
/** `toEntry` for a raw row (columns in COLUMNS order), without the intermediate row object: the verify path. */
export const rawToEntry = (r: unknown[]): LedgerEntry => ({
  seq: Number(r[0]), key: r[1] as string, kind: r[2] as string, subject: r[3] as string | null, purpose: r[4] as string | null,
  legalBasis: r[5] as string | null, categories: JSON.parse(r[6] as string) as string[], source: r[7] as string | null,
  detail: r[8] as string | null, at: r[9] as string, ciphertext: r[10] as Buffer | null, dataKeyId: r[11] as string | null,
  prevHash: r[12] as string, hash: r[13] as string,
});
/**
 * `canonical()` rendered whole by SQLite. json(categories) embeds the stored array as JSON, as
 * canonical() embeds the parsed one (invalid JSON renders null, so the full entry decides, and fails
 * to parse, as before); hex(NULL) is '', hence the CASE.
 */
export const ENCODED_COLUMNS =
  'seq, prev_hash, hash, json_array(2, seq, prev_hash, key, kind, subject, purpose, legal_basis, CASE WHEN json_valid(categories) THEN json(categories) END, source, detail, at, CASE WHEN ciphertext IS NOT NULL THEN hex(ciphertext) END, data_key_id)';
export const rawToEncoded = (r: unknown[]): EncodedEntry => ({ seq: Number(r[0]), prevHash: r[1] as string, hash: r[2] as string, canonical: r[3] as string });
export const toKey = (r: KeyRow): StoredDataKey => ({
  id: r.id, subject: r.subject, wrapped: r.wrapped, masterKeyId: r.master_key_id, createdAt: r.created_at,
});

