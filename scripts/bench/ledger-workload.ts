/**
 * The synthetic workload shared by the ledger benchmark and its baselines: facts about a rotating
 * set of subjects, each with a ~100-byte personal value. Addresses are @example.invalid only.
 */
import { createCipheriv, createHash, randomBytes, randomUUID } from 'node:crypto';
import { fixedClock } from '../../service/src/platform/clock.js';
import type { Database } from '../../service/src/platform/db/database.js';
import { sensitive } from '../../service/src/platform/sensitive.js';
import { Ledger, MasterKeyring, subjectRef, type Fact, type SubjectRef } from '../../service/src/ledger/index.js';
import { createLedgerStore } from '../../service/src/ledger/open-store.js';
import { DERIVED_COLUMNS_SQL, SUBJECT_INDEXED } from '../../service/src/ledger/ledger-rows.js';

export const SUBJECTS = 1_000;
export const AT = '2026-11-01T10:00:00.000Z';
const CATEGORIES = ['contact', 'identity'];
const pad = (n: number) => String(n).padStart(5, '0');

export type BenchSecrets = { readonly master: Buffer; readonly pepper: Buffer };
export const newSecrets = (): BenchSecrets => ({ master: randomBytes(32), pepper: randomBytes(32) });

export function openLedger(db: Database, secrets: BenchSecrets): Ledger {
  return new Ledger({
    store: createLedgerStore(db),
    keyring: new MasterKeyring([{ id: 'bench-1', key: secrets.master }]),
    pepper: secrets.pepper,
    clock: fixedClock(AT),
  });
}

export const subjectRefs = (pepper: Buffer): SubjectRef[] =>
  Array.from({ length: SUBJECTS }, (_, s) => subjectRef(sensitive(`subject-${pad(s)}@example.invalid`), pepper));

/** ~100 bytes of JSON once encoded. */
export const personalOf = (i: number) => {
  const s = i % SUBJECTS;
  return {
    name: `Subject ${pad(s)}`,
    email: `subject-${pad(s)}@example.invalid`,
    phone: `+355 69 000 ${pad(i % 100_000)}`,
  };
};

export function factOf(i: number, subjects: readonly SubjectRef[], prefix: string): Fact {
  return {
    key: `${prefix}order-${i}`,
    kind: 'order.synced',
    subject: subjects[i % SUBJECTS]!,
    purpose: 'service-delivery',
    legalBasis: 'contract',
    categories: CATEGORIES,
    source: 'bench',
    detail: { orderId: i },
    personal: sensitive(personalOf(i)),
  };
}

export const factsOf = (from: number, count: number, subjects: readonly SubjectRef[], prefix: string) =>
  Array.from({ length: count }, (_, j) => factOf(from + j, subjects, prefix));

/**
 * One untimed fact per subject, so the timed appends measure the steady state: each subject's data key
 * exists (the baseline's keys exist from the start too). Adds SUBJECTS entries to the ledger.
 */
export async function warmUp(ledger: Ledger, subjects: readonly SubjectRef[], prefix = ''): Promise<void> {
  await ledger.recordMany(factsOf(0, SUBJECTS, subjects, `${prefix}warm-`));
}

/** One row of PostgreSQL's entries table, in column order (seq … hash). */
export type RawRow = [
  number,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  Buffer,
  string,
  string,
  string,
];
/** One row of SQLite's entries table: seq, the canonical text, its hash. */
export type RawTextRow = [number, string, string];

/**
 * The baseline: the same row values with the same crypto, written by hand with node:crypto only —
 * one AES-256-GCM seal under the subject's key and one SHA-256 over the canonical text.
 */
export class RawRows {
  readonly #keys = Array.from({ length: SUBJECTS }, () => randomBytes(32));
  readonly #keyIds = Array.from({ length: SUBJECTS }, () => randomUUID());

  constructor(private readonly subjects: readonly SubjectRef[]) {}

  row(i: number, seq: number, prevHash: string, prefix: string): RawRow {
    const { key, s, ciphertext, detail, hash } = this.#entry(i, seq, prevHash, prefix);
    return [
      seq,
      key,
      'order.synced',
      this.subjects[s]!,
      'service-delivery',
      'contract',
      JSON.stringify(CATEGORIES),
      'bench',
      detail,
      AT,
      ciphertext,
      this.#keyIds[s]!,
      prevHash,
      hash,
    ];
  }

  textRow(i: number, seq: number, prevHash: string, prefix: string): RawTextRow {
    const { canonical, hash } = this.#entry(i, seq, prevHash, prefix);
    return [seq, canonical, hash];
  }

  #entry(i: number, seq: number, prevHash: string, prefix: string) {
    const s = i % SUBJECTS;
    const key = `${prefix}order-${i}`;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#keys[s]!, iv);
    cipher.setAAD(Buffer.from(key, 'utf8'));
    const body = Buffer.concat([cipher.update(Buffer.from(JSON.stringify(personalOf(i)), 'utf8')), cipher.final()]);
    const ciphertext = Buffer.concat([iv, cipher.getAuthTag(), body]);
    const detail = JSON.stringify({ orderId: i });
    const canonical = JSON.stringify([
      2,
      seq,
      prevHash,
      key,
      'order.synced',
      this.subjects[s],
      'service-delivery',
      'contract',
      CATEGORIES,
      'bench',
      detail,
      AT,
      ciphertext.toString('hex').toUpperCase(),
      this.#keyIds[s],
    ]);
    return {
      key,
      s,
      ciphertext,
      detail,
      canonical,
      hash: createHash('sha256').update(canonical, 'utf8').digest('hex'),
    };
  }
}

/**
 * The entries table's shape without the ledger: PostgreSQL's columns, or SQLite's canonical text with
 * the same derived columns (ledger.migrations.ts); the same primary key, UNIQUE key and subject index.
 */
export const rawTableSql = (dialect: 'sqlite' | 'postgres') =>
  dialect === 'sqlite'
    ? `CREATE TABLE raw_entries (seq INTEGER PRIMARY KEY, canonical TEXT NOT NULL, hash TEXT NOT NULL,
        ${DERIVED_COLUMNS_SQL});
      CREATE UNIQUE INDEX raw_entries_key ON raw_entries (key);
      CREATE INDEX raw_entries_subject ON raw_entries (${SUBJECT_INDEXED}) WHERE subject IS NOT NULL;`
    : `CREATE TABLE raw_entries (
        seq BIGINT PRIMARY KEY, key TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, subject TEXT,
        purpose TEXT, legal_basis TEXT, categories TEXT NOT NULL, source TEXT, detail TEXT, at TEXT NOT NULL,
        ciphertext BYTEA, data_key_id TEXT, prev_hash TEXT NOT NULL, hash TEXT NOT NULL
      );
      CREATE INDEX raw_entries_subject ON raw_entries (${SUBJECT_INDEXED}) WHERE subject IS NOT NULL;`;
