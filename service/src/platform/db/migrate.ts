import type { Database } from './database.js';

/** A schema change, written once per dialect. Ids sort in the order they must run; never edit a shipped one. */
export type Migration = { readonly id: string; readonly sqlite: string; readonly postgres: string };

const TABLE = 'schema_migrations';

export async function migrate(db: Database, migrations: readonly Migration[]): Promise<string[]> {
  const ordered = [...migrations].sort((a, b) => a.id.localeCompare(b.id));
  if (db.dialect === 'sqlite') {
    const { sqlite } = db;
    sqlite.exec(`CREATE TABLE IF NOT EXISTS ${TABLE} (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`);
    const applied: string[] = [];
    const run = sqlite.transaction((m: Migration) => {
      if (sqlite.prepare(`SELECT 1 FROM ${TABLE} WHERE id = ?`).get(m.id)) return;
      sqlite.exec(m.sqlite);
      sqlite.prepare(`INSERT INTO ${TABLE} (id, applied_at) VALUES (?, ?)`).run(m.id, new Date().toISOString());
      applied.push(m.id);
    });
    for (const m of ordered) run.immediate(m);
    return applied;
  }
  const client = await db.pool.connect();
  try {
    // One migrator at a time across processes; the lock is released with the session.
    await client.query('SELECT pg_advisory_lock(724016)');
    await client.query(`CREATE TABLE IF NOT EXISTS ${TABLE} (id TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL)`);
    const done = new Set((await client.query<{ id: string }>(`SELECT id FROM ${TABLE}`)).rows.map((r) => r.id));
    const applied: string[] = [];
    for (const m of ordered) {
      if (done.has(m.id)) continue;
      await client.query('BEGIN');
      try {
        await client.query(m.postgres);
        await client.query(`INSERT INTO ${TABLE} (id, applied_at) VALUES ($1, now())`, [m.id]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      }
      applied.push(m.id);
    }
    return applied;
  } finally {
    await client.query('SELECT pg_advisory_unlock(724016)').catch(() => undefined);
    client.release();
  }
}

/** Migrations not yet applied (readiness reports them). */
export async function pendingMigrations(db: Database, migrations: readonly Migration[]): Promise<string[]> {
  const ids = migrations.map((m) => m.id);
  let done: string[];
  if (db.dialect === 'sqlite') {
    const exists = db.sqlite.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(TABLE);
    done = exists ? (db.sqlite.prepare(`SELECT id FROM ${TABLE}`).all() as { id: string }[]).map((r) => r.id) : [];
  } else {
    const exists = await db.pool.query(`SELECT to_regclass($1) AS t`, [TABLE]);
    done = exists.rows[0]?.t
      ? (await db.pool.query<{ id: string }>(`SELECT id FROM ${TABLE}`)).rows.map((r) => r.id)
      : [];
  }
  return ids.filter((id) => !done.includes(id));
}
