import type { Migration } from '../platform/db/migrate.js';
import { DERIVED_COLUMNS_SQL, SUBJECT_INDEXED } from './ledger-rows.js';

const GENESIS_HASH = '0'.repeat(64);
const HOLD_KEYS = `
  ALTER TABLE ledger_data_keys ADD COLUMN hold TEXT;
  CREATE INDEX ledger_data_keys_hold ON ledger_data_keys (hold) WHERE hold IS NOT NULL;
`;

/**
 * Entries are append-only in the schema too: triggers refuse UPDATE and DELETE.
 * The subject index holds only the first SUBJECT_PREFIX hex digits of the ref (a keyed hash, so the
 * prefix is as random as the whole): a quarter of the index size, so a batch of appends about random
 * subjects dirties far fewer index pages. Lookups filter on the full ref as well (ledger-rows.ts).
 */
export const ledgerMigrations: readonly Migration[] = [
  {
    id: '0001-ledger',
    sqlite: `
      CREATE TABLE ledger_entries (
        seq INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        subject TEXT,
        purpose TEXT,
        legal_basis TEXT,
        categories TEXT NOT NULL,
        source TEXT,
        detail TEXT,
        at TEXT NOT NULL,
        ciphertext BLOB,
        data_key_id TEXT,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      );
      CREATE INDEX ledger_entries_subject ON ledger_entries (${SUBJECT_INDEXED}) WHERE subject IS NOT NULL;
      CREATE TRIGGER ledger_entries_no_update BEFORE UPDATE ON ledger_entries
        BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;
      CREATE TRIGGER ledger_entries_no_delete BEFORE DELETE ON ledger_entries
        BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;
      CREATE TABLE ledger_subject_refs (ref TEXT PRIMARY KEY, subject TEXT NOT NULL);
      CREATE INDEX ledger_subject_refs_subject ON ledger_subject_refs (subject);
      CREATE TABLE ledger_data_keys (
        id TEXT PRIMARY KEY,
        subject TEXT NOT NULL,
        wrapped BLOB,
        master_key_id TEXT,
        created_at TEXT NOT NULL,
        shredded_at TEXT
      );
      CREATE INDEX ledger_data_keys_subject ON ledger_data_keys (subject);
    `,
    postgres: `
      CREATE TABLE ledger_entries (
        seq BIGINT PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        subject TEXT,
        purpose TEXT,
        legal_basis TEXT,
        categories TEXT NOT NULL,
        source TEXT,
        detail TEXT,
        at TEXT NOT NULL,
        ciphertext BYTEA,
        data_key_id TEXT,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      );
      CREATE INDEX ledger_entries_subject ON ledger_entries (${SUBJECT_INDEXED}) WHERE subject IS NOT NULL;
      CREATE TABLE ledger_head (id SMALLINT PRIMARY KEY CHECK (id = 1), seq BIGINT NOT NULL, hash TEXT NOT NULL);
      INSERT INTO ledger_head (id, seq, hash) VALUES (1, 0, '${GENESIS_HASH}');
      CREATE FUNCTION ledger_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'ledger entries are append-only'; END $$;
      CREATE TRIGGER ledger_entries_no_change BEFORE UPDATE OR DELETE ON ledger_entries
        FOR EACH ROW EXECUTE FUNCTION ledger_entries_append_only();
      CREATE TABLE ledger_subject_refs (ref TEXT PRIMARY KEY, subject TEXT NOT NULL);
      CREATE INDEX ledger_subject_refs_subject ON ledger_subject_refs (subject);
      CREATE TABLE ledger_data_keys (
        id TEXT PRIMARY KEY,
        subject TEXT NOT NULL,
        wrapped BYTEA,
        master_key_id TEXT,
        created_at TEXT NOT NULL,
        shredded_at TEXT
      );
      CREATE INDEX ledger_data_keys_subject ON ledger_data_keys (subject);
    `,
  },
  {
    // SQLite stores each entry as the canonical text that was hashed; every other column is derived
    // from it (generated, so it cannot be updated apart from the text). Verify reads one stored string
    // per entry instead of rendering fourteen columns, and no column can disagree with the hash.
    // PostgreSQL keeps its columns (its verify renders entries in JS).
    id: '0030-ledger-canonical-rows',
    sqlite: `
      DROP TRIGGER ledger_entries_no_update;
      DROP TRIGGER ledger_entries_no_delete;
      DROP INDEX ledger_entries_subject;
      ALTER TABLE ledger_entries RENAME TO ledger_entries_0001;
      CREATE TABLE ledger_entries (
        seq INTEGER PRIMARY KEY,
        canonical TEXT NOT NULL,
        hash TEXT NOT NULL,
        ${DERIVED_COLUMNS_SQL}
      );
      INSERT INTO ledger_entries (seq, canonical, hash)
        SELECT seq, json_array(2, seq, prev_hash, key, kind, subject, purpose, legal_basis, json(categories), source, detail, at,
          CASE WHEN ciphertext IS NOT NULL THEN hex(ciphertext) END, data_key_id), hash
        FROM ledger_entries_0001 ORDER BY seq;
      DROP TABLE ledger_entries_0001;
      CREATE UNIQUE INDEX ledger_entries_key ON ledger_entries (key);
      CREATE INDEX ledger_entries_subject ON ledger_entries (${SUBJECT_INDEXED}) WHERE subject IS NOT NULL;
      CREATE TRIGGER ledger_entries_no_update BEFORE UPDATE ON ledger_entries
        BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;
      CREATE TRIGGER ledger_entries_no_delete BEFORE DELETE ON ledger_entries
        BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;
    `,
    postgres: 'SELECT 1;',
  },
  {
    // Hold keys: what a hold keeps of an erased subject is re-sealed under a key of that hold (its label names
    // the request and the retained item), so the subject's shred leaves it readable and the hold's release
    // shreds it. The subject's own keys keep `hold` NULL.
    id: '0070-ledger-hold-keys',
    sqlite: HOLD_KEYS,
    postgres: HOLD_KEYS,
  },
];
