/** The SQLite halves of the ledger benchmark: appends (batched, single) and verify, each beside its baseline. */
import { createHash } from 'node:crypto';
import { openDatabase } from '../../service/src/platform/db/database.js';
import { migrate } from '../../service/src/platform/db/migrate.js';
import { ledgerMigrations, type SubjectRef } from '../../service/src/ledger/index.js';
import { timed } from './benchmark.js';
import { factOf, factsOf, openLedger, warmUp, RawRows, rawTableSql, type BenchSecrets } from './ledger-workload.js';

const GENESIS_HASH = '0'.repeat(64);

/** Ledger.recordMany, `batch` facts per call, on a fresh file. Returns facts per second. */
export async function ledgerBatched(file: string, secrets: BenchSecrets, subjects: readonly SubjectRef[], total: number, batch: number): Promise<number> {
  const db = openDatabase(`sqlite:${file}`);
  try {
    await migrate(db, ledgerMigrations);
    const ledger = openLedger(db, secrets);
    await warmUp(ledger, subjects);
    const { seconds } = await timed(async () => {
      for (let from = 0; from < total; from += batch) await ledger.recordMany(factsOf(from, Math.min(batch, total - from), subjects, ''));
    });
    return total / seconds;
  } finally {
    await db.close();
  }
}

/** Ledger.record, one fact (one transaction) at a time. */
export async function ledgerSingle(file: string, secrets: BenchSecrets, subjects: readonly SubjectRef[], total: number): Promise<number> {
  const db = openDatabase(`sqlite:${file}`);
  try {
    await migrate(db, ledgerMigrations);
    const ledger = openLedger(db, secrets);
    await warmUp(ledger, subjects);
    const { seconds } = await timed(async () => {
      for (let i = 0; i < total; i++) await ledger.record(factOf(i, subjects, ''));
    });
    return total / seconds;
  } finally {
    await db.close();
  }
}

/** Raw better-sqlite3: the same rows and crypto, `batch` rows per transaction (batch 1 = single-row transactions). */
export async function rawAppend(file: string, subjects: readonly SubjectRef[], total: number, batch: number): Promise<number> {
  const db = openDatabase(`sqlite:${file}`);
  if (db.dialect !== 'sqlite') throw new Error('expected SQLite');
  try {
    db.sqlite.exec(rawTableSql('sqlite'));
    const insert = db.sqlite.prepare('INSERT INTO raw_entries VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const raw = new RawRows(subjects);
    let prev = GENESIS_HASH;
    const write = db.sqlite.transaction((from: number, count: number) => {
      for (let i = from; i < from + count; i++) {
        const row = raw.row(i, i + 1, prev, '');
        insert.run(...row);
        prev = row[13];
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
export async function ledgerVerify(file: string, secrets: BenchSecrets): Promise<{ perSecond: number; ok: boolean; checked: number }> {
  const db = openDatabase(`sqlite:${file}`);
  try {
    const ledger = openLedger(db, secrets);
    const { seconds, result } = await timed(() => ledger.verify());
    return { perSecond: result.checked / seconds, ok: result.ok, checked: result.checked };
  } finally {
    await db.close();
  }
}

/** Strings of exactly the length of each entry's canonical encoding, built outside the timing. */
export async function canonicalSizedStrings(file: string): Promise<string[]> {
  const db = openDatabase(`sqlite:${file}`);
  if (db.dialect !== 'sqlite') throw new Error('expected SQLite');
  try {
    const rows = db.sqlite.prepare('SELECT seq, key, kind, subject, purpose, legal_basis, categories, source, detail, at, ciphertext, data_key_id, prev_hash FROM ledger_entries ORDER BY seq').raw().iterate();
    const strings: string[] = [];
    for (const r of rows as IterableIterator<unknown[]>) {
      const ct = r[10] as Buffer | null;
      strings.push(JSON.stringify([1, r[0], r[12], r[1], r[2], r[3], r[4], r[5], JSON.parse(r[6] as string), r[7], r[8], r[9], ct ? ct.toString('base64') : null, r[11]]));
    }
    return strings;
  } finally {
    await db.close();
  }
}

/** The floor of verifying: one createHash per string, nothing else. Returns hashes per second. */
export function bareSha256(strings: readonly string[]): number {
  const start = process.hrtime.bigint();
  let sink = 0;
  for (const s of strings) sink += createHash('sha256').update(s, 'utf8').digest('hex').length;
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (sink === 0) throw new Error('unreachable');
  return strings.length / seconds;
}
