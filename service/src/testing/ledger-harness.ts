import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fixedClock } from '../platform/clock.js';
import { openDatabase, type Database } from '../platform/db/database.js';
import { migrate } from '../platform/db/migrate.js';
import { Ledger, ledgerMigrations, MasterKeyring, type LedgerStore, type MasterKey } from '../ledger/index.js';
import { createLedgerStore } from '../ledger/open-store.js';
import type { SqliteLedgerOptions } from '../ledger/sqlite/sqlite-ledger-store.js';
import { createPostgresDatabase, tempDir } from './databases.js';

/** A ledger on a real store, with raw SQL access for the tamper tests (an attacker with database access). */
export type LedgerHarness = {
  name: 'sqlite' | 'postgres';
  url: string;
  db: Database;
  ledger: Ledger;
  /** The store behind `ledger`, for tests of the store itself (Ledger does not expose it). */
  store: LedgerStore;
  keys: { masterKeys: MasterKey[]; pepper: Buffer };
  clock: ReturnType<typeof fixedClock>;
  sql(text: string): Promise<void>;
  /** Reopens the same database with other master keys (rotation). */
  reopen(masterKeys: MasterKey[]): Ledger;
  close(): Promise<void>;
};

export type HarnessFactory = () => Promise<LedgerHarness>;

async function build(
  name: 'sqlite' | 'postgres',
  url: string,
  cleanup: () => Promise<void>,
  options: SqliteLedgerOptions = {},
): Promise<LedgerHarness> {
  const db = openDatabase(url);
  await migrate(db, ledgerMigrations);
  const keys = { masterKeys: [{ id: 'm1', key: randomBytes(32) }], pepper: randomBytes(32) };
  const clock = fixedClock('2026-11-01T10:00:00.000Z');
  const ledgerOn = (store: LedgerStore, masterKeys: MasterKey[]) =>
    new Ledger({ store, keyring: new MasterKeyring(masterKeys), pepper: keys.pepper, clock });
  const store = createLedgerStore(db, options);
  return {
    name,
    url,
    db,
    keys,
    clock,
    store,
    ledger: ledgerOn(store, keys.masterKeys),
    reopen: (masterKeys) => ledgerOn(createLedgerStore(db, options), masterKeys),
    async sql(text) {
      try {
        if (db.dialect === 'sqlite') db.sqlite.exec(text);
        else await db.pool.query(text);
      } catch (err) {
        // better-sqlite3 is a native module loaded once per jest worker: its errors inherit the Error
        // of the first test file's realm, which `toThrow` in a later file does not recognise.
        throw new Error((err as { message?: string }).message ?? String(err), { cause: err });
      }
    },
    async close() {
      await db.close();
      await cleanup();
    },
  };
}

export const sqliteHarness: HarnessFactory = async () => {
  const tmp = tempDir();
  return build('sqlite', `sqlite:${path.join(tmp.dir, 'ledger.sqlite')}`, async () => tmp.remove());
};

/** SQLite with every append, however small, on the writer thread (ledger/sqlite/sqlite-ledger-writer.ts). */
export const sqliteWriterHarness: HarnessFactory = async () => {
  const tmp = tempDir();
  return build('sqlite', `sqlite:${path.join(tmp.dir, 'ledger.sqlite')}`, async () => tmp.remove(), {
    writerThreadFrom: 1,
  });
};

export const postgresHarness: HarnessFactory = async () => {
  const pgdb = await createPostgresDatabase();
  return build('postgres', pgdb.url, () => pgdb.drop());
};

/**
 * Tampering with SQLite's entries, which are their canonical text (every other column is derived from
 * it and cannot be updated). Run after DISABLE_GUARD.sqlite.
 */
export const SQLITE_TAMPER = {
  /** Replaces the ciphertext's hex with random bytes of the same length. */
  ciphertext: (seq: number) =>
    `UPDATE ledger_entries SET canonical = replace(canonical, json_extract(canonical, '$[12]'), hex(randomblob(length(ciphertext)))) WHERE seq = ${seq};`,
  /** Makes the text of an entry JSON that is not an entry (SQLite refuses text that is not JSON at all). */
  unreadable: (seq: number) => `UPDATE ledger_entries SET canonical = '[]' WHERE seq = ${seq};`,
  /** Replaces `from` with `to` in the text of the given entries (quote JSON strings yourself). */
  replace: (seqs: number | readonly number[], from: string, to: string) =>
    `UPDATE ledger_entries SET canonical = replace(canonical, '${from}', '${to}') WHERE seq IN (${[seqs].flat().join(', ')});`,
};

/** SQL that lifts the append-only guard, as an attacker with database access would. */
export const DISABLE_GUARD = {
  sqlite: 'DROP TRIGGER IF EXISTS ledger_entries_no_update; DROP TRIGGER IF EXISTS ledger_entries_no_delete;',
  postgres: 'DROP TRIGGER IF EXISTS ledger_entries_no_change ON ledger_entries;',
};
