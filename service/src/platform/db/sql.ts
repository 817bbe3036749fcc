import type BetterSqlite3 from 'better-sqlite3';
import type { Database } from './database.js';

/**
 * One SQL text for both dialects: write PostgreSQL's `$1, $2…` placeholders; on SQLite they become
 * named parameters. For the small stores (tokens, requests, projections); the ledger has its own.
 */
export async function execute(db: Database, sql: string, params: readonly unknown[] = []): Promise<number> {
  if (db.dialect === 'postgres') return (await db.pool.query(sql, params as unknown[])).rowCount ?? 0;
  return statement(db.sqlite, sql).run(named(params)).changes;
}

export async function query<T>(db: Database, sql: string, params: readonly unknown[] = []): Promise<T[]> {
  if (db.dialect === 'postgres') return (await db.pool.query(sql, params as unknown[])).rows as T[];
  return statement(db.sqlite, sql).all(named(params)) as T[];
}

/** Statements are prepared once per connection and SQL text. */
const prepared = new WeakMap<object, Map<string, BetterSqlite3.Statement>>();
function statement(sqlite: BetterSqlite3.Database, sql: string): BetterSqlite3.Statement {
  let byText = prepared.get(sqlite);
  if (!byText) prepared.set(sqlite, (byText = new Map()));
  let stmt = byText.get(sql);
  if (!stmt) byText.set(sql, (stmt = sqlite.prepare(sql.replace(/\$(\d+)/g, '@p$1'))));
  return stmt;
}

/**
 * Runs the statements in one transaction. On SQLite it runs synchronously, so no other work of this
 * process can interleave with it on the shared connection.
 */
export async function executeMany(
  db: Database,
  statements: readonly (readonly [string, readonly unknown[]])[],
): Promise<void> {
  if (statements.length === 0) return;
  if (db.dialect === 'sqlite') {
    const { sqlite } = db;
    sqlite
      .transaction(() => {
        for (const [sql, params] of statements) statement(sqlite, sql).run(named(params));
      })
      .immediate();
    return;
  }
  const client = await db.pool.connect();
  try {
    await client.query('BEGIN');
    for (const [sql, params] of statements) await client.query(sql, params as unknown[]);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

const PARAM_NAMES = Array.from({ length: 16 }, (_, i) => `p${i + 1}`);

/** `$1…$n` values as better-sqlite3 named parameters (`@p1…`); SQLite has no booleans. */
function named(params: readonly unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < params.length; i++) {
    const v = params[i];
    out[PARAM_NAMES[i] ?? `p${i + 1}`] = typeof v === 'boolean' ? Number(v) : v;
  }
  return out;
}
