import type { Database } from '../platform/db/database.js';
import type { LedgerStore } from './ledger-store.js';
import { PostgresLedgerStore } from './postgres/postgres-ledger-store.js';
import { SqliteLedgerStore, type SqliteLedgerOptions } from './sqlite/sqlite-ledger-store.js';

/**
 * The ledger store for a database, of its dialect. Outside index.ts on purpose: the front door loads
 * no database driver (SQLite's store reaches better-sqlite3), so a worker that only hashes can use it.
 */
export function createLedgerStore(db: Database, options: SqliteLedgerOptions = {}): LedgerStore {
  if (db.dialect === 'postgres') return new PostgresLedgerStore(db.pool);
  const store = new SqliteLedgerStore(db.sqlite, options);
  db.onClose(() => store.close());
  return store;
}
