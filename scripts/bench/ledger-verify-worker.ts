// Verifies one SQLite ledger in a process of its own and reports its peak RSS over IPC (forked by ledger.bench.ts).
import { openDatabase } from '../../service/src/platform/db/database.js';
import { openLedger } from './ledger-workload.js';

export type VerifyWorkerReport = { ok: boolean; checked: number; seconds: number; maxRssMb: number };

async function main() {
  const file = process.argv[2];
  if (!file) throw new Error('usage: ledger-verify-worker <sqlite file>');
  const db = openDatabase(`sqlite:${file}`);
  // verify() reads no personal value, so any master key will do.
  const ledger = openLedger(db, { master: Buffer.alloc(32), pepper: Buffer.alloc(32) });
  const start = process.hrtime.bigint();
  const verdict = await ledger.verify();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  await db.close();
  const report: VerifyWorkerReport = {
    ok: verdict.ok,
    checked: verdict.checked,
    seconds,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  };
  process.send!(report);
  process.disconnect();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
