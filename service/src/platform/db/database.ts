import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { reasonOf, StorageUnavailableError } from './storage-errors.js';
import { StorageGuard } from './storage-guard.js';

/** One open database: the embedded SQLite file or a PostgreSQL pool. Adapters take the side they need. */
export type Database =
  | {
      readonly dialect: 'sqlite';
      readonly sqlite: BetterSqlite3.Database;
      readonly guard: StorageGuard | null;
      close(): Promise<void>;
      onClose(hook: () => Promise<void>): void;
    }
  | { readonly dialect: 'postgres'; readonly pool: pg.Pool; close(): Promise<void> };

export type SqliteOptions = { sync?: 'normal' | 'full' };

export function openDatabase(url: string, options: SqliteOptions = {}): Database {
  if (url.startsWith('sqlite:')) return openSqlite(url.slice('sqlite:'.length), options);
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 5_000 });
  // An idle client's error (server restart) must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  // Nor a checked-out one's: a restart emits 'error' on a client mid-transaction, and an 'error' event
  // nobody listens to kills the process. The query in flight still rejects, so its caller sees it.
  pool.on('connect', (client) => void client.on('error', () => undefined));
  return { dialect: 'postgres', pool, close: () => pool.end() };
}

function openSqlite(file: string, options: SqliteOptions): Database {
  try {
    return openSqliteFile(file, options);
  } catch (err) {
    if (err instanceof StorageUnavailableError) throw err;
    throw new StorageUnavailableError(`the SQLite database ${file} cannot be opened (${reasonOf(err)})`, {
      cause: err,
    });
  }
}

function openSqliteFile(file: string, { sync = 'normal' }: SqliteOptions): Database {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  // Files this process cannot write would fail (or SIGBUS) on the first write: say so now, exit 2.
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    if (file !== ':memory:' && fs.existsSync(f)) {
      try {
        fs.accessSync(f, fs.constants.R_OK | fs.constants.W_OK);
      } catch (err) {
        throw new StorageUnavailableError(
          `the SQLite file ${f} is not readable and writable by this process (${reasonOf(err)}); fix its owner or permissions`,
        );
      }
    }
  }
  if (file !== ':memory:') ownerOnly(file);
  const sqlite = new BetterSqlite3(file);
  sqlite.pragma('journal_mode = WAL');
  // WAL + NORMAL survives a process crash with every committed entry; FULL also survives power loss.
  sqlite.pragma(`synchronous = ${sync === 'full' ? 'FULL' : 'NORMAL'}`);
  sqlite.pragma('busy_timeout = 30000'); // writers in other processes queue behind BEGIN IMMEDIATE
  // Checkpoint every ~40 MB of WAL rather than every 4 MB: a page rewritten by many commits (an index
  // page) is copied to the database once per checkpoint, and each checkpoint costs two fsyncs.
  // Durability is unchanged: a commit is in the WAL before it returns, whenever the checkpoint runs.
  sqlite.pragma('wal_autocheckpoint = 10000');
  sqlite.pragma('foreign_keys = ON');
  // What was started on this file (a ledger's writer thread) stops before the connection closes.
  const hooks: (() => Promise<void>)[] = [];
  const guard = file === ':memory:' ? null : new StorageGuard(path.resolve(file));
  return {
    dialect: 'sqlite',
    sqlite,
    guard,
    onClose: (hook) => void hooks.push(hook),
    close: async () => {
      // Closing checkpoints through the -shm mapping: with broken files that is the SIGBUS itself.
      // Everything committed is in the WAL already; the next open recovers it. See StorageGuard.
      if (guard?.check(true)) return;
      await Promise.all(hooks.splice(0).map((hook) => hook()));
      if (sqlite.open) sqlite.close();
    },
  };
}

/**
 * The ledger file is created 0600 before SQLite opens it (SQLite gives -wal and -shm the database
 * file's mode); a file other users could read is made owner-only.
 */
function ownerOnly(file: string): void {
  fs.closeSync(fs.openSync(file, 'a', 0o600));
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    const stat = fs.statSync(f, { throwIfNoEntry: false });
    if (stat && (stat.mode & 0o077) !== 0) fs.chmodSync(f, stat.mode & 0o700);
  }
}

/**
 * DATA_DIR exists (created 0700) and this process can create a file in it — checked by doing it, as
 * permission bits do not tell (root, ACLs, a read-only mount). Otherwise a StorageUnavailableError.
 */
export function ensureDataDir(dir: string): void {
  const probe = path.join(dir, `.write-probe-${process.pid}`);
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(probe, '', { mode: 0o600 });
    fs.unlinkSync(probe);
  } catch (err) {
    throw new StorageUnavailableError(
      `DATA_DIR ${dir} is not writable by this process (${reasonOf(err)}); fix its owner or permissions, or set DATA_DIR`,
      { cause: err },
    );
  }
}

export async function pingDatabase(db: Database): Promise<void> {
  if (db.dialect === 'sqlite') db.sqlite.prepare('SELECT 1').get();
  else await db.pool.query('SELECT 1');
}

/**
 * /readyz's database check: the SQLite files are intact and a real write commits (`SELECT 1` touches
 * neither the file nor its WAL, so it said ready while every write failed). PostgreSQL: a round trip.
 */
export async function checkDatabaseWritable(db: Database, at: Date): Promise<void> {
  if (db.dialect === 'postgres') return void (await db.pool.query('SELECT 1'));
  const failure = db.guard?.check(true);
  if (failure) throw new Error(failure);
  db.sqlite.exec('CREATE TABLE IF NOT EXISTS write_probe (id INTEGER PRIMARY KEY CHECK (id = 1), at TEXT NOT NULL)');
  db.sqlite
    .prepare('INSERT INTO write_probe (id, at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET at = excluded.at')
    .run(at.toISOString());
}
