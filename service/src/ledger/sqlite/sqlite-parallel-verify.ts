import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { workerScript } from '../../platform/worker-script.js';
import { ChainVerifier, type ChainHead, type VerifyResult } from '../chain.js';
import { verifyRange, type RangeReport, type RangeTask } from './sqlite-verify-range.js';

/**
 * Verifies `[1, lastSeq]` (and whatever follows: the last range is open-ended, as the sequential scan is)
 * in contiguous ranges, one read-only connection each — the first on this thread, which would otherwise
 * idle, the others on worker threads (each costs ~60 MB of RSS) — then joins the ranges in
 * order on this thread: each range's first entry must link onto the previous range's last head, so the
 * verdict — first broken entry, reason, count — is the sequential one. Null when no worker script exists.
 */
export async function verifyInParallel(input: {
  file: string;
  lastSeq: number;
  expected?: ChainHead;
  threads?: number;
}): Promise<VerifyResult | null> {
  const script = workerScript(__dirname, 'sqlite-verify.worker');
  if (!script) return null;
  // Two ranges by default, whatever the core count: each worker thread costs ~60 MB of RSS, and a
  // million entries must verify in under 200 MB.
  const n = Math.max(2, input.threads ?? Math.min(2, os.availableParallelism()));
  const bounds = Array.from({ length: n + 1 }, (_, k) =>
    k === n ? Number.MAX_SAFE_INTEGER : Math.floor((input.lastSeq * k) / n),
  );
  const reports = await Promise.all(
    bounds.slice(0, n).map((after, k) => {
      const task = { file: input.file, after, upTo: bounds[k + 1]!, expected: input.expected };
      return k === 0 ? verifyOnThisThread(task) : runRange(script, task);
    }),
  );
  const verifier = new ChainVerifier(undefined, input.expected);
  for (const { first, outcome } of reports) {
    if (first === null) {
      if ('error' in outcome) throw outcome.error;
      continue; // an empty range: the next range's first entry must link onto the same head
    }
    if (!verifier.join(first, outcome)) break;
  }
  return verifier.finish();
}

/** After the workers are started: the first range's synchronous reads would otherwise delay them. */
async function verifyOnThisThread(task: RangeTask): Promise<RangeReport> {
  await new Promise((resolve) => setImmediate(resolve));
  return verifyRange(task);
}

function runRange(script: { file: string; execArgv: string[] }, task: RangeTask): Promise<RangeReport> {
  return new Promise((resolve, reject) => {
    // A small young generation: a range's garbage is short-lived, and the default let a million-entry
    // verify peak ~25 MB higher at the same speed.
    const worker = new Worker(script.file, {
      workerData: task,
      execArgv: script.execArgv,
      resourceLimits: { maxYoungGenerationSizeMb: 8 },
    });
    let report: RangeReport | undefined;
    worker.once('message', (m: RangeReport) => (report = m));
    worker.once('error', reject);
    worker.once('exit', (code) =>
      report ? resolve(report) : reject(new Error(`ledger verify worker exited with ${code} and no report`)),
    );
  });
}
