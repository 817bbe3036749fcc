// The page worker of `woo backfill` (backfill-pages.ts): fetches and prepares the walk's pages, at most `lookahead` ahead.
import { parentPort, workerData } from 'node:worker_threads';
import { loadPolicy } from '../../../shared/src/policy/index.js';
import { reportOf } from '../platform/errors.js';
import { createLogger } from '../platform/log/logger.js';
import { sensitive } from '../platform/sensitive.js';
import { WooClient } from '../woocommerce/index.js';
import { keyedDigests, type PagesTask, type WorkerMessage } from './backfill-pages.js';
import { fetchOrderPage, orderPages } from './order-pages.js';
import { prepareListed, type PlanContext } from './order-plan.js';

const task = workerData as PagesTask;
const port = parentPort!;

let ahead = 0;
let room: (() => void) | null = null;
port.on('message', () => {
  ahead--;
  room?.();
  room = null;
});

async function run(): Promise<void> {
  const { woo: w } = task;
  const woo = new WooClient(
    {
      url: w.url,
      consumerKey: sensitive(w.consumerKey),
      consumerSecret: sensitive(w.consumerSecret),
      allowInsecureHttp: w.allowInsecureHttp,
      timeoutMs: w.timeoutMs,
      concurrency: w.concurrency,
    },
    createLogger({ level: 'warn' }),
  );
  const ctx: PlanContext = {
    policy: loadPolicy(),
    timeZone: task.timeZone,
    sessionMinutes: task.sessionMinutes,
    ...keyedDigests(Buffer.from(task.pepper)),
  };
  for await (const page of orderPages(
    (c) => fetchOrderPage(woo, c, task.notes),
    (o, n) => prepareListed(ctx, o, n),
    task.start,
  )) {
    while (ahead >= task.lookahead) await new Promise<void>((resolve) => (room = resolve));
    ahead++;
    port.postMessage({ type: 'page', page } satisfies WorkerMessage);
    if (page.last) return;
  }
}

run().catch((err: unknown) => port.postMessage({ type: 'failed', error: reportOf(err) } satisfies WorkerMessage));
