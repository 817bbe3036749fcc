import { AppError } from '../platform/errors.js';
import type { ChainedEntry, LedgerEntry } from './chain.js';
import type { StoredDataKey } from './ledger-store.js';
import { isSubjectRef, type SubjectRef } from './subject-ref.js';

/** Row shapes shared by both SQL stores (same column names in SQLite and PostgreSQL). */
export type EntryRow = {
  seq: number;
  key: string;
  kind: string;
  subject: string | null;
  purpose: string | null;
  legal_basis: string | null;
  categories: string;
  source: string | null;
  detail: string | null;
  at: string;
  ciphertext: Buffer | null;
  data_key_id: string | null;
  prev_hash: string;
  hash: string;
};
export type KeyRow = {
  id: string;
  subject: string;
  wrapped: Buffer | null;
  master_key_id: string | null;
  created_at: string;
  hold: string | null;
};

/**
 * The subject index covers the first SUBJECT_PREFIX characters of the ref only (ledger.migrations.ts).
 * A lookup must name the same expression to use it, and filter on the full ref too, since refs may
 * share a prefix. The stored subject, and so the hash, stays the whole ref.
 */
export const SUBJECT_PREFIX = 12;
export const SUBJECT_INDEXED = `substr(subject, 1, ${SUBJECT_PREFIX})`;
export const subjectPrefix = (ref: string) => ref.slice(0, SUBJECT_PREFIX);

export const COLUMNS =
  'seq, key, kind, subject, purpose, legal_basis, categories, source, detail, at, ciphertext, data_key_id, prev_hash, hash';

/**
 * A stored subject or ref as a SubjectRef: the one check, where rows are read. Appends take SubjectRefs
 * only, so a stored value that is not one was edited outside the ledger (verify names the entry).
 */
export function storedRef(value: string): SubjectRef {
  if (!isSubjectRef(value))
    throw new AppError('LEDGER_CHAIN_BROKEN', { reason: 'a stored subject is not a subject ref' });
  return value;
}
const storedSubject = (value: string | null): SubjectRef | null => (value === null ? null : storedRef(value));

/** A row as verify reads it: every field as stored, unchecked. */
export const toChained = (r: EntryRow): ChainedEntry => ({
  seq: Number(r.seq),
  key: r.key,
  kind: r.kind,
  subject: r.subject,
  purpose: r.purpose,
  legalBasis: r.legal_basis,
  categories: JSON.parse(r.categories) as string[],
  source: r.source,
  detail: r.detail,
  at: r.at,
  ciphertext: r.ciphertext,
  dataKeyId: r.data_key_id,
  prevHash: r.prev_hash,
  hash: r.hash,
});
export const toEntry = (r: EntryRow): LedgerEntry => ({ ...toChained(r), subject: storedSubject(r.subject) });
/** `toEntry` for a raw row (columns in COLUMNS order), without the intermediate row object (paged scans). */
export const rawToEntry = (r: unknown[]): LedgerEntry => ({
  seq: Number(r[0]),
  key: r[1] as string,
  kind: r[2] as string,
  subject: storedSubject(r[3] as string | null),
  purpose: r[4] as string | null,
  legalBasis: r[5] as string | null,
  categories: JSON.parse(r[6] as string) as string[],
  source: r[7] as string | null,
  detail: r[8] as string | null,
  at: r[9] as string,
  ciphertext: r[10] as Buffer | null,
  dataKeyId: r[11] as string | null,
  prevHash: r[12] as string,
  hash: r[13] as string,
});
/**
 * The columns SQLite derives from the stored canonical text, as column definitions: each is the element
 * at its index in canonical()'s array (json_extract returns an array as JSON text — categories — and the
 * ciphertext's hex as text, which unhex() turns back into bytes).
 */
export const DERIVED_COLUMNS_SQL = (
  [
    ['prev_hash', 2, 'TEXT'],
    ['key', 3, 'TEXT'],
    ['kind', 4, 'TEXT'],
    ['subject', 5, 'TEXT'],
    ['purpose', 6, 'TEXT'],
    ['legal_basis', 7, 'TEXT'],
    ['categories', 8, 'TEXT'],
    ['source', 9, 'TEXT'],
    ['detail', 10, 'TEXT'],
    ['at', 11, 'TEXT'],
    ['ciphertext', 12, 'BLOB'],
    ['data_key_id', 13, 'TEXT'],
  ] as const
)
  .map(([column, index, type]) => {
    const element = `json_extract(canonical, '$[${index}]')`;
    return `${column} ${type} GENERATED ALWAYS AS (${type === 'BLOB' ? `unhex(${element})` : element}) VIRTUAL`;
  })
  .join(',\n        ');

/** What SQLite's verify reads, in StoredEntry order: the stored text that was hashed, as is. */
export const STORED_COLUMNS = 'seq, hash, canonical';

export const toKey = (r: KeyRow): StoredDataKey => ({
  id: r.id,
  subject: r.subject,
  wrapped: r.wrapped,
  masterKeyId: r.master_key_id,
  createdAt: r.created_at,
  hold: r.hold ?? null,
});
