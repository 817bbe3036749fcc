import type { Database } from './database.js';

/**
 * One SQL text for both dialects: write PostgreSQL's `$1, $2…` placeholders; on SQLite they become
 * named parameters. For the small stores (tokens, requests, projections); the ledger has its own.
 */
export async function execute(db: Database, sql: string, params: readonly unknown[] = []): Promise<number> {
  if (db.dialect === 'postgres') return (await db.pool.query(sql, params as unknown[])).rowCount ?? 0;
  return db.sqlite.prepare(toSqlite(sql)).run(named(params)).changes;
}

export async function query<T>(db: Database, sql: string, params: readonly unknown[] = []): Promise<T[]> {
  if (db.dialect === 'postgres') return (await db.pool.query(sql, params as unknown[])).rows as T[];
  return db.sqlite.prepare(toSqlite(sql)).all(named(params)) as T[];
}

const cache = new Map<string, string>();
function toSqlite(sql: string): string {
  let out = cache.get(sql);
  if (!out) {
    out = sql.replace(/\$(\d+)/g, '@p$1');
    cache.set(sql, out);
  }
  return out;
}

const named = (params: readonly unknown[]) =>
  Object.fromEntries(params.map((v, i) => [`p${i + 1}`, typeof v === 'boolean' ? Number(v) : v]));
