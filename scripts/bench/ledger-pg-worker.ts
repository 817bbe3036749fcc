// One PostgreSQL writer of the ledger benchmark, forked by ledger-postgres.ts (compiled, from dist/).
// Parent → `prepare` (what to write) → child opens its pool and answers `ready` → parent sends `go`
// to every writer at once → child writes and answers `done` with its own elapsed seconds.
import pg from 'pg';
import { openDatabase } from '../../service/src/platform/db/database.js';
import { factsOf, openLedger, RawRows, subjectRefs, warmUp } from './ledger-workload.js';

export type PgWorkerJob = {
  readonly mode: 'ledger' | 'raw';
  readonly url: string;
  readonly writer: number;
  readonly total: number;
  readonly batch: number;
  readonly master: string; // base64, synthetic per run
  readonly pepper: string;
};
export type PgWorkerMessage = { type: 'ready' } | { type: 'done'; seconds: number } | { type: 'failed'; error: string };

const send = (m: PgWorkerMessage) => process.send!(m);

async function prepare(job: PgWorkerJob): Promise<() => Promise<void>> {
  const secrets = { master: Buffer.from(job.master, 'base64'), pepper: Buffer.from(job.pepper, 'base64') };
  const subjects = subjectRefs(secrets.pepper);
  const prefix = `w${job.writer}-`;
  if (job.mode === 'ledger') {
    const db = openDatabase(job.url);
    const ledger = openLedger(db, secrets);
    await warmUp(ledger, subjects, prefix); // connects and creates the data keys before the clock starts
    return async () => {
      for (let from = 0; from < job.total; from += job.batch)
        await ledger.recordMany(factsOf(from, Math.min(job.batch, job.total - from), subjects, prefix));
      await db.close();
    };
  }
  const client = new pg.Client({ connectionString: job.url });
  await client.connect();
  const raw = new RawRows(subjects);
  let prev = '0'.repeat(64);
  const seq0 = job.writer * job.total;
  return async () => {
    for (let from = 0; from < job.total; from += job.batch) {
      const count = Math.min(job.batch, job.total - from);
      const columns: unknown[][] = Array.from({ length: 14 }, () => new Array(count));
      for (let j = 0; j < count; j++) {
        const row = raw.row(from + j, seq0 + from + j + 1, prev, prefix);
        for (let c = 0; c < 14; c++) columns[c]![j] = row[c];
        prev = row[13];
      }
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO raw_entries SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
           $8::text[], $9::text[], $10::text[], $11::bytea[], $12::text[], $13::text[], $14::text[])`,
        columns,
      );
      await client.query('COMMIT');
    }
    await client.end();
  };
}

let run: (() => Promise<void>) | undefined;
process.on('message', (message: { type: 'prepare'; job: PgWorkerJob } | { type: 'go' }) => {
  const step = async () => {
    if (message.type === 'prepare') {
      run = await prepare(message.job);
      send({ type: 'ready' });
      return;
    }
    const start = process.hrtime.bigint();
    await run!();
    send({ type: 'done', seconds: Number(process.hrtime.bigint() - start) / 1e9 });
    process.disconnect();
  };
  step().catch((err: unknown) => {
    send({ type: 'failed', error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
    process.disconnect();
  });
});
