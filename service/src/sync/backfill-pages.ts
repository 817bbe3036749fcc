import { Worker } from 'node:worker_threads';
import { workerScript } from '../platform/worker-script.js';
import { keyedFingerprint, subjectRef } from '../ledger/index.js';
import { errorOf, type ErrorReport } from '../platform/errors.js';
import type { Checkpoint, OrderPage } from './order-pages.js';
import type { PlanContext } from './order-plan.js';

/** What the page worker needs: where to start, the store, the ledger's pepper (for keyed digests) and the shop's settings. */
export type PagesTask = {
  readonly start: Checkpoint;
  readonly woo: {
    url: string;
    consumerKey: string;
    consumerSecret: string;
    allowInsecureHttp?: boolean;
    timeoutMs?: number;
    concurrency?: number;
  };
  readonly pepper: Uint8Array;
  readonly timeZone: string;
  readonly sessionMinutes: number;
  readonly notes: { fetch: boolean; concurrency: number };
  /** Prepared pages sent but not yet taken by the walk; the worker waits beyond this. */
  readonly lookahead: number;
};

export type WorkerMessage = { type: 'page'; page: OrderPage } | { type: 'failed'; error: ErrorReport };

/** The ledger's keyed digests alone, for a thread that never reads or writes the ledger. */
export function keyedDigests(pepper: Buffer): Pick<PlanContext, 'fingerprint' | 'subjectRef'> {
  return { fingerprint: (v) => keyedFingerprint(v, pepper), subjectRef: (e) => subjectRef(e, pepper) };
}

/**
 * The walk's pages fetched and prepared (JSON parsing, flattening, classification, keyed digests) on a
 * worker thread, while this thread records pages in the ledger: on two cores the two overlap instead of
 * taking turns. The worker keeps at most `lookahead` pages ahead of the walk; stopping the walk ends it.
 * Null when there is no worker script (then the walk prepares its pages itself).
 */
export function pagesFromWorker(
  task: Omit<PagesTask, 'start'>,
): ((start: Checkpoint) => AsyncIterable<OrderPage>) | null {
  const script = workerScript(__dirname, 'backfill-pages.worker');
  if (!script) return null;
  return (start) => workerPages(script, { ...task, start });
}

const PAGE_WORKER_YOUNG_MB = 24;

async function* workerPages(script: { file: string; execArgv: string[] }, task: PagesTask): AsyncGenerator<OrderPage> {
  // The young generation sized for a page: a page's parsed orders and what is prepared from them live
  // until it is sent, so with 8 MB they were promoted and the worker spent a third of its time in GC
  // (100,000 orders: 8 MB 3,077/s, 24 MB ~3,550/s; peak RSS 222 → ~235 MB, 32 MB reached ~250).
  const worker = new Worker(script.file, {
    workerData: task,
    execArgv: script.execArgv,
    resourceLimits: { maxYoungGenerationSizeMb: PAGE_WORKER_YOUNG_MB },
  });
  const inbox: WorkerMessage[] = [];
  let failure: Error | null = null;
  let exited = false;
  let wake: (() => void) | null = null;
  const notify = () => {
    wake?.();
    wake = null;
  };
  worker.on('message', (m: WorkerMessage) => (inbox.push(m), notify()));
  worker.on('error', (err) => ((failure = err), notify()));
  worker.on('exit', () => ((exited = true), notify()));
  try {
    for (;;) {
      while (inbox.length === 0 && !failure && !exited) await new Promise<void>((resolve) => (wake = resolve));
      const m = inbox.shift();
      if (!m) throw failure ?? new Error('the backfill page worker exited early');
      if (m.type === 'failed') throw errorOf(m.error);
      worker.postMessage('taken'); // room for one more page ahead
      // Turn the event loop before each page: a page arriving while the last one was recorded is delivered
      // in the same callback, so without this the walk runs to the end without a Ctrl-C ever getting in.
      await new Promise<void>((resolve) => setImmediate(resolve));
      yield m.page;
      if (m.page.last) return;
    }
  } finally {
    await worker.terminate();
  }
}
