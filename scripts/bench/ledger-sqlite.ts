/** The SQLite halves of the ledger benchmark: appends (batched, single) and verify, each beside its baseline. */
import { openDatabase } from '../../service/src/platform/db/database.js';
import { migrate } from '../../service/src/platform/db/migrate.js';
import { ledgerMigrations, type Ledger, type SubjectRef } from '../../service/src/ledger/index.js';
import { canonical, sha256 } from '../../service/src/ledger/chain.js';
import { COLUMNS, rawToEntry } from '../../service/src/ledger/ledger-rows.js';
import { timed } from './benchmark.js';
import { factOf, factsOf, openLedger, warmUp, RawRows, rawTableSql, type BenchSecrets } from './ledger-workload.js';

const GENESIS_HASH = '0'.repeat(64);

/** Ledger.recordMany, `batch` facts per call, on a fresh file. Returns facts per second. */
export function ledgerBatched(
  file: string,
  secrets: BenchSecrets,
  subjects: readonly SubjectRef[],
  total: number,
  batch: number,
): Promise<number> {
  return timedOnFreshLedger(file, secrets, subjects, total, async (ledger) => {
    for (let from = 0; from < total; from += batch)
      await ledger.recordMany(factsOf(from, Math.min(batch, total - from), subjects, ''));
  });
}

/** Ledger.record, one fact (one transaction) at a time. */
export function ledgerSingle(
  file: string,
  secrets: BenchSecrets,
  subjects: readonly SubjectRef[],
  total: number,
): Promise<number> {
  return timedOnFreshLedger(file, secrets, subjects, total, async (ledger) => {
    for (let i = 0; i < total; i++) await ledger.record(factOf(i, subjects, ''));
  });
}

/** `write` timed on a new, migrated, warmed-up ledger file; returns `total` per second. */
async function timedOnFreshLedger(
  file: string,
  secrets: BenchSecrets,
  subjects: readonly SubjectRef[],
  total: number,
  write: (ledger: Ledger) => Promise<void>,
): Promise<number> {
  const db = openDatabase(`sqlite:${file}`);
  try {
    await migrate(db, ledgerMigrations);
    const ledger = openLedger(db, secrets);
    await warmUp(ledger, subjects);
    const { seconds } = await timed(() => write(ledger));
    return total / seconds;
  } finally {
    await db.close();
  }
}

/** Raw better-sqlite3: the same rows and crypto, `batch` rows per transaction (batch 1 = single-row transactions). */
export async function rawAppend(
  file: string,
  subjects: readonly SubjectRef[],
  total: number,
  batch: number,
): Promise<number> {
  const db = openDatabase(`sqlite:${file}`);
  if (db.dialect !== 'sqlite') throw new Error('expected SQLite');
  try {
    db.sqlite.exec(rawTableSql('sqlite'));
    const insert = db.sqlite.prepare('INSERT INTO raw_entries (seq, canonical, hash) VALUES (?, ?, ?)');
    const raw = new RawRows(subjects);
    let prev = GENESIS_HASH;
    const write = db.sqlite.transaction((from: number, count: number) => {
      for (let i = from; i < from + count; i++) {
        const row = raw.textRow(i, i + 1, prev, '');
        insert.run(...row);
        prev = row[2];
      }
    });
    const { seconds } = await timed(() => {
      for (let from = 0; from < total; from += batch) write.immediate(from, Math.min(batch, total - from));
    });
    return total / seconds;
  } finally {
    await db.close();
  }
}

/** Ledger.verify() over an existing ledger file. Returns entries per second. */
export async function ledgerVerify(
  file: string,
  secrets: BenchSecrets,
): Promise<{ perSecond: number; ok: boolean; checked: number }> {
  const db = openDatabase(`sqlite:${file}`);
  try {
    const ledger = openLedger(db, secrets);
    const { seconds, result } = await timed(() => ledger.verify());
    return { perSecond: result.checked / seconds, ok: result.ok, checked: result.checked };
  } finally {
    await db.close();
  }
}

/** The first `limit` entries' canonical encodings (what verify hashes), built outside the timing. */
export async function canonicalStrings(file: string, limit: number): Promise<string[]> {
  const db = openDatabase(`sqlite:${file}`);
  if (db.dialect !== 'sqlite') throw new Error('expected SQLite');
  try {
    const rows = db.sqlite.prepare(`SELECT ${COLUMNS} FROM ledger_entries ORDER BY seq LIMIT ?`).raw().iterate(limit);
    const strings: string[] = [];
    for (const r of rows as IterableIterator<unknown[]>) {
      const e = rawToEntry(r);
      strings.push(canonical(e.seq, e.prevHash, e));
    }
    return strings;
  } finally {
    await db.close();
  }
}

/** The floor of verifying: the ledger's own SHA-256 call (chain.ts) once per string, nothing else. Returns hashes per second. */
export function bareSha256(strings: readonly string[]): number {
  const start = process.hrtime.bigint();
  let sink = 0;
  for (const s of strings) sink += sha256(s).length;
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (sink === 0) throw new Error('unreachable');
  return strings.length / seconds;
}
