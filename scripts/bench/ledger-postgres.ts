/** The PostgreSQL half of the ledger benchmark: 4 writer processes on one fresh database, ledger vs raw inserts. */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { openDatabase } from '../../service/src/platform/db/database.js';
import { migrate } from '../../service/src/platform/db/migrate.js';
import { ledgerMigrations } from '../../service/src/ledger/index.js';
import { openLedger, rawTableSql, SUBJECTS, type BenchSecrets } from './ledger-workload.js';
import type { PgWorkerJob, PgWorkerMessage } from './ledger-pg-worker.js';
import { scratchPostgres } from './scratch.js';

export const WRITERS = 4;

/** Entries per second written by WRITERS processes together, from the common start to the last finish. */
export async function postgresWriters(mode: 'ledger' | 'raw', secrets: BenchSecrets, perWriter: number, batch: number) {
  const scratch = await scratchPostgres(mode);
  const db = openDatabase(scratch.url);
  try {
    if (mode === 'ledger') await migrate(db, ledgerMigrations);
    else if (db.dialect === 'postgres') await db.pool.query(rawTableSql('postgres'));
    const jobs = Array.from({ length: WRITERS }, (_, writer): PgWorkerJob => ({
      mode,
      url: scratch.url,
      writer,
      total: perWriter,
      batch,
      master: secrets.master.toString('base64'),
      pepper: secrets.pepper.toString('base64'),
    }));
    const seconds = await runWriters(jobs);
    const perSecond = (WRITERS * perWriter) / seconds;
    if (mode === 'raw') return { perSecond, intact: null };
    const verdict = await openLedger(db, secrets).verify();
    return { perSecond, intact: verdict.ok && verdict.checked === WRITERS * (perWriter + SUBJECTS) }; // + each writer's warm-up
  } finally {
    await db.close();
    await scratch.drop();
  }
}

/** Forks one process per job, starts them together once all are connected, resolves with the wall time. */
async function runWriters(jobs: readonly PgWorkerJob[]): Promise<number> {
  const script = path.join(__dirname, 'ledger-pg-worker.js');
  const children = jobs.map(() => fork(script, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  try {
    await Promise.all(children.map((child, i) => exchange(child, { type: 'prepare', job: jobs[i]! }, 'ready')));
    const start = process.hrtime.bigint();
    await Promise.all(children.map((child) => exchange(child, { type: 'go' }, 'done')));
    return Number(process.hrtime.bigint() - start) / 1e9;
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill();
  }
}

function exchange(child: ChildProcess, message: object, expect: PgWorkerMessage['type']): Promise<PgWorkerMessage> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: PgWorkerMessage) => {
      if (m.type === expect) return done(() => resolve(m));
      if (m.type === 'failed') return done(() => reject(new Error(`postgres writer failed: ${m.error}`)));
    };
    const onExit = (code: number | null) =>
      done(() => reject(new Error(`postgres writer exited (${code}) before '${expect}'`)));
    const done = (settle: () => void) => {
      child.off('message', onMessage);
      child.off('exit', onExit);
      settle();
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
    child.send(message);
  });
}
