/**
 * `npm run bench -- ledger`: the privacy ledger against hand-written baselines doing the same work
 * (same rows, same AES-256-GCM and SHA-256 per entry) in the same process and run.
 */
import { fork } from 'node:child_process';
import path from 'node:path';
import { round, type Figure } from './bench-format.js';
import { scaled, type Benchmark } from './benchmark.js';
import { bareSha256, canonicalStrings, ledgerBatched, ledgerSingle, ledgerVerify, rawAppend } from './ledger-sqlite.js';
import { postgresWriters, WRITERS } from './ledger-postgres.js';
import type { VerifyWorkerReport } from './ledger-verify-worker.js';
import { newSecrets, SUBJECTS, subjectRefs } from './ledger-workload.js';
import { scratchDir } from './scratch.js';

const BATCH = 1_000;
const SHA_SAMPLE = 100_000;
const ROUNDS = 2; // baseline and ledger alternate; the best round of each counts

export const ledgerBench: Benchmark = {
  name: 'ledger',
  summary: 'privacy ledger: SQLite and PostgreSQL appends, verify, verify memory',
  async run(ctx) {
    const secrets = newSecrets();
    const subjects = subjectRefs(secrets.pepper);
    const dir = scratchDir();
    const figures: Figure[] = [];
    const notes: string[] = [
      `workload: facts about ${SUBJECTS} rotating synthetic subjects (@example.invalid), each with a ~100-byte personal JSON value sealed with AES-256-GCM`,
      `ledger runs first record one untimed fact per subject (data keys exist, as the baseline's do); timed counts exclude it`,
      `baselines write the same rows with the same crypto by hand (node:crypto + better-sqlite3/pg) into a table of the same shape; best of ${ROUNDS} alternating rounds`,
    ];
    try {
      const alternate = async (
        label: string,
        baseline: (f: string) => Promise<number>,
        ledger: (f: string) => Promise<number>,
      ) => {
        let b = 0;
        let l = 0;
        for (let r = 0; r < ROUNDS; r++) {
          b = Math.max(b, await baseline(dir.file(`${label}-raw-${r}.sqlite`)));
          l = Math.max(l, await ledger(dir.file(`${label}-ledger-${r}.sqlite`)));
        }
        ctx.log(`${label}: ledger ${Math.round(l)}/s, baseline ${Math.round(b)}/s`);
        return { b, l };
      };

      const batched = scaled(ctx, 100_000, BATCH);
      ctx.log(`SQLite batched appends: ${batched} facts, ${BATCH} per recordMany`);
      const a = await alternate(
        'batched',
        (f) => rawAppend(f, subjects, batched, BATCH),
        (f) => ledgerBatched(f, secrets, subjects, batched, BATCH),
      );
      figures.push({
        key: 'sqlite_append_batched_per_s',
        value: round(a.l),
        unit: 'entries/s',
        baseline: round(a.b),
        target: { min: 50_000, minRatio: 0.7 },
      });

      const single = scaled(ctx, 10_000, 100);
      ctx.log(`SQLite single appends: ${single} facts, one transaction each`);
      const s = await alternate(
        'single',
        (f) => rawAppend(f, subjects, single, 1),
        (f) => ledgerSingle(f, secrets, subjects, single),
      );
      figures.push({
        key: 'sqlite_append_single_per_s',
        value: round(s.l),
        unit: 'entries/s',
        baseline: round(s.b),
        target: { min: 10_000 },
      });

      const perWriter = scaled(ctx, 25_000, BATCH);
      ctx.log(`PostgreSQL: ${WRITERS} writer processes × ${perWriter} facts, ${BATCH} per recordMany`);
      const pgRaw = await postgresWriters('raw', secrets, perWriter, BATCH);
      const pgLedger = await postgresWriters('ledger', secrets, perWriter, BATCH);
      ctx.log(
        `postgres: ledger ${Math.round(pgLedger.perSecond)}/s, baseline ${Math.round(pgRaw.perSecond)}/s, chain intact ${pgLedger.intact}`,
      );
      figures.push({
        key: 'postgres_append_4_writers_per_s',
        value: round(pgLedger.perSecond),
        unit: 'entries/s',
        baseline: round(pgRaw.perSecond),
        target: { min: 5_000 },
      });
      figures.push({
        key: 'postgres_chain_intact',
        value: pgLedger.intact ? 1 : 0,
        unit: 'bool',
        baseline: null,
        target: { min: 1 },
      });

      const million = scaled(ctx, 1_000_000, BATCH);
      const bigFile = dir.file('million.sqlite');
      ctx.log(`building a ${million}-entry ledger with recordMany (5,000 per call)`);
      const buildRate = await ledgerBatched(bigFile, secrets, subjects, million, 5_000);
      notes.push(
        `verify_per_s and verify_1m_max_rss_mb: a ledger of ${million} facts (+${SUBJECTS} warm-up entries) built through Ledger.recordMany, 5,000 facts per call (${Math.round(buildRate)} entries/s)`,
      );

      // The baseline hashes a sample: holding a million strings would slow the verify rounds' GC instead.
      const strings = await canonicalStrings(bigFile, SHA_SAMPLE);
      ctx.log(`verify: ${million + SUBJECTS} entries`);
      let v = 0;
      let sha = 0;
      for (let r = 0; r < ROUNDS + 1; r++) {
        sha = Math.max(sha, bareSha256(strings));
        const result = await ledgerVerify(bigFile, secrets);
        if (!result.ok || result.checked !== million + SUBJECTS)
          throw new Error('the benchmark ledger does not verify');
        v = Math.max(v, result.perSecond);
      }
      figures.push({
        key: 'verify_per_s',
        value: round(v),
        unit: 'entries/s',
        baseline: round(sha),
        target: { min: 150_000, minRatio: 0.8 },
      });
      notes.push(
        `verify_per_s: Ledger.verify() on that ledger (two ranges verified at once, one on a worker thread, joined in order), best of ${ROUNDS + 1}; baseline: chain.ts's sha256() over the canonical encodings of its first ${strings.length} entries, one thread, best of ${ROUNDS + 1}`,
      );

      const rss = await verifyInChild(bigFile);
      if (!rss.ok || rss.checked !== million + SUBJECTS)
        throw new Error(`the ${million}-entry ledger did not verify (${rss.checked} checked)`);
      ctx.log(`verified ${rss.checked} entries in ${rss.seconds.toFixed(1)} s, peak RSS ${rss.maxRssMb.toFixed(1)} MB`);
      figures.push({
        key: 'verify_1m_max_rss_mb',
        value: round(rss.maxRssMb, 1),
        unit: 'MB',
        baseline: null,
        target: { max: 200 },
      });
      notes.push(
        `verify_1m_max_rss_mb: the same ledger verified in a fresh child process; value = its process.resourceUsage().maxRSS (it verified at ${Math.round(rss.checked / rss.seconds)} entries/s)`,
      );
      return { figures, notes };
    } finally {
      dir.remove();
    }
  },
};

function verifyInChild(file: string): Promise<VerifyWorkerReport> {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(__dirname, 'ledger-verify-worker.js'), [file], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let report: VerifyWorkerReport | undefined;
    child.on('message', (m: VerifyWorkerReport) => (report = m));
    child.on('error', reject);
    child.on('exit', (code) =>
      report && code === 0 ? resolve(report) : reject(new Error(`verify child exited with ${code}`)),
    );
  });
}
